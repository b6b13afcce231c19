"""Reads camkit's demo detector (models/demo-detector.pt) for fixtures.py, in a Python that has torch.

fixtures.py runs this file with tools/camkit-export/target/venv/bin/python (or $CAMKIT_TORCH_PYTHON), as
TensorFlow's venv has no torch. It loads the TorchScript file into the eager TinyDetector of
tools/camkit-export/detector.py (state_dict keys without the 'model.' prefix) and writes one .npz:

- ``state/<key>``: every entry of the state dict (conv weights OIHW, batch norm weight/bias/running statistics,
  the decode's grid ``cells`` [1, 196, 2]);
- ``eps``: the batch norms' eps values; ``stride``, ``anchor``: the decode's constants (detector.STRIDE, ANCHOR);
- ``layers``: the exported layers (detector.LAYERS, the default first);
- for the inputs ``x`` [N, 3, H, W] of INPUTS.npz: ``output`` (the eager model's [N, K, 5 + C]),
  ``activations-<layer>`` for each exported layer (NCHW, forward hooks), ``scripted`` (the TorchScript file's own
  output, for the record).

    python torch_detector.py INPUTS.npz OUT.npz [--model models/demo-detector.pt]
"""

import argparse
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "tools", "camkit-export"))

import detector  # noqa: E402  (camkit-export's TinyDetector)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("inputs", help=".npz holding x [N, 3, H, W] float32 (preprocessed)")
    parser.add_argument("out", help=".npz to write")
    parser.add_argument("--model", default=detector.DEFAULT_OUT, help="TorchScript detector")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    torch.backends.nnpack.set_flags(False)  # "Could not initialize NNPACK" on CPUs it does not support
    model, scripted = detector.load_exported(args.model)
    x = torch.from_numpy(np.load(args.inputs)["x"])
    acts = {}
    hooks = [getattr(model, layer).register_forward_hook(
        lambda _m, _i, out, layer=layer: acts.__setitem__(layer, out.detach().numpy()))
        for layer in detector.LAYERS]
    with torch.no_grad():
        output = model(x).numpy()
        scripted_output = scripted(x).numpy()
    for hook in hooks:
        hook.remove()
    arrays = {"state/" + k: v.detach().numpy() for k, v in model.state_dict().items()}
    arrays.update({
        "eps": np.array(sorted({m.eps for m in model.modules() if isinstance(m, torch.nn.BatchNorm2d)})),
        "layers": np.array(detector.LAYERS), "stride": np.array(detector.STRIDE),
        "anchor": np.array(detector.ANCHOR), "output": output, "scripted": scripted_output,
    })
    arrays.update({"activations-" + layer: a for layer, a in acts.items()})
    np.savez(args.out, **arrays)
    return 0


if __name__ == "__main__":
    sys.exit(main())
