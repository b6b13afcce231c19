"""Reference maps of torch-cam's SS-CAM and IS-CAM for camkit's Java tests, with torch-cam itself as the oracle.

Runs torch-cam's SSCAM and ISCAM (torchcam/methods/activation.py, imported from a temporary extraction of a
torch-cam git directory or from a folder holding torchcam/) on the resnet TorchScript fixture's eager twin
(fixtures.TinyResNet with the state dict of fixtures/torchscript/resnet.pt), target layer layer3, the two reference
inputs as 8-bit pictures (metric_references.quantised_inputs), class_idx = the predicted class, one image per call:

- sscam:        SSCAM(model, "layer3", input_shape=(3, 64, 64)) with its defaults (num_samples=35, std=2.0,
                batch_size=32); camkit: sscam with its defaults (seed 0);
- sscam_seed7:  SSCAM(..., num_samples=4, std=0.5); camkit: sscam with samples=4, noise=0.5, seed=7;
- iscam:        ISCAM(model, "layer3", input_shape=(3, 64, 64)) with its defaults (num_samples=10, batch_size=32);
- smoothgradcampp: SmoothGradCAMpp(model, "layer3", input_shape=(3, 64, 64)) with its defaults (num_samples=4,
                std=0.3); camkit: smoothgradcam++ with its defaults (seed 0).

SS-CAM's and Smooth Grad-CAM++'s noise: torch-cam draws it from torch's generator (self._distrib.sample(shape), Normal(0, std)); here that
call is patched to return std * g as float32, g the Gaussians of java.util.Random(seed).nextGaussian() (its Javadoc
specifies the algorithm; ported below with numpy and checked against values Java printed), drawn afresh for each
image, in the order torch-cam asks for them: per sample, the [1, C, 64, 64] noise in row-major order. camkit's sscam
draws the same numbers in the same order, so the comparison is exact, not statistical.

Writes fixtures/torchscript/reference/torchcam/: image0.png, image1.png (the inputs), <case>_layer.npy [2, 8, 8]
float32 (torch-cam's cam: sum_k w_k A_k, ReLU, its min-max with 1e-8, at the layer's resolution), <case>.npy
[2, 64, 64] float32 (that map post-processed as camkit's core and pytorch-grad-cam do: max(0), min-max with 1e-7,
cv2.resize INTER_LINEAR to 64x64, max(0), min-max with 1e-7) and torchcam.json (commit, versions, options, predicted
classes, notes).

Usage (from tools/camkit-export, in target/venv, which has torch, numpy and opencv-python-headless):

    python torchcam_references.py --torch-cam /work/.mirror/frgfm+torch-cam/repo [--fixtures DIR] [--out DIR]

--torch-cam: a torch-cam git directory (bare is fine; HEAD's torchcam/ is extracted with git archive) or a folder
containing torchcam/. torch-cam is imported as users import it; its package metadata (importlib.metadata.version,
which torchcam/__init__.py reads) is answered from its pyproject.toml, since it is not pip-installed. A few seconds.
"""

import argparse
import importlib.metadata
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import metric_references as mr  # noqa: E402

LAYER = "layer3"
CASES = {
    "sscam": {"method": "sscam", "torchcam": {}, "camkit": {}, "seed": 0},
    "sscam_seed7": {"method": "sscam", "torchcam": {"num_samples": 4, "std": 0.5},
                    "camkit": {"samples": "4", "noise": "0.5", "seed": "7"}, "seed": 7},
    "iscam": {"method": "iscam", "torchcam": {}, "camkit": {}},
    "smoothgradcampp": {"method": "smoothgradcam++", "torchcam": {}, "camkit": {}, "seed": 0},
}
CLASSES = {"sscam": "SSCAM", "iscam": "ISCAM", "smoothgradcam++": "SmoothGradCAMpp"}
# java.util.Random(0).nextGaussian(), five times, as OpenJDK 17 printed them
JAVA_GAUSSIANS_SEED0 = [0.8025330637390305, -0.9015460884175122, 2.080920790428163, 0.7637707684364894,
                        0.9845745328825128]
_EXTRACTED = None


class JavaRandom:
    """java.util.Random's nextGaussian stream: the 48-bit LCG (multiplier 0x5DEECE66D, addend 11), nextDouble from
    next(26) and next(27), the polar method with StrictMath's sqrt(-2 log(s) / s), the second Gaussian of each pair
    kept for the next call. Vectorised: the LCG jumps ahead with precomputed powers (uint64 arithmetic wraps modulo
    2^64, which 2^48 divides)."""

    MULT, ADDEND, MASK = 0x5DEECE66D, 0xB, (1 << 48) - 1
    CHUNK = 1 << 20  # states per step, a multiple of 4 (one polar attempt = 4 states)

    def __init__(self, seed):
        self.state = np.uint64((seed ^ self.MULT) & self.MASK)
        powers = np.cumprod(np.full(self.CHUNK, self.MULT, dtype=np.uint64))  # MULT^j, j = 1..CHUNK, mod 2^64
        self.a = powers & np.uint64(self.MASK)
        previous = np.concatenate([[np.uint64(1)], powers[:-1]])
        self.c = (np.uint64(self.ADDEND) * np.cumsum(previous, dtype=np.uint64)) & np.uint64(self.MASK)
        self.buffer = np.empty(0)

    def _states(self):
        with np.errstate(over="ignore"):
            states = (self.a * self.state + self.c) & np.uint64(self.MASK)
        self.state = states[-1]
        return states

    def gaussians(self, count):
        parts, have = [self.buffer], len(self.buffer)
        while have < count:
            s = self._states().reshape(-1, 4)
            d = ((s[:, [0, 2]] >> np.uint64(22)).astype(np.int64) * (1 << 27)
                 + (s[:, [1, 3]] >> np.uint64(21)).astype(np.int64)) * 2.0 ** -53
            v = 2 * d - 1
            r = v[:, 0] * v[:, 0] + v[:, 1] * v[:, 1]
            ok = (r < 1) & (r != 0)
            v, r = v[ok], r[ok]
            g = (v * np.sqrt(-2 * np.log(r) / r)[:, None]).reshape(-1)
            parts.append(g)
            have += len(g)
        out = np.concatenate(parts)
        self.buffer = out[count:]
        return out[:count]


class JavaNoise:
    """Stands in for torch-cam's Normal(0, std): sample(shape) returns float32(std * g), g from JavaRandom."""

    def __init__(self, seed, std):
        self.random, self.std, self.drawn = JavaRandom(seed), std, 0

    def sample(self, shape):
        count = int(np.prod(shape))
        self.drawn += count
        return torch.from_numpy((self.std * self.random.gaussians(count)).astype(np.float32).reshape(tuple(shape)))


def locate_torch_cam(path):
    """(folder to put on sys.path, commit, version) for a folder holding torchcam/ or a torch-cam git directory."""
    global _EXTRACTED  # removed at exit
    path = os.path.abspath(path)
    if os.path.isdir(os.path.join(path, "torchcam")):
        source, commit = path, "unknown"
        pyproject = open(os.path.join(path, "pyproject.toml")).read() \
            if os.path.isfile(os.path.join(path, "pyproject.toml")) else ""
    else:
        git = ["git", "--git-dir", path]
        commit = subprocess.run(git + ["rev-parse", "HEAD"], check=True, capture_output=True, text=True).stdout.strip()
        pyproject = subprocess.run(git + ["show", "HEAD:pyproject.toml"], check=True, capture_output=True,
                                   text=True).stdout
        _EXTRACTED = tempfile.TemporaryDirectory(prefix="torch-cam-")
        archive = subprocess.run(git + ["archive", "HEAD", "torchcam"], check=True, capture_output=True).stdout
        with tempfile.TemporaryFile() as f:
            f.write(archive)
            f.seek(0)
            with tarfile.open(fileobj=f) as tar:
                tar.extractall(_EXTRACTED.name, filter="data")
        source = _EXTRACTED.name
    match = re.search(r'^version\s*=\s*"([^"]+)"', pyproject, re.M)
    return source, commit, match.group(1) if match else "unknown"


def import_torch_cam(source, version):
    """Imports torchcam.methods from source; torchcam/__init__.py asks importlib.metadata for its version."""
    real = importlib.metadata.version
    importlib.metadata.version = lambda name: version if name == "torchcam" else real(name)
    try:
        sys.path.insert(0, source)
        import torchcam.methods
    finally:
        importlib.metadata.version = real
    return torchcam.methods


def camkit_postprocess(cam, size):
    """camkit's core (pytorch-grad-cam's BaseCAM): max(0), min-max 1e-7, cv2.resize, max(0), min-max 1e-7."""
    import cv2

    def scale(m):
        m = m - np.min(m)
        return m / (1e-7 + np.max(m))

    m = scale(np.maximum(cam.astype(np.float32), 0))
    m = cv2.resize(m.astype(np.float32), (size, size))
    return scale(np.maximum(m, 0)).astype(np.float32)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--torch-cam", default=os.environ.get("TORCH_CAM"),
                        help="a torch-cam git directory, or a folder containing torchcam/")
    parser.add_argument("--fixtures", default=mr.DEFAULT_FIXTURES, help="fixtures/torchscript folder")
    parser.add_argument("--out", default=None, help="output folder (default: <fixtures>/reference/torchcam)")
    args = parser.parse_args(argv)
    if not args.torch_cam:
        parser.error("--torch-cam DIR (or env TORCH_CAM) is required")
    out = args.out or os.path.join(args.fixtures, "reference", "torchcam")

    head = JavaRandom(0).gaussians(5)
    assert np.allclose(head, JAVA_GAUSSIANS_SEED0, rtol=0, atol=1e-15), ("java.util.Random port", head)

    source, commit, version = locate_torch_cam(args.torch_cam)
    methods = import_torch_cam(source, version)
    import cv2

    torch.set_num_threads(max(1, min(4, os.cpu_count() or 1)))
    torch.backends.nnpack.set_flags(False)
    scripted, eager = mr.load_models(args.fixtures)
    inputs = mr.quantised_inputs(args.fixtures, out)
    with torch.no_grad():
        logits = scripted(torch.from_numpy(inputs))
        assert torch.allclose(logits, eager(torch.from_numpy(inputs)), atol=1e-5), "TorchScript and eager disagree"
    predicted = [int(v) for v in logits.argmax(dim=1)]
    size = inputs.shape[-1]

    layers, maps, drawn = {}, {}, {}
    for name, case in CASES.items():
        cls = getattr(methods, CLASSES[case["method"]])
        noisy = "seed" in case
        layers[name], maps[name], drawn[name] = [], [], []
        for i in range(len(inputs)):
            x = torch.from_numpy(inputs[i:i + 1]).clone()
            with cls(eager, LAYER, input_shape=(3, size, size), **case["torchcam"]) as extractor:
                if noisy:
                    extractor._distrib = JavaNoise(case["seed"], extractor.std)
                if case["method"] == "smoothgradcam++":
                    eager(x)  # with gradients: the extractor back-propagates from its noisy passes
                else:
                    with torch.no_grad():
                        eager(x)
                cam = extractor(class_idx=predicted[i])[0][0].detach().numpy().astype(np.float32)
                if noisy:
                    drawn[name].append(extractor._distrib.drawn)
            layers[name].append(cam)
            maps[name].append(camkit_postprocess(cam, size))

    os.makedirs(out, exist_ok=True)
    for name in CASES:
        np.save(os.path.join(out, name + "_layer.npy"), np.stack(layers[name]).astype(np.float32))
        np.save(os.path.join(out, name + ".npy"), np.stack(maps[name]).astype(np.float32))
    doc = {
        "generator": "tools/camkit-export/torchcam_references.py",
        "torch_cam_commit": commit,
        "torch_cam_version": version,
        "torch_version": torch.__version__,
        "numpy_version": np.__version__,
        "opencv_version": cv2.__version__,
        "model": "resnet.pt (torch-cam's hooks on fixtures.TinyResNet with its state dict; logits agree within 1e-5)",
        "input": "reference/resnet/input.npy as 8-bit pictures image0.png and image1.png (written here), normalised "
                 "again as camkit does: float32 (v/255 - mean)/std",
        "target_layer": LAYER,
        "layer_shape": list(np.stack(layers["iscam"]).shape[1:]),
        "input_size": [size, size],
        "batch": "one image per call; class_idx = predicted[image]",
        "predicted": predicted,
        "cases": {name: {"torchcam": {"class": "torchcam.methods." + CLASSES[c["method"]], "kwargs": c["torchcam"]},
                         "camkit": {"method": c["method"], "options": c["camkit"]},
                         "noise": ("java.util.Random(%d).nextGaussian() * std, float32, per image; values drawn: %s"
                                   % (c["seed"], drawn[name])) if "seed" in c else None,
                         "files": {"maps": name + ".npy", "layer": name + "_layer.npy"}}
                  for name, c in CASES.items()},
        "torchcam_semantics": "mask_k = F.interpolate(min-max_1e-8(A_k) at the layer, input size, bilinear, "
                              "align_corners=False) (the min-max per channel before upsampling); SSCAM: score "
                              "f(X * (mask_k + noise)); ISCAM: score f(coeff_j * (X * mask_k)), coeff_j = sum_{i<=j} "
                              "i/N (cumulative: 0.1 .. 5.5 for N = 10); weights = softmax_k(mean_j (score - f(X))); "
                              "cam = ReLU(sum_k w_k A_k), min-max with 1e-8 (<case>_layer.npy). SmoothGradCAMpp: "
                              "D2, D3 = mean over noisy copies of G^2, G^3; alpha = D2 / (2 D2 + sum_ab D3 A_clean "
                              "+ 1e-8); w_k = sum_ij alpha ReLU(G_last); cam = ReLU(sum_k w_k A_last): its hooks "
                              "keep the last noisy copy's gradients and activations",
        "postprocess": "<case>.npy = camkit's core on the layer map: max(0), min-max 1e-7, cv2.resize INTER_LINEAR to "
                       "64x64, max(0), min-max 1e-7 (pytorch-grad-cam's BaseCAM, as camkit's core does)",
    }
    with open(os.path.join(out, "torchcam.json"), "w") as f:
        json.dump(doc, f, indent=1)
    print("torchcam_references: wrote %s (%s), predicted %s" % (out, ", ".join(CASES), predicted))


if __name__ == "__main__":
    main()
