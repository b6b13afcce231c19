"""Tests of camkit_export_tf (cutting, SavedModel signatures, descriptor, errors)."""

import json
import os
import subprocess
import sys
import tempfile
import unittest
import unittest.mock

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

LAYERS = ["relu2", "relu1"]
ATOL = 1e-5


def _input(n, seed=5):
    return np.random.default_rng(seed).standard_normal((n, testmodels.SIZE, testmodels.SIZE, 3)).astype(np.float32)


def _seed(n, cls):
    seed = np.zeros((n, testmodels.CLASSES), dtype=np.float32)
    seed[:, cls] = 1
    return seed


def _keras_reference(model, layer, x, seed):
    """The layer's activations and d sum(seed * output) / d activations from ONE forward of the whole model with the
    layer as an extra output (no cut), and the output."""
    probe = keras.Model(model.inputs, [model.get_layer(layer).output, model.outputs[0]])
    with tf.GradientTape() as tape:
        act, out = probe(tf.constant(x), training=False)
        score = tf.reduce_sum(seed * out)
    return act.numpy(), tape.gradient(score, act).numpy(), out.numpy()


class ExportedSignaturesTest(unittest.TestCase):
    """One export of the small CNN at two layers, checked signature by signature against the Keras model."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.model = testmodels.small_cnn()
        cls.path = os.path.join(cls.tmp.name, "out", "small")
        cls.descriptor = camkit_export_tf.export_model(cls.model, LAYERS, cls.path)
        cls.sig = tf.saved_model.load(cls.path).signatures

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def assertClose(self, got, want, atol=ATOL):
        got, want = np.asarray(got), np.asarray(want)
        self.assertEqual(got.shape, want.shape)
        self.assertLessEqual(float(np.max(np.abs(got - want))), atol)

    def test_savedmodel_has_forward_input_gradients_and_four_signatures_per_layer(self):
        self.assertEqual(set(self.sig.keys()), {"forward", "input_gradients", "features_relu1", "head_relu1",
                                                "head_gradients_relu1", "gradients_relu1", "features_relu2",
                                                "head_relu2", "head_gradients_relu2", "gradients_relu2"})
        self.assertEqual(set(self.sig["gradients_relu1"].structured_outputs), {"output", "activations", "gradients"})
        self.assertEqual(set(self.sig["gradients_relu1"].structured_input_signature[1]), {"x", "seed"})
        self.assertEqual(set(self.sig["head_gradients_relu1"].structured_outputs), {"output", "gradients"})
        self.assertEqual(set(self.sig["head_gradients_relu1"].structured_input_signature[1]), {"a", "seed"})
        self.assertEqual(self.sig["forward"].structured_input_signature[1]["x"].shape.as_list(),
                         [None, testmodels.SIZE, testmodels.SIZE, 3])

    def test_forward_is_the_keras_model_in_inference_mode(self):
        x = _input(3)  # another batch size than the export's check
        want = self.model(x, training=False).numpy()
        self.assertClose(self.sig["forward"](x=tf.constant(x))["output"], want)
        # training mode (dropout, batch statistics) gives another output: the export did not keep it. A fresh copy
        # runs it, as a training call updates the batch norm's moving statistics of the model it runs on.
        in_training = testmodels.small_cnn()(x, training=True).numpy()
        self.assertGreater(float(np.max(np.abs(in_training - want))), 1e-3)

    def test_features_and_gradients_match_the_keras_models_own_activations_and_tape_gradients(self):
        x = _input(2)
        for layer in LAYERS:
            for cls in range(testmodels.CLASSES):
                seed = _seed(2, cls)
                act, grad, out = _keras_reference(self.model, layer, x, seed)
                self.assertGreater(float(np.max(np.abs(grad))), 1e-4)  # a real gradient, not zeros
                self.assertClose(self.sig["features_" + layer](x=tf.constant(x))["activations"], act)
                got = self.sig["gradients_" + layer](x=tf.constant(x), seed=tf.constant(seed))
                self.assertClose(got["activations"], act)
                self.assertClose(got["gradients"], grad)
                self.assertClose(got["output"], out)

    def test_head_computes_the_rest_of_the_model_from_any_activation(self):
        x = _input(2)
        act = self.sig["features_relu1"](x=tf.constant(x))["activations"]
        self.assertClose(self.sig["head_relu1"](a=act)["output"], self.sig["forward"](x=tf.constant(x))["output"])
        changed = act * 2.0 + 0.1
        m = self.model
        tail = m.get_layer("fc")(m.get_layer("gap")(m.get_layer("relu2")(m.get_layer("conv2")(
            m.get_layer("pool1")(changed)))))
        self.assertClose(self.sig["head_relu1"](a=changed)["output"], tail)

    def test_head_gradients_at_the_forward_activations_are_the_tape_gradients_through_the_whole_model(self):
        x = _input(2)
        for layer in LAYERS:
            act = self.sig["features_" + layer](x=tf.constant(x))["activations"]
            for cls in range(testmodels.CLASSES):
                seed = _seed(2, cls)
                want_act, want_grad, want_out = _keras_reference(self.model, layer, x, seed)
                self.assertClose(act, want_act)
                got = self.sig["head_gradients_" + layer](a=act, seed=tf.constant(seed))
                self.assertGreater(float(np.max(np.abs(want_grad))), 1e-4)  # a real gradient, not zeros
                self.assertClose(got["gradients"], want_grad)
                self.assertClose(got["output"], want_out)

    def test_head_gradients_are_the_tape_gradients_of_the_rest_of_the_model_at_any_activation(self):
        # activations no forward pass gives (scaled, shifted, some zeroed): the signature back-propagates through
        # the head alone, as the tape does through the model's own layers after relu1
        act = self.sig["features_relu1"](x=tf.constant(_input(2)))["activations"].numpy()
        changed = act * 2.0 + 0.1
        changed[..., ::2] = 0
        seed = np.random.default_rng(3).standard_normal((2, testmodels.CLASSES)).astype(np.float32)
        m = self.model
        a = tf.constant(changed)
        with tf.GradientTape() as tape:
            tape.watch(a)
            tail = m.get_layer("fc")(m.get_layer("gap")(m.get_layer("relu2")(m.get_layer("conv2")(
                m.get_layer("pool1")(a)))))
            score = tf.reduce_sum(seed * tail)
        want = tape.gradient(score, a)
        got = self.sig["head_gradients_relu1"](a=a, seed=tf.constant(seed))
        self.assertGreater(float(np.max(np.abs(want))), 1e-4)
        self.assertClose(got["gradients"], want)
        self.assertClose(got["output"], tail)
        # the seed weighs the output: another seed, another gradient
        other = self.sig["head_gradients_relu1"](a=a, seed=tf.constant(_seed(2, 0)))["gradients"]
        self.assertGreater(float(np.max(np.abs(other.numpy() - want.numpy()))), 1e-4)

    def test_input_gradients_match_the_tape_through_the_whole_model(self):
        x, seed = _input(2), _seed(2, 2)
        tx = tf.constant(x)
        with tf.GradientTape() as tape:
            tape.watch(tx)
            score = tf.reduce_sum(seed * self.model(tx, training=False))
        got = self.sig["input_gradients"](x=tx, seed=tf.constant(seed))
        self.assertClose(got["gradients"], tape.gradient(score, tx))
        self.assertClose(got["output"], self.model(x, training=False))

    def test_savedmodel_runs_in_a_tf1_session_as_tf_java_loads_it(self):
        # TF Java's SavedModelBundle loads with the C API: graph + restore op, no Python object graph. A variable
        # the functions read but the restore op does not fill fails only there ("Could not find variable").
        x, seed = _input(2), _seed(2, 0)
        act, grad, out = _keras_reference(self.model, "relu2", x, seed)
        with tf.Graph().as_default(), tf.compat.v1.Session() as session:
            meta = tf.compat.v1.saved_model.loader.load(session, ["serve"], self.path)
            sig = meta.signature_def["gradients_relu2"]
            got = session.run({k: sig.outputs[k].name for k in ("output", "activations", "gradients")},
                              {sig.inputs["x"].name: x, sig.inputs["seed"].name: seed})
            head = meta.signature_def["head_gradients_relu2"]
            from_head = session.run({k: head.outputs[k].name for k in ("output", "gradients")},
                                    {head.inputs["a"].name: act, head.inputs["seed"].name: seed})
        self.assertClose(got["output"], out)
        self.assertClose(got["activations"], act)
        self.assertClose(got["gradients"], grad)
        self.assertClose(from_head["output"], out)
        self.assertClose(from_head["gradients"], grad)

    def test_descriptor_lists_layers_in_network_order_with_the_first_named_as_default(self):
        d = self.descriptor
        self.assertEqual(d["backend"], "tensorflow")
        self.assertEqual(d["architecture"], "keras")
        self.assertEqual(d["file"], "small")
        self.assertEqual(d["defaultLayer"], "relu2")
        self.assertEqual(d["properties"], {"layers": "relu1,relu2", "layout": "NHWC"})
        with open(self.path + ".json") as f:
            self.assertEqual(json.load(f), d)


class GraphSessionCheckTest(unittest.TestCase):

    def test_export_refuses_a_savedmodel_whose_variables_a_tf1_session_cannot_restore(self):
        model = testmodels.small_cnn()

        class TrackingTheKerasModel(tf.Module):
            """The naive module: tracking the Keras model saves a second copy of each variable, which TF1-style
            loaders restore instead of the variable the functions read."""

            def __init__(self, signatures):
                super().__init__(name="camkit")
                self.keras_model = model
                for key, fn in signatures.items():
                    setattr(self, key, fn)

        with tempfile.TemporaryDirectory() as tmp, \
                unittest.mock.patch.object(camkit_export_tf, "CamkitModule", TrackingTheKerasModel):
            out = os.path.join(tmp, "small")
            with self.assertRaisesRegex(ExportError, "fails in a TF1 graph session .*Could not find variable"):
                camkit_export_tf.export_model(model, ["relu2"], out)
            self.assertEqual(os.listdir(tmp), [])


class CutErrorsTest(unittest.TestCase):

    def test_cut_crossed_by_a_skip_connection_names_the_crossing_layer_and_a_clean_cut(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "res")
            with self.assertRaises(ExportError) as caught:
                camkit_export_tf.export_model(testmodels.residual_cnn(), ["conv_b"], out)
            message = str(caught.exception)
            self.assertIn("layer 'conv_b' cannot be cut", message)
            self.assertIn("'relu_a' (ReLU)", message)
            self.assertIn("--layer add", message)  # the nearest clean cut: after the block's add
            self.assertEqual(os.listdir(tmp), [])  # nothing written

    def test_cut_after_the_residual_block_exports(self):
        with tempfile.TemporaryDirectory() as tmp:
            model = testmodels.residual_cnn()
            out = os.path.join(tmp, "res")
            camkit_export_tf.export_model(model, ["block_out", "relu_a"], out)
            x, seed = _input(2), _seed(2, 1)
            act, grad, _ = _keras_reference(model, "relu_a", x, seed)
            # relu_a feeds both conv_b and the skip: its gradient sums both paths
            got = tf.saved_model.load(out).signatures["gradients_relu_a"](x=tf.constant(x), seed=tf.constant(seed))
            self.assertLessEqual(float(np.max(np.abs(got["gradients"].numpy() - grad))), ATOL)

    def test_layers_whose_signature_keys_collide_are_refused_before_anything_is_written(self):
        # head_ + 'gradients_x' and head_gradients_ + 'x' are one key: the second would replace the first
        image = keras.Input((8, 8, 3))
        x = keras.layers.ReLU(name="x")(keras.layers.Conv2D(3, 3, padding="same")(image))
        y = keras.layers.ReLU(name="gradients_x")(keras.layers.Conv2D(3, 3, padding="same")(x))
        model = keras.Model(image, keras.layers.Dense(2)(keras.layers.GlobalAveragePooling2D()(y)))
        with tempfile.TemporaryDirectory() as tmp:
            with self.assertRaisesRegex(ExportError, "layers 'gradients_x' and 'x' both need the signature "
                                                     "'head_gradients_x'"):
                camkit_export_tf.export_model(model, ["gradients_x", "x"], os.path.join(tmp, "m"))
            self.assertEqual(os.listdir(tmp), [])
            camkit_export_tf.export_model(model, ["x"], os.path.join(tmp, "m"))  # either one alone exports

    def test_unknown_layer_suggests_close_names(self):
        with self.assertRaisesRegex(ExportError, "layer 'relu_2' is not a layer of model 'small_cnn'.*relu2"):
            camkit_export_tf.cut_model(testmodels.small_cnn(), "relu_2")

    def test_layer_without_feature_maps_is_refused(self):
        with self.assertRaisesRegex(ExportError, r"layer 'gap' outputs shape \(None, 8\); camkit needs"):
            camkit_export_tf.cut_model(testmodels.small_cnn(), "gap")

    def test_shared_layer_is_refused(self):
        image = keras.Input((8, 8, 3))
        conv = keras.layers.Conv2D(3, 3, padding="same", name="shared")
        model = keras.Model(image, keras.layers.GlobalAveragePooling2D()(conv(conv(image))))
        with self.assertRaisesRegex(ExportError, "layer 'shared' is called 2 times"):
            camkit_export_tf.cut_model(model, "shared")

    def test_existing_directory_that_is_not_a_savedmodel_is_not_overwritten(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "precious")
            os.makedirs(out)
            open(os.path.join(out, "notes.txt"), "w").close()
            with self.assertRaisesRegex(ExportError, "exists and is not a SavedModel directory"):
                camkit_export_tf.export_model(testmodels.small_cnn(), ["relu2"], out)
            self.assertEqual(os.listdir(out), ["notes.txt"])


class CommandLineTest(unittest.TestCase):

    def _run(self, *args):
        env = dict(os.environ, PYTHONPATH=TESTS)
        return subprocess.run([sys.executable, os.path.join(TOOL, "camkit_export_tf.py")] + list(args),
                              cwd=TESTS, env=env, capture_output=True, text=True, timeout=120)

    def test_cli_loads_weights_writes_the_descriptor_and_prints_the_signatures(self):
        with tempfile.TemporaryDirectory() as tmp:
            trained = testmodels.small_cnn()
            fc = trained.get_layer("fc")
            fc.set_weights([w * 3 + 0.5 for w in fc.get_weights()])
            weights = os.path.join(tmp, "trained.weights.h5")
            trained.save_weights(weights)
            labels = os.path.join(tmp, "labels.txt")
            with open(labels, "w") as f:
                f.write("cat\ndog\n\nbird\n")
            out = os.path.join(tmp, "models", "small")
            rc = self._run("--factory", "testmodels:small_cnn", "--weights", weights, "--layer", "relu1",
                           "--labels", labels, "--mean", "0.5,0.4,0.3", "--std", "0.2,0.2,0.25",
                           "--channel-order", "BGR", "--name", "tiny", "--output", out + "/")
            self.assertEqual(rc.returncode, 0, rc.stderr)
            self.assertIn("mean [0.5, 0.4, 0.3], std [0.2, 0.2, 0.25]", rc.stdout)
            self.assertNotIn("warning", rc.stderr)
            for line in ("forward(x [-1,16,16,3]) -> {\"output\" [-1,3]}",
                         "features_relu1(x [-1,16,16,3]) -> {\"activations\" [-1,16,16,6]}",
                         "head_relu1(a [-1,16,16,6]) -> {\"output\" [-1,3]}",
                         "head_gradients_relu1(a [-1,16,16,6], seed [-1,3])",
                         "gradients_relu1(seed [-1,3], x [-1,16,16,3])"):
                self.assertIn(line, rc.stdout)
            with open(out + ".json") as f:
                d = json.load(f)
            self.assertEqual(d, {
                "name": "tiny", "backend": "tensorflow", "file": "small", "architecture": "keras",
                "inputWidth": 16, "inputHeight": 16, "channelOrder": "BGR", "mean": [0.5, 0.4, 0.3],
                "std": [0.2, 0.2, 0.25], "labels": ["cat", "dog", "bird"], "defaultLayer": "relu1",
                "properties": {"layers": "relu1", "layout": "NHWC"}})
            x = _input(2)
            got = tf.saved_model.load(out).signatures["forward"](x=tf.constant(x))["output"].numpy()
            self.assertLessEqual(float(np.max(np.abs(got - trained(x, training=False).numpy()))), ATOL)

    def test_cli_prints_the_normalisation_and_warns_when_it_was_not_given(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "small")
            rc = self._run("--factory", "testmodels:small_cnn", "--layer", "relu1", "--output", out)
            self.assertEqual(rc.returncode, 0, rc.stderr)
            self.assertIn("normalisation: (pixel / 255 - mean) / std, RGB, mean [0.485, 0.456, 0.406], "
                          "std [0.229, 0.224, 0.225]", rc.stdout)
            self.assertIn("camkit-export-tf: warning: --mean and --std not given: wrote ImageNet's mean and std",
                          rc.stderr)

    def test_cli_skip_crossing_cut_exits_2_with_the_crossing_layer_and_no_traceback(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "res")
            rc = self._run("--factory", "testmodels:residual_cnn", "--layer", "conv_b", "--output", out)
            self.assertEqual(rc.returncode, 2, rc.stderr)
            self.assertIn("camkit-export-tf: error: layer 'conv_b' cannot be cut", rc.stderr)
            self.assertIn("'relu_a' (ReLU)", rc.stderr)
            self.assertNotIn("Traceback", rc.stderr)
            self.assertFalse(os.path.exists(out))
            self.assertFalse(os.path.exists(out + ".json"))


if __name__ == "__main__":
    unittest.main()
