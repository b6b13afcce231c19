"""Tests of camkit_export (cutting, TorchScript export, descriptor, errors) and of the committed fixtures."""

import json
import os
import subprocess
import sys
import tempfile
import unittest
import warnings
import zipfile

import numpy as np
import torch

TESTS = os.path.dirname(os.path.abspath(__file__))
TOOL = os.path.dirname(TESTS)
FIXTURES = os.path.normpath(os.path.join(TOOL, "..", "..", "fixtures", "torchscript"))
sys.path.insert(0, TOOL)
sys.path.insert(0, TESTS)

import bench_pytorch  # noqa: E402
import camkit_export  # noqa: E402
import testmodels  # noqa: E402
from camkit_export import ExportError  # noqa: E402

SHAPE = (1, 3, 16, 16)


def setUpModule():
    warnings.filterwarnings("ignore", message=r"`torch\.jit\..*` is deprecated")


def _input(shape=SHAPE, seed=5):
    return torch.randn(shape, generator=torch.Generator().manual_seed(seed))


def _hooked(model, layer, x):
    kept = []
    handle = model.get_submodule(layer).register_forward_hook(lambda m, i, o: kept.append(o))
    with torch.no_grad():
        out = model(x)
    handle.remove()
    return kept[0], out


class ExportTest(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.tmp.name, "out", "small.pt")

    def tearDown(self):
        self.tmp.cleanup()

    def assertClose(self, got, want, atol=1e-5):
        self.assertEqual(tuple(got.shape), tuple(want.shape))
        self.assertLessEqual((got - want).abs().max().item(), atol)

    def test_traceable_model_exports_features_head_and_forward_that_match_the_model(self):
        model = testmodels.small_cnn()
        camkit_export.export_model(model, SHAPE, ["body.0"], self.path)
        loaded = torch.jit.load(self.path)
        x = _input((3, 3, 16, 16))  # another batch size than the export's example
        act, out = _hooked(model, "body.0", x)
        with torch.no_grad():
            self.assertClose(loaded.forward(x), out)
            self.assertClose(loaded.features_body_0(x), act)
            self.assertClose(loaded.features(x), act)
            self.assertClose(loaded.head_body_0(act), out)
            self.assertClose(loaded.head(loaded.features(x)), out)
            # head really starts at the layer: a changed activation changes the output as the model's tail does
            changed = act * 2
            self.assertClose(loaded.head(changed), model.fc(model.body[1](changed).mean(dim=(2, 3))))
        self.assertFalse(loaded.training)

    def test_descriptor_follows_the_contract(self):
        labels_file = os.path.join(self.tmp.name, "labels.txt")
        with open(labels_file, "w") as f:
            f.write("cat\ndog\n\nbird\n")
        rc = subprocess.run(
            [sys.executable, os.path.join(TOOL, "camkit_export.py"), "--factory", "testmodels:small_cnn",
             "--input", "1,3,24,20", "--layer", "body.1", "--labels", labels_file, "--mean", "0.1,0.2,0.3",
             "--std", "0.4,0.5,0.6", "--channel-order", "BGR", "--output", self.path],
            cwd=TESTS, capture_output=True, text=True)
        self.assertEqual(rc.returncode, 0, rc.stderr)
        with open(os.path.join(os.path.dirname(self.path), "small.json")) as f:
            descriptor = json.load(f)
        self.assertEqual(descriptor, {
            "name": "small", "backend": "pytorch", "file": "small.pt", "architecture": "torchscript",
            "inputWidth": 20, "inputHeight": 24, "channelOrder": "BGR", "mean": [0.1, 0.2, 0.3],
            "std": [0.4, 0.5, 0.6], "labels": ["cat", "dog", "bird"], "defaultLayer": "body_1",
            "properties": {"layers": "body_1"}})

    def test_cli_prints_the_normalisation_and_warns_when_it_was_not_given(self):
        def export(*extra):
            return subprocess.run(
                [sys.executable, os.path.join(TOOL, "camkit_export.py"), "--factory", "testmodels:small_cnn",
                 "--input", "1,3,16,16", "--layer", "body.1", "--output", self.path] + list(extra),
                cwd=TESTS, capture_output=True, text=True)
        defaulted = export()
        self.assertEqual(defaulted.returncode, 0, defaulted.stderr)
        self.assertIn("normalisation: (pixel / 255 - mean) / std, RGB, mean [0.485, 0.456, 0.406], "
                      "std [0.229, 0.224, 0.225]", defaulted.stdout)
        self.assertIn("camkit-export: warning: --mean and --std not given: wrote ImageNet's mean and std",
                      defaulted.stderr)
        given = export("--mean", "0.5,0.5,0.5", "--std", "0.25,0.25,0.25")
        self.assertEqual(given.returncode, 0, given.stderr)
        self.assertIn("mean [0.5, 0.5, 0.5], std [0.25, 0.25, 0.25]", given.stdout)
        self.assertNotIn("warning", given.stderr)
        half = export("--std", "0.25,0.25,0.25")
        self.assertIn("warning: --mean not given: wrote ImageNet's mean;", half.stderr)

    def test_saved_zip_has_no_debug_pickles_and_aligned_data(self):
        camkit_export.export_model(testmodels.small_cnn(), SHAPE, ["stem"], self.path)
        with zipfile.ZipFile(self.path) as z:
            infos = z.infolist()
            names = [i.filename for i in infos]
            self.assertTrue(any(n.endswith("/data.pkl") for n in names), names)
            self.assertEqual([n for n in names if n.endswith(".debug_pkl")], [])
            for i in infos:
                if "/data/" in i.filename:
                    self.assertEqual((i.header_offset + 30 + len(i.filename) + len(i.extra)) % 64, 0, i.filename)
        with open(self.path, "rb") as f:
            self.assertNotIn(TOOL.encode(), f.read())

    def test_two_layers_export_both_in_network_order_with_the_first_named_as_default(self):
        model = testmodels.small_cnn()
        descriptor = camkit_export.export_model(model, SHAPE, ["body.1", "stem"], self.path)
        self.assertEqual(descriptor["defaultLayer"], "body_1")
        self.assertEqual(descriptor["properties"], {"layers": "stem,body_1"})
        loaded = torch.jit.load(self.path)
        x = _input(seed=9)
        with torch.no_grad():
            for layer in ("stem", "body.1"):
                suffix = layer.replace(".", "_")
                act, out = _hooked(model, layer, x)
                self.assertClose(getattr(loaded, "features_" + suffix)(x), act)
                self.assertClose(getattr(loaded, "head_" + suffix)(act), out)
            self.assertClose(loaded.features(x), _hooked(model, "body.1", x)[0])
            self.assertNotEqual(tuple(loaded.features(x).shape), tuple(loaded.features_stem(x).shape))

    def test_model_attribute_named_head_does_not_clash_with_the_head_method(self):
        class Named(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.features = testmodels.ConvBlock(3, 4)
                self.head = torch.nn.Linear(4, 2)

            def forward(self, x):
                return self.head(self.features(x).mean(dim=(2, 3)))

        model = Named().eval()
        camkit_export.export_model(model, SHAPE, ["features"], self.path)
        loaded = torch.jit.load(self.path)
        x = _input()
        with torch.no_grad():
            self.assertClose(loaded.head(loaded.features(x)), model(x))

    def test_untraceable_model_fails_with_a_clear_message(self):
        with self.assertRaises(ExportError) as caught:
            camkit_export.export_model(testmodels.branchy(), SHAPE, ["stem"], self.path)
        message = str(caught.exception)
        self.assertIn("torch.fx could not trace Branchy in module 'gate' (Gate)", message)
        self.assertIn("control flow", message)
        self.assertIn("--leaf", message)
        self.assertFalse(os.path.exists(self.path))

    def test_untraceable_submodule_exports_when_named_a_leaf(self):
        model = testmodels.branchy()
        camkit_export.export_model(model, SHAPE, ["stem"], self.path, leaves=["gate"])
        loaded = torch.jit.load(self.path)
        for sign in (1.0, -1.0):  # both branches of Gate, chosen at run time by the scripted module
            x = _input() * 0.1 + sign * 3
            act, out = _hooked(model, "stem", x)
            with torch.no_grad():
                self.assertClose(loaded.head(loaded.features(x)), out)

    def test_cli_reports_an_untraceable_model_without_a_traceback(self):
        rc = subprocess.run(
            [sys.executable, os.path.join(TOOL, "camkit_export.py"), "--factory", "testmodels:branchy",
             "--input", "1,3,16,16", "--layer", "stem", "--output", self.path],
            cwd=TESTS, capture_output=True, text=True)
        self.assertEqual(rc.returncode, 2)
        self.assertIn("camkit-export: error: torch.fx could not trace Branchy", rc.stderr)
        self.assertNotIn("Traceback", rc.stderr)

    def test_cut_crossed_by_a_skip_connection_fails_and_names_the_crossing_value_and_a_clean_layer(self):
        with self.assertRaises(ExportError) as caught:
            camkit_export.export_model(testmodels.res_net(), SHAPE, ["block.conv1"], self.path)
        message = str(caught.exception)
        self.assertIn("layer 'block.conv1' cannot be cut", message)
        self.assertIn("'relu' (relu in module 'stem')", message)  # the block input the residual add needs
        self.assertIn("--layer block ", message)
        camkit_export.export_model(testmodels.res_net(), SHAPE, ["block"], self.path)  # the suggestion works

    def test_long_skip_over_the_layer_fails_without_a_false_suggestion(self):
        with self.assertRaises(ExportError) as caught:
            camkit_export.export_model(testmodels.skip_net(), SHAPE, ["body"], self.path)
        message = str(caught.exception)
        self.assertIn("layer 'body' cannot be cut", message)
        self.assertIn("in module 'stem'", message)
        self.assertIn("only one tensor crosses", message)
        self.assertNotIn("--layer", message)

    def test_input_size_read_before_the_cut_is_named_with_a_hint(self):
        with self.assertRaises(ExportError) as caught:
            camkit_export.export_model(testmodels.size_net(), SHAPE, ["encoder"], self.path)
        message = str(caught.exception)
        self.assertIn("layer 'encoder' cannot be cut", message)
        self.assertIn("'getitem' (getitem)", message)
        self.assertIn("A size read before the cut (x.shape / x.size())", message)

    def test_layer_torchscript_cannot_compile_is_traced_and_stays_batch_independent(self):
        model = testmodels.unscriptable()
        with self.assertLogs("camkit_export", "WARNING") as logs:
            camkit_export.export_model(model, SHAPE, ["odd"], self.path)
        self.assertIn("TorchScript cannot compile the model", logs.output[0])
        loaded = torch.jit.load(self.path)
        x = _input((4, 3, 16, 16))
        act, out = _hooked(model, "odd", x)
        with torch.no_grad():
            self.assertClose(loaded.features_odd(x), act)
            self.assertClose(loaded.head_odd(act), out)

    def test_interpolate_is_traced_so_the_file_has_no_op_newer_than_camkits_libtorch(self):
        model = testmodels.upsampling()
        with self.assertLogs("camkit_export", "WARNING") as logs:
            camkit_export.export_model(model, SHAPE, ["body"], self.path)
        self.assertIn("_upsample_lanczos2d_aa", logs.output[0])
        with zipfile.ZipFile(self.path) as z:
            code = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if "/code/" in n)
        self.assertNotIn("lanczos", code)
        loaded = torch.jit.load(self.path)
        x = _input((2, 3, 16, 16))
        act, out = _hooked(model, "body", x)
        with torch.no_grad():
            self.assertClose(loaded.head_body(loaded.features_body(x)), out)

    def test_unknown_layer_names_close_matches(self):
        with self.assertRaises(ExportError) as caught:
            camkit_export.export_model(testmodels.small_cnn(), SHAPE, ["bodyy"], self.path)
        self.assertIn("layer 'bodyy' is not a submodule of SmallCNN; did you mean: body", str(caught.exception))

    def test_token_grid_must_match_the_layer_output(self):
        import fixtures
        with self.assertRaises(ExportError) as caught:
            camkit_export.export_model(fixtures.vit(), (1, 3, 32, 32), ["blocks.0"], self.path, tokens=(1, 3, 3))
        self.assertIn("layer 'blocks.0' outputs shape [1, 17, 32], but --tokens 1,3,3 needs [N, 10, D]",
                      str(caught.exception))


class FixtureTest(unittest.TestCase):
    """The committed fixtures: their TorchScript files reproduce the stored references."""

    def check(self, name):
        with open(os.path.join(FIXTURES, name + ".json")) as f:
            descriptor = json.load(f)
        ref = os.path.join(FIXTURES, "reference", name)
        with open(os.path.join(ref, "meta.json")) as f:
            meta = json.load(f)
        arrays = {n[:-4]: np.load(os.path.join(ref, n)) for n in os.listdir(ref) if n.endswith(".npy")}
        for key, value in arrays.items():
            self.assertEqual(value.dtype, np.dtype("<f4"), key)
            self.assertTrue(value.flags.c_contiguous, key)

        self.assertEqual(descriptor["file"], name + ".pt")
        self.assertEqual(descriptor["properties"]["layers"].split(","), meta["layers"])
        self.assertIn(descriptor["defaultLayer"], meta["layers"])
        x = arrays["input"]
        self.assertEqual(list(x.shape), [2, 3, descriptor["inputHeight"], descriptor["inputWidth"]])
        with zipfile.ZipFile(os.path.join(FIXTURES, descriptor["file"])) as z:
            self.assertEqual([n for n in z.namelist() if n.endswith(".debug_pkl")], [])

        model = torch.jit.load(os.path.join(FIXTURES, descriptor["file"]))
        xt = torch.from_numpy(x)
        with torch.no_grad():
            output = model(xt)
        np.testing.assert_allclose(output.numpy(), arrays["output"], rtol=1e-4, atol=1e-5)
        np.testing.assert_array_equal(arrays["seed"], self.seed_for(meta["target"], arrays["output"]))
        seed = torch.from_numpy(arrays["seed"])
        for layer in meta["layers"]:
            acts = getattr(model, "features_" + layer)(xt).detach().requires_grad_(True)
            (seed * getattr(model, "head_" + layer)(acts)).sum().backward()
            np.testing.assert_allclose(acts.detach().numpy(), arrays["activations-" + layer], rtol=1e-4, atol=1e-5)
            np.testing.assert_allclose(acts.grad.numpy(), arrays["gradients-" + layer], rtol=1e-4, atol=1e-6)
            self.assertGreater(np.abs(arrays["gradients-" + layer]).max(), 0, layer)
        self.assertGreater(self.grad_cam_peak(descriptor, arrays), 0, "Grad-CAM at the default layer is empty")
        self.assertEqual(set(arrays), {"input", "output", "seed"} | {
            kind + "-" + layer for layer in meta["layers"] for kind in ("activations", "gradients")})
        return descriptor, meta, arrays

    @staticmethod
    def grad_cam_peak(descriptor, arrays):
        """The largest raw Grad-CAM value of image 0 at the default layer (token grids folded as camkit does)."""
        layer = descriptor["defaultLayer"]
        a, g = arrays["activations-" + layer][:1], arrays["gradients-" + layer][:1]
        tokens = descriptor.get("tokens")
        if tokens:
            a, g = ([t[:, tokens["prefix"]:].transpose(0, 2, 1).reshape(1, -1, tokens["height"], tokens["width"])
                     for t in (a, g)])
        return np.maximum((g.mean(axis=(2, 3), keepdims=True) * a).sum(axis=1), 0).max()

    def seed_for(self, target, output):
        """The seed a camkit target spec means, computed here from the stored output."""
        kind, _, value = target.partition(":")
        cls = int(value)
        seed = np.zeros_like(output)
        if kind == "class":
            seed[:, cls] = 1
        else:
            self.assertEqual(kind, "segmentation")
            seed[:, cls] = output.argmax(axis=1) == cls
        return seed

    def test_resnet_reproduces_references_and_targets_the_predicted_class_of_image_0(self):
        descriptor, meta, arrays = self.check("resnet")
        self.assertEqual(meta["target"], "class:%d" % arrays["output"][0].argmax())
        self.assertEqual((descriptor["defaultLayer"], len(descriptor["labels"])), ("layer3", 10))
        self.assertEqual(meta["layers"], ["layer1", "layer2", "layer3"])
        self.assertEqual(list(arrays["activations-layer3"].shape[:2]), [2, 64])

    def test_fcn_reproduces_references_and_targets_a_segmented_class(self):
        descriptor, meta, arrays = self.check("fcn")
        self.assertEqual(list(arrays["output"].shape), [2, 4, 64, 64])
        self.assertTrue(meta["target"].startswith("segmentation:"))
        cls = int(meta["target"].split(":")[1])
        self.assertGreater(cls, 0)
        self.assertGreater(arrays["seed"][0, cls].sum(), 0)  # the class is present in image 0's prediction
        self.assertEqual(meta["layers"], ["encoder", "decoder"])

    def test_vit_reproduces_references_with_token_layout(self):
        descriptor, meta, arrays = self.check("vit")
        self.assertEqual(descriptor["tokens"], {"prefix": 1, "height": 4, "width": 4})
        self.assertEqual(descriptor["defaultLayer"], "blocks_0")  # grid gradients at blocks_1 are all zero
        self.assertEqual(np.abs(arrays["gradients-blocks_1"][:, 1:]).max(), 0)
        self.assertEqual(meta["layers"], ["blocks_0", "blocks_1"])
        self.assertEqual(list(arrays["activations-blocks_1"].shape), [2, 17, 32])
        self.assertEqual(meta["target"], "class:%d" % arrays["output"][0].argmax())


class BenchTest(unittest.TestCase):
    """bench_pytorch rebuilds the eager resnet from the fixture and computes Grad-CAM from the same values."""

    def test_eager_model_from_fixture_weights_matches_the_reference_and_grad_cam_uses_its_gradients(self):
        model, descriptor = bench_pytorch.load_resnet(FIXTURES)
        ref = os.path.join(FIXTURES, "reference", "resnet")
        x = torch.from_numpy(np.load(os.path.join(ref, "input.npy")))
        with open(os.path.join(ref, "meta.json")) as f:
            cls = int(json.load(f)["target"].split(":")[1])
        acts, grads, out = bench_pytorch.forward_backward(model, model.layer3, x, target=cls)
        np.testing.assert_allclose(out.numpy(), np.load(os.path.join(ref, "output.npy")), rtol=1e-4, atol=1e-5)
        want_a = np.load(os.path.join(ref, "activations-layer3.npy"))
        want_g = np.load(os.path.join(ref, "gradients-layer3.npy"))
        np.testing.assert_allclose(grads.numpy(), want_g, rtol=1e-4, atol=1e-6)
        small, big = bench_pytorch.grad_cam(acts, grads, (64, 64))
        cam = np.maximum((want_g.mean(axis=(2, 3), keepdims=True) * want_a).sum(axis=1), 0)
        cam = cam - cam.min(axis=(1, 2), keepdims=True)
        cam = cam / (1e-7 + cam.max(axis=(1, 2), keepdims=True))
        np.testing.assert_allclose(small.numpy(), cam, atol=1e-4)
        self.assertEqual(tuple(big.shape), (2, 64, 64))
        self.assertAlmostEqual(big.max().item(), 1.0, places=5)

    def test_bench_prints_one_json_line_of_medians(self):
        rc = subprocess.run([sys.executable, os.path.join(TOOL, "bench_pytorch.py"), "--fixtures", FIXTURES,
                             "--size", "96", "--iterations", "2", "--warmup", "1", "--threads", "1"],
                            capture_output=True, text=True)
        self.assertEqual(rc.returncode, 0, rc.stderr)
        lines = rc.stdout.strip().splitlines()
        self.assertEqual(len(lines), 1)
        result = json.loads(lines[0])
        self.assertEqual(result["threads"], 1)
        self.assertGreater(result["pytorch_gradcam_ms"], 0)
        self.assertGreater(result["pytorch_forward_backward_ms"], 0)


if __name__ == "__main__":
    unittest.main()
