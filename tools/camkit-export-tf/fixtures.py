"""Generates camkit's TensorFlow fixtures and their references (fixtures/tensorflow/ at the repository root).

Two Keras models, exported with camkit_export_tf as SavedModel directories plus descriptors:

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
  against the eager PyTorch model on one random 224x224 input within 1e-4 relative). Needs torch too.

References per model in reference/<name>/: input.npy [2,H,W,3] (preprocessed, NHWC), output.npy, seed.npy
(d score / d output), activations-<L>.npy and gradients-<L>.npy (NHWC, the gradient of sum(seed * output)),
computed on the Keras model in eager mode (not with the SavedModel), and meta.json {"target", "layers"}. The resnet
fixture reuses the TorchScript fixture's input (transposed to NHWC), seed and target.

Usage: python fixtures.py [--out DIR] [--only cnn|resnet|resnet224]   (default: <repo>/fixtures/tensorflow, all)
"""

import argparse
import importlib.util
import json
import os
import sys
import time

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


def write_fixture(out_dir, name, model, layers, x, seed, target, **export_args):
    """Exports model to out_dir/<name>/ (SavedModel) + <name>.json and writes reference/<name>/."""
    descriptor = camkit_export_tf.export_model(model, layers, os.path.join(out_dir, name), name=name, example=x,
                                               **export_args)
    ref_dir = os.path.join(out_dir, "reference", name)
    os.makedirs(ref_dir, exist_ok=True)
    for key, value in references(model, x, layers, seed).items():
        np.save(os.path.join(ref_dir, key + ".npy"), np.ascontiguousarray(value, dtype="<f4"))
    with open(os.path.join(ref_dir, "meta.json"), "w") as f:
        json.dump({"target": target, "layers": descriptor["properties"]["layers"].split(",")}, f, indent=2)
        f.write("\n")
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


FIXTURES = {"cnn": write_cnn, "resnet": write_resnet, "resnet224": write_resnet224}


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
    if total > 3 * 1024 * 1024:
        raise SystemExit("fixtures exceed 3 MB (%d bytes)" % total)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Generates camkit's TensorFlow fixtures and references.")
    parser.add_argument("--out", default=DEFAULT_OUT, help="output folder (default: <repo>/fixtures/tensorflow)")
    parser.add_argument("--only", choices=list(FIXTURES), help="generate one fixture only")
    args = parser.parse_args()
    generate(os.path.normpath(args.out), (args.only,) if args.only else tuple(FIXTURES))
