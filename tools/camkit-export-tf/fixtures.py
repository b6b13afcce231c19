"""Generates camkit's TensorFlow fixtures and their references (fixtures/tensorflow/ at the repository root).

Keras models, exported with camkit_export_tf as SavedModel directories plus descriptors:

- cnn: a small seeded Keras CNN (conv - batch norm - ReLU - max pool - conv - ReLU - global average pool - dropout -
  dense), 32x32, 5 colour classes, briefly trained on synthetic images of coloured squares; layers relu2, relu1
  (default relu2);
- resnet: the SAME network and weights as the PyTorch fixture fixtures/torchscript/resnet.pt (camkit-export's
  TinyResNet), rebuilt in Keras (NHWC; conv kernels OIHW -> HWIO, batch norm gamma/beta/moving mean/variance and
  its eps, linear [out, in] -> [in, out]); layers layer3, layer1, layer2 (default layer3). The generator checks
  that its logits equal the PyTorch reference (reference/resnet/output.npy of the TorchScript fixture) for the same
  input within 1e-4 relative. This one needs torch (to read resnet.pt);
- resnet224: the same Keras network and weights with a 224x224 input (the SavedModel's signatures have a static
  input shape), for cam:bench --network resnet; layer layer3 only, no references (the generator checks its logits
  against the eager PyTorch model on one random 224x224 input within 1e-4 relative). Needs torch too;
- detector: the SAME network and weights as the PyTorch detector models/demo-detector.pt (camkit-export's
  TinyDetector), rebuilt in Keras with the box decoding and the sigmoids inside (DetectionDecode): [N, 112, 112, 3]
  -> [N, 196, 8] rows in the PyTorch row order (y * 14 + x), exported with detection settings; layers stage3,
  stage2 (default stage3, as detector.LAYERS). The weights and the eager PyTorch outputs come from
  torch_detector.py, run in a Python with torch (camkit-export's venv, or $CAMKIT_TORCH_PYTHON); the generator
  checks outputs and both layers' activations on the PyTorch references' 4 held-out scenes and 2 random inputs,
  and the default layer's gradients against the PyTorch references', within 1e-4 relative.

References per model in reference/<name>/: input.npy [2,H,W,3] (preprocessed, NHWC), output.npy, seed.npy
(d score / d output), activations-<L>.npy and gradients-<L>.npy (NHWC, the gradient of sum(seed * output)),
computed on the Keras model in eager mode (not with the SavedModel), and meta.json {"target", "layers"}. The resnet
fixture reuses the TorchScript fixture's input (transposed to NHWC), seed and target. The detector's references are
on the scene PNGs of fixtures/torchscript/reference/detector (meta.json "images"; no input.npy), for its default
layer only, with the seed of camkit's 'detection' target (the PyTorch references' top seed).

Usage: python fixtures.py [--out DIR] [--only cnn|resnet|resnet224|detector]   (default: <repo>/fixtures/tensorflow,
all)
"""

import argparse
import importlib.util
import json
import os
import struct
import subprocess
import sys
import tempfile
import time
import zlib

import camkit_export_tf  # noqa: F401  (sets TF's log level before TensorFlow is imported)
import keras
import numpy as np
import tensorflow as tf

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
DEFAULT_OUT = os.path.join(REPO, "fixtures", "tensorflow")
TORCH_FIXTURES = os.path.join(REPO, "fixtures", "torchscript")
TORCH_TOOL = os.path.join(REPO, "tools", "camkit-export")

COLOURS = [(0.9, 0.1, 0.1), (0.1, 0.8, 0.1), (0.15, 0.25, 0.95), (0.95, 0.9, 0.1), (0.85, 0.1, 0.85)]
COLOUR_NAMES = ["red", "green", "blue", "yellow", "magenta"]
CNN_SIZE = 32
CNN_MEAN, CNN_STD = (0.5, 0.5, 0.5), (0.25, 0.25, 0.25)
CNN_LAYERS = ["relu2", "relu1"]
RESNET_LAYERS = ["layer3", "layer1", "layer2"]
BENCH_SIZE = 224  # resnet224: the input size of cam:bench --network resnet
RESNET_RTOL = 1e-4  # Keras logits vs the PyTorch reference: max |difference| / max |PyTorch logit|
FIXTURES_LIMIT = int(4.25 * 2 ** 20)  # bytes under fixtures/tensorflow; tests/test_fixtures.py checks it too
DETECTOR_PT = os.path.join(REPO, "models", "demo-detector.pt")
DETECTOR_REFERENCE = os.path.join(TORCH_FIXTURES, "reference", "detector")  # scene PNGs, PyTorch references
DETECTOR_LAYERS = ["stage3", "stage2"]  # detector.LAYERS (torch_detector.py's dump says them): the default first
DETECTOR_SIZE, DETECTOR_STRIDE, DETECTOR_ANCHOR = 112, 8, 32.0
DETECTOR_RTOL = 1e-4  # Keras vs PyTorch (eager, and its references): max |difference| / max |PyTorch value|


# ---------------------------------------------------------------------------------------------- cnn


def cnn(classes=5, size=CNN_SIZE):
    """Factory for camkit_export_tf --factory fixtures:cnn (seeded, untrained)."""
    keras.utils.set_random_seed(7)
    layers = keras.layers
    image = keras.Input((size, size, 3), name="image")
    x = layers.Conv2D(16, 3, padding="same", use_bias=False, name="conv1")(image)
    x = layers.BatchNormalization(name="bn1")(x)
    x = layers.ReLU(name="relu1")(x)
    x = layers.MaxPooling2D(2, name="pool1")(x)
    x = layers.Conv2D(32, 3, padding="same", name="conv2")(x)
    x = layers.ReLU(name="relu2")(x)
    x = layers.GlobalAveragePooling2D(name="gap")(x)
    x = layers.Dropout(0.2, name="dropout")(x)
    return keras.Model(image, layers.Dense(classes, name="fc")(x), name="cnn")


def colour_image(rng, cls, size=CNN_SIZE):
    """An NHWC image in [0, 1]: a square of colour cls on a noisy grey-ish background."""
    img = np.clip(rng.uniform(0.3, 0.6, size=(1, 1, 3)) + rng.normal(0, 0.08, size=(size, size, 3)), 0, 1)
    side = int(rng.integers(8, 15))
    y, x = rng.integers(0, size - side, size=2)
    img[y:y + side, x:x + side] = COLOURS[cls]
    return img.astype(np.float32)


def normalize(images, mean, std):
    return ((np.stack(images) - np.asarray(mean, np.float32)) / np.asarray(std, np.float32)).astype(np.float32)


def train_cnn(steps=150, batch=32):
    model = cnn()
    rng = np.random.default_rng(21)
    ys = rng.integers(0, len(COLOURS), size=steps * batch)
    xs = normalize([colour_image(rng, int(c)) for c in ys], CNN_MEAN, CNN_STD)
    model.compile(optimizer=keras.optimizers.Adam(3e-3),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    history = model.fit(xs, ys, batch_size=batch, epochs=1, shuffle=False, verbose=0)
    return model, history.history["loss"][-1], history.history["accuracy"][-1]


def cnn_inputs():
    rng = np.random.default_rng(201)
    return normalize([colour_image(rng, 1), colour_image(rng, 4)], CNN_MEAN, CNN_STD)


# ---------------------------------------------------------------------------------------------- resnet


def _conv3x3(x, filters, stride, name):
    """PyTorch's Conv2d(k=3, padding=1): Keras 'same' pads asymmetrically when the stride is 2, so pad explicitly."""
    if stride == 1:
        return keras.layers.Conv2D(filters, 3, padding="same", use_bias=False, name=name)(x)
    x = keras.layers.ZeroPadding2D(1, name=name + "_pad")(x)
    return keras.layers.Conv2D(filters, 3, strides=stride, padding="valid", use_bias=False, name=name)(x)


def _block(x, cin, cout, stride, name, eps):
    """camkit-export's BasicBlock; Keras layer names are the PyTorch module paths with '.' -> '_'; the block's
    output (the ReLU after the add) carries the stage's name, so the cut 'layerN' is PyTorch's layerN output."""
    p = name + "_0_"
    y = _conv3x3(x, cout, stride, p + "conv1")
    y = keras.layers.BatchNormalization(epsilon=eps, name=p + "bn1")(y)
    y = keras.layers.ReLU(name=p + "relu1")(y)
    y = _conv3x3(y, cout, 1, p + "conv2")
    y = keras.layers.BatchNormalization(epsilon=eps, name=p + "bn2")(y)
    if stride != 1 or cin != cout:
        s = keras.layers.Conv2D(cout, 1, strides=stride, use_bias=False, name=p + "shortcut_0")(x)
        s = keras.layers.BatchNormalization(epsilon=eps, name=p + "shortcut_1")(s)
    else:
        s = x
    return keras.layers.ReLU(name=name)(keras.layers.Add(name=p + "add")([y, s]))


def tiny_resnet(classes=10, size=64, eps=1e-5):
    """camkit-export's TinyResNet in Keras, NHWC (untrained; convert_resnet loads the PyTorch weights)."""
    image = keras.Input((size, size, 3), name="image")
    x = _conv3x3(image, 16, 2, "stem_0")
    x = keras.layers.BatchNormalization(epsilon=eps, name="stem_1")(x)
    x = keras.layers.ReLU(name="stem_2")(x)
    x = _block(x, 16, 16, 1, "layer1", eps)
    x = _block(x, 16, 32, 2, "layer2", eps)
    x = _block(x, 32, 64, 2, "layer3", eps)
    x = keras.layers.GlobalAveragePooling2D(name="pool")(x)
    return keras.Model(image, keras.layers.Dense(classes, name="fc")(x), name="resnet")


def _torch_fixtures_module():
    """tools/camkit-export/fixtures.py (TinyResNet), loaded under another name: this file is 'fixtures' too."""
    if TORCH_TOOL not in sys.path:
        sys.path.insert(0, TORCH_TOOL)
    spec = importlib.util.spec_from_file_location("camkit_export_fixtures", os.path.join(TORCH_TOOL, "fixtures.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pytorch_resnet(path=os.path.join(TORCH_FIXTURES, "resnet.pt")):
    """The eager TinyResNet with the state_dict of the TorchScript fixture ('model.' prefix dropped)."""
    import torch

    state = {k[len("model."):]: v for k, v in torch.jit.load(path, map_location="cpu").state_dict().items()}
    model = _torch_fixtures_module().TinyResNet()
    model.load_state_dict(state)  # strict: every parameter and buffer of TinyResNet, nothing else
    return model.eval()


def convert_resnet(torch_model, size=64):
    """A Keras tiny_resnet for size x size inputs holding torch_model's weights: each PyTorch Conv2d / BatchNorm2d /
    Linear goes to the Keras layer of the same path ('.' -> '_')."""
    import torch.nn as nn

    eps = {m.eps for m in torch_model.modules() if isinstance(m, nn.BatchNorm2d)}
    if len(eps) != 1:
        raise SystemExit("resnet: batch norms with different eps %s; tiny_resnet uses one" % sorted(eps))
    model = tiny_resnet(classes=torch_model.fc.out_features, size=size, eps=eps.pop())
    converted = set()
    for name, m in torch_model.named_modules():
        if isinstance(m, nn.Conv2d):
            if m.bias is not None:
                raise SystemExit("resnet: conv %s has a bias; tiny_resnet's convs have none" % name)
            weights = [m.weight.detach().numpy().transpose(2, 3, 1, 0)]  # OIHW -> HWIO
        elif isinstance(m, nn.BatchNorm2d):
            weights = [t.detach().numpy() for t in (m.weight, m.bias, m.running_mean, m.running_var)]
        elif isinstance(m, nn.Linear):
            weights = [m.weight.detach().numpy().T, m.bias.detach().numpy()]  # [out, in] -> [in, out]
        else:
            continue
        layer = model.get_layer(name.replace(".", "_"))
        layer.set_weights(weights)
        converted.add(layer.name)
    missing = [layer.name for layer in model.layers if layer.weights and layer.name not in converted]
    if missing:
        raise SystemExit("resnet: Keras layers without PyTorch weights: %s" % ", ".join(missing))
    return model


def relative_difference(got, want):
    """max |got - want| / max |want|: the agreement measure for logits."""
    return float(np.max(np.abs(got - want)) / np.max(np.abs(want)))


# ---------------------------------------------------------------------------------------------- detector


class DetectionDecode(keras.layers.Layer):
    """TinyDetector.decode of camkit-export's detector.py: head rows [N, K, 4 + 1 + C] (tx, ty, tw, th,
    objectness, class logits; row = y * grid + x) -> x0, y0, x1, y1 in input pixels, sigmoid(objectness),
    sigmoid(each class logit). centre = (cell + sigmoid(tx, ty)) * stride, half size = exp(clip(tw|th, -4, 4)) *
    anchor / 2. The cells [1, K, 2] (x, y per row) are a non-trainable weight: convert_detector copies PyTorch's
    buffer."""

    def __init__(self, grid, stride, anchor, **kwargs):
        super().__init__(**kwargs)
        self.grid, self.stride, self.anchor = int(grid), float(stride), float(anchor)

    def build(self, input_shape):
        ys, xs = np.meshgrid(np.arange(self.grid), np.arange(self.grid), indexing="ij")
        cells = np.stack([xs.ravel(), ys.ravel()], 1)[None].astype(np.float32)
        self.cells = self.add_weight(shape=cells.shape, initializer=keras.initializers.Constant(cells),
                                     trainable=False, name="cells")

    def call(self, rows):
        ops = keras.ops
        centre = (self.cells + ops.sigmoid(rows[..., 0:2])) * self.stride
        half = ops.exp(ops.clip(rows[..., 2:4], -4.0, 4.0)) * (self.anchor / 2)
        return ops.concatenate([centre - half, centre + half, ops.sigmoid(rows[..., 4:])], axis=-1)

    def get_config(self):
        return {**super().get_config(), "grid": self.grid, "stride": self.stride, "anchor": self.anchor}


def _conv_bn_relu(x, filters, stride, dilation, stage, index, eps, relu_name=None):
    """PyTorch's Conv2d(3, stride, padding=dilation, dilation, bias=False) - BatchNorm2d - ReLU as the modules
    stage.index, stage.index+1, stage.index+2 ('.' -> '_')."""
    name = "%s_%d" % (stage, index)
    if stride == 1:
        x = keras.layers.Conv2D(filters, 3, padding="same", dilation_rate=dilation, use_bias=False, name=name)(x)
    else:  # Keras 'same' pads only bottom/right at stride 2
        x = keras.layers.ZeroPadding2D(dilation, name=name + "_pad")(x)
        x = keras.layers.Conv2D(filters, 3, strides=stride, dilation_rate=dilation, use_bias=False, name=name)(x)
    x = keras.layers.BatchNormalization(epsilon=eps, name="%s_%d" % (stage, index + 1))(x)
    return keras.layers.ReLU(name=relu_name or "%s_%d" % (stage, index + 2))(x)


def tiny_detector(classes=3, size=DETECTOR_SIZE, eps=1e-5, stride=DETECTOR_STRIDE, anchor=DETECTOR_ANCHOR):
    """camkit-export's TinyDetector in Keras, NHWC: [N, size, size, 3] -> [N, (size / 8)^2, 4 + 1 + classes]
    (untrained; convert_detector loads the PyTorch weights). Each stage's last ReLU carries the stage's name, so the
    cuts 'stage1', 'stage2' and 'stage3' are PyTorch's stage outputs; the 1x1 conv is PyTorch's 'predict'."""
    stages = [("stem", [(16, 2, 1), (16, 1, 1)]), ("stage1", [(32, 2, 1), (32, 1, 1)]),
              ("stage2", [(48, 2, 1), (48, 1, 1), (48, 1, 2)]), ("stage3", [(48, 1, 1)])]
    image = keras.Input((size, size, 3), name="image")
    x = image
    for stage, convs in stages:
        for i, (filters, conv_stride, dilation) in enumerate(convs):
            last = i == len(convs) - 1 and stage.startswith("stage")
            x = _conv_bn_relu(x, filters, conv_stride, dilation, stage, 3 * i, eps, stage if last else None)
    x = keras.layers.Conv2D(4 + 1 + classes, 1, name="predict")(x)
    grid = int(size // stride)
    x = keras.layers.Reshape((grid * grid, 4 + 1 + classes), name="rows")(x)  # NHWC: row = y * grid + x
    return keras.Model(image, DetectionDecode(grid, stride, anchor, name="decode")(x), name="detector")


def convert_detector(dump, size=DETECTOR_SIZE):
    """A Keras tiny_detector holding the weights of torch_detector.py's dump: each PyTorch Conv2d / BatchNorm2d
    goes to the Keras layer of the same path ('.' -> '_'), the grid buffer 'cells' to the decode layer."""
    state = {k[len("state/"):]: v for k, v in dump.items() if k.startswith("state/")}
    if len(dump["eps"]) != 1:
        raise SystemExit("detector: batch norms with different eps %s; tiny_detector uses one" % list(dump["eps"]))
    classes = state["predict.weight"].shape[0] - 5
    model = tiny_detector(classes, size, float(dump["eps"][0]), float(dump["stride"]), float(dump["anchor"]))
    modules = sorted({k.rsplit(".", 1)[0] for k in state if "." in k})
    converted, used = set(), set()
    for module in modules:
        keys = {k.rsplit(".", 1)[1]: k for k in state if k.rsplit(".", 1)[0] == module}
        if "running_mean" in keys:  # BatchNorm2d (num_batches_tracked is training state)
            weights = [state[keys[k]] for k in ("weight", "bias", "running_mean", "running_var")]
            used.update(keys.values())
        elif "weight" in keys and state[keys["weight"]].ndim == 4:  # Conv2d
            weights = [state[keys["weight"]].transpose(2, 3, 1, 0)]  # OIHW -> HWIO
            weights += [state[keys["bias"]]] if "bias" in keys else []
            used.update(keys.values())
        else:
            continue
        layer = model.get_layer(module.replace(".", "_"))
        layer.set_weights(weights)
        converted.add(layer.name)
    model.get_layer("decode").set_weights([state["cells"]])
    converted.add("decode")
    used.add("cells")
    unused = sorted(k for k in state if k not in used and not k.endswith("num_batches_tracked"))
    missing = [layer.name for layer in model.layers if layer.weights and layer.name not in converted]
    if unused or missing:
        raise SystemExit("detector: PyTorch entries without a Keras layer: %s; Keras layers without PyTorch "
                         "weights: %s" % (", ".join(unused) or "none", ", ".join(missing) or "none"))
    return model


def torch_python():
    """A Python that has torch: $CAMKIT_TORCH_PYTHON, this one if it has torch, else camkit-export's venv."""
    if os.environ.get("CAMKIT_TORCH_PYTHON"):
        return os.environ["CAMKIT_TORCH_PYTHON"]
    if importlib.util.find_spec("torch") is not None:
        return sys.executable
    venv = os.path.join(TORCH_TOOL, "target", "venv", "bin", "python")
    if os.path.exists(venv):
        return venv
    raise SystemExit("detector: reading %s needs torch, which this Python lacks: create %s (camkit-export's "
                     "venv) or set CAMKIT_TORCH_PYTHON to a Python with torch and numpy" % (DETECTOR_PT, venv))


def torch_detector_dump(x_nchw):
    """torch_detector.py's .npz (weights, eager outputs and stage activations on x_nchw), run in torch_python()."""
    with tempfile.TemporaryDirectory() as tmp:
        inputs, out = os.path.join(tmp, "inputs.npz"), os.path.join(tmp, "dump.npz")
        np.savez(inputs, x=x_nchw)
        subprocess.run([torch_python(), os.path.join(HERE, "torch_detector.py"), inputs, out, "--model",
                        DETECTOR_PT], check=True)
        with np.load(out) as dump:
            return {k: dump[k] for k in dump.files}


def read_png_rgb(path):
    """An 8-bit RGB non-interlaced PNG (what camkit's demo writes) as uint8 [H, W, 3]; zlib and numpy only."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("%s is not a PNG" % path)
    pos, idat, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", data[pos + 8:pos + 21])
        elif kind == b"IDAT":
            idat.append(data[pos + 8:pos + 8 + length])
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if (depth, colour, interlace) != (8, 2, 0):
        raise ValueError("%s: only 8-bit RGB non-interlaced PNGs are read here" % path)
    stride = width * 3
    raw = np.frombuffer(zlib.decompress(b"".join(idat)), dtype=np.uint8).reshape(height, 1 + stride)
    out = np.zeros((height, stride), dtype=np.uint8)
    previous = np.zeros(stride, dtype=np.int32)
    for y in range(height):
        kind, line = int(raw[y, 0]), raw[y, 1:].astype(np.int32)
        if kind == 0:  # None
            row = line
        elif kind == 2:  # Up
            row = (line + previous) & 255
        else:  # Sub, Average, Paeth: each byte needs the reconstructed byte 3 to its left
            row = np.zeros(stride, dtype=np.int32)
            for i in range(stride):
                a = int(row[i - 3]) if i >= 3 else 0
                b = int(previous[i])
                c = int(previous[i - 3]) if i >= 3 else 0
                if kind == 1:
                    p = a
                elif kind == 3:
                    p = (a + b) // 2
                elif kind == 4:
                    pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                    p = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                else:
                    raise ValueError("%s: unknown PNG filter %d" % (path, kind))
                row[i] = (int(line[i]) + p) & 255
        out[y] = row
        previous = row
    return out.reshape(height, width, 3)


def detector_scene_names():
    """The scenes of the PyTorch detector references in their meta.json's order: ["scene-002", ...]."""
    with open(os.path.join(DETECTOR_REFERENCE, "meta.json")) as f:
        return [os.path.splitext(scene["image"])[0] for scene in json.load(f)["scenes"]]


def detector_scenes(mean, std, names=None):
    """The PyTorch detector references' held-out scenes (names: all of them), preprocessed as camkit does:
    [N, 112, 112, 3] NHWC."""
    pixels = [read_png_rgb(os.path.join(DETECTOR_REFERENCE, name + ".png"))
              for name in names or detector_scene_names()]
    return normalize([p.astype(np.float32) / np.float32(255) for p in pixels], mean, std)


def torch_detector_references(names, suffix):
    """The PyTorch detector references' <scene>-<suffix>.npy of the scenes, concatenated (NCHW as written)."""
    return np.concatenate([np.load(os.path.join(DETECTOR_REFERENCE, "%s-%s.npy" % (name, suffix)))
                           for name in names])


def top_detection_seed(output):
    """d score / d output of score = objectness * max class probability of each image's top row (camkit's
    'detection' target on its own output: the IoU term's gradient cancels there, see camkit-export's README)."""
    seed = np.zeros(output.shape, dtype=np.float32)
    for n, rows in enumerate(output):
        probs = rows[:, 5:]
        row = int(np.argmax(rows[:, 4] * probs.max(axis=1)))
        cls = int(np.argmax(probs[row]))
        seed[n, row, 4] = probs[row, cls]
        seed[n, row, 5 + cls] = rows[row, 4]
    return seed


def write_detector(out_dir):
    with open(os.path.splitext(DETECTOR_PT)[0] + ".json") as f:
        torch_descriptor = json.load(f)
    names = detector_scene_names()
    scenes = detector_scenes(torch_descriptor["mean"], torch_descriptor["std"], names)
    noise = np.random.default_rng(112).standard_normal((2, DETECTOR_SIZE, DETECTOR_SIZE, 3)).astype(np.float32)
    x = np.concatenate([scenes, noise])
    dump = torch_detector_dump(np.ascontiguousarray(x.transpose(0, 3, 1, 2)))  # NHWC -> NCHW
    if [str(layer) for layer in dump["layers"]] != DETECTOR_LAYERS:
        raise SystemExit("detector: %s exports the layers %s, this generator %s: update DETECTOR_LAYERS and "
                         "tiny_detector" % (DETECTOR_PT, list(dump["layers"]), DETECTOR_LAYERS))
    if relative_difference(dump["scripted"], dump["output"]) > 1e-5:
        raise SystemExit("detector: the eager TinyDetector with %s's weights differs from the TorchScript file by "
                         "%.3g relative" % (DETECTOR_PT, relative_difference(dump["scripted"], dump["output"])))
    model = convert_detector(dump)
    layers = [camkit_export_tf.signature_suffix(layer) for layer in DETECTOR_LAYERS]
    probe = keras.Model(model.inputs, [model.get_layer(layer).output for layer in layers] + list(model.outputs))
    *acts, out = (t.numpy() for t in probe(tf.constant(x), training=False))
    measured = {"output": relative_difference(out, dump["output"])}
    for layer, a in zip(layers, acts):
        measured[layer] = relative_difference(a, dump["activations-" + layer].transpose(0, 2, 3, 1))
    for what, diff in measured.items():
        if not diff <= DETECTOR_RTOL:
            raise SystemExit("detector: Keras %s differs from the eager PyTorch model by %.3g relative (> %g) on the "
                             "scenes and 2 random inputs: the conversion is wrong" % (what, diff, DETECTOR_RTOL))

    # references on the held-out scenes, for the default layer, with the PyTorch references' 'detection' seed
    layer = layers[0]
    seed = top_detection_seed(out[:len(scenes)])
    torch_seed = torch_detector_references(names, "top-seed")
    if np.any((seed != 0) != (torch_seed != 0)):
        raise SystemExit("detector: the top-row seed is not where the PyTorch references' 'detection' seed is (another "
                         "top row or label): the conversion is wrong")
    arrays = references(model, scenes, [layer], seed)
    del arrays["input"]  # 602 KB: the scene PNGs are the input, as in PyTorch's references
    against = {"output": (arrays["output"], torch_detector_references(names, "output")),
               "seed": (seed, torch_seed),
               layer: (arrays["activations-" + layer], torch_detector_references(names, "activations-" + layer)),
               layer + " gradients": (arrays["gradients-" + layer],
                                      torch_detector_references(names, "top-gradients-" + layer))}
    versus = {}
    for what, (got, want) in against.items():
        versus[what] = relative_difference(got, want.transpose(0, 2, 3, 1) if want.ndim == 4 else want)
        if not versus[what] <= DETECTOR_RTOL:
            raise SystemExit("detector: the Keras %s differs from the PyTorch references' by %.3g relative (> %g)"
                             % (what, versus[what], DETECTOR_RTOL))
    properties = {k: v for k, v in torch_descriptor["properties"].items() if k != "layers"}
    properties["convertedFrom"] = "models/demo-detector.pt (tools/camkit-export-tf/fixtures.py)"
    camkit_export_tf.export_model(model, DETECTOR_LAYERS, os.path.join(out_dir, "detector"), name="detector",
                                  example=scenes, labels=torch_descriptor["labels"], mean=torch_descriptor["mean"],
                                  std=torch_descriptor["std"], channel_order=torch_descriptor["channelOrder"],
                                  detection=torch_descriptor["detection"], properties=properties)
    write_references(out_dir, "detector", arrays, {
        "target": "detection", "layers": [layer],
        "images": [os.path.relpath(os.path.join(DETECTOR_REFERENCE, name + ".png"), REPO) for name in names],
        "input": "each image read as RGB uint8, float32 (v / 255 - mean) / std with the descriptor's mean and std, "
                 "stacked NHWC [%d, %d, %d, 3]" % (len(names), DETECTOR_SIZE, DETECTOR_SIZE),
        "seed": "d (objectness * max class probability of each image's top row) / d output: camkit's 'detection' "
                "target on the unperturbed output; the PyTorch references' <scene>-top-seed.npy"})
    abs_out = float(np.max(np.abs(out - dump["output"])))
    return ("Keras vs eager PyTorch on %d scenes + 2 random inputs: output %.2e relative (max abs %.2e), "
            "activations %s; references vs the PyTorch references' on the scenes: %s"
            % (len(names), measured["output"], abs_out, ", ".join("%s %.2e" % (k, measured[k]) for k in layers),
               ", ".join("%s %.2e" % kv for kv in versus.items())))


# ---------------------------------------------------------------------------------------------- references


def class_seed(output, cls):
    """One-hot d score / d output for every image: pytorch-grad-cam's ClassifierOutputTarget(cls)."""
    seed = np.zeros(output.shape, dtype=np.float32)
    seed[:, cls] = 1
    return seed


def references(model, x, layers, seed):
    """Eager forward of one model with the layers as extra outputs, tape gradient of sum(seed * output) w.r.t.
    each layer's output (no cut: the reference for the exported signatures)."""
    probe = keras.Model(model.inputs, [model.get_layer(layer).output for layer in layers] + list(model.outputs))
    with tf.GradientTape() as tape:
        *acts, out = probe(tf.constant(x), training=False)
        score = tf.reduce_sum(tf.constant(seed) * out)
    grads = tape.gradient(score, acts)
    arrays = {"input": x, "output": out.numpy(), "seed": seed}
    for layer, a, g in zip(layers, acts, grads):
        arrays["activations-" + camkit_export_tf.signature_suffix(layer)] = a.numpy()
        arrays["gradients-" + camkit_export_tf.signature_suffix(layer)] = g.numpy()
    return arrays


def write_references(out_dir, name, arrays, meta):
    """reference/<name>/: each array as <key>.npy (float32, little-endian, C order) and meta.json; the .npy files of
    an earlier run that these arrays do not replace (a layer no longer exported) are removed."""
    ref_dir = os.path.join(out_dir, "reference", name)
    os.makedirs(ref_dir, exist_ok=True)
    for stale in sorted(set(os.listdir(ref_dir)) - {key + ".npy" for key in arrays}):
        if stale.endswith(".npy"):
            os.remove(os.path.join(ref_dir, stale))
    for key, value in arrays.items():
        np.save(os.path.join(ref_dir, key + ".npy"), np.ascontiguousarray(value, dtype="<f4"))
    with open(os.path.join(ref_dir, "meta.json"), "w") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")


def write_fixture(out_dir, name, model, layers, x, seed, target, **export_args):
    """Exports model to out_dir/<name>/ (SavedModel) + <name>.json and writes reference/<name>/."""
    descriptor = camkit_export_tf.export_model(model, layers, os.path.join(out_dir, name), name=name, example=x,
                                               **export_args)
    write_references(out_dir, name, references(model, x, layers, seed),
                     {"target": target, "layers": descriptor["properties"]["layers"].split(",")})
    return descriptor


def write_cnn(out_dir):
    model, loss, accuracy = train_cnn()
    x = cnn_inputs()
    cls = int(model(x, training=False).numpy()[0].argmax())
    seed = class_seed(model(x, training=False).numpy(), cls)
    write_fixture(out_dir, "cnn", model, CNN_LAYERS, x, seed, "class:%d" % cls, labels=COLOUR_NAMES,
                  mean=CNN_MEAN, std=CNN_STD)
    return "loss %.3f, accuracy %.2f, target class:%d" % (loss, accuracy, cls)


def write_resnet(out_dir):
    import torch

    ref = os.path.join(TORCH_FIXTURES, "reference", "resnet")
    x_nchw = np.load(os.path.join(ref, "input.npy"))
    torch_out = np.load(os.path.join(ref, "output.npy"))
    with open(os.path.join(ref, "meta.json")) as f:
        target = json.load(f)["target"]
    with open(os.path.join(TORCH_FIXTURES, "resnet.json")) as f:
        torch_descriptor = json.load(f)

    torch_model = pytorch_resnet()
    with torch.no_grad():
        eager = torch_model(torch.from_numpy(x_nchw)).numpy()
    if relative_difference(eager, torch_out) > 1e-6:
        raise SystemExit("resnet: the eager TinyResNet with resnet.pt's weights does not reproduce the TorchScript "
                         "reference (%.3g relative); regenerate fixtures/torchscript first"
                         % relative_difference(eager, torch_out))
    model = convert_resnet(torch_model)
    x = np.ascontiguousarray(x_nchw.transpose(0, 2, 3, 1))  # NCHW -> NHWC
    keras_out = model(x, training=False).numpy()
    agreement = relative_difference(keras_out, torch_out)
    if not agreement <= RESNET_RTOL:
        raise SystemExit("resnet: Keras logits differ from the PyTorch reference by %.3g relative (> %g): the "
                         "conversion is wrong" % (agreement, RESNET_RTOL))
    seed = np.load(os.path.join(ref, "seed.npy"))
    write_fixture(out_dir, "resnet", model, RESNET_LAYERS, x, seed, target, labels=torch_descriptor["labels"],
                  mean=torch_descriptor["mean"], std=torch_descriptor["std"],
                  channel_order=torch_descriptor["channelOrder"])
    return "Keras vs PyTorch logits: %.2e relative (max abs %.2e), target %s" % (
        agreement, float(np.max(np.abs(keras_out - torch_out))), target)


def write_resnet224(out_dir):
    """resnet224 for cam:bench --network resnet: the eager TinyResNet at 224x224, checked on one random input."""
    import torch

    with open(os.path.join(TORCH_FIXTURES, "resnet.json")) as f:
        torch_descriptor = json.load(f)
    torch_model = pytorch_resnet()
    model = convert_resnet(torch_model, size=BENCH_SIZE)
    x_nchw = np.random.default_rng(224).standard_normal((2, 3, BENCH_SIZE, BENCH_SIZE)).astype(np.float32)
    with torch.no_grad():
        torch_out = torch_model(torch.from_numpy(x_nchw)).numpy()
    x = np.ascontiguousarray(x_nchw.transpose(0, 2, 3, 1))  # NCHW -> NHWC
    keras_out = model(x, training=False).numpy()
    agreement = relative_difference(keras_out, torch_out)
    if not agreement <= RESNET_RTOL:
        raise SystemExit("resnet224: Keras logits differ from the eager PyTorch model by %.3g relative (> %g): the "
                         "conversion is wrong" % (agreement, RESNET_RTOL))
    camkit_export_tf.export_model(model, ["layer3"], os.path.join(out_dir, "resnet224"), name="resnet224",
                                  example=x, labels=torch_descriptor["labels"], mean=torch_descriptor["mean"],
                                  std=torch_descriptor["std"], channel_order=torch_descriptor["channelOrder"])
    return "Keras vs PyTorch logits at %dx%d: %.2e relative" % (BENCH_SIZE, BENCH_SIZE, agreement)


FIXTURES = {"cnn": write_cnn, "resnet": write_resnet, "resnet224": write_resnet224, "detector": write_detector}


def generate(out_dir, names=tuple(FIXTURES)):
    tf.config.threading.set_intra_op_parallelism_threads(2)
    tf.config.threading.set_inter_op_parallelism_threads(2)
    os.makedirs(out_dir, exist_ok=True)
    start = time.time()
    for name in names:
        summary = FIXTURES[name](out_dir)
        print("%s: %s (%.0f s)" % (name, summary, time.time() - start))
    total = sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(out_dir) for f in files)
    print("fixtures: %d bytes in %s" % (total, os.path.abspath(out_dir)))
    if total > FIXTURES_LIMIT:
        raise SystemExit("fixtures exceed %.1f MiB (%d bytes)" % (FIXTURES_LIMIT / 2 ** 20, total))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Generates camkit's TensorFlow fixtures and references.")
    parser.add_argument("--out", default=DEFAULT_OUT, help="output folder (default: <repo>/fixtures/tensorflow)")
    parser.add_argument("--only", choices=list(FIXTURES), help="generate one fixture only")
    args = parser.parse_args()
    generate(os.path.normpath(args.out), (args.only,) if args.only else tuple(FIXTURES))
