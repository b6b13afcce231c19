"""Reference values of Partition SHAP for camkit's Java tests, with shap itself as the oracle.

Runs shap's PartitionExplainer (the `owen` algorithm, fixed_context None) with shap.maskers.Image on two models and
writes fixtures/torchscript/reference/partitionshap/:

TorchScript fixture (fixtures/torchscript/resnet.pt), its two reference inputs quantised to 8-bit PNGs and
normalised again as camkit does (metric_references.quantised_inputs), one image at a time, explaining the logit of
the class predicted on the clean image. The masker works on the normalised image (H, W, C); blurring is linear, so
this equals blurring the 8-bit picture and normalising it. Cases (partitionshap.json "cases"):

- blur:   maskers.Image("blur(37,37)", (64, 64, 3)), max_evals 500, batch_size 64, both images;
- inpaint: maskers.Image("inpaint_telea", (64, 64, 3)) on the 8-bit picture (pixel values 0..255; the model
          normalises them), max_evals 300, batch_size 64, both images;
- colour: maskers.Image(<the colour (128, 64, 200) normalised, everywhere>, (64, 64, 3)), max_evals 300,
          batch_size 10, image 1.

  image0.png, image1.png        the inputs camkit reads;
  resnet_<case>.npy             [images, 64, 64] float32: shap's values summed over the 3 channels (the per-pixel
                                Owen value; shap.image_plot shows the same sum);
  partitionshap.json            per case and image: the predicted class, shap's expected value f(baseline), f(x),
                                the number of model evaluations shap made, and the settings above.

Small model (exact agreement without an engine in between): a 6x7 RGB image (seed 20240613),
f(x) = sigmoid(w . x) + 0.5 (v . x)^2 with fixed random w, v (float64, returned as float32), on which camkit's unit
test computes the same function in Java. Cases: blur(3,3) with max_evals 100000 (the whole tree), 60/batch 6,
200/batch 16, and the constant 64/255 (camkit's colour=64,64,64 with mean 0, std 1) with max_evals
100/batch 10.

  small_input.npy, small_w.npy, small_v.npy   [3, 6, 7] float32 (channel-first, as camkit holds images);
  small_values.npy              [4, 6, 7] float32, the per-pixel values of the four cases in that order;
  small_scores.npy              [4, 3] float32: f(x), f(baseline), model evaluations.

shap's priority queue breaks ties between equal priorities with np.random.randn(); every case is run twice with
different numpy seeds and must give the same values, so that no tie decided anything (camkit breaks ties first in,
first out). Each batch's masks go to the model in one call, as shap's MaskedModel does. A new masker explains each
image: maskers.Image caches its blurred image by id() of a temporary view, which a later image may reuse.

shap 0.51's build_partition_tree refers to the leaf of feature k as M - 1 - k, so the cells its masks hide are the
point reflections of the cells it builds: a side of odd length n splits into the first ceil(n / 2) and the last
floor(n / 2); camkit builds that tree (the same cells for the 64 x 64 fixture down to single pixels; the 6 x 7 small
model shows the difference).

Usage (from tools/camkit-export, in target/venv with shap 0.51.0, numba, opencv-python-headless):

    python partition_references.py [--fixtures DIR] [--out DIR]

About a minute on 2 CPUs; deterministic (the run-twice check above).
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

SIZE = 64
BLUR = 37  # shap's image examples use blur(128,128) at 224 px: round(128 * 64 / 224) = 37
COLOUR = (128, 64, 200)
SMALL_SEED = 20240613
SMALL_H, SMALL_W = 6, 7
# the constant is the 8-bit grey 64 normalised with mean 0, std 1 (as a float32), which camkit's colour=64,64,64 gives
GREY = float(np.float32(64) / np.float32(255))
SMALL_CASES = [("blur(3,3)", 100000, 64), ("blur(3,3)", 60, 6), ("blur(3,3)", 200, 16), (GREY, 100, 10)]


class Counting:
    """A batched model f(masked inputs (B, H, W, C)) -> (B,) float32 that counts its evaluations."""

    def __init__(self, score):
        self.score = score
        self.evals = 0

    def __call__(self, x):
        x = np.asarray(x, dtype=np.float32)
        self.evals += len(x)
        return np.asarray(self.score(x), dtype=np.float32).reshape(len(x))


def explain(shap, model, masker, image_hwc, max_evals, batch_size):
    """shap's PartitionExplainer on one image, run with two numpy seeds (the results must agree)."""
    runs = []
    for seed in (0, 1):
        np.random.seed(seed)
        model.evals = 0
        explainer = shap.PartitionExplainer(model, masker)
        e = explainer(image_hwc[None], max_evals=max_evals, batch_size=batch_size, silent=True)
        runs.append((np.asarray(e.values[0], dtype=np.float64).sum(-1), float(e.base_values[0]), model.evals,
                     explainer.last_eval_count))
    assert np.array_equal(runs[0][0], runs[1][0]), "a tie in shap's priority queue changed the values"
    values, base, evals, owen_evals = runs[0]
    assert evals == owen_evals + 2, (evals, owen_evals)
    return values.astype(np.float32), base, evals


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fixtures", default=mr.DEFAULT_FIXTURES, help="fixtures/torchscript folder")
    parser.add_argument("--out", default=None, help="output folder (default: <fixtures>/reference/partitionshap)")
    args = parser.parse_args(argv)
    out = args.out or os.path.join(args.fixtures, "reference", "partitionshap")

    import shap

    torch.set_num_threads(max(1, min(4, os.cpu_count() or 1)))
    torch.backends.nnpack.set_flags(False)
    with open(os.path.join(args.fixtures, "resnet.json")) as f:
        descriptor = json.load(f)
    mean = np.array(descriptor["mean"], dtype=np.float32)
    std = np.array(descriptor["std"], dtype=np.float32)
    scripted, _ = mr.load_models(args.fixtures)
    inputs = mr.quantised_inputs(args.fixtures, out)
    with torch.no_grad():
        predicted = [int(v) for v in scripted(torch.from_numpy(inputs)).argmax(dim=1)]

    def logit(c):
        def score(x):
            with torch.no_grad():
                return scripted(torch.from_numpy(np.ascontiguousarray(x.transpose(0, 3, 1, 2))))[:, c].numpy()
        return score

    colour = (np.array(COLOUR, dtype=np.float32) / np.float32(255) - mean) / std
    cases = {
        "blur": dict(mask_value="blur(%d,%d)" % (BLUR, BLUR), max_evals=500, batch_size=64, images=[0, 1]),
        "colour": dict(mask_value=np.broadcast_to(colour, (SIZE, SIZE, 3)).astype(np.float32).copy(),
                       max_evals=300, batch_size=10, images=[1], colour=list(COLOUR)),
    }
    meta = {"shap": shap.__version__, "numpy": np.__version__, "torch": torch.__version__,
            "target": "the logit of the class predicted on the clean image", "predicted": predicted, "cases": {}}
    # inpainting works on the 8-bit picture (shap casts to uint8): the masker gets the pixel values 0..255 and the
    # model normalises them, as camkit's copies are the inpainted 8-bit picture normalised again
    cases["inpaint"] = dict(mask_value="inpaint_telea", max_evals=300, batch_size=64, images=[0, 1], pixels=True)

    def normalised(score):
        return lambda x: score(((x / np.float32(255)) - mean) / std)

    for name, case in cases.items():
        maps, rows = [], []
        for i in case["images"]:
            masker = shap.maskers.Image(case["mask_value"], (SIZE, SIZE, 3))
            pixels = case.get("pixels", False)
            model = Counting(normalised(logit(predicted[i])) if pixels else logit(predicted[i]))
            image = np.ascontiguousarray(inputs[i].transpose(1, 2, 0))
            if pixels:
                image = np.round((image * std + mean) * 255).astype(np.float32)
            values, base, evals = explain(shap, model, masker, image, case["max_evals"], case["batch_size"])
            fx = float((normalised(logit(predicted[i])) if pixels else logit(predicted[i]))(image[None])[0])
            maps.append(values)
            rows.append({"image": i, "class": predicted[i], "f(x)": fx, "f(baseline)": base, "evals": evals,
                         "sum": float(values.astype(np.float64).sum())})
        np.save(os.path.join(out, "resnet_%s.npy" % name), np.stack(maps).astype(np.float32))
        entry = {k: v for k, v in case.items() if k != "mask_value"}
        entry["masker"] = case["mask_value"] if isinstance(case["mask_value"], str) else "colour"
        entry["results"] = rows
        meta["cases"][name] = entry

    rng = np.random.default_rng(SMALL_SEED)
    small = rng.uniform(-1, 1, (3, SMALL_H, SMALL_W)).astype(np.float32)
    w = (rng.normal(size=(3, SMALL_H, SMALL_W)) / 4).astype(np.float32)
    v = (rng.normal(size=(3, SMALL_H, SMALL_W)) / 4).astype(np.float32)
    w_hwc = w.transpose(1, 2, 0).astype(np.float64)
    v_hwc = v.transpose(1, 2, 0).astype(np.float64)

    def small_score(x):
        x = x.astype(np.float64)
        a = (x * w_hwc).sum((1, 2, 3))
        b = (x * v_hwc).sum((1, 2, 3))
        return 1 / (1 + np.exp(-a)) + 0.5 * b * b

    values, scores, small_meta = [], [], []
    for mask_value, max_evals, batch_size in SMALL_CASES:
        masker = shap.maskers.Image(mask_value, (SMALL_H, SMALL_W, 3))
        model = Counting(small_score)
        image = np.ascontiguousarray(small.transpose(1, 2, 0))
        vals, base, evals = explain(shap, model, masker, image, max_evals, batch_size)
        fx = float(np.float32(small_score(image[None])[0]))
        values.append(vals)
        scores.append([fx, base, evals])
        small_meta.append({"masker": mask_value, "max_evals": max_evals, "batch_size": batch_size, "f(x)": fx,
                           "f(baseline)": base, "evals": evals})
    np.save(os.path.join(out, "small_input.npy"), small)
    np.save(os.path.join(out, "small_w.npy"), w)
    np.save(os.path.join(out, "small_v.npy"), v)
    np.save(os.path.join(out, "small_values.npy"), np.stack(values).astype(np.float32))
    np.save(os.path.join(out, "small_scores.npy"), np.array(scores, dtype=np.float32))
    meta["small"] = {"seed": SMALL_SEED, "shape": [3, SMALL_H, SMALL_W],
                     "model": "sigmoid(w . x) + 0.5 (v . x)^2, float64", "cases": small_meta}
    with open(os.path.join(out, "partitionshap.json"), "w") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")
    print(json.dumps(meta, indent=2))


if __name__ == "__main__":
    main()
