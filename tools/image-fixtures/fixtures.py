"""Generates camkit's image-decoding fixtures (fixtures/images/ at the repository root) and their references.

Small pictures (48x32, smooth colour ramps with a few hard-edged shapes) in every form a user's files come in that a
naive decoder gets wrong: CMYK and YCCK JPEGs (Adobe marker), 16-bit RGB and grey PNGs, 8-bit grey, grey with alpha,
palette with transparency, RGBA, a grey JPEG, and JPEGs carrying each EXIF orientation 2..8. Written with Pillow,
OpenCV and imagecodecs (the YCCK one: neither of the others writes YCCK).

The reference for each file is what OpenCV decodes (cv2.imread, IMREAD_COLOR: alpha dropped, 16 bits to 8 by the
high byte, EXIF orientation applied), as RGB, saved as <file>.npy (float32 [H, W, 3]). The generator checks Pillow
against OpenCV on each file (ImageOps.exif_transpose, convert('RGB')) and prints the largest difference; camkit's
decoding tests (ImagesDecodeTest in the core bundle) must match OpenCV within 1 grey level.

Usage: ./run.sh [--out DIR]   (a venv under target/venv with Pillow, OpenCV and imagecodecs; default
<repo>/fixtures/images)
"""

import argparse
import io
import os

import cv2
import imagecodecs
import numpy as np
from PIL import Image, ImageOps

W, H = 48, 32


def picture():
    """An RGB uint8 [H, W, 3] picture: ramps, a disk and a bar, so every channel and edge matter."""
    y, x = np.mgrid[0:H, 0:W].astype(np.float32)
    rgb = np.stack([x / (W - 1) * 255, y / (H - 1) * 255, (1 - x / (W - 1)) * 200 + 30], axis=-1)
    disk = (x - 30) ** 2 + (y - 12) ** 2 < 60
    rgb[disk] = [230, 40, 60]
    rgb[22:27, 4:20] = [20, 160, 90]
    return np.clip(np.rint(rgb), 0, 255).astype(np.uint8)


def wide(rgb):
    """16-bit version: high byte the picture, low byte varying, so that rounding and truncation differ."""
    low = (np.arange(rgb.size, dtype=np.uint32).reshape(rgb.shape) * 37 % 256).astype(np.uint16)
    return rgb.astype(np.uint16) * 256 + low


def grey(rgb):
    return np.asarray(Image.fromarray(rgb).convert("L"))


def write(out, rgb):
    """Writes every fixture under out; returns their file names."""
    files = {}
    pil = Image.fromarray(rgb)
    files["rgb.jpg"] = lambda p: pil.save(p, quality=95)
    files["cmyk.jpg"] = lambda p: pil.convert("CMYK").save(p, quality=95)  # Pillow writes Adobe, inverted
    cmyk = np.asarray(pil.convert("CMYK"))
    files["ycck.jpg"] = lambda p: open(p, "wb").write(
        imagecodecs.jpeg8_encode(cmyk, level=95, colorspace="CMYK", outcolorspace="YCCK"))
    files["grey.jpg"] = lambda p: Image.fromarray(grey(rgb)).save(p, quality=95)
    files["rgb16.png"] = lambda p: cv2.imwrite(p, wide(rgb)[..., ::-1])
    files["grey16.png"] = lambda p: cv2.imwrite(p, wide(grey(rgb)[..., None])[..., 0])
    files["grey.png"] = lambda p: Image.fromarray(grey(rgb)).save(p)
    alpha = (np.arange(W)[None, :].repeat(H, 0) * 255 // (W - 1)).astype(np.uint8)
    files["grey-alpha.png"] = lambda p: Image.fromarray(np.stack([grey(rgb), alpha], -1), "LA").save(p)
    files["rgba.png"] = lambda p: Image.fromarray(np.concatenate([rgb, alpha[..., None]], -1), "RGBA").save(p)
    palette = pil.quantize(colors=16)
    palette.info["transparency"] = 3
    files["palette.png"] = lambda p: palette.save(p, transparency=3)
    for orientation in range(2, 9):
        def oriented(p, o=orientation):
            exif = Image.Exif()
            exif[0x0112] = o
            pil.save(p, quality=95, exif=exif)
        files["exif-%d.jpg" % orientation] = oriented
    for name, make in files.items():
        make(os.path.join(out, name))
    return list(files)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(here, "..", "..", "fixtures", "images"))
    out = os.path.abspath(parser.parse_args().out)
    os.makedirs(out, exist_ok=True)
    for name in write(out, picture()):
        path = os.path.join(out, name)
        reference = cv2.imread(path, cv2.IMREAD_COLOR)[..., ::-1]
        np.save(path + ".npy", reference.astype(np.float32))
        pillow = np.asarray(ImageOps.exif_transpose(Image.open(path)).convert("RGB"))
        same_shape = pillow.shape == reference.shape
        difference = int(np.abs(pillow.astype(int) - reference).max()) if same_shape else -1
        print("%-16s %6d bytes  %dx%d  Pillow vs OpenCV: %s" % (
            name, os.path.getsize(path), reference.shape[1], reference.shape[0],
            "max difference %d" % difference if same_shape else "shape %s" % (pillow.shape,)))


if __name__ == "__main__":
    main()
