"""camkit's demo detector: a small single-shot detector trained on the demo's scenes, exported for camkit.

The model (TinyDetector) maps a [N,3,112,112] image, normalised as camkit does (float32 (v/255 - 0.5)/0.25, RGB),
to ONE tensor [N, 196, 8]: one row per cell of a 14x14 grid (stride 8, row-major, row = y * 14 + x) holding
x0, y0, x1, y1 (the box in input pixels), objectness (a probability, after sigmoid) and the probabilities of the
3 classes (each after a sigmoid, YOLO-style, trained at every cell: a class's probability is low wherever no object
of it is centred). That is camkit's "xyxy-objectness-classes" detection layout; the decoding into boxes and the
sigmoids run inside forward, so camkit only clips the boxes to the image, thresholds and suppresses:

    score = objectness * max class probability, label = argmax class probability;
    keep rows with score > scoreThreshold (strictly, as OpenCV's NMSBoxes);
    per-class greedy NMS: by descending score, drop a box whose IoU with a kept box of its class is > nmsIou.

Cell (x, y) predicts the object whose centre falls into it: centre = ((x + sigmoid(tx)) * 8, (y + sigmoid(ty)) * 8),
size = 32 * exp(clamp(tw|th, -4, 4)) pixels. The grid offsets are registered buffers, so torch.fx (and with it
camkit_export) cuts the model at stage2 (48 x 14x14) and stage3 (48 x 14x14, the last convolution before the 1x1
prediction: the default CAM layer, where Grad-CAM for a box peaks inside it on most held-out scenes).

Training data: COCO datasets written by camkit's demo (`camkit demo --export-dataset DIR`): DIR/coco.json and
DIR/images/*.png, categories 1 charmander, 2 bulbasaur, 3 duck, bbox [x, y, w, h]. See detector.sh.

    python detector.py --train DIR --heldout DIR [--out ../../models/demo-detector.pt] [--epochs 14]

trains (seeded, a few minutes on 2 CPUs), prints the held-out mAP@0.5 (VOC-style: all-point interpolated AP per
class, then the mean; a detection matches an unmatched ground-truth box of its class with IoU > 0.5), and exports
the model with camkit_export (descriptor keys "task": "detection" and "detection": {...}).

The helpers (decode, iou, nms, average_precision) need only torch and numpy; reading PNGs needs cv2.
"""

import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import camkit_export  # noqa: E402

LABELS = ["charmander", "bulbasaur", "duck"]
MEAN = (0.5, 0.5, 0.5)
STD = (0.25, 0.25, 0.25)
SIZE = 112
STRIDE = 8
GRID = SIZE // STRIDE  # 14
ANCHOR = 32.0  # box size (pixels) at tw = th = 0
LAYOUT = "xyxy-objectness-classes"
SCORE_THRESHOLD = 0.25
NMS_IOU = 0.45
LAYERS = ["stage3", "stage2"]  # the default CAM layer (14x14) first
DEFAULT_OUT = os.path.normpath(os.path.join(HERE, "..", "..", "models", "demo-detector.pt"))
SEED = 7


# ---------------------------------------------------------------------------------------------- model


def _conv(cin, cout, stride=1, dilation=1):
    return [nn.Conv2d(cin, cout, 3, stride, padding=dilation, dilation=dilation, bias=False), nn.BatchNorm2d(cout),
            nn.ReLU()]


class TinyDetector(nn.Module):
    """Single-shot detector, stride 8: returns [N, 196, 4 + 1 + classes] (xyxy pixels, objectness, class probs)."""

    def __init__(self, classes=len(LABELS)):
        super().__init__()
        self.classes = classes
        self.stem = nn.Sequential(*_conv(3, 16, 2), *_conv(16, 16))  # 56x56
        self.stage1 = nn.Sequential(*_conv(16, 32, 2), *_conv(32, 32))  # 28x28
        self.stage2 = nn.Sequential(*_conv(32, 48, 2), *_conv(48, 48), *_conv(48, 48, dilation=2))  # 14x14
        self.stage3 = nn.Sequential(*_conv(48, 48))  # 14x14, the last features before the prediction
        self.predict = nn.Conv2d(48, 4 + 1 + classes, 1)
        ys, xs = torch.meshgrid(torch.arange(GRID, dtype=torch.float32), torch.arange(GRID, dtype=torch.float32),
                                indexing="ij")
        self.register_buffer("cells", torch.stack([xs.flatten(), ys.flatten()], 1)[None])  # [1, 196, 2]: x, y

    def raw(self, x):
        """The head's logits per cell, [N, 196, 8]: tx, ty, tw, th, objectness, class logits."""
        return self.predict(self.stage3(self.stage2(self.stage1(self.stem(x))))).flatten(2).transpose(1, 2)

    def decode(self, p):
        offset, size, objectness, classes = torch.split(p, [2, 2, 1, self.classes], dim=2)
        centre = (self.cells + torch.sigmoid(offset)) * STRIDE
        half = torch.exp(torch.clamp(size, -4.0, 4.0)) * (ANCHOR / 2)
        return torch.cat([centre - half, centre + half, torch.sigmoid(objectness), torch.sigmoid(classes)], 2)

    def forward(self, x):
        return self.decode(self.raw(x))


# ---------------------------------------------------------------------------------------------- decoding


def iou_matrix(a, b):
    """IoU of xyxy boxes a [A,4] and b [B,4] (float pixels, area (x1-x0)*(y1-y0), no +1): [A, B] numpy float64."""
    a = np.asarray(a, dtype=np.float64).reshape(-1, 4)
    b = np.asarray(b, dtype=np.float64).reshape(-1, 4)
    w = np.maximum(0.0, np.minimum(a[:, None, 2], b[None, :, 2]) - np.maximum(a[:, None, 0], b[None, :, 0]))
    h = np.maximum(0.0, np.minimum(a[:, None, 3], b[None, :, 3]) - np.maximum(a[:, None, 1], b[None, :, 1]))
    inter = w * h
    area_a = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
    area_b = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    union = area_a[:, None] + area_b[None, :] - inter
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(union > 0, inter / union, 0.0)


def nms(boxes, scores, classes, score_threshold=SCORE_THRESHOLD, nms_iou=NMS_IOU):
    """Indices kept, by descending score: score > score_threshold, then greedy NMS per class (IoU > nms_iou
    suppresses). Ties in score keep the lower index first (a stable sort)."""
    boxes = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
    scores = np.asarray(scores, dtype=np.float64).reshape(-1)
    classes = np.asarray(classes).reshape(-1)
    order = [int(i) for i in np.argsort(-scores, kind="stable") if scores[i] > score_threshold]
    ious = iou_matrix(boxes, boxes)
    kept = []
    for i in order:
        if all(classes[k] != classes[i] or ious[i, k] <= nms_iou for k in kept):
            kept.append(i)
    return kept


def scores_labels(rows):
    """score = objectness * max class probability and label = argmax, per row of [K, 5 + C] (numpy)."""
    rows = np.asarray(rows, dtype=np.float32)
    cls = rows[:, 5:]
    labels = np.argmax(cls, axis=1)
    return rows[:, 4] * cls[np.arange(len(rows)), labels], labels


def clip(boxes, size=SIZE):
    """xyxy boxes [K, 4] clipped to the size x size image, as detectors' post-processing (and camkit) does."""
    return np.clip(np.asarray(boxes, dtype=np.float32).reshape(-1, 4), np.float32(0), np.float32(size))


def detect(rows, score_threshold=SCORE_THRESHOLD, nms_iou=NMS_IOU):
    """Detections of one image's output [K, 5 + C]: a list of (row, label, score, box xyxy clipped to the image),
    by descending score."""
    rows = np.asarray(rows, dtype=np.float32)
    scores, labels = scores_labels(rows)
    boxes = clip(rows[:, :4])
    kept = nms(boxes, scores, labels, score_threshold, nms_iou)
    return [(i, int(labels[i]), float(scores[i]), [float(v) for v in boxes[i]]) for i in kept]


# ---------------------------------------------------------------------------------------------- evaluation


def average_precision(detections, truths, iou_threshold=0.5):
    """VOC-style AP of one class, all-point interpolation. detections: (image, score, box) of the class;
    truths: {image: [box, ...]}. By descending score, a detection is a true positive when its best-IoU ground
    truth of the class in its image has IoU > iou_threshold and is not matched yet."""
    total = sum(len(v) for v in truths.values())
    if total == 0:
        return float("nan")
    used = {image: [False] * len(v) for image, v in truths.items()}
    tp = []
    for image, _, box in sorted(detections, key=lambda d: -d[1]):
        gts = truths.get(image, [])
        hit = False
        if gts:
            ious = iou_matrix([box], gts)[0]
            j = int(np.argmax(ious))
            if ious[j] > iou_threshold and not used[image][j]:
                used[image][j] = hit = True
        tp.append(1.0 if hit else 0.0)
    tp = np.cumsum(tp)
    fp = np.arange(1, len(tp) + 1) - tp
    recall = np.concatenate([[0.0], tp / total, [1.0]])
    precision = np.concatenate([[0.0], tp / np.maximum(tp + fp, 1e-12), [0.0]])
    for i in range(len(precision) - 2, -1, -1):  # the precision envelope
        precision[i] = max(precision[i], precision[i + 1])
    steps = np.where(recall[1:] != recall[:-1])[0]
    return float(np.sum((recall[steps + 1] - recall[steps]) * precision[steps + 1]))


def mean_average_precision(outputs, truths, score_threshold=SCORE_THRESHOLD, nms_iou=NMS_IOU):
    """Per-class AP@0.5 and their mean over outputs [N, K, 5 + C] and truths [[(label, box)], ...] per image."""
    per_class = {}
    for c, name in enumerate(LABELS):
        dets = [(n, score, box) for n, rows in enumerate(outputs)
                for _, label, score, box in detect(rows, score_threshold, nms_iou) if label == c]
        gts = {n: [box for label, box in t if label == c] for n, t in enumerate(truths)}
        per_class[name] = average_precision(dets, gts)
    return per_class, float(np.mean(list(per_class.values())))


# ---------------------------------------------------------------------------------------------- data


def read_rgb(path):
    """An image file as uint8 RGB [H, W, 3] (cv2 reads BGR)."""
    import cv2
    bgr = cv2.imread(path, cv2.IMREAD_COLOR)
    if bgr is None:
        raise SystemExit("detector: cannot read image %s" % path)
    return np.ascontiguousarray(bgr[:, :, ::-1])


def normalise(rgb):
    """camkit's preprocessing: float32 (v / 255 - mean) / std, RGB, as [N, 3, H, W] from uint8 [N, H, W, 3]."""
    mean = np.array(MEAN, dtype=np.float32).reshape(1, 3, 1, 1)
    std = np.array(STD, dtype=np.float32).reshape(1, 3, 1, 1)
    x = np.asarray(rgb).transpose(0, 3, 1, 2).astype(np.float32) / np.float32(255)
    return ((x - mean) / std).astype(np.float32)


def load_coco(folder):
    """(file names, uint8 RGB images [N,H,W,3], truths [[(label index, xyxy box)], ...]) of a demo dataset."""
    with open(os.path.join(folder, "coco.json")) as f:
        coco = json.load(f)
    names = {c["id"]: c["name"] for c in coco["categories"]}
    if sorted(names.values()) != sorted(LABELS):
        raise SystemExit("detector: %s has categories %s, expected %s" % (folder, sorted(names.values()), LABELS))
    images = sorted(coco["images"], key=lambda i: i["id"])
    index = {im["id"]: n for n, im in enumerate(images)}
    truths = [[] for _ in images]
    for a in coco["annotations"]:
        x, y, w, h = a["bbox"]
        truths[index[a["image_id"]]].append((LABELS.index(names[a["category_id"]]), [x, y, x + w, y + h]))
    files = [im["file_name"] for im in images]
    pixels = np.stack([read_rgb(os.path.join(folder, "images", name)) for name in files])
    return files, pixels, truths


def encode_targets(truths, flip):
    """Per image [196, 6] training targets (positive, class, cx frac, cy frac, log w/A, log h/A) for the cell
    holding each box's centre; flip mirrors the boxes horizontally (the image is mirrored alongside)."""
    t = np.zeros((len(truths), GRID * GRID, 6), dtype=np.float32)
    for n, objects in enumerate(truths):
        for label, (x0, y0, x1, y1) in objects:
            if flip[n]:
                x0, x1 = SIZE - x1, SIZE - x0
            cx, cy = (x0 + x1) / 2 / STRIDE, (y0 + y1) / 2 / STRIDE
            gx, gy = min(int(cx), GRID - 1), min(int(cy), GRID - 1)
            t[n, gy * GRID + gx] = [1, label, cx - gx, cy - gy, math.log((x1 - x0) / ANCHOR),
                                    math.log((y1 - y0) / ANCHOR)]
    return torch.from_numpy(t)


def detection_loss(raw, target):
    pos = target[:, :, 0] > 0
    npos = max(int(pos.sum()), 1)
    obj = F.binary_cross_entropy_with_logits(raw[:, :, 4], target[:, :, 0], reduction="sum") / npos
    # per-class probabilities trained at every cell (a class's logit is low wherever no object of it is centred)
    onehot = torch.zeros_like(raw[:, :, 5:])
    onehot[pos] = F.one_hot(target[pos][:, 1].long(), raw.shape[2] - 5).float()
    cls = F.binary_cross_entropy_with_logits(raw[:, :, 5:], onehot, reduction="sum") / npos
    p, t = raw[pos], target[pos]
    box = (F.l1_loss(torch.sigmoid(p[:, 0:2]), t[:, 2:4], reduction="sum")
           + F.l1_loss(p[:, 2:4], t[:, 4:6], reduction="sum")) / npos
    return obj + cls + 2 * box


def train(pixels, truths, epochs, batch=32, lr=3e-3, log=print):
    torch.manual_seed(SEED)
    rng = np.random.default_rng(SEED)
    model = TinyDetector().to(memory_format=torch.channels_last)  # 2x faster convolutions on CPU
    optimiser = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-4)
    steps = epochs * math.ceil(len(pixels) / batch)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=lr, total_steps=steps, pct_start=0.15)
    for epoch in range(epochs):
        model.train()
        order = rng.permutation(len(pixels))
        total, start = 0.0, time.time()
        for b in range(0, len(order), batch):
            idx = order[b:b + batch]
            flip = rng.random(len(idx)) < 0.5
            images = pixels[idx].copy()
            images[flip] = images[flip][:, :, ::-1]
            x = torch.from_numpy(normalise(images)).contiguous(memory_format=torch.channels_last)
            target = encode_targets([truths[i] for i in idx], flip)
            loss = detection_loss(model.raw(x), target)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += loss.item() * len(idx)
        log("epoch %d: loss %.4f (%.0f s)" % (epoch + 1, total / len(order), time.time() - start))
    return model.to(memory_format=torch.contiguous_format).eval()


def predict(model, pixels, batch=100):
    with torch.no_grad():
        return np.concatenate([model(torch.from_numpy(normalise(pixels[b:b + batch]))).numpy()
                               for b in range(0, len(pixels), batch)])


# ---------------------------------------------------------------------------------------------- export


def export(model, out, per_class, mean_ap):
    properties = {
        "mAP50": "%.3f" % mean_ap,
        "mAP50PerClass": ",".join("%s=%.3f" % (k, v) for k, v in per_class.items()),
        "evaluatedOn": "camkit demo held-out scenes (100, seed 2024), score > %g, NMS IoU %g" % (SCORE_THRESHOLD,
                                                                                               NMS_IOU),
        "trainedBy": "tools/camkit-export/detector.py",
    }
    return camkit_export.export_model(
        model, (1, 3, SIZE, SIZE), LAYERS, out, labels=LABELS, mean=MEAN, std=STD, name="demo-detector",
        detection={"layout": LAYOUT, "scoreThreshold": SCORE_THRESHOLD, "nmsIou": NMS_IOU}, properties=properties)


def load_exported(path=DEFAULT_OUT):
    """The eager TinyDetector with the weights of an exported file (hooks need the eager module)."""
    with camkit_export.quiet_jit():
        scripted = torch.jit.load(path)
    model = TinyDetector()
    model.load_state_dict({k[len("model."):]: v for k, v in scripted.state_dict().items()})
    return model.eval(), scripted.eval()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--train", required=True, help="demo dataset folder (coco.json, images/)")
    parser.add_argument("--heldout", required=True, help="held-out demo dataset folder")
    parser.add_argument("--out", default=DEFAULT_OUT, help="TorchScript file to write (descriptor next to it)")
    parser.add_argument("--epochs", type=int, default=14)
    parser.add_argument("--threads", type=int, default=1, help="torch threads (1: fastest here, and reproducible)")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    start = time.time()
    _, train_pixels, train_truths = load_coco(args.train)
    _, held_pixels, held_truths = load_coco(args.heldout)
    print("detector: %d training scenes, %d held-out scenes" % (len(train_pixels), len(held_pixels)))
    model = train(train_pixels, train_truths, args.epochs)
    outputs = predict(model, held_pixels)
    per_class, mean_ap = mean_average_precision(outputs, held_truths)
    low, low_mean = mean_average_precision(outputs, held_truths, score_threshold=0.001)
    print("detector: held-out mAP@0.5 %.3f (%s) at score > %g; %.3f (%s) at score > 0.001"
          % (mean_ap, ", ".join("%s %.3f" % kv for kv in per_class.items()), SCORE_THRESHOLD,
             low_mean, ", ".join("%s %.3f" % kv for kv in low.items())))
    descriptor = export(model, args.out, per_class, mean_ap)
    print("detector: wrote %s and its descriptor (%d bytes; %.0f s in all)"
          % (args.out, os.path.getsize(args.out), time.time() - start))
    print(json.dumps(descriptor))
    return 0


if __name__ == "__main__":
    sys.exit(main())
