"""Reference values of CAM metrics for camkit's Java tests, with pytorch-grad-cam as the oracle.

Scores fixed saliency maps on the resnet TorchScript fixture (fixtures/torchscript/resnet.pt) and its reference
inputs (fixtures/torchscript/reference/resnet/input.npy, [2,3,64,64], already normalised), and writes
fixtures/torchscript/reference/metrics/:

- maps.npy   [M,64,64] float32: the maps scored (blob, ramp, noise, constant, then pytorch-grad-cam's GradCAM map
             of each image at layer3 for its predicted class; names in metrics.json "maps");
- blur0.npy  [3,64,64] float32: insertion's start image for image 0 (normalised input blurred, see below);
- metrics.json: one entry per case (image x map) with the scores below, plus the versions used.

Metrics, per case, target class c = the class predicted on the clean image:
- confidence: pytorch_grad_cam.metrics.cam_mult_image CamMultImageConfidenceChange (raw difference),
  DropInConfidence, IncreaseInConfidence, with ClassifierOutputSoftmaxTarget(c) ("softmax") and
  ClassifierOutputTarget(c) ("logit");
- road: PerturbationConfidenceMetric(RemoveMostRelevantFirst(p, NoisyLinearImputer(noise=0))) ("morf") and
  RemoveLeastRelevantFirst ("lerf") for p = 10..90 step 10, softmax target, their float32 means and
  combined = (lerf_avg - morf_avg) / 2 (checked against ROADCombined built with noise-0 imputers);
  combined_default_noise = ROADCombined() as shipped (noise 0.01) after torch.manual_seed(0);
- arcc: pytorch_grad_cam.metrics.arcc.ARCC(base_method=GradCAM(eager model, [model.layer3])), softmax target,
  road_percentiles [20,40,60,80]; "noise0": its ROADCombined replaced by one whose imputers have noise 0,
  "default": as shipped after torch.manual_seed(0); complexity, coherency, road_raw (ROADCombined), road
  ((2*road_raw) clipped to [0,1], as ARCC does) and arcc (ARCC's own return value);
- deletion / insertion (RISE, Petsiuk et al. 2018; pytorch-grad-cam has none, so this is a small torch reference
  here): pixel order = np.argsort(-map.ravel(), kind="stable") (descending, ties by increasing raster index);
  steps S = 16; at step k = 0..S the first floor(k*H*W/S) pixels of that order are changed (all 3 channels):
  deletion sets them to 0 (normalised space) starting from the input, insertion starts from the input blurred by
  an 11x11 separable Gaussian (sigma 5, 1-D weights exp(-i^2/50), i=-5..5, normalised to sum 1; zero padding 5,
  as RISE's conv2d) and copies the input's values into them; y_k = softmax(model(x_k))[c];
  auc = (sum(y) - (y_0 + y_S)/2) / S (trapezoid on x = k/S).

The TorchScript module scores everything (torch.no_grad, batch 1 per case); the eager model (fixtures.TinyResNet
with the TorchScript state dict) is needed only for GradCAM's hooks, and the two are checked to agree.

pytorch-grad-cam is imported, never copied. Its __init__ imports ttach, torchvision, matplotlib, sklearn, PIL and
tqdm, which the metrics do not use: missing ones (and torchvision always, which does not load beside every torch)
are replaced by inert stub modules. It needs numpy, scipy and opencv-python-headless (cv2).

Usage (from tools/camkit-export, in target/venv plus `pip install scipy opencv-python-headless`):

    python metric_references.py --grad-cam DIR [--grad-cam-commit SHA] [--fixtures DIR] [--out DIR]

DIR is a folder containing pytorch_grad_cam/ (or env PYTORCH_GRAD_CAM), or a git directory (bare or not) of
pytorch-grad-cam, whose HEAD's pytorch_grad_cam/ is then extracted to a temporary folder. The commit recorded
in metrics.json is `git rev-parse HEAD` there, or --grad-cam-commit. About 1 minute on 2 CPUs; the output is
identical across runs on one machine (default-noise ROAD and ARCC are seeded).
"""

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import types

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import camkit_export  # noqa: E402
import fixtures  # noqa: E402

DEFAULT_FIXTURES = os.path.normpath(os.path.join(HERE, "..", "..", "fixtures", "torchscript"))
SIZE = 64
STEPS = 16
PERCENTILES = [10, 20, 30, 40, 50, 60, 70, 80, 90]
ARCC_PERCENTILES = [20, 40, 60, 80]
BLUR_SIZE, BLUR_SIGMA = 11, 5.0
NOISE_SEED = 20240601
_EXTRACTED = None


# ---------------------------------------------------------------------------------------------- pytorch-grad-cam


class _InertType(type):
    def __getattr__(cls, attr):  # type annotations such as Image.Image
        return _Inert


class _Inert(metaclass=_InertType):
    """Stand-in for anything of a stubbed module: constructible, unusable."""

    def __init__(self, *args, **kwargs):
        pass

    def __call__(self, *args, **kwargs):
        raise RuntimeError("stubbed module used: install the real package")


def _stub(name):
    module = types.ModuleType(name)
    module.__path__ = []  # a package, so that submodules can be imported from it
    module.__getattr__ = lambda attr: _Inert
    return module


def _install_stubs():
    """Stubs for the modules pytorch_grad_cam/__init__.py imports but the metrics never use."""
    stubbed = []
    groups = [["ttach"], ["tqdm"], ["PIL", "PIL.Image"], ["sklearn", "sklearn.decomposition"],
              ["matplotlib", "matplotlib.pyplot", "matplotlib.lines"]]
    for group in groups:
        try:
            for name in group:
                __import__(name)
        except Exception:  # noqa: BLE001 - any failure to import: stub the whole group
            for name in group:
                sys.modules[name] = _stub(name)
            stubbed.append(group[0])
    for name in ["torchvision", "torchvision.transforms", "torchvision.ops"]:
        sys.modules[name] = _stub(name)
    stubbed.append("torchvision")
    return stubbed


def _git(args, cwd):
    return subprocess.run(["git", "-C", cwd] + args, check=True, capture_output=True, text=True).stdout.strip()


def locate_grad_cam(path, commit):
    """(folder to put on sys.path, commit) for a folder holding pytorch_grad_cam/ or a git directory."""
    path = os.path.abspath(path)
    if not os.path.isdir(os.path.join(path, "pytorch_grad_cam")):
        files = _git(["ls-tree", "-r", "--name-only", "HEAD", "pytorch_grad_cam"], path).splitlines()
        if not files:
            raise SystemExit(f"metric_references: no pytorch_grad_cam in {path}")
        global _EXTRACTED  # removed at exit
        _EXTRACTED = tempfile.TemporaryDirectory(prefix="pytorch-grad-cam-")
        target = _EXTRACTED.name
        archive = subprocess.run(["git", "-C", path, "archive", "HEAD", "pytorch_grad_cam"], capture_output=True,
                                 check=True).stdout
        with tempfile.TemporaryFile() as f:
            f.write(archive)
            f.seek(0)
            with tarfile.open(fileobj=f) as tar:
                tar.extractall(target, filter="data")
        missing = [n for n in files if not os.path.isfile(os.path.join(target, n))]
        if missing:
            raise SystemExit(f"metric_references: git archive lost {missing}")
        source = target
    else:
        source = path
    if commit is None:
        commit = "unknown"
        try:  # only pytorch-grad-cam's own repository, not one that merely contains the folder
            own = (_git(["rev-parse", "--is-bare-repository"], path) == "true"
                   or os.path.realpath(_git(["rev-parse", "--show-toplevel"], path)) == os.path.realpath(path))
            if own:
                commit = _git(["rev-parse", "HEAD"], path)
        except (subprocess.CalledProcessError, OSError):
            pass
    return source, commit


def import_grad_cam(folder):
    stubbed = _install_stubs()
    sys.path.insert(0, folder)
    import pytorch_grad_cam  # noqa: F401 - runs __init__.py as users do
    return stubbed


# ---------------------------------------------------------------------------------------------- model and maps


def quantised_inputs(fixture_dir, out):
    import cv2

    """The fixture's reference inputs as 8-bit pictures (written to out/image<i>.png, so that camkit reads exactly
    them) and normalised again as camkit does: float32 (v / 255 - mean) / std."""
    with open(os.path.join(fixture_dir, "resnet.json")) as f:
        descriptor = json.load(f)
    mean = np.array(descriptor["mean"], dtype=np.float32).reshape(3, 1, 1)
    std = np.array(descriptor["std"], dtype=np.float32).reshape(3, 1, 1)
    raw = np.load(os.path.join(fixture_dir, "reference", "resnet", "input.npy")).astype(np.float32)
    pixels = np.clip(np.rint((raw * std + mean) * np.float32(255)), 0, 255).astype(np.uint8)
    os.makedirs(out, exist_ok=True)
    inputs = []
    for i, p in enumerate(pixels):
        cv2.imwrite(os.path.join(out, "image%d.png" % i), np.ascontiguousarray(p.transpose(1, 2, 0)[:, :, ::-1]))
        inputs.append((p.astype(np.float32) / np.float32(255) - mean) / std)
    return np.stack(inputs).astype(np.float32)


def load_models(fixture_dir):
    with open(os.path.join(fixture_dir, "resnet.json")) as f:
        descriptor = json.load(f)
    with camkit_export.quiet_jit():
        scripted = torch.jit.load(os.path.join(fixture_dir, descriptor["file"]))
    scripted.eval()
    state = {k[len("model."):]: v for k, v in scripted.state_dict().items()}
    eager = fixtures.TinyResNet(classes=len(descriptor["labels"]))
    eager.load_state_dict(state)
    return scripted, eager.eval()


def normalise(m):
    m = np.asarray(m, dtype=np.float64)
    m = (m - m.min()) / (m.max() - m.min())
    return m.astype(np.float32)


def synthetic_maps():
    from scipy.ndimage import gaussian_filter
    yy, xx = np.mgrid[0:SIZE, 0:SIZE].astype(np.float64)
    blob = normalise(np.exp(-((yy - 24) ** 2 + (xx - 40) ** 2) / (2 * 10.0 ** 2)))
    ramp = np.tile((np.arange(SIZE, dtype=np.float64) / (SIZE - 1)).astype(np.float32), (SIZE, 1))
    rng = np.random.default_rng(NOISE_SEED)
    noise = normalise(gaussian_filter(rng.random((SIZE, SIZE)), sigma=4.0, mode="reflect"))
    constant = np.full((SIZE, SIZE), 0.5, dtype=np.float32)
    return {"blob": blob, "ramp": ramp, "noise": noise, "constant": constant}


def blur_kernel_1d():
    i = np.arange(BLUR_SIZE, dtype=np.float64) - BLUR_SIZE // 2
    w = np.exp(-i * i / (2 * BLUR_SIGMA ** 2))
    return w / w.sum()


def blur(x):
    """x [3,H,W] float32 -> separable Gaussian blur with zero padding (rows then columns) in float64, as float32."""
    w = blur_kernel_1d()  # symmetric: convolution = correlation; np.convolve "same" pads with zeros
    t = x.astype(np.float64)
    t = np.apply_along_axis(lambda r: np.convolve(r, w, mode="same"), 2, t)
    t = np.apply_along_axis(lambda c: np.convolve(c, w, mode="same"), 1, t)
    return t.astype(np.float32)


# ---------------------------------------------------------------------------------------------- metrics


def floats(a):
    return [float(v) for v in np.asarray(a).ravel()]


def softmax_score(model, x, c):
    with torch.no_grad():
        return float(torch.softmax(model(torch.from_numpy(x)[None]), dim=-1)[0, c])


def rise_curves(model, x, cam, c, start, fill):
    """Curve y_0..y_S of RISE deletion (fill=None: zeros) or insertion (start=blurred, fill=x)."""
    order = np.argsort(-cam.ravel(), kind="stable")
    hw = cam.size
    curve = []
    for k in range(STEPS + 1):
        n = k * hw // STEPS
        cur = start.reshape(3, -1).copy()
        idx = order[:n]
        cur[:, idx] = 0.0 if fill is None else fill.reshape(3, -1)[:, idx]
        curve.append(softmax_score(model, cur.reshape(x.shape), c))
    y = np.array(curve, dtype=np.float64)
    auc = (y.sum() - (y[0] + y[-1]) / 2) / STEPS
    return curve, float(auc)


def noise0_road(percentiles):
    """ROADCombined whose MoRF/LeRF imputers are NoisyLinearImputer(noise=0)."""
    from pytorch_grad_cam.metrics.perturbation_confidence import PerturbationConfidenceMetric
    from pytorch_grad_cam.metrics.road import (NoisyLinearImputer, RemoveLeastRelevantFirst,
                                               RemoveMostRelevantFirst, ROADCombined)
    road = ROADCombined(percentiles=percentiles)
    road.morf_averager.imputer = lambda p: PerturbationConfidenceMetric(
        RemoveMostRelevantFirst(p, NoisyLinearImputer(noise=0)))
    road.lerf_averager.imputer = lambda p: PerturbationConfidenceMetric(
        RemoveLeastRelevantFirst(p, NoisyLinearImputer(noise=0)))
    return road


def run_arcc(arcc, x, cams, targets, model):
    """Calls ARCC and records what its three components returned."""
    seen = {}

    def record(name, fn):
        def wrapped(*args, **kwargs):
            seen[name] = fn(*args, **kwargs)
            return seen[name]
        return wrapped

    arcc.complexity = record("complexity", arcc.complexity)
    arcc.coherency = record("coherency", arcc.coherency)
    arcc.road = record("road", arcc.road)
    value = arcc(x, cams, targets, model)
    road_raw = float(seen["road"][0])
    result = {"complexity": float(seen["complexity"][0]), "coherency": float(seen["coherency"][0]),
              "road_raw": road_raw, "road": float(np.clip(road_raw * 2, 0, 1)), "arcc": float(value[0])}
    harmonic = 3 / (1 / (result["coherency"] + 1e-8) + 1 / (1 - result["complexity"] + 1e-8)
                    + 1 / (result["road"] + 1e-8))
    assert abs(harmonic - result["arcc"]) < 1e-5 * max(1.0, abs(harmonic)), (harmonic, result)
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--grad-cam", default=os.environ.get("PYTORCH_GRAD_CAM"),
                        help="folder containing pytorch_grad_cam/, or a pytorch-grad-cam git directory")
    parser.add_argument("--grad-cam-commit", default=None, help="commit to record (default: git rev-parse HEAD)")
    parser.add_argument("--fixtures", default=DEFAULT_FIXTURES, help="fixtures/torchscript folder")
    parser.add_argument("--out", default=None, help="output folder (default: <fixtures>/reference/metrics)")
    args = parser.parse_args(argv)
    if not args.grad_cam:
        parser.error("--grad-cam DIR (or env PYTORCH_GRAD_CAM) is required")
    out = args.out or os.path.join(args.fixtures, "reference", "metrics")
    source, commit = locate_grad_cam(args.grad_cam, args.grad_cam_commit)
    stubbed = import_grad_cam(source)

    import cv2
    import scipy
    from pytorch_grad_cam import GradCAM
    from pytorch_grad_cam.metrics.arcc import ARCC
    from pytorch_grad_cam.metrics.cam_mult_image import (CamMultImageConfidenceChange, DropInConfidence,
                                                         IncreaseInConfidence)
    from pytorch_grad_cam.metrics.perturbation_confidence import PerturbationConfidenceMetric
    from pytorch_grad_cam.metrics.road import (NoisyLinearImputer, RemoveLeastRelevantFirst,
                                               RemoveMostRelevantFirst, ROADCombined)
    from pytorch_grad_cam.utils.model_targets import ClassifierOutputSoftmaxTarget, ClassifierOutputTarget

    torch.set_num_threads(max(1, min(4, os.cpu_count() or 1)))
    torch.backends.nnpack.set_flags(False)  # unused on most CPUs anyway; avoids a warning per convolution
    scripted, eager = load_models(args.fixtures)
    inputs = quantised_inputs(args.fixtures, out)
    with torch.no_grad():
        logits = scripted(torch.from_numpy(inputs))
        eager_logits = eager(torch.from_numpy(inputs))
    assert torch.allclose(logits, eager_logits, atol=1e-5), "TorchScript and eager models disagree"
    predicted = [int(v) for v in logits.argmax(dim=1)]

    maps = synthetic_maps()
    names = list(maps)
    stack = [maps[n] for n in names]
    gradcam_maps = []
    for i in range(len(inputs)):
        with GradCAM(model=eager, target_layers=[eager.layer3]) as cam:
            g = cam(input_tensor=torch.from_numpy(inputs[i:i + 1]), targets=[ClassifierOutputTarget(predicted[i])])
        gradcam_maps.append(np.float32(g[0]))
        names.append(f"gradcam{i}")
        stack.append(gradcam_maps[-1])
    maps_array = np.stack(stack).astype(np.float32)

    base = GradCAM(model=eager, target_layers=[eager.layer3])
    cases = []
    for i in range(len(inputs)):
        kinds = ["blob", "ramp", "noise", "gradcam"] + (["constant"] if i == 0 else [])
        for kind in kinds:
            m = names.index(f"gradcam{i}" if kind == "gradcam" else kind)
            cam = maps_array[m]
            c = predicted[i]
            x = torch.from_numpy(inputs[i:i + 1])
            cams = cam[None]
            entry = {"image": i, "map": m, "kind": kind, "class": c}
            targets = {"softmax": [ClassifierOutputSoftmaxTarget(c)], "logit": [ClassifierOutputTarget(c)]}

            entry["confidence"] = {}
            for tname, t in targets.items():
                entry["confidence"][tname] = {
                    "change": float(CamMultImageConfidenceChange()(x, cams, t, scripted)[0]),
                    "drop": float(DropInConfidence()(x, cams, t, scripted)[0]),
                    "increase": float(IncreaseInConfidence()(x, cams, t, scripted)[0]),
                }
                with torch.no_grad():  # the eager model gives the same scores on the perturbed image
                    assert torch.allclose(scripted(x * torch.from_numpy(cam)), eager(x * torch.from_numpy(cam)),
                                          atol=1e-5)

            soft = targets["softmax"]
            morf = [float(PerturbationConfidenceMetric(RemoveMostRelevantFirst(p, NoisyLinearImputer(noise=0)))(
                x, cams, soft, scripted)[0]) for p in PERCENTILES]
            lerf = [float(PerturbationConfidenceMetric(RemoveLeastRelevantFirst(p, NoisyLinearImputer(noise=0)))(
                x, cams, soft, scripted)[0]) for p in PERCENTILES]
            morf_avg = float(np.mean(np.float32(morf)))
            lerf_avg = float(np.mean(np.float32(lerf)))
            combined = float((np.float32(lerf_avg) - np.float32(morf_avg)) / 2)
            combined_lib = float(noise0_road(PERCENTILES)(x, cams, soft, scripted)[0])
            assert combined == combined_lib, (combined, combined_lib)
            torch.manual_seed(0)
            combined_default = float(ROADCombined(percentiles=PERCENTILES)(x, cams, soft, scripted)[0])
            entry["road"] = {"morf": morf, "lerf": lerf, "morf_avg": morf_avg, "lerf_avg": lerf_avg,
                             "combined": combined, "combined_default_noise": combined_default}

            arcc0 = ARCC(base_method=base)
            arcc0.road = noise0_road(ARCC_PERCENTILES)
            arcc_noise0 = run_arcc(arcc0, x, cams, soft, scripted)
            torch.manual_seed(0)
            arcc_default = run_arcc(ARCC(base_method=base), x, cams, soft, scripted)
            entry["arcc"] = {"noise0": arcc_noise0, "default": arcc_default}

            xi = inputs[i]
            dcurve, dauc = rise_curves(scripted, xi, cam, c, xi, None)
            icurve, iauc = rise_curves(scripted, xi, cam, c, blur(xi), xi)
            entry["deletion"] = {"steps": STEPS, "curve": dcurve, "auc": dauc}
            entry["insertion"] = {"steps": STEPS, "curve": icurve, "auc": iauc}
            cases.append(entry)

    check(cases, scripted, inputs, maps_array, names)

    os.makedirs(out, exist_ok=True)
    np.save(os.path.join(out, "maps.npy"), maps_array)
    np.save(os.path.join(out, "blur0.npy"), blur(inputs[0]))
    doc = {
        "generator": "tools/camkit-export/metric_references.py",
        "pytorch_grad_cam_commit": commit,
        "torch_version": torch.__version__,
        "numpy_version": np.__version__,
        "scipy_version": scipy.__version__,
        "opencv_version": cv2.__version__,
        "stubbed_modules": stubbed,
        "model": "resnet.pt",
        "input": "reference/resnet/input.npy, as 8-bit pictures image0.png and image1.png (written here) normalised"
                 " again as camkit does",
        "inputs": list(range(len(inputs))),
        "predicted": predicted,
        "maps": names,
        "maps_file": "maps.npy",
        "notes": {
            "maps": "blob: exp(-((y-24)^2+(x-40)^2)/200) min-max; ramp: x/63 per column; noise: uniform "
                    f"(numpy default_rng({NOISE_SEED})) blurred by scipy gaussian_filter sigma 4, min-max; constant: "
                    "0.5; gradcamI: pytorch-grad-cam GradCAM(eager, [layer3]) with ClassifierOutputTarget(predicted)",
            "scoring": "TorchScript module, batch 1 per case, torch.no_grad; target class = predicted[image]",
            "confidence": "CamMultImageConfidenceChange / DropInConfidence / IncreaseInConfidence; softmax = "
                          "ClassifierOutputSoftmaxTarget, logit = ClassifierOutputTarget",
            "road": f"percentiles {PERCENTILES}; morf/lerf = PerturbationConfidenceMetric(RemoveMost/"
                    "LeastRelevantFirst(p, NoisyLinearImputer(noise=0))), softmax target; averages are float32 "
                    "means; combined = (lerf_avg - morf_avg)/2, equal to ROADCombined with noise-0 imputers; "
                    "combined_default_noise = ROADCombined() (noise 0.01) right after torch.manual_seed(0)",
            "arcc": f"ARCC(base_method=GradCAM(eager, [layer3]), road_percentiles={ARCC_PERCENTILES}), softmax "
                    "target; noise0: ARCC's .road replaced by a ROADCombined whose morf_averager/lerf_averager "
                    "imputer factories build NoisyLinearImputer(noise=0); default: as shipped after "
                    "torch.manual_seed(0); road = clip(2*road_raw, 0, 1); arcc = ARCC's return value",
            "deletion": "order = argsort(-map.ravel(), stable); step k changes the first floor(k*H*W/S) pixels "
                        "(all channels) to 0; y = softmax[class]; auc = (sum(y) - (y0+yS)/2)/S",
            "insertion": "start = blur(input) (blur0.npy for image 0), step k copies the input into the first "
                         "floor(k*H*W/S) pixels; blur = separable Gaussian, blur_kernel_1d, zero padding 5, "
                         "computed in float64 then float32",
        },
        "steps": STEPS,
        "road_percentiles": PERCENTILES,
        "arcc_road_percentiles": ARCC_PERCENTILES,
        "blur_kernel_1d": floats(blur_kernel_1d()),
        "blur_sigma": BLUR_SIGMA,
        "blur0_file": "blur0.npy",
        "cases": cases,
    }
    with open(os.path.join(out, "metrics.json"), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print(f"wrote {len(cases)} cases, {len(names)} maps to {out}")


def check(cases, model, inputs, maps_array, names):
    """Sanity checks on the values before anything is written."""
    for e in cases:
        for t in e["confidence"].values():
            assert t["drop"] >= 0 and t["increase"] in (0.0, 1.0), e
            assert t["drop"] == max(-t["change"], 0.0) and t["increase"] == float(t["change"] > 0), e
        assert -0.5 <= e["road"]["combined"] <= 0.5, e
        for key in ("deletion", "insertion"):
            assert 0 <= e[key]["auc"] <= 1 and len(e[key]["curve"]) == STEPS + 1, e
        assert e["deletion"]["curve"][0] == softmax_score(model, inputs[e["image"]], e["class"])
        assert e["insertion"]["curve"][-1] == softmax_score(model, inputs[e["image"]], e["class"])
    m = maps_array[names.index("constant")]
    assert m.min() == m.max()
    for name in ("blob", "ramp", "noise", "constant"):
        assert maps_array[names.index(name)].dtype == np.float32
    for name in ("blob", "ramp", "noise"):
        assert maps_array[names.index(name)].min() == 0 and maps_array[names.index(name)].max() == 1
    # constant map: every pixel ties, so deletion follows raster order
    e = next(e for e in cases if e["kind"] == "constant")
    x = inputs[e["image"]]
    raster = []
    for k in range(STEPS + 1):
        cur = x.reshape(3, -1).copy()
        cur[:, :k * x[0].size // STEPS] = 0
        raster.append(softmax_score(model, cur.reshape(x.shape), e["class"]))
    assert raster == e["deletion"]["curve"], (raster, e["deletion"]["curve"])


if __name__ == "__main__":
    main()
