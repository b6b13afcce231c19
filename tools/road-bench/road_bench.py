"""Compare camkit's ROAD imputer with pytorch-grad-cam's NoisyLinearImputer on the inputs RoadBench wrote: median
time of each (after warm-up) and the largest difference between the two imputed images (exit 1 above 1e-4).

usage: road_bench.py DATA_DIR PYTORCH_GRAD_CAM_SRC
DATA_DIR holds shape.txt, image.f32, keep.u8, camkit.f32, camkit_ms.txt (written by RoadBench);
PYTORCH_GRAD_CAM_SRC is a folder with the pytorch_grad_cam package (from `git archive`).
"""
import os
import statistics
import sys
import time
import types

import numpy as np
import torch

WARM_UP = 3
MEASURED = 10
TOLERANCE = 1e-4


def load_road(src):
    """Import pytorch_grad_cam.metrics.road without the package __init__, which pulls in every CAM method and
    their dependencies (ttach, torchvision, ...); road.py itself needs only torch, numpy, scipy and cv2."""
    package = types.ModuleType("pytorch_grad_cam")
    package.__path__ = [os.path.join(src, "pytorch_grad_cam")]
    sys.modules["pytorch_grad_cam"] = package
    import pytorch_grad_cam.metrics.road as road
    return road


def main(data, src):
    channels, height, width = (int(v) for v in open(os.path.join(data, "shape.txt")).read().split())
    image = np.fromfile(os.path.join(data, "image.f32"), dtype="<f4").reshape(channels, height, width)
    keep = np.fromfile(os.path.join(data, "keep.u8"), dtype=np.uint8).reshape(height, width)
    camkit = np.fromfile(os.path.join(data, "camkit.f32"), dtype="<f4").reshape(channels, height, width)
    camkit_ms = float(open(os.path.join(data, "camkit_ms.txt")).read())

    imputer = load_road(src).NoisyLinearImputer(noise=0)
    img = torch.from_numpy(image.copy())
    mask = torch.from_numpy(keep.astype(np.float32))
    times = []
    for run in range(WARM_UP + MEASURED):
        start = time.perf_counter()
        reference = imputer(img, mask)
        took = (time.perf_counter() - start) * 1000
        if run >= WARM_UP:
            times.append(took)
    reference = reference.numpy()
    scipy_ms = statistics.median(times)
    diff = float(np.abs(reference.astype(np.float64) - camkit).max())
    removed = 100.0 * (1 - keep.mean())
    print("pytorch-grad-cam median %.1f ms (min %.1f, max %.1f); known pixels identical: %s"
          % (scipy_ms, min(times), max(times), bool((reference[:, keep == 1] == image[:, keep == 1]).all())))
    print("ROAD imputation %dx%d, %.0f%% removed: camkit %.0f ms, pytorch-grad-cam (scipy spsolve) %.0f ms, "
          "ratio %.1f, max |diff| %.1e" % (height, width, removed, camkit_ms, scipy_ms, scipy_ms / camkit_ms, diff))
    if not diff <= TOLERANCE:
        sys.exit("camkit and pytorch-grad-cam differ by %.3g > %g" % (diff, TOLERANCE))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: road_bench.py DATA_DIR PYTORCH_GRAD_CAM_SRC")
    main(sys.argv[1], sys.argv[2])
