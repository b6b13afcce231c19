"""Generates camkit's TorchScript fixtures and their references (fixtures/torchscript/ at the repository root).

Three small seeded models, briefly trained on synthetic images of coloured shapes, exported with camkit_export:

- resnet: ResNet-style classifier (batch norm, residual blocks, global average pool), 64x64, 10 classes
  (5 colours x square/disk), layers layer1, layer2, layer3 (default layer3);
- fcn: fully-convolutional segmentation net, 64x64, 4 classes (background + red/green/blue squares), output
  [N, 4, 64, 64], layers encoder, decoder (default decoder);
- vit: vision transformer, 32x32, patch 8 (4x4 grid + class token), dim 32, depth 2, 5 colour classes,
  layers blocks.0, blocks.1 (default blocks.0: the head reads only the class token after blocks.1, so the grid
  tokens' gradients there are exactly zero and Grad-CAM at blocks.1 is empty), tokens prefix 1, 4x4.

References per model in reference/<name>/: input.npy [2,3,H,W] (preprocessed), output.npy, seed.npy
(d score / d output), activations-<L>.npy and gradients-<L>.npy (gradient of sum(seed * output)), computed on the
eager PyTorch model with hooks, and meta.json {"target", "layers"}.

Usage: python fixtures.py [--out DIR]   (default: <repo>/fixtures/torchscript)
"""

import argparse
import json
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import camkit_export

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, "..", "..", "fixtures", "torchscript")

COLOURS = [(0.9, 0.1, 0.1), (0.1, 0.8, 0.1), (0.15, 0.25, 0.95), (0.95, 0.9, 0.1), (0.85, 0.1, 0.85)]
COLOUR_NAMES = ["red", "green", "blue", "yellow", "magenta"]
RESNET_MEAN, RESNET_STD = camkit_export.IMAGENET_MEAN, camkit_export.IMAGENET_STD
FCN_MEAN, FCN_STD = (0.5, 0.5, 0.5), (0.25, 0.25, 0.25)
VIT_MEAN, VIT_STD = (0.5, 0.5, 0.5), (0.5, 0.5, 0.5)


# ---------------------------------------------------------------------------------------------- models


class BasicBlock(nn.Module):
    """ResNet basic block: two 3x3 conv + batch norm, identity (or 1x1 projection) shortcut."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))
        else:
            self.shortcut = nn.Identity()

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.shortcut(x))


class TinyResNet(nn.Module):
    """CIFAR-style ResNet (16/32/64 channels, one block per stage); global average pool, so any input size."""

    def __init__(self, classes=10):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU())
        self.layer1 = nn.Sequential(BasicBlock(16, 16, 1))
        self.layer2 = nn.Sequential(BasicBlock(16, 32, 2))
        self.layer3 = nn.Sequential(BasicBlock(32, 64, 2))
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(64, classes)

    def forward(self, x):
        x = self.layer3(self.layer2(self.layer1(self.stem(x))))
        return self.fc(torch.flatten(self.pool(x), 1))


class TinyFCN(nn.Module):
    """Encoder (stride 4) - decoder - 1x1 classifier, upsampled x4 back to the input size."""

    def __init__(self, classes=4):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(3, 16, 3, 1, 1), nn.BatchNorm2d(16), nn.ReLU(),
            nn.Conv2d(16, 32, 3, 2, 1), nn.BatchNorm2d(32), nn.ReLU(),
            nn.Conv2d(32, 32, 3, 2, 1), nn.BatchNorm2d(32), nn.ReLU())
        self.decoder = nn.Sequential(nn.Conv2d(32, 16, 3, 1, 1), nn.BatchNorm2d(16), nn.ReLU())
        self.classifier = nn.Conv2d(16, classes, 1)

    def forward(self, x):
        y = self.classifier(self.decoder(self.encoder(x)))
        return F.interpolate(y, scale_factor=4.0, mode="bilinear", align_corners=False)


class Attention(nn.Module):
    """Multi-head self-attention."""

    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.scale = (dim // heads) ** -0.5
        self.qkv = nn.Linear(dim, dim * 3)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        b, t, d = x.shape
        qkv = self.qkv(x).reshape(b, t, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        attn = ((q @ k.transpose(-2, -1)) * self.scale).softmax(dim=-1)
        return self.proj((attn @ v).transpose(1, 2).reshape(b, t, d))


class Block(nn.Module):
    """Pre-norm transformer block."""

    def __init__(self, dim, heads, mlp_ratio=2):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.attn = Attention(dim, heads)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, dim * mlp_ratio), nn.GELU(), nn.Linear(dim * mlp_ratio, dim))

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class TinyViT(nn.Module):
    """ViT: 8x8 patches of a 32x32 image (4x4 grid) + class token, dim 32, depth 2, 4 heads."""

    def __init__(self, classes=5, dim=32, depth=2, heads=4, patch=8, size=32):
        super().__init__()
        grid = size // patch
        self.patch_embed = nn.Conv2d(3, dim, patch, patch)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(torch.randn(1, 1 + grid * grid, dim) * 0.02)
        self.blocks = nn.ModuleList([Block(dim, heads) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, classes)

    def forward(self, x):
        x = self.patch_embed(x).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], dim=1) + self.pos_embed
        for block in self.blocks:
            x = block(x)
        return self.head(self.norm(x)[:, 0])


def resnet():
    """Factory for camkit_export --factory fixtures:resnet."""
    torch.manual_seed(1)
    return TinyResNet()


def fcn():
    """Factory for camkit_export --factory fixtures:fcn."""
    torch.manual_seed(2)
    return TinyFCN()


def vit():
    """Factory for camkit_export --factory fixtures:vit."""
    torch.manual_seed(3)
    return TinyViT()


# ---------------------------------------------------------------------------------------------- synthetic data


def _background(rng, size):
    base = rng.uniform(0.3, 0.6, size=(3, 1, 1))
    return np.clip(base + rng.normal(0, 0.08, size=(3, size, size)), 0, 1).astype(np.float32)


def _paint(img, colour, y, x, side, disk=False):
    yy, xx = np.mgrid[0:img.shape[1], 0:img.shape[2]]
    if disk:
        r = side / 2
        mask = (yy - y - r + 0.5) ** 2 + (xx - x - r + 0.5) ** 2 <= r * r
    else:
        mask = (yy >= y) & (yy < y + side) & (xx >= x) & (xx < x + side)
    for c in range(3):
        img[c][mask] = colour[c]
    return mask


def shape_image(rng, cls, size=64):
    """Class cls of the 10-class task: colour cls % 5, a square (cls < 5) or a disk (cls >= 5)."""
    img = _background(rng, size)
    side = int(rng.integers(size // 4, size // 2))
    y, x = rng.integers(0, size - side, size=2)
    _paint(img, COLOURS[cls % 5], y, x, side, disk=cls >= 5)
    return img


def square_scene(rng, classes, size=64):
    """Squares of the given classes (1 red, 2 green, 3 blue) on a background; returns (image, class mask)."""
    img = _background(rng, size)
    target = np.zeros((size, size), dtype=np.int64)
    for cls in classes:
        side = int(rng.integers(size // 5, size // 3))
        y, x = rng.integers(0, size - side, size=2)
        target[_paint(img, COLOURS[cls - 1], y, x, side)] = cls
    return img, target


def colour_image(rng, cls, size=32):
    """Class cls of the 5-colour task: a square of colour cls."""
    img = _background(rng, size)
    side = int(rng.integers(8, 15))
    y, x = rng.integers(0, size - side, size=2)
    _paint(img, COLOURS[cls], y, x, side)
    return img


def normalize(images, mean, std):
    m = np.asarray(mean, dtype=np.float32).reshape(1, 3, 1, 1)
    s = np.asarray(std, dtype=np.float32).reshape(1, 3, 1, 1)
    return ((np.stack(images) - m) / s).astype(np.float32)


# ---------------------------------------------------------------------------------------------- training


def _train(model, batch, steps, lr=3e-3):
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    model.train()
    for step in range(steps):
        x, y = batch(step)
        loss = F.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    return loss.item()


def train_resnet(steps=300):
    model = resnet()
    rng = np.random.default_rng(11)

    def batch(_):
        ys = rng.integers(0, 10, size=32)
        return torch.from_numpy(normalize([shape_image(rng, int(c)) for c in ys], RESNET_MEAN, RESNET_STD)), \
            torch.from_numpy(ys)
    return model, _train(model, batch, steps)


def train_fcn(steps=200):
    model = fcn()
    rng = np.random.default_rng(12)

    def batch(_):
        scenes = [square_scene(rng, list(rng.choice([1, 2, 3], size=int(rng.integers(1, 3)), replace=False)))
                  for _ in range(16)]
        return torch.from_numpy(normalize([s[0] for s in scenes], FCN_MEAN, FCN_STD)), \
            torch.from_numpy(np.stack([s[1] for s in scenes]))
    return model, _train(model, batch, steps)


def train_vit(steps=250):
    model = vit()
    rng = np.random.default_rng(13)

    def batch(_):
        ys = rng.integers(0, 5, size=32)
        return torch.from_numpy(normalize([colour_image(rng, int(c)) for c in ys], VIT_MEAN, VIT_STD)), \
            torch.from_numpy(ys)
    return model, _train(model, batch, steps, lr=2e-3)


# ---------------------------------------------------------------------------------------------- references


def class_seed(output, cls):
    """One-hot d score / d output for every image: pytorch-grad-cam's ClassifierOutputTarget(cls)."""
    seed = np.zeros(output.shape, dtype=np.float32)
    seed[:, cls] = 1
    return seed


def segmentation_seed(output, cls):
    """1 at channel cls where each image's argmax is cls: SemanticSegmentationTarget(cls, argmax == cls)."""
    seed = np.zeros(output.shape, dtype=np.float32)
    seed[:, cls] = (output.argmax(axis=1) == cls)
    return seed


def references(model, x, layers, seed_of):
    """Eager forward with hooks on the layers, backward of sum(seed * output); returns arrays by name."""
    acts = {}

    def keep(layer, output):
        output.retain_grad()
        acts[layer] = output

    handles = [model.get_submodule(layer).register_forward_hook(
        lambda m, i, o, layer=layer: keep(layer, o)) for layer in layers]
    try:
        out = model(torch.from_numpy(x))
    finally:
        for h in handles:
            h.remove()
    output = out.detach().numpy()
    seed, target = seed_of(output)
    model.zero_grad()
    (torch.from_numpy(seed) * out).sum().backward()
    arrays = {"input": x, "output": output, "seed": seed}
    for layer in layers:
        name = camkit_export.method_suffix(layer)
        arrays["activations-" + name] = acts[layer].detach().numpy()
        arrays["gradients-" + name] = acts[layer].grad.numpy()
    return arrays, target


def write_fixture(out_dir, name, model, layers, x, seed_of, **export_args):
    """Exports model to out_dir/<name>.pt/.json and writes reference/<name>/."""
    descriptor = camkit_export.export_model(model, x.shape, layers, os.path.join(out_dir, name + ".pt"), name=name,
                                            example=torch.from_numpy(x), **export_args)
    arrays, target = references(model, x, layers, seed_of)
    ref_dir = os.path.join(out_dir, "reference", name)
    os.makedirs(ref_dir, exist_ok=True)
    for key, value in arrays.items():
        np.save(os.path.join(ref_dir, key + ".npy"), np.ascontiguousarray(value, dtype="<f4"))
    with open(os.path.join(ref_dir, "meta.json"), "w") as f:
        json.dump({"target": target, "layers": descriptor["properties"]["layers"].split(",")}, f, indent=2)
        f.write("\n")
    return target


def resnet_inputs():
    rng = np.random.default_rng(101)
    return normalize([shape_image(rng, 3), shape_image(rng, 7)], RESNET_MEAN, RESNET_STD)


def fcn_inputs():
    rng = np.random.default_rng(102)
    return normalize([square_scene(rng, [2])[0], square_scene(rng, [2, 1])[0]], FCN_MEAN, FCN_STD)


def vit_inputs():
    rng = np.random.default_rng(103)
    return normalize([colour_image(rng, 1), colour_image(rng, 4)], VIT_MEAN, VIT_STD)


def _predicted_class(output):
    cls = int(output[0].argmax())
    return class_seed(output, cls), "class:%d" % cls


def _segmented_class(output):
    counts = np.bincount(output[0].argmax(axis=0).ravel(), minlength=output.shape[1])
    counts[0] = 0
    if counts.max() == 0:
        raise SystemExit("fcn fixture: no object class in the prediction of image 0; train longer")
    cls = int(counts.argmax())
    return segmentation_seed(output, cls), "segmentation:%d" % cls


def generate(out_dir):
    torch.set_num_threads(min(2, torch.get_num_threads()))
    os.makedirs(out_dir, exist_ok=True)
    start = time.time()

    model, loss = train_resnet()
    labels = ["%s %s" % (COLOUR_NAMES[c % 5], "square" if c < 5 else "disk") for c in range(10)]
    target = write_fixture(out_dir, "resnet", model, ["layer3", "layer1", "layer2"], resnet_inputs(),
                           _predicted_class, labels=labels, mean=RESNET_MEAN, std=RESNET_STD)
    print("resnet: loss %.3f, target %s (%.0f s)" % (loss, target, time.time() - start))

    model, loss = train_fcn()
    target = write_fixture(out_dir, "fcn", model, ["decoder", "encoder"], fcn_inputs(), _segmented_class,
                           labels=["background", "red", "green", "blue"], mean=FCN_MEAN, std=FCN_STD)
    print("fcn: loss %.3f, target %s (%.0f s)" % (loss, target, time.time() - start))

    model, loss = train_vit()
    target = write_fixture(out_dir, "vit", model, ["blocks.0", "blocks.1"], vit_inputs(), _predicted_class,
                           labels=COLOUR_NAMES, mean=VIT_MEAN, std=VIT_STD, tokens=(1, 4, 4))
    print("vit: loss %.3f, target %s (%.0f s)" % (loss, target, time.time() - start))

    total = sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(out_dir) for f in files)
    print("fixtures: %d bytes in %s" % (total, os.path.abspath(out_dir)))
    if total > 3 * 1024 * 1024:
        raise SystemExit("fixtures exceed 3 MB (%d bytes)" % total)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Generates camkit's TorchScript fixtures and references.")
    parser.add_argument("--out", default=DEFAULT_OUT, help="output folder (default: <repo>/fixtures/torchscript)")
    generate(os.path.normpath(parser.parse_args().out))
