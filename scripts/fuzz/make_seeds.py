#!/usr/bin/env python3
"""Writes the seed and regression inputs of the fuzz corpora from the committed test fixtures.

Usage:
    /usr/bin/python3 scripts/fuzz/make_seeds.py [CORPUS_DIR]

CORPUS_DIR defaults to ltrp-core/src/test/resources/fuzz. Needs Debian's python3-torch,
python3-numpy and python3-pil. The output is deterministic; re-running it reproduces the
committed seed-* and regress-* files byte for byte. It leaves crashes/ alone: those are inputs
that fuzzing campaigns found (scripts/fuzz/run-campaign.sh), kept as they were found.

What is written (docs/RELIABILITY.md says how the corpora are used):
  checkpoint/seed-*          every checkpoint fixture (ltrp-core/src/test/resources/checkpoints,
                             made by scripts/make_checkpoint_fixtures.py): zip and legacy .pth,
                             DEFLATE, views, big-endian, safetensors of every dtype, and the
                             hostile pickles that name os.system, builtins.eval, subprocess.Popen.
  safetensors/seed-*         the safetensors fixtures.
  pickle/seed-*.pkl          the data.pkl records of the zip fixtures, and one plain object
                             pickled by CPython in protocols 2 to 5.
  image/seed-*               the decoder fixtures (ltrp-core/src/test/resources/images, made by
                             make_images.py there) and a GIF and a TIFF written here by Pillow.
  checkpoint/regress-zero-stride-view.pth, pickle/regress-zero-stride-view.pkl
                             torch.save of torch.tensor([7.]).expand(2**28): 514 bytes whose one
                             stored element is viewed as 2^28 (stride 0); the reader once
                             allocated a 1 GiB array for it.

Not written here: checkpoint/regress-zip-record-claims-2GiB.pth, a 531-byte zip checkpoint whose
pickle declares a storage of 2^29 - 1 float32 elements and whose zip directory claims the
matching 2 GiB for a record that holds 8 bytes (the reader once allocated the 2 GiB before
finding the data missing). It is the file CheckpointReadersReliabilityTest
.aZipRecordClaimingMoreBytesThanTheFileHasIsRefusedBeforeAllocating builds, saved once.
"""
import argparse
import io
import json
import os
import zipfile

import numpy as np
import torch
from PIL import Image

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir)
RESOURCES = os.path.join(ROOT, "ltrp-core", "src", "test", "resources")
CHECKPOINTS = os.path.join(RESOURCES, "checkpoints")
IMAGES = os.path.join(RESOURCES, "images")
DEFAULT_OUT = os.path.join(RESOURCES, "fuzz")

# Fuzzing mutates small inputs fastest: only fixtures of a few KiB become seeds.
IMAGE_SEEDS = [
    "bomb.png", "cmyk.jpg", "exif3.jpg", "exif6.jpg", "gray.png", "gray16.png", "gray_alpha.png",
    "orientation6.png", "palette.gif", "palette.png", "resize_src_8x8.png", "rgb.bmp",
    "rgb16.png", "rgba.png", "truncated.jpg", "truncated.png",
]
PICKLE_SOURCES = ["small_zip.pth", "views.pth", "hostile_os_system.pth", "hostile_nested.pth"]


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def read(folder, name):
    with open(os.path.join(folder, name), "rb") as f:
        return f.read()


def data_pkl(zip_bytes):
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as z:
        return z.read(next(n for n in z.namelist() if n.endswith("/data.pkl")))


def fixed_zip(entries):
    """A stored zip of (name, bytes) with fixed timestamps, as torch's own writer lays it out."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in entries:
            z.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), data)
    return buf.getvalue()


def torch_zip(obj):
    """torch.save of obj, re-zipped with fixed timestamps so that the bytes are reproducible."""
    buf = io.BytesIO()
    torch.save(obj, buf)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as z:
        return fixed_zip([(i.filename, z.read(i.filename)) for i in z.infolist()])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", nargs="?", default=DEFAULT_OUT)
    out = os.path.abspath(parser.parse_args().out)

    for name in sorted(os.listdir(CHECKPOINTS)):
        if name.endswith((".pth", ".safetensors")):
            write(os.path.join(out, "checkpoint", "seed-" + name), read(CHECKPOINTS, name))
        if name.endswith(".safetensors"):
            write(os.path.join(out, "safetensors", "seed-" + name), read(CHECKPOINTS, name))

    for name in PICKLE_SOURCES:
        write(os.path.join(out, "pickle", "seed-" + name[:-len(".pth")] + ".pkl"),
              data_pkl(read(CHECKPOINTS, name)))
    with open(os.path.join(CHECKPOINTS, "plain_pickles.json")) as f:
        for protocol, hex_bytes in json.load(f).items():
            write(os.path.join(out, "pickle", "seed-" + protocol + ".pkl"),
                  bytes.fromhex(hex_bytes))

    for name in IMAGE_SEEDS:
        write(os.path.join(out, "image", "seed-" + name), read(IMAGES, name))
    ramp = np.arange(64, dtype=np.uint8).reshape(8, 8) * 4
    buf = io.BytesIO()
    Image.fromarray(ramp, "L").save(buf, format="GIF")
    write(os.path.join(out, "image", "seed-gray.gif"), buf.getvalue())
    rgb = np.stack([ramp, ramp[::-1], ramp.T], axis=-1)
    buf = io.BytesIO()
    Image.fromarray(rgb, "RGB").save(buf, format="TIFF")
    write(os.path.join(out, "image", "seed-rgb.tiff"), buf.getvalue())

    expanded = torch_zip({"huge": torch.tensor([7.0]).expand(1 << 28)})
    write(os.path.join(out, "checkpoint", "regress-zero-stride-view.pth"), expanded)
    write(os.path.join(out, "pickle", "regress-zero-stride-view.pkl"), data_pkl(expanded))


if __name__ == "__main__":
    main()
