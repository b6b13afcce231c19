"""References for camkit's detection target and decoding, with OpenCV and pytorch-grad-cam as the oracles.

Writes fixtures/torchscript/reference/detector/ (see README.md, "Detectors"):

- nms.json      hand-made boxes, scores and classes, and for several (scoreThreshold, nmsIou) pairs the indices
                OpenCV keeps (cv2.dnn.NMSBoxesBatched, and NMSBoxes per class merged by score: the same), checked
                against detector.nms;
- targets.json  hand-made raw outputs [K, 8] and target specs with the score and the seed d score / d output of
                pytorch-grad-cam's FasterRCNNBoxScoreTarget (autograd), on the decoded detections (DetectionTarget);
- meta.json, scene-NNN.png and .npy files: Grad-CAM on models/demo-detector.pt for 4 held-out demo scenes and
                3 targets each (output, seed, activations and gradients at the default layer from hooks on the
                eager model, pytorch-grad-cam's GradCAM map), and pytorch-grad-cam's EigenCAM map of one scene.

pytorch-grad-cam is imported, never copied (metric_references.import_grad_cam, torchvision stubbed); its
FasterRCNNBoxScoreTarget calls torchvision.ops.box_iou, which the stub gets from box_iou below.

Usage (from tools/camkit-export; target/venv with torch, numpy, opencv-python-headless, scipy):

    target/venv/bin/python detection_references.py --grad-cam DIR --heldout /tmp/det-data/heldout \\
        [--model ../../models/demo-detector.pt] [--out DIR]

DIR as for metric_references.py, e.g. /work/.mirror/jacobgil+pytorch-grad-cam/repo. A few seconds; deterministic.
"""

import argparse
import json
import os
import shutil
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import camkit_export  # noqa: E402
import detector as det  # noqa: E402
import metric_references as mr  # noqa: E402

DEFAULT_OUT = os.path.join(mr.DEFAULT_FIXTURES, "reference", "detector")
LAYER = "stage3"
SCENES = [2, 3, 4, 5]  # held-out scenes (charmander, bulbasaur, charmander, bulbasaur; each: a duck too, all detected)
EIGEN_SCENE = 2


# ---------------------------------------------------------------------------------------------- oracle plumbing


def box_iou(boxes1, boxes2):
    """Stand-in for torchvision.ops.box_iou (xyxy boxes [N,4], [M,4] -> IoU [N,M]), written here, as torchvision
    documents it: intersection from elementwise max / min of the corners, widths clamped at 0, no +1."""
    area1 = (boxes1[:, 2] - boxes1[:, 0]) * (boxes1[:, 3] - boxes1[:, 1])
    area2 = (boxes2[:, 2] - boxes2[:, 0]) * (boxes2[:, 3] - boxes2[:, 1])
    top_left = torch.maximum(boxes1[:, None, :2], boxes2[None, :, :2])
    bottom_right = torch.minimum(boxes1[:, None, 2:], boxes2[None, :, 2:])
    size = (bottom_right - top_left).clamp(min=0)
    inter = size[:, :, 0] * size[:, :, 1]
    return inter / (area1[:, None] + area2[None, :] - inter)


def install_box_iou():
    ops = sys.modules["torchvision.ops"]
    ops.box_iou = box_iou
    sys.modules["torchvision"].ops = ops


def parse_spec(spec):
    """'detection[:label[@x0,y0,x1,y1][:iou]]' -> (label or None, box or None, iou threshold)."""
    if spec == "detection":
        return None, None, 0.5
    kind, _, rest = spec.partition(":")
    assert kind == "detection" and rest, spec
    head, _, iou = rest.partition(":")
    label, _, box = head.partition("@")
    return label, ([float(v) for v in box.split(",")] if box else None), float(iou) if iou else 0.5


def reference_boxes(spec, reference, score_threshold, nms_iou):
    """(label index, [boxes], iou threshold, label name) the spec names, the boxes from the reference output
    [K, 5 + C] when the spec gives none (every detection of the label; 'detection': the top detection)."""
    label, box, iou = parse_spec(spec)
    detections = det.detect(reference, score_threshold, nms_iou)
    if label is None:
        if not detections:
            return None, [], iou, None
        _, c, _, top = detections[0]
        return c, [top], iou, det.LABELS[c]
    c = det.LABELS.index(label)
    boxes = [box] if box is not None else [b for _, lc, _, b in detections if lc == c]
    return c, boxes, iou, label


class DetectionTarget:
    """camkit's detection target for pytorch-grad-cam: decodes one image's output [K, 5 + C] (threshold + per-class
    NMS, no gradient through the selection), scores and labels computed differentiably from the rows (score =
    objectness * class probability of the argmax class), and calls FasterRCNNBoxScoreTarget on the detections."""

    def __init__(self, label, boxes, iou, score_threshold=det.SCORE_THRESHOLD, nms_iou=det.NMS_IOU):
        from pytorch_grad_cam.utils.model_targets import FasterRCNNBoxScoreTarget
        self.oracle = FasterRCNNBoxScoreTarget([label] * len(boxes), np.asarray(boxes, dtype=np.float32).reshape(
            -1, 4), iou)
        self.score_threshold, self.nms_iou = score_threshold, nms_iou
        self.kept = None

    def __call__(self, output):
        self.kept = [i for i, _, _, _ in det.detect(output.detach().numpy(), self.score_threshold, self.nms_iou)]
        keep = torch.tensor(self.kept, dtype=torch.long)
        classes = output[:, 5:]
        labels = classes.argmax(dim=1)
        scores = output[:, 4] * classes.gather(1, labels[:, None])[:, 0]
        # boxes clipped to the image (torch.clamp: the gradient passes where 0 <= x <= size), as camkit clips them
        boxes = output[keep, :4].clamp(0, det.SIZE)
        return self.oracle({"boxes": boxes, "scores": scores[keep], "labels": labels[keep]}).sum()


def score_and_seed(target, output):
    """target(output) and d target / d output [K, 5 + C] (zeros when the score does not depend on the output)."""
    y = output.detach().clone().requires_grad_(True)
    value = target(y)
    if not value.requires_grad:
        return float(value), np.zeros(tuple(y.shape), dtype=np.float32)
    (seed,) = torch.autograd.grad(value, y)
    return float(value.detach()), seed.numpy().astype(np.float32)


def matches(boxes, label, iou, output, kept):
    """For each reference box: the kept row of best IoU, that IoU, and whether it counts (documentation only;
    the oracle's score is the reference)."""
    rows = np.asarray(output, dtype=np.float32)
    scores, labels = det.scores_labels(rows)
    result = []
    for box in boxes:
        if not kept:
            result.append({"row": None, "iou": None, "counts": False})
            continue
        ious = box_iou(torch.tensor([box], dtype=torch.float32), torch.from_numpy(det.clip(rows[kept, :4])))[0]
        j = int(ious.argmax())
        row = kept[j]
        result.append({"row": row, "iou": float(ious[j]), "rowLabel": det.LABELS[labels[row]],
                       "rowScore": float(scores[row]), "counts": bool(ious[j] > iou and labels[row] == label)})
    return result


def floats(a):
    return [float(v) for v in np.asarray(a, dtype=np.float32).reshape(-1)]


def rows_json(a):
    return [floats(r) for r in np.asarray(a, dtype=np.float32)]


# ---------------------------------------------------------------------------------------------- nms.json

# x0, y0, x1, y1, score, class: overlapping pairs of one class, an overlapping pair of two classes, a box below
# the score threshold, a pair with IoU exactly 0.5, no score ties
NMS_BOXES = [
    ([10, 10, 50, 50], 0.95, 0),
    ([12, 14, 52, 52], 0.90, 0),    # IoU 0.79 with 0: suppressed by 0
    ([30, 30, 70, 70], 0.62, 0),    # IoU 0.14 with 0, 0.2 with 1
    ([11, 12, 49, 51], 0.40, 1),    # another class over 0: never suppressed by it
    ([60, 60, 100, 100], 0.85, 1),
    ([64, 58, 104, 96], 0.55, 1),   # IoU 0.70 with 4
    ([70, 70, 110, 110], 0.33, 1),  # IoU 0.39 with 4, 0.36 with 5
    ([0, 80, 20, 100], 0.20, 2),    # below 0.25
    ([0, 60, 40, 100], 0.75, 2),
    ([0, 60, 40, 80], 0.70, 2),     # IoU exactly 0.5 with 8
    ([20, 60, 60, 100], 0.45, 2),   # IoU 1/3 with 8
    ([80, 0, 110, 30], 0.30, 2),
]
NMS_SETTINGS = [(0.25, 0.45), (0.25, 0.5), (0.25, 0.3), (0.5, 0.45), (0.1, 0.7), (0.0, 0.2)]


def nms_references(out):
    import cv2
    boxes = np.array([b for b, _, _ in NMS_BOXES], dtype=np.float64)
    scores = np.array([s for _, s, _ in NMS_BOXES], dtype=np.float32)
    classes = np.array([c for _, _, c in NMS_BOXES], dtype=np.int32)
    xywh = [[b[0], b[1], b[2] - b[0], b[3] - b[1]] for b in boxes.tolist()]
    cases = []
    for score_threshold, nms_iou in NMS_SETTINGS:
        batched = [int(i) for i in np.asarray(cv2.dnn.NMSBoxesBatched(
            xywh, scores.tolist(), classes.tolist(), score_threshold, nms_iou)).reshape(-1)]
        merged = []
        for c in sorted(set(classes.tolist())):
            idx = [i for i in range(len(boxes)) if classes[i] == c]
            kept = np.asarray(cv2.dnn.NMSBoxes([xywh[i] for i in idx], [float(scores[i]) for i in idx],
                                               score_threshold, nms_iou)).reshape(-1)
            merged += [idx[int(k)] for k in kept]
        merged.sort(key=lambda i: -scores[i])
        own = det.nms(boxes, scores, classes, score_threshold, nms_iou)
        if not (batched == merged == own):
            raise SystemExit("detection_references: NMS disagrees at (%g, %g): NMSBoxesBatched %s, NMSBoxes per "
                             "class %s, detector.nms %s" % (score_threshold, nms_iou, batched, merged, own))
        cases.append({"scoreThreshold": score_threshold, "nmsIou": nms_iou, "kept": batched})
    doc = {
        "generator": "tools/camkit-export/detection_references.py",
        "oracle": "cv2.dnn.NMSBoxesBatched (OpenCV %s), boxes as Rect2d x, y, w, h; NMSBoxes per class merged by "
                  "descending score gives the same" % cv2.__version__,
        "rule": "keep score > scoreThreshold; by descending score, drop a box whose IoU with a kept box of the "
                "same class is > nmsIou; IoU of xyxy float boxes, area (x1-x0)*(y1-y0), no +1",
        "boxes": [list(map(float, b)) for b in boxes],
        "boxFormat": "x0, y0, x1, y1",
        "scores": floats(scores),
        "classes": classes.tolist(),
        "cases": cases,
        "pairwiseIou": [[round(float(v), 6) for v in row] for row in det.iou_matrix(boxes, boxes)],
    }
    write_json(os.path.join(out, "nms.json"), doc)
    return cases


# ---------------------------------------------------------------------------------------------- targets.json

# rows: x0, y0, x1, y1, objectness, p(charmander), p(bulbasaur), p(duck)
BASE = [
    [10, 10, 40, 40, 0.9, 0.05, 0.05, 0.9],      # 0 duck, score 0.81 (the top detection)
    [12, 11, 41, 42, 0.7, 0.1, 0.1, 0.8],        # 1 duck 0.56, IoU 0.83 with 0: suppressed
    [60, 50, 100, 95, 0.8, 0.85, 0.1, 0.05],     # 2 charmander 0.68
    [5, 60, 35, 100, 0.6, 0.7, 0.2, 0.1],        # 3 charmander 0.42
    [58, 52, 98, 96, 0.5, 0.2, 0.7, 0.1],        # 4 bulbasaur 0.35 (over 2: other class, kept)
    [70, 5, 90, 25, 0.2, 0.1, 0.1, 0.8],         # 5 duck 0.16: below the score threshold
]
PERTURBED = [
    [12, 9, 43, 38, 0.8, 0.1, 0.05, 0.85],       # duck moved a little
    [14, 12, 41, 44, 0.6, 0.1, 0.1, 0.8],        # suppressed by 0
    [61, 49, 101, 94, 0.75, 0.8, 0.15, 0.05],    # charmander 2 moved (IoU 0.91 with it)
    [8, 62, 36, 103, 0.5, 0.6, 0.3, 0.1],        # charmander 3 moved
    [58, 52, 98, 96, 0.5, 0.2, 0.7, 0.1],
    [70, 5, 90, 25, 0.2, 0.1, 0.1, 0.8],
]
FAINT = [r[:4] + [0.2] + r[5:] for r in BASE]  # every score below 0.25
# two charmanders side by side in the reference (IoU 0.43: both kept), one charmander between them now
PAIR_REFERENCE = [
    [0, 0, 40, 40, 0.9, 0.8, 0.1, 0.1],
    [16, 0, 56, 40, 0.8, 0.8, 0.1, 0.1],
    [60, 60, 100, 100, 0.9, 0.1, 0.1, 0.8],
    [0, 60, 30, 90, 0.1, 0.3, 0.3, 0.4],
    [80, 0, 110, 30, 0.1, 0.3, 0.4, 0.3],
    [40, 70, 60, 90, 0.1, 0.4, 0.3, 0.3],
]
PAIR_OUTPUT = [
    [8, 0, 48, 40, 0.9, 0.8, 0.1, 0.1],
    [16, 0, 56, 40, 0.1, 0.8, 0.1, 0.1],
    [60, 60, 100, 100, 0.9, 0.1, 0.1, 0.8],
    [0, 60, 30, 90, 0.1, 0.3, 0.3, 0.4],
    [80, 0, 110, 30, 0.1, 0.3, 0.4, 0.3],
    [40, 70, 60, 90, 0.1, 0.4, 0.3, 0.3],
]
TARGET_CASES = [
    ("exact-box", "detection:duck@10,10,40,40", BASE, None,
     "the box equals row 0: IoU 1; torch splits the max/min gradient at the ties in half, and the box "
     "coordinates get exactly 0 (IoU is at its maximum)"),
    ("exact-box-iou", "detection:duck@10,10,40,40:0.7", BASE, None, "the same with IoU threshold 0.7"),
    ("shifted-box", "detection:duck@8,12,38,44", BASE, None, "IoU 0.69 with row 0: box gradients non-zero"),
    ("iou-below-threshold", "detection:duck@8,12,38,44:0.9", BASE, None, "IoU 0.69 <= 0.9: score 0"),
    ("iou-at-threshold", "detection:duck@10,10,40,25", BASE, None,
     "IoU exactly 0.5 with row 0 (450 / 900): not > 0.5, score 0"),
    ("label-mismatch", "detection:bulbasaur@60,50,100,95", BASE, None,
     "best IoU is row 2 (charmander, IoU 1), not row 4 (bulbasaur, IoU 0.85): the label differs, score 0"),
    ("only-below-score-threshold", "detection:duck@70,5,90,25", BASE, None,
     "row 5 matches the box but scores 0.16 < 0.25: not a detection; no kept box overlaps, score 0"),
    ("all-below-score-threshold", "detection:duck@10,10,40,40", FAINT, BASE,
     "no row scores > 0.25 in the current output: no detections, score 0, seed 0"),
    ("label-all", "detection:charmander", BASE, None,
     "no box: every charmander detection of the reference (rows 2 and 3), each matched exactly (ties)"),
    ("label-all-perturbed", "detection:charmander", PERTURBED, BASE,
     "reference boxes from the unperturbed output (rows 2 and 3 of it), matched in the perturbed output"),
    ("label-none-in-reference", "detection:bulbasaur", FAINT, BASE,
     "reference has one bulbasaur (row 4), the current output no detection: score 0"),
    ("top", "detection", BASE, None, "the top detection of the reference: row 0, duck, its own box"),
    ("top-perturbed", "detection", PERTURBED, BASE, "the top detection of the reference (row 0 of BASE), matched "
                                                    "in the perturbed output"),
    ("top-iou", "detection:duck@10,10,40,40:0.95", PERTURBED, BASE, "IoU 0.70 with the moved duck: score 0"),
    ("two-references-one-match", "detection:charmander", PAIR_OUTPUT, PAIR_REFERENCE,
     "reference has two charmanders (IoU 0.43 with each other, both kept); the current output's one charmander "
     "(row 0) is the best match of both (IoU 2/3 each): counted twice, its seed is the sum"),
]


def target_references(out):
    cases = []
    for name, spec, output, reference, note in TARGET_CASES:
        output = np.array(output, dtype=np.float32)
        reference_rows = output if reference is None else np.array(reference, dtype=np.float32)
        label, boxes, iou, label_name = reference_boxes(spec, reference_rows, det.SCORE_THRESHOLD, det.NMS_IOU)
        if label is None:
            raise SystemExit("detection_references: case %s has no reference detection" % name)
        target = DetectionTarget(label, boxes, iou)
        score, seed = score_and_seed(target, torch.from_numpy(output))
        case = {
            "name": name, "spec": spec, "note": note,
            "output": rows_json(output),
            "reference": "output" if reference is None else rows_json(reference_rows),
            "label": label_name, "labelIndex": label,
            "referenceBoxes": [floats(b) for b in boxes], "iouThreshold": iou,
            "kept": target.kept, "matches": matches(boxes, label, iou, output, target.kept),
            "score": score, "seed": rows_json(seed),
        }
        cases.append(case)
    doc = {
        "generator": "tools/camkit-export/detection_references.py",
        "oracle": "pytorch_grad_cam.utils.model_targets.FasterRCNNBoxScoreTarget(labels, boxes, iou_threshold) on "
                  "{boxes: output[kept, :4], scores: (objectness * class prob of the argmax class)[kept], labels: "
                  "argmax[kept]}, kept = the output's detections (score > scoreThreshold, per-class NMS), by "
                  "descending score; score and seed = d score / d output by torch autograd",
        "labels": det.LABELS,
        "scoreThreshold": det.SCORE_THRESHOLD, "nmsIou": det.NMS_IOU,
        "rowFormat": "x0, y0, x1, y1, objectness, p(charmander), p(bulbasaur), p(duck)",
        "specRule": "detection:<label>[@x0,y0,x1,y1][:iou]; without a box every detection of <label> in the "
                    "reference output; 'detection': the reference's top detection (label and box); iou default 0.5",
        "scoreRule": "sum over reference boxes b: for the kept row j of highest IoU with b (first on ties), "
                     "IoU(b, box_j) + score_j if IoU > iouThreshold (strictly) and label_j == label, else 0; box_j "
                     "clipped to the 112x112 image (torch.clamp) as the detections are",
        "iou": "box_iou as torchvision: inter = clamp(min(x1) - max(x0), 0) * clamp(min(y1) - max(y0), 0), "
               "union = area_b + area_j - inter; torch.maximum/minimum split the gradient in half at ties, so a "
               "row whose box equals the reference box gets seed 0 on its 4 coordinates",
        "cases": cases,
    }
    write_json(os.path.join(out, "targets.json"), doc)
    return cases


# ---------------------------------------------------------------------------------------------- Grad-CAM


def write_json(path, doc):
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


def hooked_gradients(model, x, target):
    """Output, layer activations and d target / d activations, d target / d output (hooks on the eager model)."""
    kept = {}

    def hook(module, inputs, output):
        output.retain_grad()
        kept["a"] = output

    handle = model.get_submodule(LAYER).register_forward_hook(hook)
    try:
        out = model(x)
        out.retain_grad()
        score = target(out[0])
        score.backward()
    finally:
        handle.remove()
    return (out.detach().numpy(), kept["a"].detach().numpy(), kept["a"].grad.numpy(), out.grad.numpy(),
            float(score.detach()))


def gradcam_references(out, model_path, heldout):
    from pytorch_grad_cam import EigenCAM, GradCAM

    model, scripted = det.load_exported(model_path)  # parameters require grad: pytorch-grad-cam's hooks need it
    with open(os.path.join(heldout, "coco.json")) as f:
        files = {im["id"]: im["file_name"] for im in json.load(f)["images"]}
    names = [files[k] for k in sorted(files)]
    scenes = []
    max_script_diff = 0.0
    for s in SCENES:
        image = names[s]
        shutil.copyfile(os.path.join(heldout, "images", image), os.path.join(out, image))
        x = torch.from_numpy(det.normalise(det.read_rgb(os.path.join(out, image))[None]))
        with torch.no_grad():
            output = model(x)
            max_script_diff = max(max_script_diff, float((scripted(x) - output).abs().max()))
        rows = output[0].numpy()
        detections = det.detect(rows)
        labels = [det.LABELS[c] for _, c, _, _ in detections]
        if "duck" not in labels or not ({"charmander", "bulbasaur"} & set(labels)):
            raise SystemExit("detection_references: %s lacks a detected duck or creature: %s" % (image, labels))
        duck = next(b for _, c, _, b in detections if det.LABELS[c] == "duck")
        creature = next(det.LABELS[c] for _, c, _, _ in detections if det.LABELS[c] != "duck")
        stem = os.path.splitext(image)[0]
        specs = [("duck", "detection:duck@%s" % ",".join(str(int(round(v))) for v in duck)),
                 ("creature", "detection:%s" % creature), ("top", "detection")]
        scene = {"image": image, "output": stem + "-output.npy", "activations": "%s-activations-%s.npy" % (stem,
                                                                                                         LAYER),
                 "detections": [{"row": i, "label": det.LABELS[c], "score": sc, "box": b}
                                for i, c, sc, b in detections],
                 "cases": []}
        np.save(os.path.join(out, scene["output"]), output.numpy().astype(np.float32))
        for key, spec in specs:
            label, boxes, iou, label_name = reference_boxes(spec, rows, det.SCORE_THRESHOLD, det.NMS_IOU)
            target = DetectionTarget(label, boxes, iou)
            o, act, grad, seed, score = hooked_gradients(model, x, target)
            assert np.array_equal(o, output.numpy())
            with GradCAM(model=model, target_layers=[model.get_submodule(LAYER)]) as cam:
                grayscale = cam(input_tensor=x.clone(), targets=[target])
                cam_grad = cam.activations_and_grads.gradients[0].numpy()
                cam_act = cam.activations_and_grads.activations[0].numpy()
            assert np.allclose(cam_grad, grad, atol=1e-6) and np.array_equal(cam_act, act), "hooks disagree"
            if key == "duck":
                np.save(os.path.join(out, scene["activations"]), act.astype(np.float32))
            files_ = {"seed": "%s-%s-seed.npy" % (stem, key),
                      "gradients": "%s-%s-gradients-%s.npy" % (stem, key, LAYER),
                      "gradcam": "%s-%s-gradcam.npy" % (stem, key)}
            np.save(os.path.join(out, files_["seed"]), seed.astype(np.float32))
            np.save(os.path.join(out, files_["gradients"]), grad.astype(np.float32))
            np.save(os.path.join(out, files_["gradcam"]), np.asarray(grayscale, dtype=np.float32))
            scene["cases"].append({"name": key, "spec": spec, "label": label_name, "referenceBoxes": boxes,
                                   "iouThreshold": iou, "kept": target.kept,
                                   "matches": matches(boxes, label, iou, rows, target.kept), "score": score,
                                   **files_})
        scenes.append(scene)

    eigen_image = names[EIGEN_SCENE]
    x = torch.from_numpy(det.normalise(det.read_rgb(os.path.join(out, eigen_image))[None]))
    with EigenCAM(model=model, target_layers=[model.get_submodule(LAYER)]) as cam:
        eigen = cam(input_tensor=x, targets=None)
    eigen_file = os.path.splitext(eigen_image)[0] + "-eigencam.npy"
    np.save(os.path.join(out, eigen_file), np.asarray(eigen, dtype=np.float32))
    if not max_script_diff <= 1e-5:
        raise SystemExit("detection_references: TorchScript and eager outputs differ by %g" % max_script_diff)
    return scenes, {"image": eigen_image, "map": eigen_file}, max_script_diff


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--grad-cam", default=os.environ.get("PYTORCH_GRAD_CAM"),
                        help="folder containing pytorch_grad_cam/, or a pytorch-grad-cam git directory")
    parser.add_argument("--grad-cam-commit", default=None, help="commit to record (default: git rev-parse HEAD)")
    parser.add_argument("--heldout", required=True, help="the demo's held-out dataset (coco.json, images/)")
    parser.add_argument("--model", default=det.DEFAULT_OUT, help="the exported detector (.pt, descriptor next to it)")
    parser.add_argument("--out", default=DEFAULT_OUT, help="output folder")
    args = parser.parse_args(argv)
    if not args.grad_cam:
        parser.error("--grad-cam DIR (or env PYTORCH_GRAD_CAM) is required")
    torch.set_num_threads(1)
    torch.backends.nnpack.set_flags(False)
    source, commit = mr.locate_grad_cam(args.grad_cam, args.grad_cam_commit)
    stubbed = mr.import_grad_cam(source)
    install_box_iou()
    import cv2

    if os.path.isdir(args.out):
        shutil.rmtree(args.out)
    os.makedirs(args.out)
    nms_cases = nms_references(args.out)
    target_cases = target_references(args.out)
    scenes, eigen, script_diff = gradcam_references(args.out, args.model, args.heldout)
    with open(os.path.splitext(args.model)[0] + ".json") as f:
        descriptor = json.load(f)
    meta = {
        "generator": "tools/camkit-export/detection_references.py",
        "pytorch_grad_cam_commit": commit, "torch_version": torch.__version__, "numpy_version": np.__version__,
        "opencv_version": cv2.__version__, "stubbed_modules": stubbed,
        "model": "models/" + descriptor["file"], "layer": LAYER, "labels": descriptor["labels"],
        "mean": descriptor["mean"], "std": descriptor["std"],
        "scoreThreshold": descriptor["detection"]["scoreThreshold"], "nmsIou": descriptor["detection"]["nmsIou"],
        "input": "the PNG read as RGB uint8, float32 (v / 255 - mean) / std, [1, 3, 112, 112]",
        "arrays": {"output": "[1, 196, 8] model output", "activations": "[1, 48, 14, 14] output of " + LAYER,
                   "seed": "[1, 196, 8] d score / d output", "gradients": "[1, 48, 14, 14] d score / d activations",
                   "gradcam": "[1, 112, 112] GradCAM(model, [model.%s])(input, targets=[DetectionTarget]) of "
                              "pytorch-grad-cam: ReLU(sum_c mean(gradients_c) * activations_c), min-max (eps 1e-7), "
                              "cv2.resize to 112x112 (INTER_LINEAR), min-max again" % LAYER,
                   "eigencam": "[1, 112, 112] EigenCAM(model, [model.%s])(input): projection of the centred "
                               "activations on the first right singular vector (numpy SVD: its sign is LAPACK's), "
                               "then as gradcam" % LAYER},
        "scriptedVersusEager": script_diff,
        "scenes": scenes,
        "eigencam": eigen,
    }
    write_json(os.path.join(args.out, "meta.json"), meta)
    total = sum(os.path.getsize(os.path.join(args.out, f)) for f in os.listdir(args.out))
    print("wrote %s: %d NMS settings, %d target cases, %d scenes x 3 targets, EigenCAM (%d KB)"
          % (args.out, len(nms_cases), len(target_cases), len(scenes), total // 1024))
    return 0


if __name__ == "__main__":
    sys.exit(main())
