"""Writes src/test/resources/torchscript/nosplit.pt: a tiny TorchScript classifier (input [N, 3, 16, 16], 3 classes)
that exports only forward(x), i.e. no features_<layer>/head_<layer> split, for TorchScriptModelTest.

Run from the module folder: python src/test/python/make_nosplit.py (needs torch). Seeded, saved in eval mode, with
the *.debug_pkl entries (absolute source paths of this machine) dropped from the zip.
"""
import io
import pathlib
import zipfile

import torch
from torch import nn

OUT = pathlib.Path(__file__).resolve().parents[1] / "resources" / "torchscript" / "nosplit.pt"


class Tiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        self.fc = nn.Linear(4, 3)

    def forward(self, x):
        return self.fc(torch.relu(self.conv(x)).mean(dim=(2, 3)))


def without_debug_entries(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            if not info.filename.endswith(".debug_pkl"):
                dst.writestr(info, src.read(info))
    return out.getvalue()


def main():
    torch.manual_seed(0)
    module = torch.jit.script(Tiny().eval())
    buffer = io.BytesIO()
    torch.jit.save(module, buffer)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(without_debug_entries(buffer.getvalue()))
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
