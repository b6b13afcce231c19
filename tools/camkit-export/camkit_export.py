"""Exports a PyTorch ``nn.Module`` as a camkit TorchScript model plus its JSON descriptor.

The TorchScript file exports ``forward(x)`` and, per exported layer ``L`` (module path, '.' -> '_'),
``features_L(x)`` (the layer's output) and ``head_L(a)`` (the model output computed from it), with
``head_L(features_L(x)) == forward(x)``; ``features``/``head`` are the same for the first (default) layer.
The model is cut with torch.fx: the named layers are traced as leaf calls and the graph is split at each.
See README.md next to this file for the contract and the limits.

CLI::

    python camkit_export.py --factory mypkg.models:build --weights w.pt --input 1,3,224,224 \\
        --layer layer4 --layer layer3 --labels labels.txt --output out/model.pt
"""

import argparse
import io
import ast
import builtins
import difflib
import importlib
import contextlib
import json
import logging
import os
import sys
import warnings
import zipfile
from dataclasses import dataclass

import torch
import torch.fx as fx

ATOL = 1e-5
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
_ZIP_ALIGNMENT = 64  # torch.jit.save aligns each record's data to 64 bytes; keep that when rewriting
LOG = logging.getLogger("camkit_export")


class ExportError(Exception):
    """A model or layer that cannot be exported; the message names the culprit and the fix."""


def method_suffix(layer):
    """The name camkit uses for a layer: its module path with '.' replaced by '_' (``blocks.1`` -> ``blocks_1``)."""
    return layer.replace(".", "_")


# ---------------------------------------------------------------------------------------------- tracing


class _CutTracer(fx.Tracer):
    """Traces the named layers (and extra leaves) as single calls; remembers the module a failure happened in."""

    def __init__(self, leaves):
        super().__init__()
        self.leaves = frozenset(leaves)
        self.failed_in = None

    def is_leaf_module(self, m, module_qualified_name):
        return module_qualified_name in self.leaves or super().is_leaf_module(m, module_qualified_name)

    def call_module(self, m, forward, args, kwargs):
        try:
            return super().call_module(m, forward, args, kwargs)
        except Exception:
            if self.failed_in is None:
                self.failed_in = (self.path_of_module(m), type(m).__name__)
            raise


def _trace(model, leaves):
    tracer = _CutTracer(leaves)
    try:
        graph = tracer.trace(model)
    except Exception as e:  # fx raises TraceError, TypeError, RuntimeError... for untraceable code
        where = ("in module '%s' (%s)" % tracer.failed_in) if tracer.failed_in else "in the model's own forward"
        raise ExportError(
            "torch.fx could not trace %s %s: %s: %s\n"
            "torch.fx needs a traceable model: no Python control flow that depends on tensor values "
            "(if/while on a tensor, iterating over a tensor, turning a tensor into a Python number) on the "
            "path it traces.\n"
            "Fix: move the data-dependent part into its own submodule and name it with --leaf <module.path> "
            "(torch.fx then calls it whole; TorchScript must still compile or trace it), or choose a --layer at "
            "or above that module (a named layer is never traced into), or wrap the model in a module whose "
            "forward has no data-dependent branch."
            % (type(model).__name__, where, type(e).__name__, _first_line(e))) from e
    gm = fx.GraphModule(tracer.root, graph, class_name=type(model).__name__)
    gm.eval()
    return gm


def _first_line(e):
    text = str(e).strip()
    return text.splitlines()[0] if text else "(no message)"


# ---------------------------------------------------------------------------------------------- cutting


@dataclass
class Cut:
    """One exported layer: the graph up to its output and the graph from its output to the model output."""

    layer: str
    node: fx.Node
    features: fx.Graph
    head: fx.Graph

    @property
    def suffix(self):
        return method_suffix(self.layer)


def _layer_node(gm, layer):
    nodes = [n for n in gm.graph.nodes if n.op == "call_module" and n.target == layer]
    if not nodes:
        raise ExportError("layer '%s' is never called in the traced forward; camkit cuts the model at a layer's "
                          "output, so choose a module that forward calls (see the model's forward)" % layer)
    if len(nodes) > 1:
        raise ExportError("layer '%s' is called %d times in forward (shared weights); camkit cuts at one call. "
                          "Choose a layer that runs once" % (layer, len(nodes)))
    return nodes[0]


def _ancestors(node):
    seen, stack = set(), [node]
    while stack:
        for a in stack.pop().all_input_nodes:
            if a not in seen:
                seen.add(a)
                stack.append(a)
    return seen


def _describe(node):
    if node.op == "placeholder":
        return "'%s' (the model input)" % node.name
    if node.op == "call_module":
        return "'%s' (output of module '%s')" % (node.name, node.target)
    what = (".%s()" % node.target if node.op == "call_method"
            else getattr(node.target, "__name__", str(node.target)))
    stack = list(node.meta.get("nn_module_stack", {}))
    return "'%s' (%s%s)" % (node.name, what, " in module '%s'" % stack[-1] if stack else "")


def _is_shape_value(node):
    if node.op == "call_method" and node.target in ("size", "dim"):
        return True
    if node.op == "call_function" and getattr(node.target, "__name__", "") == "getattr" and "shape" in node.args:
        return True
    return node.op == "call_function" and any(isinstance(a, fx.Node) and _is_shape_value(a) for a in node.args)


def _split(gm, layer):
    """Splits gm's graph at layer's output, or returns the values other than the cut that cross it."""
    cut = _layer_node(gm, layer)
    nodes = list(gm.graph.nodes)
    output = nodes[-1]

    depends_on_input, after_cut = set(), set()
    for n in nodes:
        inputs = n.all_input_nodes
        if n.op == "placeholder" or any(a in depends_on_input for a in inputs):
            depends_on_input.add(n)
        if any(a is cut or a in after_cut for a in inputs):
            after_cut.add(n)
    if output not in after_cut:
        raise ExportError("layer '%s' does not feed the model output; choose a layer on the path from the input "
                          "to the output" % layer)

    keep = _ancestors(cut) | {cut}
    features = fx.Graph()
    env = {}
    for n in nodes:
        if n.op == "placeholder" or n in keep:
            env[n] = features.node_copy(n, lambda m: env[m])
    features.output(env[cut])

    head = fx.Graph()
    env = {cut: head.placeholder("activations")}
    crossing = []
    needed = _ancestors(output)
    for n in nodes:
        if n is cut or n.op == "placeholder" or (n not in needed and n is not output):
            continue
        if n in after_cut or n not in depends_on_input:  # input-independent values (constants) are recomputed
            missing = [m for m in n.all_input_nodes if m not in env]
            crossing.extend(m for m in missing if m not in after_cut and m not in crossing)
            if not missing and n is not output:
                env[n] = head.node_copy(n, lambda m: env[m])
    if crossing:
        return Cut(layer, cut, features, None), crossing
    head.output(fx.node.map_arg(output.args[0], lambda m: env[m]))
    constants = {env[n] for n in env if n is not cut and n not in depends_on_input}
    for n in reversed(list(head.nodes)):
        if n in constants and not n.users:  # constants only the features side used
            head.erase_node(n)
    return Cut(layer, cut, features, head), []


def _crossing_error(model, layer, crossing, leaves):
    hint = ""
    if any(_is_shape_value(n) for n in crossing):
        hint = (" A size read before the cut (x.shape / x.size()) is among them: compute it after the cut from the "
                "layer's output, or use a fixed scale_factor.")
    clean = [p for p in _parents(layer) if _cuts_cleanly(model, p, leaves)][:3]
    if clean:
        suggestion = "Cut where only one tensor crosses, e.g. --layer %s (the whole block, skip included)." % (
            " or --layer ".join(clean))
    else:
        suggestion = ("Cut where only one tensor crosses: at the output of a whole residual block or stage, not "
                      "inside it.")
    return ExportError(
        "layer '%s' cannot be cut: the rest of the model after it also needs %s, computed before the cut (a skip "
        "connection, or a value read from the input, crosses it), but head_%s receives only the layer's output. %s%s"
        % (layer, ", ".join(_describe(n) for n in crossing), method_suffix(layer), suggestion, hint))


def _parents(layer):
    parts = layer.split(".")
    return [".".join(parts[:i]) for i in range(len(parts) - 1, 0, -1)]


def _cuts_cleanly(model, layer, leaves):
    try:
        return not _split(_trace(model, set(leaves) | {layer}), layer)[1]
    except ExportError:
        return False


def cut_model(model, layers, leaves=()):
    """Traces model with the layers as leaves and splits it at each; returns (GraphModule, [Cut])."""
    gm = _trace(model, set(layers) | set(leaves))
    cuts = []
    for layer in layers:
        cut, crossing = _split(gm, layer)
        if crossing:
            raise _crossing_error(model, layer, crossing, leaves)
        cuts.append(cut)
    return gm, cuts


# ---------------------------------------------------------------------------------------------- TorchScript


class _ScriptSource(ast.NodeTransformer):
    """Turns torch.fx code into source TorchScript's define() parses: no 'x = None' frees, slices as ':'."""

    def visit_Assign(self, node):
        if isinstance(node.value, ast.Constant) and node.value.value is None:
            return None
        return self.generic_visit(node)

    def visit_Call(self, node):
        self.generic_visit(node)
        if isinstance(node.func, ast.Name) and node.func.id == "slice" and not node.keywords and len(node.args) <= 3:
            bounds = [None if isinstance(a, ast.Constant) and a.value is None else a for a in node.args]
            bounds = ([None] + bounds) if len(bounds) == 1 else bounds
            return ast.Slice(*(bounds + [None] * (3 - len(bounds))))
        return node


def _method_source(graph, name):
    code = graph.python_code(root_module="self.model")
    tree = ast.parse(code.src)
    function = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "forward")
    function.name = name
    function = ast.fix_missing_locations(_ScriptSource().visit(function))
    return ast.unparse(function) + "\n", code.globals


class CamkitModel(torch.nn.Module):
    """The saved module: the traced model under 'model', so the methods added at export (features, head, ...)
    never collide with the model's own attribute names."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, x):
        return self.model(x)


@contextlib.contextmanager
def quiet_jit():
    """Silences torch.jit's deprecation notices and fx's GraphModule annotation warning (both harmless here)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"`torch\.jit\..*` is deprecated")
        warnings.filterwarnings("ignore", message="The TorchScript type system doesn't support instance-level")
        yield


def _script(gm, methods):
    """torch.jit.script of the whole model with the cut graphs as extra methods."""
    scripted = torch.jit.script(CamkitModel(gm))
    for name, graph in methods.items():
        src, scope = _method_source(graph, name)
        # what ScriptModule.define does, with fx's globals as the scope instead of the caller's frame
        scripted._c._define(scripted._concrete_type, src,
                            lambda n, scope=scope: scope[n] if n in scope else getattr(builtins, n, None))
    return scripted


# camkit's PyTorch backend runs libtorch 2.7.1 (DJL 0.36); builtin ops newer than that make a scripted file
# unloadable there ("Unknown builtin op"). Tracing records only the ops that actually run.
CAMKIT_LIBTORCH = "2.7.1"
_NEWER_OPS = ("aten::_upsample_lanczos2d_aa",)


def _ops_newer_than_runtime(module):
    """The builtin ops in the serialized code (every function the module calls) that camkit's libtorch lacks."""
    buffer = io.BytesIO()
    torch.jit.save(module, buffer)
    with zipfile.ZipFile(buffer) as z:
        text = "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if "/code/" in n)
    return [op for op in _NEWER_OPS if op.split("::")[1] in text]


def _trace_script(gm, methods, example, activations):
    """torch.jit.trace of the model and of each cut graph, for leaves TorchScript cannot compile."""
    wrapper = CamkitModel(gm)
    inputs = {"forward": (example,)}
    for name, graph in methods.items():
        # a plain attribute, not a submodule: the parts share gm's submodules and parameters
        wrapper.__dict__[name] = fx.GraphModule(gm, graph).forward
        inputs[name] = (activations[name[len("head"):]],) if name.startswith("head") else (example,)
    return torch.jit.trace_module(wrapper, inputs, check_trace=False)


def _strip_debug(path):
    """Rewrites the zip without *.debug_pkl (they hold absolute source paths), keeping 64-byte data alignment."""
    with zipfile.ZipFile(path) as zin:
        records = [(i.filename, i.date_time, zin.read(i.filename)) for i in zin.infolist()
                   if not i.filename.endswith(".debug_pkl")]
    tmp = path + ".tmp"
    with open(tmp, "wb") as f, zipfile.ZipFile(f, "w", zipfile.ZIP_STORED) as zout:
        for filename, date_time, data in records:
            info = zipfile.ZipInfo(filename, date_time)
            info.compress_type = zipfile.ZIP_STORED
            start = f.tell() + 30 + len(filename.encode("utf-8"))  # data offset without an extra field
            pad = -start % _ZIP_ALIGNMENT
            if pad:
                pad = pad if pad >= 4 else pad + _ZIP_ALIGNMENT
                info.extra = b"FB" + (pad - 4).to_bytes(2, "little") + b"Z" * (pad - 4)
            zout.writestr(info, data)
    os.replace(tmp, path)


# ---------------------------------------------------------------------------------------------- export


def _hooked_forward(model, layers, x):
    acts = {}
    handles = [model.get_submodule(layer).register_forward_hook(
        lambda m, i, o, layer=layer: acts.__setitem__(layer, o)) for layer in layers]
    try:
        out = model(x)
    finally:
        for h in handles:
            h.remove()
    return out, acts


def _check_layout(layer, act, tokens):
    if not isinstance(act, torch.Tensor):
        raise ExportError("layer '%s' returns %s, not one tensor; choose a layer whose output is a tensor"
                          % (layer, type(act).__name__))
    shape = list(act.shape)
    if tokens is None and act.dim() != 4:
        raise ExportError("layer '%s' outputs shape %s; camkit needs [N, C, h, w] maps, or [N, T, D] tokens with "
                          "--tokens prefix,height,width" % (layer, shape))
    if tokens is not None and (act.dim() != 3 or act.shape[1] != tokens[0] + tokens[1] * tokens[2]):
        raise ExportError("layer '%s' outputs shape %s, but --tokens %s needs [N, %d, D]"
                          % (layer, shape, ",".join(map(str, tokens)), tokens[0] + tokens[1] * tokens[2]))


def _max_diff(a, b):
    if a.shape != b.shape:
        return float("inf")
    return (a - b).abs().max().item()


def _verify(path, model, cuts, example):
    loaded = torch.jit.load(path)
    other = torch.cat([example, example.flip(0) * 0.5])  # another batch size catches shapes a trace fixed
    for x in (example, other):
        try:
            with torch.no_grad():
                ref, acts = _hooked_forward(model, [c.layer for c in cuts], x)
                checks = [("forward", loaded.forward(x), ref)]
                for i, c in enumerate(cuts):
                    names = ["_" + c.suffix] + ([""] if i == 0 else [])
                    for s in names:
                        feats = getattr(loaded, "features" + s)(x)
                        checks.append(("features%s" % s, feats, acts[c.layer]))
                        checks.append(("head%s(features%s(x))" % (s, s), getattr(loaded, "head" + s)(feats), ref))
        except Exception as e:
            raise ExportError("the exported model fails on an input of shape %s: %s: %s. A traced export fixes the "
                              "shapes it saw; make the named layers scriptable so the export is scripted"
                              % (list(x.shape), type(e).__name__, _first_line(e))) from e
        for what, got, want in checks:
            diff = _max_diff(got, want)
            if not diff <= ATOL:
                raise ExportError("exported %s differs from the PyTorch model by %g (> %g) on an input of shape %s; "
                                  "the model may be non-deterministic in eval mode" % (what, diff, ATOL, list(x.shape)))


def export_model(model, input_shape, layers, output, labels=(), mean=IMAGENET_MEAN, std=IMAGENET_STD,
                 channel_order="RGB", tokens=None, name=None, leaves=(), example=None, detection=None,
                 properties=None):
    """Writes ``output`` (TorchScript) and its descriptor (same base name, .json); returns the descriptor dict.

    ``layers`` are module paths; the first is the default layer. ``tokens`` is (prefix, height, width) for layers
    with [N, T, D] outputs. ``detection`` marks a detector (output [N, K, 4 + 1 + classes]): a dict with
    "layout" (only "xyxy-objectness-classes"), optional "scoreThreshold" (default 0.25) and "nmsIou" (0.45); it
    writes "task": "detection" and "detection": {...} into the descriptor. ``properties`` are extra descriptor
    properties (string values; "layers" is written by the export). Raises ExportError with a message naming the
    culprit and the fix.
    """
    input_shape = tuple(int(d) for d in input_shape)
    if len(input_shape) != 4 or input_shape[1] != 3:
        raise ExportError("--input must be an image batch N,3,H,W; got %s" % ",".join(map(str, input_shape)))
    layers = list(layers)
    if not layers:
        raise ExportError("name at least one layer to export (--layer module.path)")
    _check_layers(model, layers)
    if channel_order not in ("RGB", "BGR"):
        raise ExportError("channel order must be RGB or BGR, got %s" % channel_order)
    if len(mean) != 3 or len(std) != 3:
        raise ExportError("mean and std need 3 values each")
    detection = detection_settings(detection) if detection is not None else None
    properties = {str(k): str(v) for k, v in (properties or {}).items()}
    if "layers" in properties:
        raise ExportError("property 'layers' is written by the export (the exported layers); choose another name")

    model.eval()
    if example is None:
        example = torch.randn(input_shape, generator=torch.Generator().manual_seed(0))
    gm, cuts = cut_model(model, layers, leaves)

    with torch.no_grad():
        out, acts = _hooked_forward(model, layers, example)
    if not isinstance(out, torch.Tensor):
        raise ExportError("the model returns %s; camkit needs one output tensor (logits [N, K] or a segmentation "
                          "[N, K, H, W]): wrap it in a module that returns that tensor" % type(out).__name__)
    for layer in layers:
        _check_layout(layer, acts[layer], tokens)
    labels = list(labels)
    if detection is not None:
        _check_detection_output(out, labels)
    elif labels and (out.dim() < 2 or out.shape[1] != len(labels)):
        raise ExportError("%d labels given, but the model outputs shape %s (classes on dim 1)"
                          % (len(labels), list(out.shape)))

    methods = {}
    for i, c in enumerate(cuts):
        for s in ["_" + c.suffix] + ([""] if i == 0 else []):
            methods["features" + s] = c.features
            methods["head" + s] = c.head
    try:
        with quiet_jit():
            module = _script(gm, methods)
            newer = _ops_newer_than_runtime(module)
        if newer:
            raise ExportError("the scripted code calls %s, which camkit's libtorch %s does not have (scripting "
                              "F.interpolate or nn.Upsample refers to every resize mode)"
                              % (", ".join(newer), CAMKIT_LIBTORCH))
    except Exception as script_error:
        LOG.warning("TorchScript cannot compile the model for camkit (%s: %s); tracing it instead",
                    type(script_error).__name__, _first_line(script_error))
        head_inputs = {}
        for i, c in enumerate(cuts):
            head_inputs["_" + c.suffix] = acts[c.layer]
            if i == 0:
                head_inputs[""] = acts[c.layer]
        try:
            with quiet_jit():
                module = _trace_script(gm, methods, example, head_inputs)
        except Exception as trace_error:
            raise ExportError("TorchScript can neither compile (%s: %s) nor trace (%s: %s) the model; make the "
                              "named layers scriptable" % (type(script_error).__name__, _first_line(script_error),
                                                           type(trace_error).__name__, _first_line(trace_error))
                              ) from trace_error
    module.eval()

    output = os.path.abspath(output)
    os.makedirs(os.path.dirname(output), exist_ok=True)
    try:
        with quiet_jit():
            torch.jit.save(module, output)
            _strip_debug(output)
            _verify(output, model, cuts, example)
    except BaseException:
        if os.path.exists(output):
            os.remove(output)  # never leave a file that fails the contract
        raise

    order = [c.layer for c in sorted(cuts, key=lambda c: list(gm.graph.nodes).index(c.node))]
    descriptor = {
        "name": name or os.path.splitext(os.path.basename(output))[0],
        "backend": "pytorch",
        "file": os.path.basename(output),
        "architecture": "torchscript",
        "inputWidth": input_shape[3],
        "inputHeight": input_shape[2],
        "channelOrder": channel_order,
        "mean": [float(v) for v in mean],
        "std": [float(v) for v in std],
        "labels": labels,
        "defaultLayer": method_suffix(layers[0]),
    }
    if tokens is not None:
        descriptor["tokens"] = {"prefix": tokens[0], "height": tokens[1], "width": tokens[2]}
    if detection is not None:
        descriptor["task"] = "detection"
        descriptor["detection"] = detection
    descriptor["properties"] = {"layers": ",".join(method_suffix(layer) for layer in order), **properties}
    with open(os.path.splitext(output)[0] + ".json", "w") as f:
        json.dump(descriptor, f, indent=2)
        f.write("\n")
    return descriptor


DETECTION_LAYOUTS = ("xyxy-objectness-classes",)
DETECTION_DEFAULTS = {"scoreThreshold": 0.25, "nmsIou": 0.45}


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


def _check_detection_output(out, labels):
    if out.dim() != 3 or out.shape[2] < 6:
        raise ExportError("a detector must output [N, K, 4 + 1 + classes] (x0, y0, x1, y1, objectness, class "
                          "probabilities per row); the model outputs shape %s" % list(out.shape))
    if labels and out.shape[2] != 5 + len(labels):
        raise ExportError("%d labels given, but the detector's rows have %d values (4 + 1 + %d classes)"
                          % (len(labels), out.shape[2], out.shape[2] - 5))


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


def _check_layers(model, layers):
    names = [n for n, _ in model.named_modules() if n]
    for layer in layers:
        if layer not in names:
            close = difflib.get_close_matches(layer, names, n=5)
            raise ExportError("layer '%s' is not a submodule of %s; %s" % (
                layer, type(model).__name__,
                "did you mean: %s?" % ", ".join(close) if close
                else "its top-level modules are: %s" % ", ".join(n for n, _ in model.named_children())))
    if len(set(layers)) != len(layers):
        raise ExportError("a layer is named twice: %s" % ", ".join(layers))
    for a in layers:
        for b in layers:
            if b.startswith(a + "."):
                raise ExportError("layers '%s' and '%s' are nested; export layers that do not contain each other"
                                  % (a, b))
    suffixes = [method_suffix(layer) for layer in layers]
    if len(set(suffixes)) != len(suffixes):
        raise ExportError("layers %s map to the same method name after '.' -> '_'" % ", ".join(layers))


# ---------------------------------------------------------------------------------------------- CLI


def load_factory(spec, weights=None):
    """Builds the model from 'package.module:function' and loads an optional state_dict file."""
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
    if not isinstance(model, torch.nn.Module):
        raise ExportError("factory '%s' returned %s, not a torch.nn.Module" % (spec, type(model).__name__))
    if weights:
        try:
            state = torch.load(weights, map_location="cpu", weights_only=True)
            if isinstance(state, dict) and "state_dict" in state:
                state = state["state_dict"]
            model.load_state_dict(state)
        except Exception as e:
            raise ExportError("cannot load weights '%s' into %s: %s" % (weights, type(model).__name__,
                                                                         _first_line(e))) from e
    return model


def _ints(text, what, count=None):
    try:
        values = [int(v) for v in text.split(",")]
    except ValueError:
        raise ExportError("%s must be comma-separated integers, got '%s'" % (what, text)) from None
    if count is not None and len(values) != count:
        raise ExportError("%s needs %d values, got '%s'" % (what, count, text))
    return values


def _floats(text, what):
    try:
        values = [float(v) for v in text.split(",")]
    except ValueError:
        raise ExportError("%s must be 3 comma-separated numbers, got '%s'" % (what, text)) from None
    if len(values) != 3:
        raise ExportError("%s needs 3 values (R,G,B), got '%s'" % (what, text))
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
    p = argparse.ArgumentParser(prog="camkit_export", description=__doc__.split("\n\n")[0])
    p.add_argument("--factory", required=True, help="package.module:function returning the nn.Module")
    p.add_argument("--weights", help="state_dict file (torch.save) to load into the model")
    p.add_argument("--input", required=True, help="example input shape N,3,H,W, e.g. 1,3,224,224")
    p.add_argument("--layer", action="append", required=True,
                   help="module path of a layer to export (repeat; the first is the default layer)")
    p.add_argument("--leaf", action="append", default=[],
                   help="module path torch.fx must call whole instead of tracing into (repeatable)")
    p.add_argument("--labels", help="text file, one class label per line")
    p.add_argument("--mean", help="R,G,B mean of the training preprocessing (default ImageNet's, with a warning)")
    p.add_argument("--std", help="R,G,B std of the training preprocessing (default ImageNet's, with a warning)")
    p.add_argument("--channel-order", default="RGB", choices=["RGB", "BGR"])
    p.add_argument("--tokens", help="prefix,height,width for token layers [N, T, D], e.g. 1,14,14")
    p.add_argument("--name", help="model name in the descriptor (default: output file name)")
    p.add_argument("--detection", metavar="LAYOUT[,score=S][,nms-iou=T]",
                   help="the model is a detector returning [N, K, 4 + 1 + classes]: writes \"task\": \"detection\" "
                        "and its decoding settings; LAYOUT is xyxy-objectness-classes, score the score threshold "
                        "(default 0.25), nms-iou the NMS IoU threshold (default 0.45)")
    p.add_argument("--output", required=True, help="TorchScript file to write; the descriptor goes next to it")
    p.add_argument("--debug", action="store_true", help="show Python tracebacks")
    return p


def main(argv=None):
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="camkit-export: %(levelname)s: %(message)s")
    try:
        labels = []
        if args.labels:
            with open(args.labels, encoding="utf-8") as f:
                labels = [line.strip() for line in f if line.strip()]
        model = load_factory(args.factory, args.weights)
        descriptor = export_model(
            model, _ints(args.input, "--input", 4), args.layer, args.output, labels=labels,
            mean=_floats(args.mean, "--mean") if args.mean else IMAGENET_MEAN,
            std=_floats(args.std, "--std") if args.std else IMAGENET_STD, channel_order=args.channel_order,
            tokens=_ints(args.tokens, "--tokens", 3) if args.tokens else None, name=args.name, leaves=args.leaf,
            detection=parse_detection(args.detection) if args.detection else None)
    except ExportError as e:
        if args.debug:
            raise
        print("camkit-export: error: %s" % e, file=sys.stderr)
        return 2
    except Exception as e:
        if args.debug:
            raise
        print("camkit-export: error: %s: %s (rerun with --debug for the traceback)" % (type(e).__name__, e),
              file=sys.stderr)
        return 1
    print("wrote %s (layers %s, default %s)" % (args.output, descriptor["properties"]["layers"],
                                               descriptor["defaultLayer"]))
    _report_normalisation("camkit-export", descriptor, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
