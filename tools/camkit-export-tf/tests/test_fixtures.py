"""Tests of the committed TensorFlow fixtures (fixtures/tensorflow): the SavedModels reproduce their references,
and the resnet fixture is the PyTorch fixture's network (fixtures/torchscript/resnet.pt) in Keras."""

import json
import os
import sys
import unittest

TESTS = os.path.dirname(os.path.abspath(__file__))
TOOL = os.path.dirname(TESTS)
REPO = os.path.normpath(os.path.join(TOOL, "..", ".."))
FIXTURES = os.path.join(REPO, "fixtures", "tensorflow")
TORCH_REFERENCE = os.path.join(REPO, "fixtures", "torchscript", "reference", "resnet")
sys.path.insert(0, TOOL)

import camkit_export_tf  # noqa: E402,F401  (sets TF's log level)
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

DESCRIPTOR_KEYS = {"name", "backend", "file", "architecture", "inputWidth", "inputHeight", "channelOrder", "mean",
                   "std", "labels", "defaultLayer", "properties"}


def _max_rel(got, want):
    """max |got - want| over max |want|: differences measured against the array's scale."""
    return float(np.max(np.abs(got - want)) / np.max(np.abs(want)))


class FixturesTest(unittest.TestCase):

    def _fixture(self, name):
        with open(os.path.join(FIXTURES, name + ".json")) as f:
            descriptor = json.load(f)
        ref = os.path.join(FIXTURES, "reference", name)
        with open(os.path.join(ref, "meta.json")) as f:
            meta = json.load(f)
        arrays = {f[:-4]: np.load(os.path.join(ref, f)) for f in os.listdir(ref) if f.endswith(".npy")}
        return descriptor, meta, arrays

    def assertReproduces(self, got, want, what, rtol=1e-4):
        got = np.asarray(got)
        self.assertEqual(got.shape, want.shape, what)
        self.assertLessEqual(_max_rel(got, want), rtol, what)

    def test_descriptors_follow_the_contract_and_match_their_references(self):
        for name, size, default in (("cnn", 32, "relu2"), ("resnet", 64, "layer3")):
            descriptor, meta, arrays = self._fixture(name)
            self.assertEqual(set(descriptor), DESCRIPTOR_KEYS, name)
            self.assertEqual((descriptor["backend"], descriptor["architecture"], descriptor["file"]),
                             ("tensorflow", "keras", name))
            self.assertEqual((descriptor["inputWidth"], descriptor["inputHeight"]), (size, size))
            self.assertEqual(descriptor["defaultLayer"], default)
            self.assertEqual(descriptor["properties"]["layout"], "NHWC")
            self.assertEqual(descriptor["properties"]["layers"].split(","), meta["layers"])
            self.assertTrue(os.path.isfile(os.path.join(FIXTURES, descriptor["file"], "saved_model.pb")))
            self.assertEqual(arrays["input"].shape, (2, size, size, 3))
            self.assertEqual(arrays["output"].shape[1], len(descriptor["labels"]))
            for a in arrays.values():
                self.assertEqual(a.dtype, np.dtype("<f4"))
            cls = int(meta["target"].split(":")[1])
            self.assertTrue(np.all(arrays["seed"][:, cls] == 1) and arrays["seed"].sum() == 2, name)

    def test_savedmodels_reproduce_their_references(self):
        for name in ("cnn", "resnet"):
            descriptor, meta, ref = self._fixture(name)
            sig = tf.saved_model.load(os.path.join(FIXTURES, descriptor["file"])).signatures
            x, seed = tf.constant(ref["input"]), tf.constant(ref["seed"])
            self.assertReproduces(sig["forward"](x=x)["output"], ref["output"], name + " forward")
            for layer in meta["layers"]:
                self.assertReproduces(sig["features_" + layer](x=x)["activations"], ref["activations-" + layer],
                                      "%s features_%s" % (name, layer))
                got = sig["gradients_" + layer](x=x, seed=seed)
                self.assertReproduces(got["gradients"], ref["gradients-" + layer], "%s gradients_%s" % (name, layer))
                self.assertReproduces(got["output"], ref["output"], "%s gradients_%s output" % (name, layer))
                self.assertReproduces(sig["head_" + layer](a=got["activations"])["output"], ref["output"],
                                      "%s head_%s" % (name, layer))
                a = tf.constant(ref["activations-" + layer])
                from_head = sig["head_gradients_" + layer](a=a, seed=seed)
                self.assertReproduces(from_head["gradients"], ref["gradients-" + layer],
                                      "%s head_gradients_%s" % (name, layer))
                self.assertReproduces(from_head["output"], ref["output"], "%s head_gradients_%s output"
                                      % (name, layer))

    def test_cnn_fixture_predicts_the_colour_of_its_reference_images(self):
        descriptor, meta, ref = self._fixture("cnn")
        predicted = [descriptor["labels"][int(i)] for i in ref["output"].argmax(axis=1)]
        self.assertEqual(predicted, ["green", "magenta"])  # cnn_inputs(): a green and a magenta square
        self.assertEqual(meta["target"], "class:1")

    def test_resnet_fixture_is_the_pytorch_fixture_network_in_nhwc(self):
        _, meta, ref = self._fixture("resnet")
        with open(os.path.join(TORCH_REFERENCE, "meta.json")) as f:
            torch_meta = json.load(f)
        torch_ref = {n: np.load(os.path.join(TORCH_REFERENCE, n + ".npy")) for n in ["input", "output", "seed"]}
        self.assertEqual(meta, torch_meta)
        np.testing.assert_array_equal(ref["input"], torch_ref["input"].transpose(0, 2, 3, 1))
        np.testing.assert_array_equal(ref["seed"], torch_ref["seed"])
        sig = tf.saved_model.load(os.path.join(FIXTURES, "resnet")).signatures
        x, seed = tf.constant(ref["input"]), tf.constant(ref["seed"])
        self.assertReproduces(sig["forward"](x=x)["output"], torch_ref["output"], "logits vs PyTorch")
        for layer in meta["layers"]:
            for kind in ("activations", "gradients"):
                torch_nhwc = np.load(os.path.join(TORCH_REFERENCE, "%s-%s.npy" % (kind, layer))).transpose(0, 2, 3, 1)
                got = sig["gradients_" + layer](x=x, seed=seed)[kind]
                self.assertReproduces(got, torch_nhwc, "%s-%s vs PyTorch" % (kind, layer))
            torch_activations = np.load(os.path.join(TORCH_REFERENCE, "activations-%s.npy" % layer))
            torch_gradients = np.load(os.path.join(TORCH_REFERENCE, "gradients-%s.npy" % layer))
            from_head = sig["head_gradients_" + layer](a=tf.constant(torch_activations.transpose(0, 2, 3, 1)),
                                                       seed=seed)
            self.assertReproduces(from_head["gradients"], torch_gradients.transpose(0, 2, 3, 1),
                                  "head_gradients_%s at PyTorch's activations vs PyTorch" % layer)

    def test_benchmark_fixture_back_propagates_through_the_head_alone(self):
        # cam:tfbench --network resnet explains resnet224 with features_layer3 + head_gradients_layer3
        with open(os.path.join(FIXTURES, "resnet224.json")) as f:
            descriptor = json.load(f)
        self.assertEqual(descriptor["properties"]["layers"], "layer3")
        sig = tf.saved_model.load(os.path.join(FIXTURES, descriptor["file"])).signatures
        self.assertEqual({"features_layer3", "head_layer3", "head_gradients_layer3", "gradients_layer3"},
                         {k for k in sig.keys() if k.endswith("layer3")})
        x = tf.constant(np.random.default_rng(9).standard_normal((1, 224, 224, 3)).astype(np.float32))
        seed = tf.constant(np.eye(1, 10, 3, dtype=np.float32))
        want = sig["gradients_layer3"](x=x, seed=seed)
        got = sig["head_gradients_layer3"](a=sig["features_layer3"](x=x)["activations"], seed=seed)
        self.assertReproduces(got["gradients"], want["gradients"].numpy(), "resnet224 head_gradients_layer3")
        self.assertReproduces(got["output"], want["output"].numpy(), "resnet224 head_gradients_layer3 output")

    def test_fixtures_stay_under_4_25_mib(self):
        total = sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(FIXTURES) for f in files)
        self.assertLess(total, 4.25 * 1024 * 1024)


if __name__ == "__main__":
    unittest.main()
