"""Tests of detection support: camkit_export's detection keys, the demo detector's output convention and decoding
(IoU, NMS, AP), and the committed demo-detector model against its references. torch and numpy only."""

import json
import os
import struct
import sys
import tempfile
import unittest
import warnings
import zlib

import numpy as np
import torch

TESTS = os.path.dirname(os.path.abspath(__file__))
TOOL = os.path.dirname(TESTS)
ROOT = os.path.normpath(os.path.join(TOOL, "..", ".."))
MODEL = os.path.join(ROOT, "models", "demo-detector.pt")
REFERENCE = os.path.join(ROOT, "fixtures", "torchscript", "reference", "detector")
sys.path.insert(0, TOOL)

import camkit_export  # noqa: E402
import detector  # noqa: E402
from camkit_export import ExportError  # noqa: E402

LAYOUT = "xyxy-objectness-classes"


def setUpModule():
    warnings.filterwarnings("ignore", message=r"`torch\.jit\..*` is deprecated")
    torch.backends.nnpack.set_flags(False)


def read_png_rgb(path):
    """An 8-bit RGB, non-interlaced PNG (what the demo writes) as uint8 [H, W, 3], without cv2."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    pos, idat = 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert (depth, colour, interlace) == (8, 2, 0), "only 8-bit RGB non-interlaced PNGs"
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = np.frombuffer(zlib.decompress(idat), dtype=np.uint8).reshape(height, 1 + width * 3)
    out = np.zeros((height, width * 3), dtype=np.int32)
    for y in range(height):
        kind, line = raw[y, 0], raw[y, 1:].astype(np.int32)
        up = out[y - 1] if y else np.zeros(width * 3, dtype=np.int32)
        if kind in (0, 2):
            out[y] = (line + (up if kind == 2 else 0)) & 255
            continue
        row = np.zeros(width * 3 + 3, dtype=np.int32)  # 3 leading zeros: the pixel left of the first
        ups = np.concatenate([np.zeros(3, dtype=np.int32), up])
        for i in range(width * 3):
            a, b, c = row[i], ups[i + 3], ups[i]
            if kind == 1:
                p = a
            elif kind == 3:
                p = (a + b) // 2
            else:  # Paeth
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                p = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            row[i + 3] = (line[i] + p) & 255
        out[y] = row[3:]
    return out.reshape(height, width, 3).astype(np.uint8)


def zero_head(model):
    """All head logits 0: every cell predicts its centre, a 32x32 box, objectness 0.5, each class 0.5."""
    last = model.predict
    torch.nn.init.zeros_(last.weight)
    torch.nn.init.zeros_(last.bias)
    return model.eval()


class DetectionExportTest(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.tmp.name, "det.pt")

    def tearDown(self):
        self.tmp.cleanup()

    def export(self, **kwargs):
        torch.manual_seed(0)
        args = dict(labels=detector.LABELS, mean=detector.MEAN, std=detector.STD,
                    detection={"layout": LAYOUT})
        args.update(kwargs)
        return camkit_export.export_model(detector.TinyDetector(), (1, 3, 112, 112), detector.LAYERS, self.path,
                                          **args)

    def test_detection_writes_task_and_decoding_settings_with_defaults(self):
        descriptor = self.export(properties={"mAP50": 0.5})
        with open(os.path.splitext(self.path)[0] + ".json") as f:
            written = json.load(f)
        self.assertEqual(written, descriptor)
        self.assertEqual(written["task"], "detection")
        self.assertEqual(written["detection"], {"layout": LAYOUT, "scoreThreshold": 0.25, "nmsIou": 0.45})
        self.assertEqual(written["properties"], {"layers": "stage2,stage3", "mAP50": "0.5"})
        self.assertEqual(written["defaultLayer"], "stage3")

    def test_exported_detector_returns_one_row_per_cell_and_cuts_at_both_layers(self):
        self.export(detection={"layout": LAYOUT, "scoreThreshold": 0.3, "nmsIou": 0.5})
        loaded = torch.jit.load(self.path)
        x = torch.randn(2, 3, 112, 112, generator=torch.Generator().manual_seed(1))
        out = loaded(x)
        self.assertEqual(tuple(out.shape), (2, 196, 8))
        self.assertEqual(tuple(loaded.features(x).shape), (2, 48, 14, 14))
        self.assertEqual(tuple(loaded.features_stage2(x).shape), (2, 48, 14, 14))
        self.assertLessEqual((loaded.head_stage2(loaded.features_stage2(x)) - out).abs().max().item(), 1e-5)
        with open(os.path.splitext(self.path)[0] + ".json") as f:
            self.assertEqual(json.load(f)["detection"], {"layout": LAYOUT, "scoreThreshold": 0.3, "nmsIou": 0.5})

    def test_classifier_export_has_no_detection_keys(self):
        model = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.ReLU(), torch.nn.AdaptiveAvgPool2d(1),
                                    torch.nn.Flatten(), torch.nn.Linear(4, 2))
        descriptor = camkit_export.export_model(model, (1, 3, 16, 16), ["1"], self.path, labels=["a", "b"])
        self.assertNotIn("task", descriptor)
        self.assertNotIn("detection", descriptor)
        self.assertEqual(list(descriptor["properties"]), ["layers"])

    def test_bad_detection_settings_fail_before_anything_is_written(self):
        for detection, words in [({"layout": "cxcywh"}, "xyxy-objectness-classes"),
                                 ({"layout": LAYOUT, "scoreThreshold": 2}, "scoreThreshold"),
                                 ({"layout": LAYOUT, "iou": 0.5}, "unknown detection setting")]:
            with self.subTest(detection=detection):
                with self.assertRaisesRegex(ExportError, words):
                    self.export(detection=detection)
                self.assertFalse(os.path.exists(self.path))

    def test_labels_must_match_the_class_columns_of_a_detector(self):
        with self.assertRaisesRegex(ExportError, r"2 labels given, but the detector's rows have 8 values"):
            self.export(labels=["charmander", "duck"])

    def test_detection_of_a_classifier_output_names_the_layout(self):
        model = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.ReLU(), torch.nn.AdaptiveAvgPool2d(1),
                                    torch.nn.Flatten(), torch.nn.Linear(4, 2))
        with self.assertRaisesRegex(ExportError, r"\[N, K, 4 \+ 1 \+ classes\]"):
            camkit_export.export_model(model, (1, 3, 16, 16), ["1"], self.path, detection={"layout": LAYOUT})

    def test_layers_property_is_reserved(self):
        with self.assertRaisesRegex(ExportError, "'layers' is written by the export"):
            self.export(properties={"layers": "x"})

    def test_cli_flag_parses_layout_and_thresholds(self):
        self.assertEqual(camkit_export.parse_detection(LAYOUT), {"layout": LAYOUT})
        self.assertEqual(camkit_export.parse_detection(LAYOUT + ",score=0.3,nms-iou=0.6"),
                         {"layout": LAYOUT, "scoreThreshold": 0.3, "nmsIou": 0.6})
        with self.assertRaisesRegex(ExportError, "bad part 'iou=0.6'"):
            camkit_export.parse_detection(LAYOUT + ",iou=0.6")


class DetectorDecodeTest(unittest.TestCase):

    def test_rows_are_boxes_in_input_pixels_then_probabilities(self):
        model = zero_head(detector.TinyDetector())
        with torch.no_grad():
            out = model(torch.zeros(1, 3, 112, 112))[0]
        self.assertEqual(tuple(out.shape), (196, 8))
        for gy, gx in [(0, 0), (0, 13), (5, 7), (13, 13)]:
            row = out[gy * 14 + gx]
            cx, cy = (gx + 0.5) * 8, (gy + 0.5) * 8  # sigmoid(0) = 0.5 of the cell; 32 px box (exp(0) * 32)
            self.assertEqual(row[:4].tolist(), [cx - 16, cy - 16, cx + 16, cy + 16])
            self.assertAlmostEqual(row[4].item(), 0.5, places=6)
            np.testing.assert_allclose(row[5:].numpy(), [0.5] * 3, atol=1e-6)

    def test_training_logits_decode_to_the_output(self):
        torch.manual_seed(3)
        model = detector.TinyDetector().eval()
        x = torch.randn(2, 3, 112, 112)
        with torch.no_grad():
            raw, out = model.raw(x), model(x)
        self.assertEqual(tuple(raw.shape), (2, 196, 8))
        cell = 2 * 14 + 9
        centre_x = (9 + torch.sigmoid(raw[:, cell, 0])) * 8
        width = torch.exp(raw[:, cell, 2].clamp(-4, 4)) * 32
        torch.testing.assert_close(out[:, cell, 0], centre_x - width / 2)
        torch.testing.assert_close(out[:, cell, 2], centre_x + width / 2)
        torch.testing.assert_close(out[:, :, 4:], torch.sigmoid(raw[:, :, 4:]))

    def test_targets_place_each_box_in_the_cell_of_its_centre(self):
        target = detector.encode_targets([[(2, [20, 30, 60, 50])]], [False])[0]
        cell = 5 * 14 + 5  # centre (40, 40) / 8
        self.assertEqual(target[:, 0].sum().item(), 1)
        np.testing.assert_allclose(target[cell].numpy(), [1, 2, 0, 0, np.log(40 / 32), np.log(20 / 32)], atol=1e-6)
        flipped = detector.encode_targets([[(2, [20, 30, 60, 50])]], [True])[0]  # x0, x1 = 52, 92: centre 72
        self.assertEqual(flipped[5 * 14 + 9, 0].item(), 1)


class DecodingTest(unittest.TestCase):

    def test_iou_of_hand_computed_pairs(self):
        ious = detector.iou_matrix([[0, 0, 10, 10]], [[5, 0, 15, 10], [0, 0, 10, 10], [10, 10, 20, 20],
                                                      [2, 2, 4, 4], [0, 0, 10, 5]])
        np.testing.assert_allclose(ious[0], [50 / 150, 1, 0, 4 / 100, 0.5])

    def test_nms_keeps_by_descending_score_per_class_with_strict_thresholds(self):
        boxes = [[0, 0, 10, 10], [0, 0, 10, 5], [1, 0, 11, 10], [0, 0, 10, 10], [50, 50, 60, 60]]
        scores = [0.9, 0.8, 0.7, 0.6, 0.25]
        classes = [0, 0, 0, 1, 0]
        # box 1: IoU 0.5 with 0, not > 0.5, kept; box 2: IoU 90/110 with 0, dropped; box 3: other class, kept;
        # box 4: score 0.25, not > 0.25
        self.assertEqual(detector.nms(boxes, scores, classes, 0.25, 0.5), [0, 1, 3])
        self.assertEqual(detector.nms(boxes, scores, classes, 0.25, 0.45), [0, 3])
        self.assertEqual(detector.nms(boxes, scores, classes, 0.2, 0.95), [0, 1, 2, 3, 4])

    def test_detect_scores_rows_as_objectness_times_the_best_class(self):
        rows = np.array([[0, 0, 10, 10, 0.5, 0.2, 0.7, 0.1],
                         [0, 0, 10, 10, 0.9, 0.3, 0.3, 0.4],
                         [20, 20, 30, 30, 0.9, 0.25, 0.5, 0.25]], dtype=np.float32)
        found = detector.detect(rows)  # scores 0.35, 0.36, 0.45; rows 0 and 1: one box, two classes, both kept
        self.assertEqual([(i, label) for i, label, _, _ in found], [(2, 1), (1, 2), (0, 1)])
        self.assertAlmostEqual(found[2][2], 0.35, places=6)
        self.assertEqual(found[0][3], [20.0, 20.0, 30.0, 30.0])

    def test_average_precision_interpolates_all_points(self):
        truths = {0: [[0, 0, 10, 10]], 1: [[0, 0, 10, 10]]}
        # by score: hit (P 1, R .5), miss (P .5), hit (P 2/3, R 1): envelope .5 * 1 + .5 * 2/3
        detections = [(0, 0.9, [0, 0, 10, 10]), (0, 0.8, [50, 50, 60, 60]), (1, 0.7, [1, 0, 10, 10])]
        self.assertAlmostEqual(detector.average_precision(detections, truths), 0.5 + 0.5 * 2 / 3)
        duplicate = [(0, 0.9, [0, 0, 10, 10]), (0, 0.8, [0, 0, 10, 10])]  # the second match of one truth misses
        self.assertAlmostEqual(detector.average_precision(duplicate, truths), 0.5)


@unittest.skipUnless(os.path.exists(MODEL) and os.path.isdir(REFERENCE), "demo-detector or its references missing")
class DemoDetectorFixtureTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        with open(os.path.join(REFERENCE, "meta.json")) as f:
            cls.meta = json.load(f)
        with open(os.path.splitext(MODEL)[0] + ".json") as f:
            cls.descriptor = json.load(f)
        cls.eager, cls.scripted = detector.load_exported(MODEL)

    def test_descriptor_declares_the_detection_layout(self):
        d = self.descriptor
        self.assertEqual((d["name"], d["task"], d["defaultLayer"], d["labels"]),
                         ("demo-detector", "detection", "stage3", ["charmander", "bulbasaur", "duck"]))
        self.assertEqual(d["detection"], {"layout": LAYOUT, "scoreThreshold": 0.25, "nmsIou": 0.45})
        self.assertGreaterEqual(float(d["properties"]["mAP50"]), 0.8)
        self.assertLess(os.path.getsize(MODEL), 2 * 1024 * 1024)

    def test_scripted_model_reproduces_the_reference_outputs_and_detections(self):
        for scene in self.meta["scenes"]:
            with self.subTest(image=scene["image"]):
                x = torch.from_numpy(detector.normalise(read_png_rgb(os.path.join(REFERENCE, scene["image"]))[None]))
                with torch.no_grad():
                    out = self.scripted(x).numpy()
                np.testing.assert_allclose(out, np.load(os.path.join(REFERENCE, scene["output"])), atol=1e-5)
                found = detector.detect(out[0])
                self.assertEqual([(i, detector.LABELS[c]) for i, c, _, _ in found],
                                 [(d["row"], d["label"]) for d in scene["detections"]])

    def test_reference_gradients_are_the_seed_pulled_back_through_the_head(self):
        scene = self.meta["scenes"][0]
        acts = torch.from_numpy(np.load(os.path.join(REFERENCE, scene["activations"]))).requires_grad_(True)
        out = self.scripted.head(acts)
        for case in scene["cases"]:
            with self.subTest(spec=case["spec"]):
                seed = torch.from_numpy(np.load(os.path.join(REFERENCE, case["seed"])))
                (grad,) = torch.autograd.grad(out, acts, seed, retain_graph=True)
                np.testing.assert_allclose(grad.numpy(), np.load(os.path.join(REFERENCE, case["gradients"])),
                                           atol=1e-6)

    def test_reference_nms_cases_agree_with_the_decoder(self):
        with open(os.path.join(REFERENCE, "nms.json")) as f:
            doc = json.load(f)
        for case in doc["cases"]:
            with self.subTest(case=case):
                self.assertEqual(detector.nms(doc["boxes"], np.float32(doc["scores"]), doc["classes"],
                                              case["scoreThreshold"], case["nmsIou"]), case["kept"])

    def test_reference_target_cases_keep_what_the_decoder_keeps(self):
        with open(os.path.join(REFERENCE, "targets.json")) as f:
            doc = json.load(f)
        for case in doc["cases"]:
            with self.subTest(case=case["name"]):
                self.assertEqual([i for i, _, _, _ in detector.detect(case["output"])], case["kept"])
                seed = np.array(case["seed"])
                self.assertEqual(case["score"] == 0, not seed.any())


if __name__ == "__main__":
    unittest.main()
