"""Exports a Keras 3 model as a camkit TensorFlow SavedModel (signatures per layer) plus its JSON descriptor.

The SavedModel directory (``tf.saved_model.save`` of a ``tf.Module``) holds these signatures, all on NHWC float32
images ``x`` of shape ``[None, H, W, 3]``:

- ``forward(x) -> {"output"}``
- ``input_gradients(x, seed) -> {"output", "gradients"}``: d sum(seed * output) / d x
- per exported layer ``L``: ``features_L(x) -> {"activations"}`` (the layer's output, NHWC),
  ``head_L(a) -> {"output"}`` (the model output computed from it),
  ``head_gradients_L(a, seed) -> {"output", "gradients"}``: d sum(seed * head_L(a)) / d a (back-propagates through
  the head only: with features_L it is one forward and one backward of the model) and
  ``gradients_L(x, seed) -> {"output", "activations", "gradients"}``: d sum(seed * output) / d activations.

``L`` is the Keras layer name with every character other than letters, digits and '_' replaced by '_'. The model
is cut at a layer into two functional sub-models (inputs -> layer output, layer output -> model output); a cut
that another tensor crosses (a skip connection) is refused. ``seed`` has the output's shape: [N, K] logits,
[N, H, W, K] segmentations, [N, K, 5 + C] detector rows (``--detection``). See README.md next to this file.

CLI::

    python camkit_export_tf.py --factory mypkg.models:build --weights model.weights.h5 --input 224,224 \\
        --layer conv5_block3_out --layer conv4_block6_out --labels labels.txt --output out/model
"""

import argparse
import difflib
import importlib
import json
import os
import re
import shutil
import sys
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # TensorFlow's C++ start-up chatter; errors still show

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402

ATOL = 1e-5
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
DETECTION_LAYOUTS = ("xyxy-objectness-classes",)
DETECTION_DEFAULTS = {"scoreThreshold": 0.25, "nmsIou": 0.45}
RESERVED_PROPERTIES = ("layers", "layout")  # written by the export


class ExportError(Exception):
    """A model or layer that cannot be exported; the message names the culprit and the fix."""


def signature_suffix(layer):
    """The name camkit uses for a layer: the Keras layer name with characters other than [A-Za-z0-9_] -> '_'."""
    return re.sub(r"[^A-Za-z0-9_]", "_", layer)


def signature_names(layers):
    """Every signature key an export with these layers (Keras names) writes, forward first."""
    names = ["forward", "input_gradients"]
    for layer in layers:
        s = signature_suffix(layer)
        names += ["features_" + s, "head_" + s, "head_gradients_" + s, "gradients_" + s]
    return names


# ---------------------------------------------------------------------------------------------- the graph


def _node_of(tensor):
    """The functional-graph node that produced a KerasTensor (None for a tensor without history)."""
    history = getattr(tensor, "_keras_history", None)
    if history is None or history.operation is None:
        return None
    return history.operation._inbound_nodes[history.node_index]


def _model_nodes(model):
    """The nodes the model's outputs depend on, in the order a depth-first walk from the outputs meets them."""
    seen, order, stack = set(), [], list(model.outputs)
    while stack:
        node = _node_of(stack.pop())
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        order.append(node)
        stack.extend(node.input_tensors)
    return order


def _describe(tensor):
    node = _node_of(tensor)
    if node is None or node.is_input:
        return "the model input '%s'" % (node.operation.name if node is not None else tensor.name)
    return "'%s' (%s)" % (node.operation.name, type(node.operation).__name__)


class _Graph:
    """The model's functional graph, as far as the cut analysis needs it."""

    def __init__(self, model):
        self.model = model
        self.nodes = _model_nodes(model)

    def layer_output(self, layer):
        """The single KerasTensor the named layer outputs in this model."""
        nodes = [n for n in self.nodes if n.operation is layer]
        if not nodes:
            raise ExportError("layer '%s' does not feed the model output; choose a layer on the path from the input "
                              "to the output" % layer.name)
        if len(nodes) > 1:
            raise ExportError("layer '%s' is called %d times in the model (shared weights); camkit cuts at one call. "
                              "Choose a layer that runs once" % (layer.name, len(nodes)))
        outputs = nodes[0].output_tensors
        if len(outputs) != 1:
            raise ExportError("layer '%s' returns %d tensors; choose a layer whose output is one tensor"
                              % (layer.name, len(outputs)))
        return outputs[0]

    def crossing(self, cut):
        """Tensors computed before the cut (not from it) that the model needs after it: skip connections."""
        consumers = {}
        for node in self.nodes:
            for t in node.input_tensors:
                consumers.setdefault(id(t), []).append(node)
        after_cut, stack = {id(cut)}, [cut]  # the tensors computed from the cut
        while stack:
            for node in consumers.get(id(stack.pop()), ()):
                for t in node.output_tensors:
                    if id(t) not in after_cut:
                        after_cut.add(id(t))
                        stack.append(t)

        crossing, seen, stack = [], set(), list(self.model.outputs)
        while stack:
            t = stack.pop()
            if t is cut or id(t) in seen:
                continue
            seen.add(id(t))
            if id(t) not in after_cut:
                crossing.append(t)
                continue
            stack.extend(_node_of(t).input_tensors)
        return crossing


# ---------------------------------------------------------------------------------------------- cutting


class Cut:
    """One exported layer: its Keras name, its signature suffix and the two sub-models it splits the model into."""

    def __init__(self, layer, features, head):
        self.layer = layer
        self.suffix = signature_suffix(layer)
        self.features = features
        self.head = head


def _find_layer(model, name):
    names = [layer.name for layer in model.layers]
    if name not in names:
        close = difflib.get_close_matches(name, names, n=5)
        raise ExportError("layer '%s' is not a layer of model '%s'; %s (camkit cuts at top-level layers: a layer "
                          "inside a nested model cannot be named)" % (
                              name, model.name, "did you mean: %s?" % ", ".join(close) if close
                              else "its layers are: %s" % ", ".join(names)))
    return model.get_layer(name)


def _clean_cuts(graph, model, exclude):
    """Names of layers where the model can be cut cleanly, nearest to the excluded layer's position first."""
    layers = [layer for layer in model.layers if layer.name != exclude]
    index = {layer.name: i for i, layer in enumerate(model.layers)}
    at = index[exclude]
    clean = []
    for layer in sorted(layers, key=lambda la: (abs(index[la.name] - at), -index[la.name])):
        if isinstance(layer, keras.layers.InputLayer):
            continue
        try:
            cut = graph.layer_output(layer)
        except ExportError:
            continue
        if len(cut.shape) == 4 and not graph.crossing(cut):
            clean.append(layer.name)
        if len(clean) == 2:
            break
    return clean


def cut_model(model, layer_name, graph=None):
    """Splits model at the named layer's output into features (inputs -> output of the layer) and head
    (output of the layer -> model output) sub-models; raises ExportError when another tensor crosses the cut."""
    graph = graph or _Graph(model)
    layer = _find_layer(model, layer_name)
    cut = graph.layer_output(layer)
    if len(cut.shape) != 4:
        raise ExportError("layer '%s' outputs shape %s; camkit needs [N, h, w, C] feature maps (NHWC): choose a "
                          "convolutional layer before the pooling or flattening" % (layer_name, tuple(cut.shape)))
    crossing = graph.crossing(cut)
    if crossing:
        clean = _clean_cuts(graph, model, layer_name)
        raise ExportError(
            "layer '%s' cannot be cut: after it the model also needs %s, computed before the cut (a skip connection "
            "crosses it), but head_%s receives only the layer's output. Cut where only one tensor crosses: at the "
            "output of a whole residual block (after its add), not inside it%s."
            % (layer_name, ", ".join(_describe(t) for t in crossing), signature_suffix(layer_name),
               ", e.g. --layer %s" % " or --layer ".join(clean) if clean else ""))
    features = keras.Model(model.inputs, cut, name="features_" + signature_suffix(layer_name))
    head = keras.Model(cut, model.outputs, name="head_" + signature_suffix(layer_name))
    return Cut(layer_name, features, head)


# ---------------------------------------------------------------------------------------------- SavedModel


def _one(outputs):
    """A Keras model's single output (functional models with one output may still return a one-element list)."""
    if isinstance(outputs, (list, tuple)):
        return outputs[0]
    return outputs


def _build_signatures(model, cuts, height, width):
    x_spec = tf.TensorSpec([None, height, width, 3], tf.float32, name="x")
    out_shape = [None] + list(model.outputs[0].shape[1:])
    seed_spec = tf.TensorSpec(out_shape, tf.float32, name="seed")
    signatures = {}

    @tf.function(input_signature=[x_spec])
    def forward(x):
        return {"output": _one(model(x, training=False))}

    @tf.function(input_signature=[x_spec, seed_spec])
    def input_gradients(x, seed):
        with tf.GradientTape() as tape:
            tape.watch(x)
            out = _one(model(x, training=False))
            score = tf.reduce_sum(seed * out)
        grad = tape.gradient(score, x, unconnected_gradients=tf.UnconnectedGradients.ZERO)
        return {"output": out, "gradients": grad}

    signatures["forward"] = forward
    signatures["input_gradients"] = input_gradients
    for cut in cuts:
        signatures.update(_layer_signatures(cut, x_spec, seed_spec))
    return signatures


def _layer_signatures(cut, x_spec, seed_spec):
    features, head = cut.features, cut.head
    a_spec = tf.TensorSpec([None] + list(features.outputs[0].shape[1:]), tf.float32, name="a")

    @tf.function(input_signature=[x_spec])
    def features_fn(x):
        return {"activations": _one(features(x, training=False))}

    @tf.function(input_signature=[a_spec])
    def head_fn(a):
        return {"output": _one(head(a, training=False))}

    @tf.function(input_signature=[a_spec, seed_spec])
    def head_gradients_fn(a, seed):
        with tf.GradientTape() as tape:
            tape.watch(a)
            out = _one(head(a, training=False))
            score = tf.reduce_sum(seed * out)
        grad = tape.gradient(score, a, unconnected_gradients=tf.UnconnectedGradients.ZERO)
        return {"output": out, "gradients": grad}

    @tf.function(input_signature=[x_spec, seed_spec])
    def gradients_fn(x, seed):
        a = _one(features(x, training=False))
        with tf.GradientTape() as tape:
            tape.watch(a)
            out = _one(head(a, training=False))
            score = tf.reduce_sum(seed * out)
        grad = tape.gradient(score, a, unconnected_gradients=tf.UnconnectedGradients.ZERO)
        return {"output": out, "activations": a, "gradients": grad}

    return {"features_" + cut.suffix: features_fn, "head_" + cut.suffix: head_fn,
            "head_gradients_" + cut.suffix: head_gradients_fn, "gradients_" + cut.suffix: gradients_fn}


class CamkitModule(tf.Module):
    """What is saved: the signature functions and the tf.Variables they read.

    The Keras model itself is not tracked: a tracked Keras 3 variable is saved as a second copy of its tf.Variable,
    which the functions do not read, and a TF1-style loader (TF Java's SavedModelBundle) then restores only the
    copy ("Could not find variable ..."). Tracking the functions' own variables, as Keras' model.export does, saves
    each value once, under the variable the functions read.
    """

    def __init__(self, signatures):
        super().__init__(name="camkit")
        variables, seen = [], set()
        for fn in signatures.values():
            for v in fn.get_concrete_function().variables:
                if id(v) not in seen:
                    seen.add(id(v))
                    variables.append(v)
        self.model_variables = variables
        for key, fn in signatures.items():
            setattr(self, key, fn)


def _verify(directory, model, cuts, example):
    """Reloads the SavedModel and checks every signature against the Keras model, head(features(x)) == forward and
    head_gradients(features(x)) == gradients(x)."""
    loaded = tf.saved_model.load(directory)
    sig = loaded.signatures
    other = np.concatenate([example, example[::-1] * 0.5])  # another batch size
    for x in (example, other):
        x = tf.constant(x)
        want = _one(model(x, training=False)).numpy()
        seed = np.ones(want.shape, dtype=np.float32)
        forward = sig["forward"](x=x)["output"].numpy()
        checks = [("forward", forward, want),
                  ("input_gradients output", sig["input_gradients"](x=x, seed=seed)["output"].numpy(), want)]
        for cut in cuts:
            s = cut.suffix
            acts = sig["features_" + s](x=x)["activations"]
            grads = sig["gradients_" + s](x=x, seed=seed)
            head_grads = sig["head_gradients_" + s](a=acts, seed=seed)
            checks += [("features_%s" % s, acts.numpy(), _one(cut.features(x, training=False)).numpy()),
                       ("head_%s(features_%s(x))" % (s, s), sig["head_" + s](a=acts)["output"].numpy(), forward),
                       ("gradients_%s output" % s, grads["output"].numpy(), forward),
                       ("gradients_%s activations" % s, grads["activations"].numpy(), acts.numpy()),
                       ("head_gradients_%s output" % s, head_grads["output"].numpy(), forward),
                       ("head_gradients_%s(features_%s(x)) gradients" % (s, s), head_grads["gradients"].numpy(),
                        grads["gradients"].numpy())]
        for what, got, expected in checks:
            diff = float(np.max(np.abs(got - expected))) if got.shape == expected.shape else float("inf")
            if not diff <= ATOL:
                raise ExportError("exported %s differs from the Keras model by %g (> %g) on an input of shape %s; "
                                  "the model may be non-deterministic in inference mode"
                                  % (what, diff, ATOL, list(x.shape)))


def _verify_graph_session(directory, cuts, example):
    """Runs forward, each gradients_L and each head_gradients_L in a TF1 graph session, as TF Java's
    SavedModelBundle (the C API loader) runs them, and compares with the TF2 loader: a variable the restore op misses
    fails only there."""
    sig = tf.saved_model.load(directory).signatures
    seed = np.ones(sig["forward"](x=tf.constant(example))["output"].shape, dtype=np.float32)
    inputs = {"forward": {"x": example}}  # signature key -> its inputs
    for cut in cuts:
        inputs["gradients_" + cut.suffix] = {"x": example, "seed": seed}
        acts = sig["features_" + cut.suffix](x=tf.constant(example))["activations"].numpy()
        inputs["head_gradients_" + cut.suffix] = {"a": acts, "seed": seed}
    keys = list(inputs)
    want = {}
    for key in keys:
        want[key] = {k: v.numpy() for k, v in sig[key](**{n: tf.constant(v) for n, v in inputs[key].items()}).items()}
    logger = tf.get_logger()
    level = logger.level
    logger.setLevel("ERROR")  # the TF1 loader's deprecation notice
    try:
        with tf.Graph().as_default(), tf.compat.v1.Session() as session:
            meta = tf.compat.v1.saved_model.loader.load(session, [tf.saved_model.SERVING], directory)
            for key in keys:
                definition = meta.signature_def[key]
                got = session.run({name: info.name for name, info in definition.outputs.items()},
                                  {info.name: inputs[key][name] for name, info in definition.inputs.items()})
                for name, value in got.items():
                    diff = float(np.max(np.abs(value - want[key][name])))
                    if not diff <= ATOL:
                        raise ExportError("signature %s output '%s' differs by %g between a TF1 graph session "
                                          "(how TF Java loads it) and TF2; the SavedModel would not work in camkit"
                                          % (key, name, diff))
    except tf.errors.OpError as e:
        lines = [line for line in e.message.splitlines() if line.strip() and "Graph execution error" not in line]
        raise ExportError("the SavedModel fails in a TF1 graph session (how TF Java loads it): %s"
                          % (lines[0].strip() if lines else type(e).__name__)) from e
    finally:
        logger.setLevel(level)


def _input_size(model, input_size):
    if len(model.inputs) != 1 or len(model.outputs) != 1:
        raise ExportError("model '%s' has %d inputs and %d outputs; camkit needs one image input and one output "
                          "tensor: wrap it in a functional model that has them" % (
                              model.name, len(model.inputs), len(model.outputs)))
    shape = tuple(model.inputs[0].shape)
    if len(shape) != 4 or shape[3] != 3:
        raise ExportError("model '%s' takes input shape %s; camkit needs NHWC images [N, H, W, 3] (Keras "
                          "channels_last)" % (model.name, shape))
    if input_size is None:
        if shape[1] is None or shape[2] is None:
            raise ExportError("model '%s' accepts any image size (input shape %s); give the size camkit should "
                              "resize images to with --input H,W" % (model.name, shape))
        return int(shape[1]), int(shape[2])
    height, width = (int(v) for v in input_size)
    if (shape[1] is not None and shape[1] != height) or (shape[2] is not None and shape[2] != width):
        raise ExportError("--input %d,%d does not fit model '%s', which takes input shape %s"
                          % (height, width, model.name, shape))
    return height, width


def _check_layers(model, layers):
    if not layers:
        raise ExportError("name at least one layer to export (--layer <Keras layer name>)")
    if len(set(layers)) != len(layers):
        raise ExportError("a layer is named twice: %s" % ", ".join(layers))
    suffixes = [signature_suffix(layer) for layer in layers]
    if len(set(suffixes)) != len(suffixes):
        raise ExportError("layers %s map to the same signature name after replacing characters other than "
                          "[A-Za-z0-9_] with '_'" % ", ".join(layers))
    owner = {}  # signature key -> layer: head_ + 'gradients_x' is head_gradients_ + 'x'
    for layer in layers:
        for key in signature_names([layer])[2:]:
            if key in owner:
                raise ExportError("layers '%s' and '%s' both need the signature '%s' (head_<layer> of one, "
                                  "head_gradients_<layer> of the other); export only one of them, or rename a layer"
                                  % (owner[key], layer, key))
            owner[key] = layer


def _replace_dir(built, output):
    if os.path.exists(output):
        if not os.path.isdir(output) or (os.listdir(output) and
                                         not os.path.exists(os.path.join(output, "saved_model.pb"))):
            raise ExportError("%s exists and is not a SavedModel directory; choose another --output or remove it"
                              % output)
        shutil.rmtree(output)
    os.replace(built, output)


def export_model(model, layers, output, input_size=None, labels=(), mean=IMAGENET_MEAN, std=IMAGENET_STD,
                 channel_order="RGB", name=None, example=None, detection=None, properties=None):
    """Writes the SavedModel directory ``output`` and its descriptor (``output`` + ".json"); returns the
    descriptor dict.

    ``layers`` are Keras layer names; the first is the default layer. ``input_size`` is (height, width), needed
    only when the model accepts any size. ``example`` (NHWC float32) is the input the export is checked on.
    ``detection`` marks a detector (output [N, K, 4 + 1 + classes]): a dict with "layout" (only
    "xyxy-objectness-classes"), optional "scoreThreshold" (default 0.25) and "nmsIou" (0.45); it writes
    "task": "detection" and "detection": {...} into the descriptor. ``properties`` are extra descriptor properties
    (string values; "layers" and "layout" are written by the export).
    Raises ExportError with a message naming the culprit and the fix.
    """
    if keras.backend.backend() != "tensorflow":
        raise ExportError("Keras runs on the '%s' backend; a SavedModel needs KERAS_BACKEND=tensorflow"
                          % keras.backend.backend())
    if not isinstance(model, keras.Model):
        raise ExportError("expected a keras.Model, got %s" % type(model).__name__)
    layers = list(layers)
    _check_layers(model, layers)
    height, width = _input_size(model, input_size)
    if channel_order not in ("RGB", "BGR"):
        raise ExportError("channel order must be RGB or BGR, got %s" % channel_order)
    if len(mean) != 3 or len(std) != 3:
        raise ExportError("mean and std need 3 values each")
    detection = detection_settings(detection) if detection is not None else None
    properties = {str(k): str(v) for k, v in (properties or {}).items()}
    reserved = [k for k in RESERVED_PROPERTIES if k in properties]
    if reserved:
        raise ExportError("property %s is written by the export ('layers': the exported layers, 'layout': NHWC); "
                          "choose another name" % " and ".join("'%s'" % k for k in reserved))
    labels = list(labels)
    out_shape = tuple(model.outputs[0].shape)
    if detection is not None:
        _check_detection_output(out_shape, labels)
    elif labels and out_shape[-1] != len(labels):
        raise ExportError("%d labels given, but the model outputs shape %s (classes on the last axis, NHWC)"
                          % (len(labels), out_shape))

    graph = _Graph(model)
    cuts = [cut_model(model, layer, graph) for layer in layers]
    if example is None:
        example = np.random.default_rng(0).standard_normal((2, height, width, 3)).astype(np.float32)
    example = np.asarray(example, dtype=np.float32)

    output = os.path.abspath(output.rstrip("/" + os.sep))
    parent = os.path.dirname(output)
    os.makedirs(parent, exist_ok=True)
    built = tempfile.mkdtemp(prefix=".camkit-export-", dir=parent)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(built, 0o777 & ~umask)  # mkdtemp's 0700 would follow the directory into place
    try:
        module = CamkitModule(_build_signatures(model, cuts, height, width))
        tf.saved_model.save(module, built, signatures={k: getattr(module, k) for k in signature_names(layers)})
        _verify(built, model, cuts, example)
        _verify_graph_session(built, cuts, example)
        _replace_dir(built, output)
    finally:
        if os.path.exists(built):
            shutil.rmtree(built)  # never leave a directory that fails the contract

    position = {layer.name: i for i, layer in enumerate(model.layers)}
    order = sorted(layers, key=lambda layer: position[layer])
    descriptor = {
        "name": name or os.path.basename(output),
        "backend": "tensorflow",
        "file": os.path.basename(output),
        "architecture": "keras",
        "inputWidth": width,
        "inputHeight": height,
        "channelOrder": channel_order,
        "mean": [float(v) for v in mean],
        "std": [float(v) for v in std],
        "labels": labels,
        "defaultLayer": signature_suffix(layers[0]),
    }
    if detection is not None:
        descriptor["task"] = "detection"
        descriptor["detection"] = detection
    descriptor["properties"] = {"layers": ",".join(signature_suffix(layer) for layer in order), "layout": "NHWC",
                                **properties}
    with open(output + ".json", "w") as f:
        json.dump(descriptor, f, indent=2)
        f.write("\n")
    return descriptor


def detection_settings(detection):
    """The descriptor's "detection" object from a dict with "layout" and optional "scoreThreshold", "nmsIou"."""
    if not isinstance(detection, dict):
        raise ExportError("detection must be a dict with \"layout\" (and optional \"scoreThreshold\", "
                          "\"nmsIou\"), got %r" % (detection,))
    unknown = sorted(set(detection) - {"layout"} - set(DETECTION_DEFAULTS))
    if unknown:
        raise ExportError("unknown detection setting(s) %s; known: layout, %s"
                          % (", ".join(unknown), ", ".join(DETECTION_DEFAULTS)))
    layout = detection.get("layout")
    if layout not in DETECTION_LAYOUTS:
        raise ExportError("detection layout '%s' is not one camkit decodes; known: %s (rows x0, y0, x1, y1 in "
                          "input pixels, objectness, class probabilities)" % (layout, ", ".join(DETECTION_LAYOUTS)))
    settings = {"layout": layout}
    for key, default in DETECTION_DEFAULTS.items():
        value = detection.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise ExportError("detection %s must be a number in [0, 1], got %r" % (key, value))
        settings[key] = float(value)
    return settings


def _check_detection_output(out_shape, labels):
    if len(out_shape) != 3 or out_shape[2] is None or out_shape[2] < 6:
        raise ExportError("a detector must output [N, K, 4 + 1 + classes] (x0, y0, x1, y1, objectness, class "
                          "probabilities per row); the model outputs shape %s" % (out_shape,))
    if labels and out_shape[2] != 5 + len(labels):
        raise ExportError("%d labels given, but the detector's rows have %d values (4 + 1 + %d classes)"
                          % (len(labels), out_shape[2], out_shape[2] - 5))


def parse_detection(text):
    """--detection LAYOUT[,score=S][,nms-iou=T] as the dict export_model takes."""
    parts = [p.strip() for p in text.split(",")]
    detection = {"layout": parts[0]}
    keys = {"score": "scoreThreshold", "nms-iou": "nmsIou"}
    for part in parts[1:]:
        key, eq, value = part.partition("=")
        if not eq or key not in keys:
            raise ExportError("--detection takes LAYOUT[,score=S][,nms-iou=T], got '%s' (bad part '%s')"
                              % (text, part))
        try:
            detection[keys[key]] = float(value)
        except ValueError:
            raise ExportError("--detection %s must be a number, got '%s'" % (key, value)) from None
    return detection


def describe_signatures(directory):
    """One line per signature of a SavedModel: 'key(inputs) -> {outputs}' with shapes, as Java sees them."""
    loaded = tf.saved_model.load(directory)
    lines = []
    for key in sorted(loaded.signatures.keys(), key=lambda k: (k != "forward", k != "input_gradients", k)):
        fn = loaded.signatures[key]
        inputs = ", ".join("%s %s" % (n, _shape(s)) for n, s in sorted(fn.structured_input_signature[1].items()))
        outputs = ", ".join('"%s" %s' % (n, _shape(s)) for n, s in fn.structured_outputs.items())
        lines.append("%s(%s) -> {%s}" % (key, inputs, outputs))
    return lines


def _shape(spec):
    return "[%s]" % ",".join("-1" if d is None else str(d) for d in spec.shape)


# ---------------------------------------------------------------------------------------------- CLI


def load_factory(spec, weights=None):
    """Builds the model from 'package.module:function' and loads an optional Keras weights file."""
    module_name, _, attr = spec.partition(":")
    if not module_name or not attr:
        raise ExportError("--factory must be package.module:function, got '%s'" % spec)
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        target = importlib.import_module(module_name)
        for part in attr.split("."):
            target = getattr(target, part)
    except (ImportError, AttributeError) as e:
        raise ExportError("cannot import factory '%s': %s (run from the folder that holds the package, or set "
                          "PYTHONPATH)" % (spec, e)) from e
    model = target()
    if not isinstance(model, keras.Model):
        raise ExportError("factory '%s' returned %s, not a keras.Model" % (spec, type(model).__name__))
    if weights:
        try:
            model.load_weights(weights)
        except Exception as e:
            raise ExportError("cannot load weights '%s' into model '%s': %s: %s" % (
                weights, model.name, type(e).__name__, str(e).strip().splitlines()[0] if str(e).strip() else ""
            )) from e
    return model


def _numbers(text, what, count, kind):
    try:
        values = [kind(v) for v in text.split(",")]
    except ValueError:
        raise ExportError("%s must be %d comma-separated numbers, got '%s'" % (what, count, text)) from None
    if len(values) != count:
        raise ExportError("%s needs %d values, got '%s'" % (what, count, text))
    return values


def _report_normalisation(tool, descriptor, args):
    """Prints the normalisation written; warns on stderr for what was not given (ImageNet's was written)."""
    print("normalisation: (pixel / 255 - mean) / std, %s, mean %s, std %s"
          % (descriptor["channelOrder"], descriptor["mean"], descriptor["std"]))
    missing = [o for o, v in (("--mean", args.mean), ("--std", args.std)) if not v]
    if missing:
        print("%s: warning: %s not given: wrote ImageNet's %s; if the model was trained with another preprocessing, "
              "its scores and maps will be wrong: export again with the values it was trained with"
              % (tool, " and ".join(missing), " and ".join(m[2:] for m in missing)), file=sys.stderr)


def _parser():
    p = argparse.ArgumentParser(prog="camkit_export_tf", description=__doc__.split("\n\n")[0])
    p.add_argument("--factory", required=True, help="package.module:function returning the keras.Model")
    p.add_argument("--weights", help="Keras weights file (model.save_weights, *.weights.h5) to load")
    p.add_argument("--input", help="input size H,W (default: the model's input shape)")
    p.add_argument("--layer", action="append", required=True,
                   help="Keras layer name to export (repeat; the first is the default layer)")
    p.add_argument("--labels", help="text file, one class label per line")
    p.add_argument("--mean", help="R,G,B mean of the training preprocessing (default ImageNet's, with a warning)")
    p.add_argument("--std", help="R,G,B std of the training preprocessing (default ImageNet's, with a warning)")
    p.add_argument("--channel-order", default="RGB", choices=["RGB", "BGR"])
    p.add_argument("--name", help="model name in the descriptor (default: output directory name)")
    p.add_argument("--detection", metavar="LAYOUT[,score=S][,nms-iou=T]",
                   help="the model is a detector returning [N, K, 4 + 1 + classes]: writes \"task\": \"detection\" "
                        "and its decoding settings; LAYOUT is xyxy-objectness-classes, score the score threshold "
                        "(default 0.25), nms-iou the NMS IoU threshold (default 0.45)")
    p.add_argument("--output", required=True,
                   help="SavedModel directory to write; the descriptor goes next to it (<output>.json)")
    p.add_argument("--debug", action="store_true", help="show Python tracebacks")
    return p


def main(argv=None):
    args = _parser().parse_args(argv)
    try:
        labels = []
        if args.labels:
            with open(args.labels, encoding="utf-8") as f:
                labels = [line.strip() for line in f if line.strip()]
        model = load_factory(args.factory, args.weights)
        descriptor = export_model(
            model, args.layer, args.output, input_size=_numbers(args.input, "--input", 2, int) if args.input else None,
            labels=labels, mean=_numbers(args.mean, "--mean", 3, float) if args.mean else IMAGENET_MEAN,
            std=_numbers(args.std, "--std", 3, float) if args.std else IMAGENET_STD,
            channel_order=args.channel_order, name=args.name,
            detection=parse_detection(args.detection) if args.detection else None)
    except ExportError as e:
        if args.debug:
            raise
        print("camkit-export-tf: error: %s" % e, file=sys.stderr)
        return 2
    except Exception as e:
        if args.debug:
            raise
        print("camkit-export-tf: error: %s: %s (rerun with --debug for the traceback)" % (type(e).__name__, e),
              file=sys.stderr)
        return 1
    output = args.output.rstrip("/" + os.sep)
    print("wrote %s (SavedModel) and %s.json (layers %s, default %s)"
          % (output, output, descriptor["properties"]["layers"], descriptor["defaultLayer"]))
    _report_normalisation("camkit-export-tf", descriptor, args)
    print("signatures (TF Java: bundle.function(\"<key>\").call(Map.of(\"<input>\", tensor, ...))):")
    for line in describe_signatures(output):
        print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
