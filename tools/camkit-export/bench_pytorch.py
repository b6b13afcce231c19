"""Times in PyTorch what camkit's Grad-CAM explain computes, on the resnet fixture, for comparison with camkit.

The eager model is rebuilt from fixtures.py's TinyResNet and the fixture's weights (the state_dict of
fixtures/torchscript/resnet.pt, keys under 'model.'): hooks need the eager module, not the TorchScript one.
One iteration: forward with a forward hook on the layer (default: the descriptor's defaultLayer) that keeps its
output and a tensor hook for its gradient, backward of the target (the top class of each image), then the
Grad-CAM map: channel weights = spatial mean of the gradients, ReLU(sum of weights x activations), min-max
(eps 1e-7), bilinear resize to the input size (align_corners=False, as OpenCV INTER_LINEAR), min-max again
(pytorch-grad-cam's aggregate over one layer).

By default the parameters are frozen, so the backward stops at the layer, as camkit's split forward does;
--param-grads keeps them trainable, as pytorch-grad-cam's default does (the backward then runs through the whole
network).

Prints one JSON line: {"pytorch_gradcam_ms", "pytorch_forward_backward_ms", "threads", ...} (medians).
"""

import argparse
import json
import os
import statistics
import time

import numpy as np
import torch
import torch.nn.functional as F

import camkit_export
import fixtures

DEFAULT_FIXTURES = os.path.join(fixtures.HERE, "..", "..", "fixtures", "torchscript")


def load_resnet(fixture_dir=DEFAULT_FIXTURES):
    """TinyResNet with the weights of fixture_dir/resnet.pt; returns (eager model in eval mode, descriptor)."""
    with open(os.path.join(fixture_dir, "resnet.json")) as f:
        descriptor = json.load(f)
    with camkit_export.quiet_jit():
        scripted = torch.jit.load(os.path.join(fixture_dir, descriptor["file"]))
    state = {k[len("model."):]: v for k, v in scripted.state_dict().items()}
    model = fixtures.TinyResNet(classes=len(descriptor["labels"]))
    model.load_state_dict(state)  # strict: every eager parameter and buffer comes from the fixture
    return model.eval(), descriptor


def module_of(descriptor_layer, model):
    """The eager module of a camkit layer name ('layer3', 'blocks_1' -> blocks.1)."""
    names = {name.replace(".", "_"): m for name, m in model.named_modules() if name}
    return names[descriptor_layer]


def forward_backward(model, layer, x, target=None):
    """Forward with hooks on layer, backward of the target class (top class per image when None).

    Returns (activations [N,C,h,w], gradients [N,C,h,w], output)."""
    kept = {}

    def keep(module, inputs, output):
        if not output.requires_grad:  # frozen parameters: the backward starts here, like camkit's split
            output.requires_grad_(True)
        kept["activations"] = output
        output.register_hook(lambda grad: kept.__setitem__("gradients", grad))

    handle = layer.register_forward_hook(keep)
    try:
        out = model(x)
    finally:
        handle.remove()
    classes = out.detach().argmax(dim=1) if target is None else torch.full((x.shape[0],), target)
    out.gather(1, classes[:, None]).sum().backward()
    return kept["activations"].detach(), kept["gradients"], out.detach()


def _min_max(cam):
    cam = cam - cam.amin(dim=(2, 3), keepdim=True)
    return cam / (1e-7 + cam.amax(dim=(2, 3), keepdim=True))


def grad_cam(activations, gradients, size):
    """Grad-CAM from a layer's activations and gradients: (map at layer resolution, map at size), both [N,h,w]."""
    weights = gradients.mean(dim=(2, 3), keepdim=True)
    cam = _min_max(torch.relu((weights * activations).sum(dim=1, keepdim=True)))
    resized = F.interpolate(cam, size=size, mode="bilinear", align_corners=False)
    return cam[:, 0], _min_max(torch.relu(resized))[:, 0]


def bench_input(size, batch):
    rng = np.random.default_rng(7)
    images = [fixtures.shape_image(rng, c % 10, size=size) for c in range(batch)]
    return torch.from_numpy(fixtures.normalize(images, fixtures.RESNET_MEAN, fixtures.RESNET_STD))


def _median_ms(fn, warmup, iterations):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(iterations):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def run(fixture_dir=DEFAULT_FIXTURES, size=224, threads=1, iterations=20, warmup=3, batch=1, layer=None,
        param_grads=False, network="resnet"):
    torch.set_num_threads(threads)
    if network == "resnet18":
        import resnet18
        model, default_layer = resnet18.build_model(), "layer4"
    else:
        model, descriptor = load_resnet(fixture_dir)
        default_layer = descriptor["defaultLayer"]
    layer_name = layer or default_layer
    module = module_of(layer_name, model)
    for p in model.parameters():
        p.requires_grad_(param_grads)
    x = bench_input(size, batch)

    def fb():
        model.zero_grad(set_to_none=True)
        return forward_backward(model, module, x)

    def cam():
        a, g, _ = fb()
        return grad_cam(a, g, (size, size))

    return {
        "pytorch_gradcam_ms": round(_median_ms(cam, warmup, iterations), 3),
        "pytorch_forward_backward_ms": round(_median_ms(fb, warmup, iterations), 3),
        "threads": threads,
        "size": size,
        "batch": batch,
        "layer": layer_name,
        "iterations": iterations,
        "param_grads": param_grads,
        "network": network,
        "torch": torch.__version__,
    }


def main(argv=None):
    p = argparse.ArgumentParser(description="Times Grad-CAM on the resnet fixture or ResNet-18 in PyTorch (eager, "
                                "hooks).")
    p.add_argument("--fixtures", default=DEFAULT_FIXTURES, help="folder with resnet.pt/.json")
    p.add_argument("--size", type=int, default=224, help="input height and width (default 224)")
    p.add_argument("--threads", type=int, default=1, help="torch.set_num_threads (default 1)")
    p.add_argument("--iterations", type=int, default=20, help="timed iterations (default 20)")
    p.add_argument("--warmup", type=int, default=3, help="untimed iterations first (default 3)")
    p.add_argument("--batch", type=int, default=1, help="images per explain (default 1)")
    p.add_argument("--layer", help="camkit layer name (default: the descriptor's defaultLayer)")
    p.add_argument("--network", default="resnet", choices=["resnet", "resnet18"],
                   help="the resnet fixture (default) or ResNet-18 with random weights (resnet18.py)")
    p.add_argument("--param-grads", action="store_true",
                   help="keep parameters trainable (pytorch-grad-cam's default): backward through the whole net")
    a = p.parse_args(argv)
    print(json.dumps(run(a.fixtures, a.size, a.threads, a.iterations, a.warmup, a.batch, a.layer, a.param_grads,
                         a.network)))


if __name__ == "__main__":
    main()
