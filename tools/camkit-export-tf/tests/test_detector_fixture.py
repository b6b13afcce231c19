"""Tests of the committed detector fixture (fixtures/tensorflow/detector: the PyTorch models/demo-detector.pt in
Keras) against its references and PyTorch's, and of the PNG reader that reads its scenes without cv2 or PIL
(tensorflow, keras and numpy only)."""

import json
import os
import struct
import sys
import tempfile
import unittest
import zlib

TESTS = os.path.dirname(os.path.abspath(__file__))
TOOL = os.path.dirname(TESTS)
REPO = os.path.normpath(os.path.join(TOOL, "..", ".."))
FIXTURES = os.path.join(REPO, "fixtures", "tensorflow")
REFERENCE = os.path.join(FIXTURES, "reference", "detector")
TORCH_REFERENCE = os.path.join(REPO, "fixtures", "torchscript", "reference", "detector")
sys.path.insert(0, TOOL)

import camkit_export_tf  # noqa: E402
import fixtures  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

LAYOUT = "xyxy-objectness-classes"
RTOL = 1e-4  # max |difference| / max |reference|, as test_fixtures.py


def _max_rel(got, want):
    return float(np.max(np.abs(np.asarray(got) - want)) / np.max(np.abs(want)))


def _png(pixels, filters):
    """An 8-bit RGB PNG of uint8 [H, W, 3], row y encoded with filter type filters[y] (0 None .. 4 Paeth)."""
    height, width, _ = pixels.shape
    rows = pixels.reshape(height, width * 3).astype(np.int32)
    raw = b""
    for y in range(height):
        up = rows[y - 1] if y else np.zeros(width * 3, dtype=np.int32)
        left = np.concatenate([np.zeros(3, dtype=np.int32), rows[y, :-3]])
        up_left = np.concatenate([np.zeros(3, dtype=np.int32), up[:-3]])
        pa, pb, pc = np.abs(up - up_left), np.abs(left - up_left), np.abs(left + up - 2 * up_left)
        paeth = np.where((pa <= pb) & (pa <= pc), left, np.where(pb <= pc, up, up_left))
        predictor = [0, left, up, (left + up) // 2, paeth][filters[y]]
        raw += bytes([filters[y]]) + ((rows[y] - predictor) & 255).astype(np.uint8).tobytes()

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


class ScenePngTest(unittest.TestCase):

    def test_png_reader_undoes_every_filter_type(self):
        pixels = np.random.default_rng(8).integers(0, 256, (10, 7, 3)).astype(np.uint8)
        pixels[4:7] = pixels[3]  # repeated rows: Up and Paeth predict exactly
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "filters.png")
            with open(path, "wb") as f:
                f.write(_png(pixels, [0, 1, 2, 3, 4, 4, 2, 3, 1, 0]))
            np.testing.assert_array_equal(fixtures.read_png_rgb(path), pixels)

    def test_scenes_are_the_pytorch_references_and_preprocess_as_camkit_does(self):
        self.assertEqual(fixtures.detector_scene_names(), ["scene-002", "scene-003", "scene-004", "scene-005"])
        x = fixtures.detector_scenes((0.5, 0.5, 0.5), (0.25, 0.25, 0.25))
        self.assertEqual((x.shape, x.dtype), ((4, 112, 112, 3), np.float32))
        pixels = fixtures.read_png_rgb(os.path.join(TORCH_REFERENCE, "scene-002.png"))
        np.testing.assert_array_equal(x[0], (pixels / np.float32(255) - np.float32(0.5)) / np.float32(0.25))


class DetectionDecodeTest(unittest.TestCase):

    def test_decodes_each_cell_to_a_pixel_box_and_each_logit_to_its_own_sigmoid(self):
        rows = np.zeros((1, 4, 8), np.float32)  # a 2x2 grid, row = y * 2 + x
        rows[0, 1] = [0, 0, 0, 0, 0, 2, -2, 0]  # cell x 1, y 0: centre (12, 4), half size 16
        rows[0, 2] = [0, 0, 10, -10, 1, 0, 0, 0]  # cell x 0, y 1: centre (4, 12), sizes clipped to exp(+-4)
        got = fixtures.DetectionDecode(2, 8, 32)(tf.constant(rows)).numpy()[0]

        def sigmoid(v):
            return 1 / (1 + np.exp(-v))

        np.testing.assert_allclose(got[1], [-4, -12, 28, 20, 0.5, sigmoid(2), sigmoid(-2), 0.5], rtol=1e-6)
        w, h = 16 * np.exp(4), 16 * np.exp(-4)
        np.testing.assert_allclose(got[2], [4 - w, 12 - h, 4 + w, 12 + h, sigmoid(1), 0.5, 0.5, 0.5], rtol=1e-6)
        np.testing.assert_allclose(got[0, :4], [-12, -12, 20, 20], rtol=1e-6)


class DetectorFixtureTest(unittest.TestCase):
    """fixtures/tensorflow/detector: the demo detector's SavedModel, its references and PyTorch's."""

    @classmethod
    def setUpClass(cls):
        with open(os.path.join(FIXTURES, "detector.json")) as f:
            cls.descriptor = json.load(f)
        with open(os.path.join(REPO, "models", "demo-detector.json")) as f:
            cls.torch_descriptor = json.load(f)
        with open(os.path.join(REFERENCE, "meta.json")) as f:
            cls.meta = json.load(f)
        with open(os.path.join(TORCH_REFERENCE, "meta.json")) as f:
            cls.torch_meta = json.load(f)
        cls.ref = {n[:-4]: np.load(os.path.join(REFERENCE, n)) for n in os.listdir(REFERENCE) if n.endswith(".npy")}
        cls.scenes = [os.path.splitext(os.path.basename(p))[0] for p in cls.meta["images"]]
        pixels = np.stack([fixtures.read_png_rgb(os.path.join(REPO, p)) for p in cls.meta["images"]])
        mean, std = (np.asarray(cls.descriptor[k], np.float32) for k in ("mean", "std"))
        cls.x = tf.constant(((pixels.astype(np.float32) / np.float32(255) - mean) / std).astype(np.float32))
        cls.sig = tf.saved_model.load(os.path.join(FIXTURES, cls.descriptor["file"])).signatures

    def torch_scenes(self, suffix):
        """The PyTorch references' per-scene arrays, concatenated in this fixture's order."""
        return np.concatenate([np.load(os.path.join(TORCH_REFERENCE, "%s-%s.npy" % (s, suffix)))
                               for s in self.scenes])

    def assertReproduces(self, got, want, what, rtol=RTOL):
        got = np.asarray(got)
        self.assertEqual(got.shape, want.shape, what)
        self.assertLessEqual(_max_rel(got, want), rtol, what)

    def test_descriptor_is_the_pytorch_detectors_with_the_tensorflow_keys(self):
        d, t = self.descriptor, self.torch_descriptor
        self.assertEqual((d["backend"], d["architecture"], d["file"], d["name"]),
                         ("tensorflow", "keras", "detector", "detector"))
        for key in ("inputWidth", "inputHeight", "channelOrder", "mean", "std", "labels", "defaultLayer", "task",
                    "detection"):
            self.assertEqual(d[key], t[key], key)
        self.assertEqual(d["task"], "detection")
        self.assertEqual(d["detection"], {"layout": LAYOUT, "scoreThreshold": 0.25, "nmsIou": 0.45})
        self.assertEqual(d["defaultLayer"], "stage3")
        self.assertEqual((d["properties"]["layers"], d["properties"]["layout"]), ("stage2,stage3", "NHWC"))
        self.assertEqual(d["properties"]["layers"], t["properties"]["layers"])
        for key, value in t["properties"].items():  # mAP50, mAP50PerClass, evaluatedOn, trainedBy
            self.assertEqual(d["properties"][key], value, key)
        self.assertEqual(set(d["properties"]) - set(t["properties"]), {"layout", "convertedFrom"})

    def test_signatures_take_images_and_seeds_of_the_rows_shape(self):
        self.assertEqual(set(self.sig.keys()), set(camkit_export_tf.signature_names(["stage3", "stage2"])))
        forward = self.sig["forward"]
        self.assertEqual(forward.structured_input_signature[1]["x"].shape.as_list(), [None, 112, 112, 3])
        self.assertEqual(forward.structured_outputs["output"].shape.as_list(), [None, 196, 8])
        for key in ("input_gradients", "gradients_stage3", "head_gradients_stage2"):
            self.assertEqual(self.sig[key].structured_input_signature[1]["seed"].shape.as_list(), [None, 196, 8])
        for layer in ("stage3", "stage2"):
            self.assertEqual(self.sig["features_" + layer].structured_outputs["activations"].shape.as_list(),
                             [None, 14, 14, 48], layer)

    def test_references_are_float32_on_the_pytorch_reference_scenes(self):
        self.assertEqual(self.meta["target"], "detection")
        self.assertEqual(self.meta["layers"], ["stage3"])
        self.assertEqual(self.scenes, ["scene-002", "scene-003", "scene-004", "scene-005"])
        self.assertEqual(self.scenes, [os.path.splitext(s["image"])[0] for s in self.torch_meta["scenes"]])
        self.assertEqual(set(self.ref), {"output", "seed", "activations-stage3", "gradients-stage3"})
        for name, a in self.ref.items():
            self.assertEqual(a.dtype, np.dtype("<f4"), name)
        self.assertEqual(self.ref["output"].shape, (4, 196, 8))
        self.assertEqual(self.ref["gradients-stage3"].shape, (4, 14, 14, 48))

    def test_savedmodel_reproduces_its_references_on_the_scene_pngs(self):
        seed = tf.constant(self.ref["seed"])
        self.assertReproduces(self.sig["forward"](x=self.x)["output"], self.ref["output"], "forward")
        got = self.sig["gradients_stage3"](x=self.x, seed=seed)
        self.assertReproduces(got["activations"], self.ref["activations-stage3"], "gradients_stage3 activations")
        self.assertReproduces(got["gradients"], self.ref["gradients-stage3"], "gradients_stage3")
        self.assertReproduces(self.sig["features_stage3"](x=self.x)["activations"], self.ref["activations-stage3"],
                              "features_stage3")
        from_head = self.sig["head_gradients_stage3"](a=tf.constant(self.ref["activations-stage3"]), seed=seed)
        self.assertReproduces(from_head["gradients"], self.ref["gradients-stage3"], "head_gradients_stage3")
        self.assertReproduces(from_head["output"], self.ref["output"], "head_gradients_stage3 output")
        a2 = self.sig["features_stage2"](x=self.x)["activations"]
        self.assertReproduces(self.sig["head_stage2"](a=a2)["output"], self.ref["output"], "head_stage2")

    def test_outputs_activations_and_gradients_are_pytorchs(self):
        self.assertReproduces(self.sig["forward"](x=self.x)["output"], self.torch_scenes("output"), "output")
        self.assertReproduces(self.ref["output"], self.torch_scenes("output"), "reference output")
        torch_seed = self.torch_scenes("top-seed")
        np.testing.assert_array_equal(self.ref["seed"] != 0, torch_seed != 0)
        self.assertReproduces(self.ref["seed"], torch_seed, "seed")
        got = self.sig["gradients_stage3"](x=self.x, seed=tf.constant(torch_seed))
        self.assertReproduces(got["activations"], self.torch_scenes("activations-stage3").transpose(0, 2, 3, 1),
                              "stage3 activations vs PyTorch (NCHW)")
        self.assertReproduces(got["gradients"], self.torch_scenes("top-gradients-stage3").transpose(0, 2, 3, 1),
                              "stage3 gradients of the 'detection' seed vs PyTorch (NCHW)")
        self.assertReproduces(self.ref["gradients-stage3"],
                              self.torch_scenes("top-gradients-stage3").transpose(0, 2, 3, 1),
                              "reference stage3 gradients vs PyTorch (NCHW)")

    def test_rows_are_boxes_in_input_pixels_objectness_and_class_probabilities_in_cell_order(self):
        out = self.ref["output"]
        self.assertTrue(np.all(out[..., 2] > out[..., 0]) and np.all(out[..., 3] > out[..., 1]))
        self.assertTrue(np.all((out[..., 4:] > 0) & (out[..., 4:] < 1)))  # objectness and per-class sigmoids
        centres = (out[..., 0:2] + out[..., 2:4]) / 2
        cell = np.arange(196)
        self.assertTrue(np.all(np.floor(centres[..., 0] / 8) == cell % 14))  # row = y * 14 + x
        self.assertTrue(np.all(np.floor(centres[..., 1] / 8) == cell // 14))
        for n, scene in enumerate(self.torch_meta["scenes"]):
            top = scene["detections"][0]
            scores = out[n, :, 4] * out[n, :, 5:].max(axis=1)
            self.assertEqual(int(np.argmax(scores)), top["row"], scene["image"])
            self.assertEqual(self.descriptor["labels"][int(np.argmax(out[n, top["row"], 5:]))], top["label"])
            self.assertAlmostEqual(float(scores[top["row"]]), top["score"], places=5)

    def test_detector_fixture_stays_under_1_3_mib(self):
        paths = [os.path.join(FIXTURES, "detector.json")] + [
            os.path.join(d, f) for top in (os.path.join(FIXTURES, "detector"), REFERENCE)
            for d, _, files in os.walk(top) for f in files]
        self.assertLess(sum(os.path.getsize(p) for p in paths), 1.3 * 1024 * 1024)


if __name__ == "__main__":
    unittest.main()
