"""Reference values of LIME and KernelSHAP for camkit's Java tests, with the lime and shap packages as oracles.

Writes small float32 .npy files (a few KB) to fixtures/torchscript/reference/lime/:

LIME (lime_image.LimeImageExplainer(random_state=0).explain_instance with its defaults, num_samples=300 to keep the
fixture small, hide_color=None (each segment's mean colour), a fixed segmentation instead of quickshift, and a
small nonlinear "model" of the pixels):
- lime_image.npy    [3,H,W]  the image (H=10, W=12), planar, values in [0, 1];
- lime_segments.npy [H,W]    the segmentation (labels 0..M-1, M=6);
- lime_hidden.npy   [3,H,W]  lime's fudged image (every segment its mean colour);
- lime_model.npy    [3*H*W+2] the model: s = tanh(V . img + b) + 0.3 (V . img)^2 with V = the first 3*H*W values
                    (planar order), b the next; the last value is unused (0);
- lime_z.npy        [S,M]    lime's coalitions ("data", first row all ones), S=300;
- lime_scores.npy   [S]      the model's score of each perturbed image (lime's "labels" column of class 1);
- lime_weights.npy  [S]      lime's kernel weights of the cosine distances (kernel width 0.25);
- lime_fit.npy      [M+2]    lime_base.explain_instance_with_data's coefficients by segment, intercept, score (R^2).
The classifier returns [1 - s, s] per image (s rounded to float32, as saved); label 1 is explained. lime_image needs skimage and tqdm for imports it
does not use here: they are stubbed. lime itself is not installed; its source is read from the git mirror.

KernelSHAP (shap.KernelExplainer(f, zeros((1, M))).shap_values(ones((1, M)), l1_reg=False), so that a coalition is
its own 0/1 mask; f(z) = c . z + z' D z (D upper triangular) + e z_0 z_1 z_2):
- shap_exact_model.npy [M + M*M + 1] c, D (row-major), e for M=9; shap_exact_phi.npy [M+2]: phi, base, f(x):
  nsamples 'auto' (2M + 2048) covers all 2^9 - 2 coalitions, so phi is exact;
- shap_sampled_*.npy for M=12, nsamples=300, np.random.seed(0): masks [S,M], weights [S], ey [S] (f of each
  mask), phi [M+3] (phi, base, f(x), num_full_subsets read from shap's log).

Usage (from tools/camkit-export; the venv has numpy, scipy, scikit-learn, shap):
    target/venv/bin/python agnostic_references.py [--lime-git /work/.mirror/marcotcr+lime/repo] [--out DIR]
"""
import argparse
import importlib
import logging
import os
import subprocess
import sys
import tempfile
import types

import numpy as np


def stub_lime_imports():
    """lime_image imports skimage (gray2rgb, segmentation wrappers) and tqdm; none is used with a given segmentation."""
    skimage = types.ModuleType("skimage")
    color = types.ModuleType("skimage.color")
    color.gray2rgb = lambda image: np.stack([image] * 3, axis=-1)
    segmentation = types.ModuleType("skimage.segmentation")
    for name in ("felzenszwalb", "slic", "quickshift"):
        setattr(segmentation, name, None)
    skimage.color, skimage.segmentation = color, segmentation
    tqdm_auto = types.ModuleType("tqdm.auto")
    tqdm_auto.tqdm = lambda iterable, **kwargs: iterable
    tqdm = types.ModuleType("tqdm")
    tqdm.auto = tqdm_auto
    sys.modules.update({"skimage": skimage, "skimage.color": color, "skimage.segmentation": segmentation,
                        "tqdm": tqdm, "tqdm.auto": tqdm_auto})


def import_lime(git_dir):
    """Exports the lime package from the git mirror into a temporary directory and imports lime_image."""
    root = tempfile.mkdtemp(prefix="lime-src-")
    package = os.path.join(root, "lime")
    os.makedirs(os.path.join(package, "wrappers"))
    os.makedirs(os.path.join(package, "utils"))
    for path in ("lime/__init__.py", "lime/lime_base.py", "lime/lime_image.py", "lime/wrappers/__init__.py",
                 "lime/wrappers/scikit_image.py", "lime/utils/__init__.py", "lime/utils/generic_utils.py"):
        text = subprocess.run(["git", "--git-dir", git_dir, "show", "HEAD:" + path], check=True,
                              capture_output=True).stdout
        with open(os.path.join(root, path), "wb") as f:
            f.write(text)
    with open(os.path.join(package, "__init__.py"), "w") as f:
        f.write("")  # the package's __init__ imports nothing the image explainer needs
    stub_lime_imports()
    sys.path.insert(0, root)
    return importlib.import_module("lime.lime_image")


def lime_case(lime_image, out):
    rng = np.random.RandomState(7)
    h, w, m, samples = 10, 12, 6, 300
    image = rng.rand(h, w, 3).astype(np.float32).astype(np.float64)
    segments = np.zeros((h, w), dtype=np.int64)
    segments[:5, :4], segments[:5, 4:8], segments[:5, 8:] = 0, 1, 2
    segments[5:, :6], segments[5:, 6:9], segments[5:, 9:] = 3, 4, 5
    v = (rng.randn(3, h, w) / 20).astype(np.float32).astype(np.float64)
    b = np.float32(0.1)

    def score(img):  # img [H, W, 3]
        t = float(np.sum(v * np.transpose(img, (2, 0, 1))))
        return np.tanh(t + b) + 0.3 * t * t

    def classifier(images):
        s = np.array([score(img) for img in images], dtype=np.float32).astype(np.float64)  # as saved
        return np.stack([1 - s, s], axis=1)

    explainer = lime_image.LimeImageExplainer(random_state=0)
    captured = {}
    data_labels = explainer.data_labels

    def capture_data(*args, **kwargs):
        data, labels = data_labels(*args, **kwargs)
        captured["z"], captured["labels"] = data, labels
        return data, labels

    explainer.data_labels = capture_data
    fit = explainer.base.explain_instance_with_data

    def capture_fit(data, labels, distances, label, num_features, **kwargs):
        captured["weights"] = explainer.base.kernel_fn(distances)
        return fit(data, labels, distances, label, num_features, **kwargs)

    explainer.base.explain_instance_with_data = capture_fit
    explanation = explainer.explain_instance(image, classifier, labels=(1,), top_labels=None, num_samples=samples,
                                             segmentation_fn=lambda img: segments, random_seed=0, batch_size=10,
                                             progress_bar=False)
    coefficients = np.zeros(m)
    for feature, value in explanation.local_exp[1]:
        coefficients[feature] = value
    hidden = image.copy()
    for x in np.unique(segments):
        hidden[segments == x] = [np.mean(image[segments == x][:, c]) for c in range(3)]
    planar = lambda a: np.ascontiguousarray(np.transpose(a, (2, 0, 1)))
    save(out, "lime_image", planar(image))
    save(out, "lime_segments", segments)
    save(out, "lime_hidden", planar(hidden))
    save(out, "lime_model", np.concatenate([v.ravel(), [b, 0.0]]))
    save(out, "lime_z", captured["z"])
    save(out, "lime_scores", captured["labels"][:, 1])
    save(out, "lime_weights", captured["weights"])
    save(out, "lime_fit", np.concatenate([coefficients, [explanation.intercept[1], explanation.score[1]]]))
    print("lime: R^2", explanation.score[1], "intercept", explanation.intercept[1], "coefficients", coefficients)


class FullSubsetsLog(logging.Handler):
    """Reads num_full_subsets from shap's log (KernelExplainer keeps it in a local variable only)."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.value = None

    def emit(self, record):
        text = record.getMessage()
        if text.startswith("num_full_subsets = "):
            self.value = int(text.split("=")[1])


def shap_model(m, rng):
    c = rng.randn(m).astype(np.float32).astype(np.float64)
    d = np.triu(rng.randn(m, m) / 4, 1).astype(np.float32).astype(np.float64)
    e = np.float64(np.float32(rng.randn()))

    def f(z):
        z = np.atleast_2d(z)
        y = z @ c + np.einsum("ij,jk,ik->i", z, d, z) + e * z[:, 0] * z[:, 1] * z[:, 2]
        return y.astype(np.float32).astype(np.float64)  # the scores as saved, so that both sides fit the same

    return f, np.concatenate([c, d.ravel(), [e]])


def shap_cases(out):
    import shap
    log = FullSubsetsLog()
    logger = logging.getLogger("shap")
    logger.setLevel(logging.INFO)
    logger.addHandler(log)
    rng = np.random.RandomState(11)
    f, params = shap_model(9, rng)
    explainer = shap.KernelExplainer(f, np.zeros((1, 9)))
    phi = explainer.shap_values(np.ones((1, 9)), l1_reg=False, silent=True)[0]
    save(out, "shap_exact_model", params)
    save(out, "shap_exact_phi", np.concatenate([phi, [explainer.expected_value, f(np.ones(9))[0]]]))
    print("shap exact: nsamples", explainer.nsamples, "phi", phi)

    f, params = shap_model(12, rng)
    np.random.seed(0)
    explainer = shap.KernelExplainer(f, np.zeros((1, 12)))
    phi = explainer.shap_values(np.ones((1, 12)), nsamples=300, l1_reg=False, silent=True)[0]
    masks = explainer.maskMatrix
    save(out, "shap_sampled_model", params)
    save(out, "shap_sampled_masks", masks)
    save(out, "shap_sampled_weights", explainer.kernelWeights)
    save(out, "shap_sampled_ey", explainer.ey[:, 0])
    save(out, "shap_sampled_phi", np.concatenate([phi, [explainer.expected_value, explainer.fx[0], log.value]]))
    print("shap sampled: rows", masks.shape[0], "num_full_subsets", log.value, "phi", phi)


def save(out, name, array):
    np.save(os.path.join(out, name + ".npy"), np.ascontiguousarray(array, dtype=np.float32))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lime-git", default="/work/.mirror/marcotcr+lime/repo")
    parser.add_argument("--out", default=os.path.join(here, "..", "..", "fixtures", "torchscript", "reference",
                                                      "lime"))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    lime_case(import_lime(args.lime_git), args.out)
    shap_cases(args.out)


if __name__ == "__main__":
    main()
