"""Reference maps of newer pytorch-grad-cam methods for camkit's Java tests, with pytorch-grad-cam as the oracle.

Runs, on the resnet TorchScript fixture (fixtures/torchscript/resnet.pt, its eager twin fixtures.TinyResNet for the
hooks) and its two reference inputs (quantised to 8-bit PNGs and normalised again as camkit does, see
metric_references.quantised_inputs), target layer layer3 (the descriptor's default layer), one image at a time:

- fem:          FEM(model, [layer3]) (k=2), no gradients;
- segeigencam:  SegEigenCAM(model, [layer3]), targets [ClassifierOutputTarget(predicted)];
- kpcacam:      KPCA_CAM(model, [layer3]) (kernel='sigmoid', gamma=None), no gradients;
- finercam:     FinerCAM(model, [layer3]) (base GradCAM) called with targets=None, alpha=1,
                comparison_categories=[1, 2, 3] (its defaults), so it builds its own FinerWeightedTarget;
- gradcam:      GradCAM(model, [layer3]), targets [ClassifierOutputTarget(predicted)] (control);
- shapleycam:   ShapleyCAM(model, [layer3]), targets [ClassifierOutputReST(predicted)];
- refinecam:    RefineCAM(model, [layer2, layer3]) (base GradCAMPlusPlus), targets [ClassifierOutputTarget(predicted)]
                (refinecam.npy only: RefineCAM has no single per-layer map).

Writes fixtures/torchscript/reference/methods/: image0.png, image1.png (the inputs), <method>.npy [2,64,64]
float32 (the grayscale_cam pytorch-grad-cam returns), <method>_layer.npy [2,8,8] float32 (what the method's
get_cam_image returned for layer3, before BaseCAM's ReLU, min-max and resize), and methods.json (versions, the
defaults read from the source, targets, predicted classes, FinerCAM's target scores and comparison classes, notes).

Usage (from tools/camkit-export, in target/venv plus scipy, opencv-python-headless and scikit-learn, which
KPCA_CAM needs):

    python method_references.py --grad-cam DIR [--grad-cam-commit SHA] [--fixtures DIR] [--out DIR]

DIR as for metric_references.py (a folder containing pytorch_grad_cam/ or a pytorch-grad-cam git directory).
A few seconds; deterministic (KPCA uses sklearn's dense eigh for 64 samples, no random state involved).
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

METHODS = ["fem", "segeigencam", "kpcacam", "finercam", "gradcam", "shapleycam"]


def record_layer_cam(cam_object, store):
    """Wraps get_cam_image so that the per-layer map (before ReLU / min-max / resize) is kept."""
    inner = cam_object.get_cam_image

    def wrapped(*args, **kwargs):
        result = inner(*args, **kwargs)
        store.append(np.array(result, dtype=np.float32, copy=True))
        return result

    cam_object.get_cam_image = wrapped


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--grad-cam", default=os.environ.get("PYTORCH_GRAD_CAM"),
                        help="folder containing pytorch_grad_cam/, or a pytorch-grad-cam git directory")
    parser.add_argument("--grad-cam-commit", default=None, help="commit to record (default: git rev-parse HEAD)")
    parser.add_argument("--fixtures", default=mr.DEFAULT_FIXTURES, help="fixtures/torchscript folder")
    parser.add_argument("--out", default=None, help="output folder (default: <fixtures>/reference/methods)")
    args = parser.parse_args(argv)
    if not args.grad_cam:
        parser.error("--grad-cam DIR (or env PYTORCH_GRAD_CAM) is required")
    out = args.out or os.path.join(args.fixtures, "reference", "methods")
    source, commit = mr.locate_grad_cam(args.grad_cam, args.grad_cam_commit)
    stubbed = mr.import_grad_cam(source)
    if "sklearn" in stubbed:
        raise SystemExit("method_references: KPCA_CAM needs scikit-learn (pip install scikit-learn)")

    import cv2
    import scipy
    import sklearn
    import pytorch_grad_cam
    from pytorch_grad_cam import FEM, KPCA_CAM, FinerCAM, GradCAM, ShapleyCAM
    from pytorch_grad_cam.refine_cam import RefineCAM
    from pytorch_grad_cam.utils.model_targets import (ClassifierOutputReST, ClassifierOutputTarget,
                                                      FinerWeightedTarget)
    SegEigenCAM = getattr(pytorch_grad_cam, "SegEigenCAM", None)
    if SegEigenCAM is None:
        raise SystemExit("method_references: this pytorch-grad-cam has no SegEigenCAM")

    torch.set_num_threads(max(1, min(4, os.cpu_count() or 1)))
    torch.backends.nnpack.set_flags(False)
    scripted, eager = mr.load_models(args.fixtures)
    inputs = mr.quantised_inputs(args.fixtures, out)
    with torch.no_grad():
        logits = scripted(torch.from_numpy(inputs))
        eager_logits = eager(torch.from_numpy(inputs))
    assert torch.allclose(logits, eager_logits, atol=1e-5), "TorchScript and eager models disagree"
    predicted = [int(v) for v in logits.argmax(dim=1)]

    maps = {m: [] for m in METHODS}
    layer = {m: [] for m in METHODS}
    finer = []
    for i in range(len(inputs)):
        x = torch.from_numpy(inputs[i:i + 1])
        c = predicted[i]

        def run(name, cam, **call):
            record_layer_cam(cam.base_cam if isinstance(cam, FinerCAM) else cam, layer[name])
            result = cam(input_tensor=x.clone(), **call)
            maps[name].append(np.asarray(result[0]))
            release = cam.base_cam if isinstance(cam, FinerCAM) else cam
            release.activations_and_grads.release()

        run("fem", FEM(model=eager, target_layers=[eager.layer3]), targets=[ClassifierOutputTarget(c)])
        run("segeigencam", SegEigenCAM(model=eager, target_layers=[eager.layer3]),
            targets=[ClassifierOutputTarget(c)])
        run("kpcacam", KPCA_CAM(model=eager, target_layers=[eager.layer3]), targets=[ClassifierOutputTarget(c)])

        # FinerCAM with targets=None: record the FinerWeightedTarget it builds
        built = []
        original = FinerWeightedTarget.__init__

        def spy(self, *a, **k):
            original(self, *a, **k)
            built.append(self)

        FinerWeightedTarget.__init__ = spy
        import pytorch_grad_cam.finer_cam as finer_module
        assert finer_module.FinerWeightedTarget is FinerWeightedTarget
        try:
            run("finercam", FinerCAM(model=eager, target_layers=[eager.layer3]), targets=None)
        finally:
            FinerWeightedTarget.__init__ = original
        assert len(built) == 1, built
        t = built[0]
        with torch.no_grad():
            out_i = scripted(x)[0]
            score = float(t(out_i))
        lg = out_i.numpy()
        finer.append({"image": i, "main_category": int(t.main_category),
                      "comparison_categories": [int(v) for v in t.comparison_categories], "alpha": t.alpha,
                      "score": score, "logits": [float(v) for v in lg],
                      "softmax": [float(v) for v in torch.softmax(out_i, -1)]})
        assert t.main_category == c, (t.main_category, c)
        assert t.comparison_categories == [int(v) for v in np.argsort(-lg, kind="stable")[1:4]], \
            "comparison classes are not the 2nd-4th highest logits"

        run("gradcam", GradCAM(model=eager, target_layers=[eager.layer3]), targets=[ClassifierOutputTarget(c)])
        run("shapleycam", ShapleyCAM(model=eager, target_layers=[eager.layer3]),
            targets=[ClassifierOutputReST(c)])

    # ShapleyCAM's Hessian term: compare with GradCAM on the same ReST target
    rest_gradcam = []
    for i in range(len(inputs)):
        with GradCAM(model=eager, target_layers=[eager.layer3]) as g:
            rest_gradcam.append(g(input_tensor=torch.from_numpy(inputs[i:i + 1]),
                                  targets=[ClassifierOutputReST(predicted[i])])[0])
    shapley_vs_gradcam_rest = float(np.max(np.abs(np.stack(maps["shapleycam"]) - np.stack(rest_gradcam))))

    # RefineCAM over two layers: the product of each layer's Grad-CAM++ map
    refine = []
    for i in range(len(inputs)):
        cam = RefineCAM(model=eager, target_layers=[eager.layer2, eager.layer3])
        refine.append(cam(input_tensor=torch.from_numpy(inputs[i:i + 1]),
                          targets=[ClassifierOutputTarget(predicted[i])])[0])
        for base in cam.base_cam_per_layer:
            base.activations_and_grads.release()
    refinecam = np.stack(refine).astype(np.float32)

    arrays = {m: np.stack(maps[m]).astype(np.float32) for m in METHODS}
    layers = {m: np.stack([v[0] for v in layer[m]]).astype(np.float32) for m in METHODS}
    check(arrays, layers, len(inputs))
    check({"refinecam": refinecam}, {"refinecam": refinecam}, len(inputs))

    os.makedirs(out, exist_ok=True)
    for m in METHODS:
        np.save(os.path.join(out, m + ".npy"), arrays[m])
        np.save(os.path.join(out, m + "_layer.npy"), layers[m])
    np.save(os.path.join(out, "refinecam.npy"), refinecam)

    gc_target = "ClassifierOutputTarget(predicted[image])"
    doc = {
        "generator": "tools/camkit-export/method_references.py",
        "pytorch_grad_cam_commit": commit,
        "torch_version": torch.__version__,
        "numpy_version": np.__version__,
        "scipy_version": scipy.__version__,
        "opencv_version": cv2.__version__,
        "sklearn_version": sklearn.__version__,
        "stubbed_modules": stubbed,
        "model": "resnet.pt (hooks on fixtures.TinyResNet loaded with its state dict; logits agree within 1e-5)",
        "input": "reference/resnet/input.npy as 8-bit pictures image0.png and image1.png (written here), "
                 "normalised again as camkit does: float32 (v/255 - mean)/std",
        "target_layer": "layer3",
        "layer_shape": list(layers["gradcam"].shape[1:]),
        "input_size": [mr.SIZE, mr.SIZE],
        "batch": "one image per call",
        "predicted": predicted,
        "logits": [[float(v) for v in row] for row in logits],
        "files": dict({m: {"maps": m + ".npy", "layer": m + "_layer.npy"} for m in METHODS},
                      refinecam={"maps": "refinecam.npy"}),
        "postprocess": "every method (FinerCAM through its GradCAM) goes through BaseCAM: layer cam -> "
                       "np.maximum(cam, 0) -> scale_cam_image(cam, (W, H)): cam - min, / (1e-7 + max), "
                       "cv2.resize(float32, (64, 64)) (INTER_LINEAR) -> aggregate_multi_layers: maximum(0), mean "
                       "over layers, scale_cam_image again (min-max with 1e-7, no resize). <method>_layer.npy is "
                       "the get_cam_image output before all of this.",
        "methods": {
            "fem": {
                "class": "pytorch_grad_cam.FEM (fem.py)",
                "constructor": "FEM(model, target_layers=[model.layer3])",
                "defaults": {"reshape_transform": None, "k": 2, "aug_smooth": False, "eigen_smooth": False},
                "uses_gradients": False,
                "targets": gc_target + " (passed, unused: no backward)",
                "rule": "per channel over H,W: mean = np.mean, std = np.std (population, ddof=0), both float32; "
                        "th = mean + k*std; weight = mean over H,W of (A > th) (strict >); cam = sum_c weight_c A_c",
            },
            "segeigencam": {
                "class": "pytorch_grad_cam.SegEigenCAM (seg_eigen_cam.py)",
                "constructor": "SegEigenCAM(model, target_layers=[model.layer3])",
                "defaults": {"reshape_transform": None, "aug_smooth": False, "eigen_smooth": False},
                "uses_gradients": True,
                "targets": gc_target,
                "rule": "W = |grads| * A (elementwise, float32); X = W[C,H*W].T [H*W, C]; X -= column means; "
                        "U,S,VT = np.linalg.svd(X, full_matrices=True) (float32 LAPACK gesdd); p = X @ VT[0]; "
                        "if |min p| > |max p|: p = -p (get_2d_projection_with_sign_correction); ties keep the sign",
            },
            "kpcacam": {
                "class": "pytorch_grad_cam.KPCA_CAM (kpca_cam.py) -> utils.svd_on_activations.get_2d_projection_kernel",
                "constructor": "KPCA_CAM(model, target_layers=[model.layer3])",
                "defaults": {"reshape_transform": None, "kernel": "sigmoid", "gamma": None, "aug_smooth": False,
                             "eigen_smooth": False},
                "sklearn": {"call": "KernelPCA(n_components=1, kernel='sigmoid', gamma=None).fit_transform(X)",
                            "gamma_effective": "1 / n_features = 1 / C (C = 64 channels here: 0.015625)",
                            "coef0": 1, "degree": 3, "eigen_solver": "auto -> dense (scipy.linalg.eigh, largest "
                            "eigenpair) because n_samples = H*W = 64 <= 200; arpack would be used above 200",
                            "remove_zero_eig": False},
                "uses_gradients": False,
                "targets": gc_target + " (passed, unused: no backward)",
                "rule": "X = A[C,H*W].T, X -= column means (float32); K = tanh(gamma * X X^T + coef0); "
                        "K centred (sklearn KernelCenterer: K - row means - column means + total mean); "
                        "(lambda, v) = largest eigenpair; lambda clipped to >= 0 (_check_psd_eigenvalues); "
                        "sign: svd_flip(u=v) makes the entry of v with the largest |value| positive (first such "
                        "index on ties); projection = v * sqrt(lambda), reshaped to H x W, float32. No Eigen-CAM "
                        "style sign correction.",
            },
            "finercam": {
                "class": "pytorch_grad_cam.FinerCAM (finer_cam.py) with base_method=GradCAM",
                "constructor": "FinerCAM(model, target_layers=[model.layer3])",
                "defaults": {"reshape_transform": None, "base_method": "GradCAM", "targets": None,
                             "eigen_smooth": False, "alpha": 1, "comparison_categories": [1, 2, 3],
                             "target_idx": None},
                "uses_gradients": True,
                "targets": "built by FinerCAM (targets=None): FinerWeightedTarget(main, comparison, alpha)",
                "rule": "on the clean logits z (one forward): t = max(z) (target_idx None); order = np.argsort("
                        "|z - t|) (ascending; so main = argmax, then descending logits); main = order[0]; "
                        "comparison = [order[j] for j in comparison_categories] = 2nd, 3rd, 4th highest logits. "
                        "Target score = sum_j p_j (z_main - alpha*z_j) / (sum_j p_j + 1e-9), p = softmax(z); "
                        "its gradient (through p too) feeds GradCAM: weights = mean over H,W of grads, "
                        "cam = sum_c w_c A_c",
                "per_image": finer,
            },
            "gradcam": {
                "class": "pytorch_grad_cam.GradCAM (grad_cam.py)",
                "constructor": "GradCAM(model, target_layers=[model.layer3])",
                "defaults": {"reshape_transform": None, "aug_smooth": False, "eigen_smooth": False},
                "uses_gradients": True,
                "targets": gc_target,
                "rule": "control; weights = mean over H,W of grads; cam = sum_c w_c A_c",
            },
            "shapleycam": {
                "class": "pytorch_grad_cam.ShapleyCAM (shapley_cam.py)",
                "constructor": "ShapleyCAM(model, target_layers=[model.layer3])",
                "defaults": {"reshape_transform": None, "aug_smooth": False, "eigen_smooth": False,
                             "compute_input_gradient": True, "detach": False},
                "uses_gradients": True,
                "targets": "ClassifierOutputReST(predicted[image]): z_c - cross_entropy(z, c) = z_c + log_softmax(z)_c",
                "rule": "g = d target / dA (graph kept: torch.autograd.grad(loss, input, create_graph=True)); "
                        "hvp = d(g)/dA applied to A (autograd.grad(g, A, grad_outputs=A)); weights = mean over "
                        "H,W of (g - 0.5*hvp); cam = sum_c w_c A_c",
                "max_abs_diff_vs_gradcam_same_target": shapley_vs_gradcam_rest,
            },
            "refinecam": {
                "class": "pytorch_grad_cam.refine_cam.RefineCAM (refine_cam.py)",
                "constructor": "RefineCAM(model, target_layers=[model.layer2, model.layer3])",
                "defaults": {"reshape_transform": None, "base_method": "GradCAMPlusPlus", "eigen_smooth": False},
                "uses_gradients": True,
                "targets": gc_target,
                "rule": "per layer, the base method's finished map (one target layer: ReLU, scale_cam_image to "
                        "64x64, aggregate: maximum(0), scale again); its 'maximum(cam, 0) / (max + 1e-8)' loop "
                        "rebinds a local and changes nothing; np.prod over the layers; scale_cam_image (min-max "
                        "with 1e-7)",
            },
        },
        "notes": [
            "Maps are float32 in [0, 1]: max 1 - ~1e-7 after the final min-max (divides by 1e-7 + max).",
            "FEM and KPCA_CAM ignore targets (uses_gradients False); KPCA_CAM's map sign follows sklearn's "
            "svd_flip, not saliency, so it may highlight the background.",
            "SegEigenCAM here is used with a classifier target; its sign correction flips p when |min| > |max|.",
            "ShapleyCAM's Hessian term is nonzero only through the softmax part of ReST (pool+fc are linear); "
            "see max_abs_diff_vs_gradcam_same_target.",
        ],
    }
    with open(os.path.join(out, "methods.json"), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print(f"wrote {len(METHODS)} methods x {len(inputs)} images to {out}")
    for m in METHODS:
        a = arrays[m]
        print(f"  {m:12s} min {a.min():.6g} max {a.max():.6g} mean {a.mean():.6g}")
    print("  finer:", [(e["main_category"], e["comparison_categories"], round(e["score"], 6)) for e in finer])
    print("  shapley vs gradcam(ReST) max abs diff:", shapley_vs_gradcam_rest)


def check(arrays, layers, n):
    for m, a in arrays.items():
        assert a.shape == (n, mr.SIZE, mr.SIZE) and a.dtype == np.float32, (m, a.shape, a.dtype)
        assert np.isfinite(a).all(), m
        assert a.min() >= 0 and a.max() <= 1, (m, a.min(), a.max())
        for i in range(n):
            assert a[i].max() > 0.5, (m, i, a[i].max())  # not all zero
        assert np.isfinite(layers[m]).all() and layers[m].shape[0] == n, m


if __name__ == "__main__":
    main()
