#!/usr/bin/python3
"""Generates the decoder and resampling fixtures in this folder.

Run from anywhere with Debian's Python (Pillow 9.4, numpy):  /usr/bin/python3 make_images.py
The output is deterministic (fixed numpy seed); the committed files are the output of this script.
Every "expected_*" file is what Pillow produces, so the Java tests compare against Pillow itself:

  * decoder cases: Image.open(f) -> ImageOps.exif_transpose -> convert("RGB"), saved losslessly;
  * resampling: Image.resize((w, h), Image.BICUBIC) on 8-bit RGB;
  * the evaluation transform at 32 px: shorter side to int(32 / 0.875) = 36 (torchvision's
    int(size * long / short) for the other side), then a center crop with
    top = int(round((H - 32) / 2)), left = int(round((W - 32) / 2)).
"""
import io
import os
import struct
import zlib

import numpy as np
from PIL import Image, ImageOps

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20240617)


def path(name):
    return os.path.join(HERE, name)


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def raw_png(width, height, bit_depth, color_type, idat_payload):
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat_payload)
            + chunk(b"IEND", b""))


def quadrants(width, height):
    """Top-left red, top-right green, bottom-left blue, bottom-right white."""
    a = np.zeros((height, width, 3), np.uint8)
    h2, w2 = height // 2, width // 2
    a[:h2, :w2] = (255, 0, 0)
    a[:h2, w2:] = (0, 255, 0)
    a[h2:, :w2] = (0, 0, 255)
    a[h2:, w2:] = (255, 255, 255)
    return a


def expected(name, src):
    im = Image.open(path(src))
    ImageOps.exif_transpose(im).convert("RGB").save(path(name))


def exif_bytes(orientation):
    exif = Image.Exif()
    exif[0x0112] = orientation
    return exif.tobytes()


# --- colour models -------------------------------------------------------------------------
yy, xx = np.mgrid[0:12, 0:16]
gray = (xx * 16 + yy * 5).astype(np.uint8)
Image.fromarray(gray, "L").save(path("gray.png"))

gray16 = (xx * 4000 + yy * 300 + 7).astype(np.uint16)
Image.fromarray(gray16.astype(np.int32), "I").convert("I;16").save(path("gray16.png"))

rgba = np.zeros((12, 16, 4), np.uint8)
rgba[..., 0] = xx * 16
rgba[..., 1] = yy * 20
rgba[..., 2] = 200
rgba[..., 3] = (xx + yy) * 10  # alpha varies; column 0 row 0 fully transparent
Image.fromarray(rgba, "RGBA").save(path("rgba.png"))
Image.fromarray(rgba, "RGBA").convert("RGB").save(path("expected_rgba.png"))

la = np.stack([gray, (255 - gray)], axis=-1)
Image.fromarray(la, "LA").save(path("gray_alpha.png"))

pal = Image.new("P", (16, 12))
pal.putpalette([255, 0, 0, 0, 128, 0, 10, 20, 250, 255, 255, 255] + [0, 0, 0] * 252)
pal.putdata(list(((xx // 4 + yy // 6) % 4).flatten()))
pal.info["transparency"] = 3  # a transparent palette entry: Pillow's convert("RGB") ignores it
pal.save(path("palette.png"), transparency=3)
expected("expected_palette.png", "palette.png")
pal.save(path("palette.gif"), transparency=3)
expected("expected_palette_gif.png", "palette.gif")

# 16-bit-per-channel RGB: Pillow cannot write it, so it is assembled by hand (filter 0 per row).
rgb16 = np.zeros((12, 16, 3), np.uint16)
rgb16[..., 0] = xx * 4096 + 255
rgb16[..., 1] = yy * 5000 + 128
rgb16[..., 2] = 65535 - xx * 1000
rows = b"".join(b"\x00" + rgb16[r].astype(">u2").tobytes() for r in range(12))
with open(path("rgb16.png"), "wb") as f:
    f.write(raw_png(16, 12, 16, 2, zlib.compress(rows)))
expected("expected_rgb16.png", "rgb16.png")

Image.fromarray(quadrants(16, 12), "RGB").save(path("rgb.bmp"))

# CMYK JPEG (Pillow writes Adobe-inverted CMYK, like Photoshop).
cmyk = np.zeros((16, 24, 4), np.uint8)
cmyk[:8, :12] = (0, 255, 255, 0)      # red
cmyk[:8, 12:] = (255, 0, 255, 0)      # green
cmyk[8:, :12] = (0, 0, 0, 128)        # mid grey
cmyk[8:, 12:] = (60, 30, 0, 20)       # light blue
Image.fromarray(cmyk, "CMYK").save(path("cmyk.jpg"), quality=95)
expected("expected_cmyk.png", "cmyk.jpg")

# --- EXIF orientation ------------------------------------------------------------------------
q = Image.fromarray(quadrants(32, 16), "RGB")
q.save(path("exif6.jpg"), quality=95, exif=exif_bytes(6))
expected("expected_exif6.png", "exif6.jpg")
q.save(path("exif3.jpg"), quality=95, exif=exif_bytes(3))
expected("expected_exif3.png", "exif3.jpg")

# All eight orientations on a lossless 3x2 image with distinct pixels (PNG eXIf chunk).
tiny = np.array([[[10, 0, 0], [20, 0, 0], [30, 0, 0]],
                 [[40, 0, 0], [50, 0, 0], [60, 0, 0]]], np.uint8)
for o in range(1, 9):
    Image.fromarray(tiny, "RGB").save(path("orientation%d.png" % o), exif=exif_bytes(o))
with open(path("expected_orientations.txt"), "w") as f:
    f.write("# orientation width height red-values-row-major (Pillow ImageOps.exif_transpose)\n")
    for o in range(1, 9):
        t = np.asarray(ImageOps.exif_transpose(Image.open(path("orientation%d.png" % o))))
        f.write("%d %d %d %s\n" % (o, t.shape[1], t.shape[0],
                                   " ".join(str(v) for v in t[..., 0].flatten())))

# --- broken files ------------------------------------------------------------------------------
buf = io.BytesIO()
Image.fromarray(rng.integers(0, 256, (64, 64, 3), dtype=np.uint8), "RGB").save(buf, "JPEG", quality=90)
data = buf.getvalue()
with open(path("truncated.jpg"), "wb") as f:
    f.write(data[: len(data) // 2])
buf = io.BytesIO()
Image.fromarray(rng.integers(0, 256, (32, 32, 3), dtype=np.uint8), "RGB").save(buf, "PNG")
data = buf.getvalue()
with open(path("truncated.png"), "wb") as f:
    f.write(data[: len(data) // 2])
open(path("empty.png"), "wb").close()
with open(path("not_an_image.png"), "w") as f:
    f.write("This is a text file with a .png name, not an image.\n")
# A decompression bomb: a valid signature and IHDR claiming 100000 x 100000 RGB, a tiny IDAT.
with open(path("bomb.png"), "wb") as f:
    f.write(raw_png(100000, 100000, 8, 2, zlib.compress(b"\x00" * 16)))

# --- resampling references -----------------------------------------------------------------
def smooth_and_noise(h, w):
    y, x = np.mgrid[0:h, 0:w]
    base = np.stack([x * 255.0 / max(w - 1, 1), y * 255.0 / max(h - 1, 1),
                     128 + 100 * np.sin(x / 3.0 + y / 2.0)], axis=-1)
    noise = rng.integers(-60, 61, (h, w, 3))
    a = np.clip(base + noise, 0, 255).astype(np.uint8)
    a[h // 3, :] = (255, 255, 255)   # hard edges make the kernel's negative lobes clip
    a[:, w // 2] = (0, 0, 0)
    return Image.fromarray(a, "RGB")

src = smooth_and_noise(23, 37)
src.save(path("resize_src_37x23.png"))
src.resize((16, 16), Image.BICUBIC).save(path("expected_resize_37x23_to_16x16.png"))
src.resize((12, 30), Image.BICUBIC).save(path("expected_resize_37x23_to_12x30.png"))
small = smooth_and_noise(8, 8)
small.save(path("resize_src_8x8.png"))
small.resize((20, 20), Image.BICUBIC).save(path("expected_resize_8x8_to_20x20.png"))

photo = smooth_and_noise(41, 50)
photo.save(path("eval_src_50x41.png"))
short = 36  # int(32 / 0.875)
new_w = int(short * 50 / 41)
resized = photo.resize((new_w, short), Image.BICUBIC)
top = int(round((short - 32) / 2.0))
left = int(round((new_w - 32) / 2.0))
resized.crop((left, top, left + 32, top + 32)).save(path("expected_eval_32.png"))
print("eval crop: resized to %dx%d, top %d, left %d" % (new_w, short, top, left))
