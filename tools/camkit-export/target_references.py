"""Reference maps of pytorch-grad-cam's whole-output targets and of sobel_cam for camkit's Java tests.

pytorch-grad-cam is the oracle (imported, never copied). On the resnet TorchScript fixture (fixtures/torchscript/
resnet.pt, its eager twin fixtures.TinyResNet for the hooks) and its two reference inputs as 8-bit pictures
(metric_references.quantised_inputs, the same pictures method_references.py writes), one image at a time, target
layer layer3, GradCAM(model, [layer3]) with:

- scores:          RawScoresOutputTarget(), summed: it returns the output vector, and pytorch-grad-cam's BaseCAM
                   back-propagates sum(target(output) per image), still a vector, so loss.backward() raises
                   "grad can be implicitly created only for scalar outputs" (recorded in targets.json); Summed
                   below sums it, which is backward with a seed of ones, what camkit's target does;
- softmax-vector:  SoftmaxOutputTarget(), summed likewise: softmax(output) sums to 1 whatever the output, so the
                   gradient is zero up to float32 rounding; targets.json records, per image, the seed and layer
                   gradient torch got (image 0: about 1e-7 and 1e-9, which the min-max normalisation blows up to
                   a full-range map of rounding noise; image 1: exactly zero, a flat zero map);
- similarity:      SimilarityToConceptTarget(concept), difference: DifferenceFromConceptTarget(concept), the two
                   targets of pytorch-grad-cam's tutorial "Pixel Attribution for embeddings" (defined there, not in
                   the library; restated below from it): torch.nn.CosineSimilarity(dim=0)(output, concept) and
                   1 - that. The concept for image i is the model's output (logits, float32) for the other image,
                   written as concept<i>.npy [K].

and sobel_cam(rgb) (pytorch_grad_cam.sobel_cam) on both 8-bit RGB pictures.

Writes fixtures/torchscript/reference/targets/: image0.png, image1.png (the inputs), concept0.npy, concept1.npy
([10] float32), <target>.npy [2,64,64] float32 (the grayscale_cam GradCAM returns) for scores, softmax-vector,
similarity, difference; scores_layer2.npy (scores at layer2: at layer3 the summed raw scores give a map negative
everywhere, so all zero after ReLU, which proves little); sobel_raw.npy [2,64,64] float32 (sobel_cam's uint8 values 0..255) and sobel.npy (those
after pytorch-grad-cam's scale_cam_image min-max, as camkit's core normalises every map); targets.json (versions,
targets, scores, seeds, notes).

Usage (from tools/camkit-export; the venv of target/venv has torch, numpy, scipy, opencv-python-headless):

    target/venv/bin/python target_references.py --grad-cam DIR [--grad-cam-commit SHA] [--fixtures DIR] [--out DIR]

DIR as for metric_references.py: a folder containing pytorch_grad_cam/ (or env PYTORCH_GRAD_CAM), or a
pytorch-grad-cam git directory, e.g. --grad-cam /work/.mirror/jacobgil+pytorch-grad-cam/repo. A few seconds;
deterministic.
"""

import argparse
import json
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import metric_references as mr  # noqa: E402

TARGETS = ["scores", "softmax-vector", "similarity", "difference"]
# at layer3 the summed raw scores give a map that is negative everywhere (all zero after ReLU): layer2 shows one
EXTRA = {"scores_layer2": ("scores", "layer2")}


class SimilarityToConceptTarget:
    """pytorch-grad-cam's tutorial "Pixel Attribution for embeddings": cosine similarity to a concept vector."""

    def __init__(self, features):
        self.features = features

    def __call__(self, model_output):
        return torch.nn.CosineSimilarity(dim=0)(model_output, self.features)


class DifferenceFromConceptTarget:
    """The same tutorial: 1 - cosine similarity to a concept vector."""

    def __init__(self, features):
        self.features = features

    def __call__(self, model_output):
        return 1 - torch.nn.CosineSimilarity(dim=0)(model_output, self.features)


class Summed:
    """target(output).sum(): what a vector target means to a gradient method. pytorch-grad-cam's BaseCAM
    back-propagates sum(target(output) for each image), which for a vector target is still a vector, and
    loss.backward() then raises "grad can be implicitly created only for scalar outputs"; summing it is
    backward(gradient=ones), the seed camkit's scores target gives."""

    def __init__(self, target):
        self.target = target

    def __call__(self, model_output):
        return self.target(model_output).sum()


def unsummed_error(cam_class, model, x, target):
    """The error pytorch-grad-cam raises for a vector target, recorded in targets.json (None if it raises none)."""
    try:
        with cam_class(model=model, target_layers=[model.layer3]) as cam:
            cam(input_tensor=x.clone(), targets=[target])
    except RuntimeError as e:
        return f"{type(e).__name__}: {e}"
    return None


def output_gradient(target, output):
    """d target(output).sum() / d output, as BaseCAM's backward seeds the network."""
    y = output.detach().clone().requires_grad_(True)
    value = target(y).sum()
    return float(value.detach()), torch.autograd.grad(value, y)[0].numpy().astype(np.float64)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--grad-cam", default=os.environ.get("PYTORCH_GRAD_CAM"),
                        help="folder containing pytorch_grad_cam/, or a pytorch-grad-cam git directory")
    parser.add_argument("--grad-cam-commit", default=None, help="commit to record (default: git rev-parse HEAD)")
    parser.add_argument("--fixtures", default=mr.DEFAULT_FIXTURES, help="fixtures/torchscript folder")
    parser.add_argument("--out", default=None, help="output folder (default: <fixtures>/reference/targets)")
    args = parser.parse_args(argv)
    if not args.grad_cam:
        parser.error("--grad-cam DIR (or env PYTORCH_GRAD_CAM) is required")
    out = args.out or os.path.join(args.fixtures, "reference", "targets")
    source, commit = mr.locate_grad_cam(args.grad_cam, args.grad_cam_commit)
    stubbed = mr.import_grad_cam(source)

    import cv2
    from pytorch_grad_cam import GradCAM
    from pytorch_grad_cam.sobel_cam import sobel_cam
    from pytorch_grad_cam.utils.image import scale_cam_image
    from pytorch_grad_cam.utils.model_targets import RawScoresOutputTarget, SoftmaxOutputTarget

    torch.set_num_threads(max(1, min(4, os.cpu_count() or 1)))
    torch.backends.nnpack.set_flags(False)
    scripted, eager = mr.load_models(args.fixtures)
    inputs = mr.quantised_inputs(args.fixtures, out)
    with torch.no_grad():
        logits = scripted(torch.from_numpy(inputs))
        eager_logits = eager(torch.from_numpy(inputs))
    assert torch.allclose(logits, eager_logits, atol=1e-5), "TorchScript and eager models disagree"
    n = len(inputs)
    concepts = [logits[1 - i].numpy().astype(np.float32) for i in range(n)]
    for i, c in enumerate(concepts):
        np.save(os.path.join(out, "concept%d.npy" % i), c)

    def targets_for(i):
        concept = torch.from_numpy(np.load(os.path.join(out, "concept%d.npy" % i)))
        return {"scores": Summed(RawScoresOutputTarget()), "softmax-vector": Summed(SoftmaxOutputTarget()),
                "similarity": SimilarityToConceptTarget(concept), "difference": DifferenceFromConceptTarget(concept)}

    runs = [(t, t, "layer3") for t in TARGETS] + [(f, t, layer) for f, (t, layer) in EXTRA.items()]
    maps = {f: [] for f, _, _ in runs}
    per_image = {f: [] for f, _, _ in runs}
    for i in range(n):
        x = torch.from_numpy(inputs[i:i + 1])
        targets = targets_for(i)
        for name, spec, layer in runs:
            target = targets[spec]
            with GradCAM(model=eager, target_layers=[getattr(eager, layer)]) as cam:
                result = cam(input_tensor=x.clone(), targets=[target])
                layer_gradient = cam.activations_and_grads.gradients[0]
            maps[name].append(np.asarray(result[0], dtype=np.float32))
            score, seed = output_gradient(target, logits[i])
            per_image[name].append({"image": i, "score": score, "seed": [float(v) for v in seed],
                                    "max_abs_layer_gradient": float(np.abs(layer_gradient.numpy()).max()),
                                    "map_min": float(result[0].min()), "map_max": float(result[0].max())})

    x0 = torch.from_numpy(inputs[:1])
    unsummed = {"scores": unsummed_error(GradCAM, eager, x0, RawScoresOutputTarget()),
                "softmax-vector": unsummed_error(GradCAM, eager, x0, SoftmaxOutputTarget())}

    pixels = []
    for i in range(n):
        bgr = cv2.imread(os.path.join(out, "image%d.png" % i), cv2.IMREAD_COLOR)
        pixels.append(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
    sobel_raw = np.stack([sobel_cam(p) for p in pixels]).astype(np.float32)
    sobel = scale_cam_image(sobel_raw)

    arrays = {f: np.stack(maps[f]).astype(np.float32) for f, _, _ in runs}
    for t, a in list(arrays.items()) + [("sobel", sobel), ("sobel_raw", sobel_raw)]:
        assert a.shape == (n, mr.SIZE, mr.SIZE) and np.isfinite(a).all(), (t, a.shape)
        np.save(os.path.join(out, t + ".npy"), a.astype(np.float32))

    flat_softmax = bool(np.all(arrays["softmax-vector"] == arrays["softmax-vector"].reshape(n, -1)[:, :1, None]))
    doc = {
        "generator": "tools/camkit-export/target_references.py",
        "pytorch_grad_cam_commit": commit,
        "torch_version": torch.__version__,
        "numpy_version": np.__version__,
        "opencv_version": cv2.__version__,
        "stubbed_modules": stubbed,
        "model": "resnet.pt (hooks on fixtures.TinyResNet loaded with its state dict; logits agree within 1e-5)",
        "input": "reference/resnet/input.npy as 8-bit pictures image0.png and image1.png (written here), "
                 "normalised again as camkit does: float32 (v/255 - mean)/std",
        "target_layer": "layer3; scores also at layer2 (scores_layer2.npy)",
        "method": "GradCAM(model, target_layers=[model.layer3]), one image per call",
        "logits": [[float(v) for v in row] for row in logits],
        "concepts": {"concept%d.npy" % i: "logits of image %d, the concept for image %d" % (1 - i, i)
                     for i in range(n)},
        "targets": {
            "scores": {"class": "pytorch_grad_cam.utils.model_targets.RawScoresOutputTarget(), summed",
                       "rule": "returns the output vector; used as is, GradCAM raises (see unsummed_error); "
                               "summed (Summed(target): target(output).sum(), i.e. backward with a seed of ones)",
                       "unsummed_error": unsummed["scores"]},
            "softmax-vector": {"class": "pytorch_grad_cam.utils.model_targets.SoftmaxOutputTarget(), summed",
                               "rule": "returns softmax(output, dim=-1); used as is, GradCAM raises (see "
                                       "unsummed_error); summed, the score is sum p = 1 and d sum / d output = "
                                       "p (1 - sum p) = 0 in real arithmetic; float32 rounding of sum p decides "
                                       "torch's",
                               "unsummed_error": unsummed["softmax-vector"],
                               "maps_all_flat": flat_softmax},
            "similarity": {"class": "SimilarityToConceptTarget(concept) (tutorial 'Pixel Attribution for "
                                    "embeddings')",
                           "rule": "CosineSimilarity(dim=0)(output, concept) (eps 1e-8): s = y.c / (|y| |c|); "
                                   "d s / d y = c / (|y| |c|) - s y / |y|^2"},
            "difference": {"class": "DifferenceFromConceptTarget(concept) (same tutorial)",
                           "rule": "1 - CosineSimilarity(dim=0)(output, concept); seed = -(that of similarity)"},
            "sobel": {"function": "pytorch_grad_cam.sobel_cam.sobel_cam(rgb uint8 HxWx3)",
                      "rule": "cv2.cvtColor(RGB2GRAY); cv2.Sobel(CV_64F, dx, dy, ksize=3) (BORDER_REFLECT_101); "
                              "convertScaleAbs; addWeighted(0.5, 0.5, 0) -> uint8. sobel.npy = scale_cam_image("
                              "float32 of that): x - min, / (1e-7 + max)"},
        },
        "per_image": per_image,
        "postprocess": "GradCAM maps go through BaseCAM: ReLU, scale_cam_image (min-max with 1e-7) and "
                       "cv2.resize to 64x64, aggregate_multi_layers (ReLU, mean, scale_cam_image again).",
    }
    with open(os.path.join(out, "targets.json"), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print(f"wrote {len(TARGETS)} targets and sobel x {n} images to {out}")
    for t, a in list(arrays.items()) + [("sobel", sobel)]:
        print(f"  {t:15s} min {a.min():.6g} max {a.max():.6g} mean {a.mean():.6g}")
    for e in per_image["softmax-vector"]:
        print("  softmax-vector image", e["image"], "score", repr(e["score"]), "max |seed|",
              max(abs(v) for v in e["seed"]), "max |layer gradient|", e["max_abs_layer_gradient"])


if __name__ == "__main__":
    main()
