"""Tests of camkit_export_tf's detection support: the descriptor's detection keys, the option's errors and the
signatures of a model with [N, K, 5 + C] rows."""

import json
import os
import subprocess
import sys
import tempfile
import unittest

TESTS = os.path.dirname(os.path.abspath(__file__))
TOOL = os.path.dirname(TESTS)
sys.path.insert(0, TOOL)
sys.path.insert(0, TESTS)

import camkit_export_tf  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import testmodels  # noqa: E402
from camkit_export_tf import ExportError  # noqa: E402

LAYOUT = "xyxy-objectness-classes"
ATOL = 1e-5


class DetectionExportTest(unittest.TestCase):
    """camkit_export_tf with detection={...} on a small model with [N, 64, 7] rows."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.tmp.name, "det")

    def tearDown(self):
        self.tmp.cleanup()

    def export(self, model=None, **kwargs):
        args = dict(labels=["cat", "dog"], detection={"layout": LAYOUT})
        args.update(kwargs)
        return camkit_export_tf.export_model(model or testmodels.small_detector(), ["relu1"], self.path, **args)

    def test_detection_writes_task_and_decoding_settings_with_defaults_and_the_properties(self):
        descriptor = self.export(properties={"mAP50": 0.5})
        with open(self.path + ".json") as f:
            written = json.load(f)
        self.assertEqual(written, descriptor)
        self.assertEqual(written["task"], "detection")
        self.assertEqual(written["detection"], {"layout": LAYOUT, "scoreThreshold": 0.25, "nmsIou": 0.45})
        self.assertEqual(written["properties"], {"layers": "relu1", "layout": "NHWC", "mAP50": "0.5"})
        self.assertEqual(list(written)[-3:], ["task", "detection", "properties"])

    def test_rank_3_output_gives_seeds_of_its_shape_and_gradients_of_the_rows(self):
        model = testmodels.small_detector()
        self.export(model, detection={"layout": LAYOUT, "scoreThreshold": 0.3, "nmsIou": 0.5})
        sig = tf.saved_model.load(self.path).signatures
        self.assertEqual(sig["forward"].structured_outputs["output"].shape.as_list(), [None, 64, 7])
        for key in ("input_gradients", "gradients_relu1", "head_gradients_relu1"):
            self.assertEqual(sig[key].structured_input_signature[1]["seed"].shape.as_list(), [None, 64, 7], key)
        x = np.random.default_rng(4).standard_normal((2, testmodels.SIZE, testmodels.SIZE, 3)).astype(np.float32)
        seed = np.zeros((2, 64, 7), dtype=np.float32)
        seed[0, 9, 4], seed[0, 9, 6], seed[1, 40, 0] = 1, 0.5, -1  # one row's objectness and class, a box corner
        probe = keras.Model(model.inputs, [model.get_layer("relu1").output, model.outputs[0]])
        with tf.GradientTape() as tape:
            act, out = probe(tf.constant(x), training=False)
            score = tf.reduce_sum(seed * out)
        want = tape.gradient(score, act).numpy()
        self.assertGreater(float(np.max(np.abs(want))), 1e-4)
        got = sig["gradients_relu1"](x=tf.constant(x), seed=tf.constant(seed))
        self.assertLessEqual(float(np.max(np.abs(got["gradients"].numpy() - want))), ATOL)
        self.assertLessEqual(float(np.max(np.abs(got["output"].numpy() - out.numpy()))), ATOL)
        from_head = sig["head_gradients_relu1"](a=act, seed=tf.constant(seed))
        self.assertLessEqual(float(np.max(np.abs(from_head["gradients"].numpy() - want))), ATOL)
        with open(self.path + ".json") as f:
            self.assertEqual(json.load(f)["detection"], {"layout": LAYOUT, "scoreThreshold": 0.3, "nmsIou": 0.5})

    def test_classifier_export_has_no_detection_keys(self):
        descriptor = camkit_export_tf.export_model(testmodels.small_cnn(), ["relu2"], self.path)
        self.assertNotIn("task", descriptor)
        self.assertNotIn("detection", descriptor)
        self.assertEqual(descriptor["properties"], {"layers": "relu2", "layout": "NHWC"})

    def test_bad_detection_settings_fail_before_anything_is_written(self):
        for detection, words in [({"layout": "cxcywh"}, "xyxy-objectness-classes"),
                                 ({"layout": LAYOUT, "scoreThreshold": 2}, "scoreThreshold"),
                                 ({"layout": LAYOUT, "nmsIou": True}, "nmsIou"),
                                 ({"layout": LAYOUT, "iou": 0.5}, "unknown detection setting"),
                                 ("xyxy-objectness-classes", "must be a dict")]:
            with self.subTest(detection=detection):
                with self.assertRaisesRegex(ExportError, words):
                    self.export(detection=detection)
                self.assertEqual(os.listdir(self.tmp.name), [])

    def test_labels_must_match_the_class_columns_of_a_detector(self):
        with self.assertRaisesRegex(ExportError, r"3 labels given, but the detector's rows have 7 values"):
            self.export(labels=["cat", "dog", "bird"])

    def test_detection_of_a_classifier_output_names_the_layout(self):
        with self.assertRaisesRegex(ExportError, r"\[N, K, 4 \+ 1 \+ classes\].*\(None, 3\)"):
            camkit_export_tf.export_model(testmodels.small_cnn(), ["relu2"], self.path, detection={"layout": LAYOUT})

    def test_properties_the_export_writes_are_reserved(self):
        for key in ("layers", "layout"):
            with self.assertRaisesRegex(ExportError, "property '%s' is written by the export" % key):
                self.export(properties={key: "x"})


class DetectionCommandLineTest(unittest.TestCase):

    def _run(self, *args):
        env = dict(os.environ, PYTHONPATH=TESTS)
        return subprocess.run([sys.executable, os.path.join(TOOL, "camkit_export_tf.py")] + list(args),
                              cwd=TESTS, env=env, capture_output=True, text=True, timeout=120)

    def test_cli_detection_option_writes_the_settings_and_prints_rank_3_signatures(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "det")
            rc = self._run("--factory", "testmodels:small_detector", "--layer", "relu1", "--mean", "0.5,0.5,0.5",
                           "--std", "0.25,0.25,0.25", "--detection", "%s,score=0.3,nms-iou=0.5" % LAYOUT,
                           "--output", out)
            self.assertEqual(rc.returncode, 0, rc.stderr)
            self.assertIn("forward(x [-1,16,16,3]) -> {\"output\" [-1,64,7]}", rc.stdout)
            self.assertIn("head_gradients_relu1(a [-1,8,8,6], seed [-1,64,7])", rc.stdout)
            with open(out + ".json") as f:
                d = json.load(f)
            self.assertEqual((d["task"], d["detection"]),
                             ("detection", {"layout": LAYOUT, "scoreThreshold": 0.3, "nmsIou": 0.5}))

    def test_cli_bad_detection_option_exits_2_naming_the_part(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "det")
            for option, words in (("%s,iou=0.5" % LAYOUT, "bad part 'iou=0.5'"),
                                  ("%s,score=high" % LAYOUT, "--detection score must be a number, got 'high'")):
                rc = self._run("--factory", "testmodels:small_detector", "--layer", "relu1", "--detection", option,
                               "--output", out)
                self.assertEqual(rc.returncode, 2, rc.stderr)
                self.assertIn("camkit-export-tf: error: ", rc.stderr)
                self.assertIn(words, rc.stderr)
                self.assertEqual(os.listdir(tmp), [])


if __name__ == "__main__":
    unittest.main()
