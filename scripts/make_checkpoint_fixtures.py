#!/usr/bin/env python3
"""Writes the small checkpoint fixtures that ltrp-core's checkpoint tests read.

Usage:
    /usr/bin/python3 scripts/make_checkpoint_fixtures.py [OUT_DIR]

OUT_DIR defaults to ltrp-core/src/test/resources/checkpoints. The output is deterministic (fixed
seeds, sequential storage keys, fixed zip timestamps), so re-running the script reproduces the
committed files byte for byte. Every file is a few KiB.

What is written, and why each exists:
  small_zip.pth            torch.save of {"model": state dict, "epoch": 3, "args": Namespace}
                           (PyTorch >= 1.6 zip format): several shapes, a 0-d tensor, an empty
                           tensor, int64/bool/float64 tensors and an nn.Parameter.
  small_legacy.pth         the same object in the pre-1.6 legacy format.
  small_deflated.pth       small_zip.pth re-zipped with DEFLATE (torch never compresses; readers
                           should still cope).
  views.pth                a base tensor saved together with views of its storage (row slice with
                           a storage offset, a column slice with stride 2, a transpose) plus float16
                           and bfloat16 tensors (and a float16 view).
  views_legacy.pth         the same in the legacy format.
  views_bigendian.pth      views.pth rewritten as if saved on a big-endian machine (byteorder
                           record "big", storages byte-swapped, different top folder name).
  st_f32.safetensors,      safetensors written by this script's own writer (independent of the
  st_f16.safetensors,      Java writer): the same float32 source values stored as F32, F16 and BF16,
  st_bf16.safetensors      including rounding ties, subnormals, overflow, signed zeros and inf.
  st_ints.safetensors      F64, I64, I32, I16, I8, U8 and BOOL tensors.
  hf_mae_tiny.safetensors  a tiny state dict with Hugging Face ViTMAEForPreTraining names.
  hf_mae_tiny_reference.safetensors
                           the same weights under the reference MAE names (q, k, v concatenated
                           into qkv), computed here with torch.cat.
  hostile_os_system.pth    zip checkpoints whose data.pkl was crafted opcode by opcode to call
  hostile_eval.pth         os.system, builtins.eval, subprocess.Popen, or os.system hidden inside
  hostile_popen.pth        an otherwise valid state dict. They are never unpickled here.
  hostile_nested.pth
  plain_pickles.json       one object holding every plain value type, pickled by CPython's own
                           pickler in protocols 2, 3, 4 and 5 (hex): tests the pickle reader
                           against the opcodes a real pickler chooses.
  expected.json            for every tensor of every non-hostile fixture: shape, stored dtype and
                           the float32 bit patterns a reader must produce (exact; float16/bfloat16
                           widened exactly), and for the F16/BF16 files the float32 source bits
                           the values were rounded from.
"""
import argparse
import collections
import io
import json
import os
import pickle
import pickletools
import struct
import sys
import zipfile

import numpy as np
import torch

DEFAULT_OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir,
                           "ltrp-core", "src", "test", "resources", "checkpoints")

# Fixed zip timestamp so that files rewritten by zipfile are reproducible.
ZIP_DATE = (2024, 1, 1, 0, 0, 0)


def rng(seed):
    return np.random.RandomState(seed)


def randn(r, *shape):
    return torch.from_numpy(r.standard_normal(shape).astype(np.float32))


def f32_bits(t):
    """float32 bit patterns (as unsigned ints) of a tensor's values converted to float32."""
    a = t.detach().to(torch.float32).contiguous().numpy().reshape(-1)
    return [int(b) for b in a.view(np.uint32)]


SAFETENSORS_DTYPE = {
    torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.float64: "F64",
    torch.int64: "I64", torch.int32: "I32", torch.int16: "I16", torch.int8: "I8",
    torch.uint8: "U8", torch.bool: "BOOL",
}


def describe(t):
    return {"shape": list(t.shape), "dtype": SAFETENSORS_DTYPE[t.dtype], "bits": f32_bits(t)}


# ----------------------------------------------------------------------------------------------
# PyTorch files
# ----------------------------------------------------------------------------------------------

def small_state_dict():
    r = rng(1)
    sd = collections.OrderedDict()
    sd["linear.weight"] = randn(r, 4, 3)
    sd["linear.bias"] = randn(r, 4)
    sd["conv.weight"] = randn(r, 2, 3, 2, 2)
    sd["scale"] = torch.tensor(1.5)  # 0-d
    sd["empty"] = torch.zeros(0, 3)
    sd["counts"] = torch.tensor([0, 1, -7, 16777216, -16777216], dtype=torch.int64)
    sd["mask"] = torch.tensor([True, False, True])
    sd["double"] = torch.tensor([[0.1, -2.5], [1e-3, 3.0]], dtype=torch.float64)
    sd["param"] = torch.nn.Parameter(randn(r, 2, 2))
    # Module.state_dict() attaches this attribute; it is pickled as a BUILD on the OrderedDict.
    sd._metadata = collections.OrderedDict([("", {"version": 1}), ("linear", {"version": 1})])
    return sd


def views_dict():
    r = rng(2)
    base = randn(r, 4, 6)
    half = randn(r, 5).to(torch.float16)
    d = collections.OrderedDict()
    d["base"] = base
    d["rows_from_2"] = base[2:]            # storage offset 12, contiguous
    d["even_columns"] = base[:, ::2]       # strides (6, 2)
    d["transposed"] = base.t()             # strides (1, 6)
    d["column_3"] = base[:, 3]             # offset 3, stride (6,)
    d["half"] = half
    d["half_tail"] = half[1:4]             # float16 view with offset 1
    d["bf16"] = randn(r, 3, 2).to(torch.bfloat16)
    return d


def canonical_legacy(raw):
    """Makes a legacy file reproducible: storage keys "0", "1", ... in order of first use.

    torch's legacy writer keys storages by memory address and writes them sorted by that key, so
    both the names and the order of the storages differ between runs. The keys occur only as
    BINUNICODE strings in the object pickle (protocol 2: no frames, no absolute offsets, so they
    can be rewritten in place with new length prefixes) and in the key-list pickle, which is
    re-written along with the storage records in the new order.
    """
    f = io.BytesIO(raw)
    pickles = []
    for _ in range(5):
        start = f.tell()
        ops = list(pickletools.genops(f))
        pickles.append((start, f.tell(), ops))
    obj_start, obj_end, obj_ops = pickles[3]
    types = _StorageTypes(raw[obj_start:obj_end])
    types.load()
    old_keys = pickle.loads(raw[pickles[4][0]:pickles[4][1]])

    records = {}
    pos = pickles[4][1]
    for key in old_keys:
        (count,) = struct.unpack_from("<q", raw, pos)
        size = 8 + count * types.types[key]().element_size()
        records[key] = raw[pos:pos + size]
        pos += size
    assert pos == len(raw)

    order = list(types.types)  # first use in the object pickle
    rename = {k: str(i) for i, k in enumerate(order)}
    out = bytearray(raw[:obj_start])
    cursor = obj_start
    for i, (op, arg, at) in enumerate(obj_ops):
        if op.name == "BINUNICODE" and arg in rename:
            out += raw[cursor:at]
            new = rename[arg].encode()
            out += b"X" + struct.pack("<I", len(new)) + new
            cursor = obj_ops[i + 1][2]
    out += raw[cursor:obj_end]
    out += pickle.dumps([rename[k] for k in order], protocol=2)
    for key in order:
        out += records[key]
    return bytes(out)


def save_torch(obj, path, legacy=False):
    if legacy:
        buf = io.BytesIO()
        torch.save(obj, buf, _use_new_zipfile_serialization=False)
        data = canonical_legacy(buf.getvalue())
        with open(path, "wb") as f:
            f.write(data)
    else:
        torch.save(obj, path)
    # The fixture must load back in torch itself before it is worth testing against.
    back = torch.load(path)
    assert type(back) is type(obj)


def rezip(src, dst, folder=None, compression=zipfile.ZIP_STORED, transform=None, extra=()):
    """Copies a torch zip checkpoint entry by entry, optionally renaming the top folder,
    compressing, transforming the copied entries (transform(name, bytes) -> bytes, or None to
    drop the entry) or appending entries (extra: (name, bytes) pairs, not transformed)."""
    with zipfile.ZipFile(src) as zin:
        entries = [(i.filename, zin.read(i.filename)) for i in zin.infolist()]
    old_folder = entries[0][0].split("/")[0]
    entries = [(name, data, True) for name, data in entries]
    entries += [(old_folder + "/" + name, data, False) for name, data in extra]
    with zipfile.ZipFile(dst, "w") as zout:
        for name, data, original in entries:
            rel = name[len(old_folder) + 1:]
            if transform is not None and original:
                data = transform(rel, data)
                if data is None:
                    continue
            info = zipfile.ZipInfo((folder or old_folder) + "/" + rel, date_time=ZIP_DATE)
            info.compress_type = compression
            zout.writestr(info, data)


class _StorageTypes(pickle.Unpickler):
    """Reads only the storage keys and classes of a data.pkl that this script itself wrote."""

    def __init__(self, data):
        super().__init__(io.BytesIO(data))
        self.types = {}

    def find_class(self, module, name):
        if module == "torch._utils":
            return lambda *args, **kwargs: None
        return super().find_class(module, name)  # our own file: plain classes are fine

    def persistent_load(self, pid):
        self.types[pid[2]] = pid[1]
        return None


def to_big_endian(src, dst):
    with zipfile.ZipFile(src) as z:
        pkl_name = [n for n in z.namelist() if n.endswith("/data.pkl")][0]
        reader = _StorageTypes(z.read(pkl_name))
        reader.load()
    item = {torch.FloatStorage: ">f4", torch.HalfStorage: ">f2", torch.BFloat16Storage: ">u2",
            torch.DoubleStorage: ">f8", torch.LongStorage: ">i8"}

    def swap(rel, data):
        if rel == "byteorder":
            return None
        if rel.startswith("data/"):
            big = np.dtype(item[reader.types[rel[5:]]])
            return np.frombuffer(data, dtype=big.newbyteorder("<")).astype(big).tobytes()
        return data

    # torch 1.13 writes no byteorder record (little-endian is implied); torch >= 2.1 writes one.
    rezip(src, dst, folder="views_be", transform=swap, extra=[("byteorder", b"big")])


# ----------------------------------------------------------------------------------------------
# safetensors, written from the format description (not with the safetensors package)
# ----------------------------------------------------------------------------------------------

def tensor_bytes(t):
    if t.dtype == torch.bfloat16:
        return t.contiguous().view(torch.int16).numpy().astype("<i2").tobytes()
    if t.dtype == torch.bool:
        return t.numpy().astype(np.uint8).tobytes()
    a = t.contiguous().numpy()
    return a.astype(a.dtype.newbyteorder("<")).tobytes()


def write_safetensors(path, tensors, metadata=None):
    """u64 LE header length, JSON header padded with spaces to a multiple of 8, then the data of
    each tensor in insertion order, little-endian and row-major."""
    header = {}
    if metadata:
        header["__metadata__"] = metadata
    blobs = []
    offset = 0
    for name, t in tensors.items():
        b = tensor_bytes(t)
        header[name] = {"dtype": SAFETENSORS_DTYPE[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def rounding_sources():
    """float32 values that exercise float16 and bfloat16 round-to-nearest-even."""
    bits = [
        0x00000000, 0x80000000, 0x7F800000, 0xFF800000, 0x7FC00000,  # +-0, +-inf, NaN
        0x3F800000, 0xBF800000,                                      # +-1
        0x3F801000,  # 1 + 2^-11: float16 tie, even -> 1
        0x3F803000,  # 1 + 3*2^-11: float16 tie, rounds up to even
        0x3F801001,  # just above the float16 tie
        0x3F808000,  # bfloat16 tie, even -> 1
        0x3F818000,  # bfloat16 tie, rounds up
        0x3F808001,  # just above the bfloat16 tie
        0x477FE000,  # 65504, float16 max
        0x477FEFFF,  # below the tie to infinity
        0x477FF000,  # 65520: float16 tie to infinity
        0x47800000,  # 65536: float16 overflow
        0x7F7FFFFF,  # float32 max: bfloat16 rounds to infinity
        0x38800000,  # 2^-14: smallest float16 normal
        0x387FC000,  # largest float16 subnormal
        0x33800000,  # 2^-24: smallest float16 subnormal
        0x33000000,  # 2^-25: tie to zero
        0x33000001,  # just above: rounds to 2^-24
        0x33C00000,  # 1.5 * 2^-24: tie, rounds up to 2^-23
        0x00000001,  # float32 subnormal
        0x80400000,  # negative float32 subnormal
    ]
    values = np.array(bits, dtype=np.uint32).view(np.float32)
    r = rng(3)
    values = np.concatenate([values, r.standard_normal(38).astype(np.float32) * 100])
    return torch.from_numpy(values.copy())


def safetensors_fixtures(out, expected):
    src = rounding_sources()
    r = rng(4)
    tensors = collections.OrderedDict()
    tensors["rounding"] = src.reshape(8, 8)
    tensors["matrix"] = randn(r, 3, 5)
    tensors["scalar"] = torch.tensor(-0.75)
    tensors["empty"] = torch.zeros(2, 0)
    for code, dtype in (("f32", torch.float32), ("f16", torch.float16), ("bf16", torch.bfloat16)):
        stored = collections.OrderedDict((k, v.to(dtype)) for k, v in tensors.items())
        name = "st_%s.safetensors" % code
        write_safetensors(os.path.join(out, name), stored, {"format": "pt", "source": "fixture"})
        expected[name] = {k: dict(describe(v), source_bits=f32_bits(tensors[k]))
                          for k, v in stored.items()}

    ints = collections.OrderedDict()
    ints["f64"] = torch.tensor([0.1, -1e300, 2.0 ** -149, 16777217.0], dtype=torch.float64)
    ints["i64"] = torch.tensor([[-(2 ** 40), 16777217], [5, -1]], dtype=torch.int64)
    ints["i32"] = torch.tensor([2 ** 31 - 1, -(2 ** 31), 12345], dtype=torch.int32)
    ints["i16"] = torch.tensor([-32768, 32767, 0], dtype=torch.int16)
    ints["i8"] = torch.tensor([-128, 127, -1], dtype=torch.int8)
    ints["u8"] = torch.tensor([0, 255, 128], dtype=torch.uint8)
    ints["bool"] = torch.tensor([True, False, False, True])
    write_safetensors(os.path.join(out, "st_ints.safetensors"), ints)
    expected["st_ints.safetensors"] = {k: describe(v) for k, v in ints.items()}


# ----------------------------------------------------------------------------------------------
# Hugging Face ViTMAEForPreTraining names (module order of transformers' ViTMAE)
# ----------------------------------------------------------------------------------------------

HF = dict(dim=8, depth=2, mlp=16, patch=2, chans=3, tokens=5, dec_dim=4, dec_depth=1, dec_mlp=8)


def hf_layer(prefix, d, mlp, r, out):
    for part in ("query", "key", "value"):
        out[prefix + "attention.attention.%s.weight" % part] = randn(r, d, d)
        out[prefix + "attention.attention.%s.bias" % part] = randn(r, d)
    out[prefix + "attention.output.dense.weight"] = randn(r, d, d)
    out[prefix + "attention.output.dense.bias"] = randn(r, d)
    out[prefix + "intermediate.dense.weight"] = randn(r, mlp, d)
    out[prefix + "intermediate.dense.bias"] = randn(r, mlp)
    out[prefix + "output.dense.weight"] = randn(r, d, mlp)
    out[prefix + "output.dense.bias"] = randn(r, d)
    for norm in ("layernorm_before", "layernorm_after"):
        out[prefix + norm + ".weight"] = randn(r, d)
        out[prefix + norm + ".bias"] = randn(r, d)


def ref_layer(hf_prefix, ref_prefix, hf, out):
    g = lambda s: hf[hf_prefix + s]
    out[ref_prefix + "norm1.weight"] = g("layernorm_before.weight")
    out[ref_prefix + "norm1.bias"] = g("layernorm_before.bias")
    out[ref_prefix + "attn.qkv.weight"] = torch.cat(
        [g("attention.attention.%s.weight" % p) for p in ("query", "key", "value")], dim=0)
    out[ref_prefix + "attn.qkv.bias"] = torch.cat(
        [g("attention.attention.%s.bias" % p) for p in ("query", "key", "value")], dim=0)
    out[ref_prefix + "attn.proj.weight"] = g("attention.output.dense.weight")
    out[ref_prefix + "attn.proj.bias"] = g("attention.output.dense.bias")
    out[ref_prefix + "norm2.weight"] = g("layernorm_after.weight")
    out[ref_prefix + "norm2.bias"] = g("layernorm_after.bias")
    out[ref_prefix + "mlp.fc1.weight"] = g("intermediate.dense.weight")
    out[ref_prefix + "mlp.fc1.bias"] = g("intermediate.dense.bias")
    out[ref_prefix + "mlp.fc2.weight"] = g("output.dense.weight")
    out[ref_prefix + "mlp.fc2.bias"] = g("output.dense.bias")


def hf_mae_fixtures(out, expected):
    r = rng(5)
    c = HF
    d, dd = c["dim"], c["dec_dim"]
    hf = collections.OrderedDict()
    hf["vit.embeddings.cls_token"] = randn(r, 1, 1, d)
    hf["vit.embeddings.position_embeddings"] = randn(r, 1, c["tokens"], d)
    hf["vit.embeddings.patch_embeddings.projection.weight"] = randn(r, d, c["chans"], c["patch"],
                                                                    c["patch"])
    hf["vit.embeddings.patch_embeddings.projection.bias"] = randn(r, d)
    for i in range(c["depth"]):
        hf_layer("vit.encoder.layer.%d." % i, d, c["mlp"], r, hf)
    hf["vit.layernorm.weight"] = randn(r, d)
    hf["vit.layernorm.bias"] = randn(r, d)
    hf["decoder.mask_token"] = randn(r, 1, 1, dd)
    hf["decoder.decoder_pos_embed"] = randn(r, 1, c["tokens"], dd)
    hf["decoder.decoder_embed.weight"] = randn(r, dd, d)
    hf["decoder.decoder_embed.bias"] = randn(r, dd)
    for i in range(c["dec_depth"]):
        hf_layer("decoder.decoder_layers.%d." % i, dd, c["dec_mlp"], r, hf)
    hf["decoder.decoder_norm.weight"] = randn(r, dd)
    hf["decoder.decoder_norm.bias"] = randn(r, dd)
    pred = c["patch"] * c["patch"] * c["chans"]
    hf["decoder.decoder_pred.weight"] = randn(r, pred, dd)
    hf["decoder.decoder_pred.bias"] = randn(r, pred)

    ref = collections.OrderedDict()
    ref["cls_token"] = hf["vit.embeddings.cls_token"]
    ref["pos_embed"] = hf["vit.embeddings.position_embeddings"]
    ref["patch_embed.proj.weight"] = hf["vit.embeddings.patch_embeddings.projection.weight"]
    ref["patch_embed.proj.bias"] = hf["vit.embeddings.patch_embeddings.projection.bias"]
    for i in range(c["depth"]):
        ref_layer("vit.encoder.layer.%d." % i, "blocks.%d." % i, hf, ref)
    ref["norm.weight"] = hf["vit.layernorm.weight"]
    ref["norm.bias"] = hf["vit.layernorm.bias"]
    ref["decoder_embed.weight"] = hf["decoder.decoder_embed.weight"]
    ref["decoder_embed.bias"] = hf["decoder.decoder_embed.bias"]
    ref["mask_token"] = hf["decoder.mask_token"]
    ref["decoder_pos_embed"] = hf["decoder.decoder_pos_embed"]
    for i in range(c["dec_depth"]):
        ref_layer("decoder.decoder_layers.%d." % i, "decoder_blocks.%d." % i, hf, ref)
    ref["decoder_norm.weight"] = hf["decoder.decoder_norm.weight"]
    ref["decoder_norm.bias"] = hf["decoder.decoder_norm.bias"]
    ref["decoder_pred.weight"] = hf["decoder.decoder_pred.weight"]
    ref["decoder_pred.bias"] = hf["decoder.decoder_pred.bias"]

    write_safetensors(os.path.join(out, "hf_mae_tiny.safetensors"), hf, {"format": "pt"})
    write_safetensors(os.path.join(out, "hf_mae_tiny_reference.safetensors"), ref)
    expected["hf_mae_tiny.safetensors"] = {k: describe(v) for k, v in hf.items()}
    expected["hf_mae_tiny_reference.safetensors"] = {k: describe(v) for k, v in ref.items()}


# ----------------------------------------------------------------------------------------------
# Plain-data pickles from CPython's own pickler, one per protocol

def plain_object():
    """Every kind of plain value a checkpoint pickle may hold, pickled by CPython itself so that
    the reader is tested against the opcodes a real pickler chooses in each protocol."""
    shared = [1, 2]
    return collections.OrderedDict([
        ("none", None), ("true", True), ("false", False),
        ("ints", [0, 1, -1, 255, 256, 65535, 65536, -2 ** 31, 2 ** 31 - 1, 2 ** 31,
                  2 ** 63 - 1, -2 ** 63, 2 ** 64, -(2 ** 70) - 5]),
        ("floats", [0.0, -0.0, 1.5, 1e-300, float("inf")]),
        ("str", "h\u00e9llo \u2713"), ("long_str", "x" * 300), ("empty_str", ""),
        ("bytes", b"\x00\xff abc"), ("long_bytes", bytes(range(256)) * 2), ("empty_bytes", b""),
        ("tuples", [(), (1,), (1, 2), (1, 2, 3), (1, 2, 3, 4)]),
        ("set", {3}), ("frozenset", frozenset({4})),  # one element each: a fixed order
        ("nested", {"a": [{"b": (None,)}]}),
        ("shared", [shared, shared]),
        ("ordered", collections.OrderedDict([("z", 1), ("a", 2)])),
        (5, "int key"),
    ])


def plain_pickles():
    obj = plain_object()
    return collections.OrderedDict(
        ("protocol_%d" % p, pickle.dumps(obj, protocol=p).hex()) for p in (2, 3, 4, 5))


# ----------------------------------------------------------------------------------------------
# Hostile pickles, assembled from opcodes (never unpickled)
# ----------------------------------------------------------------------------------------------

def u32(n):
    return struct.pack("<I", n)


def binunicode(s):
    b = s.encode()
    return pickle.BINUNICODE + u32(len(b)) + b


def short_binunicode(s):
    b = s.encode()
    return pickle.SHORT_BINUNICODE + bytes([len(b)]) + b


def hostile_pickles():
    p = {}
    # protocol 2: os.system("true") through GLOBAL + REDUCE
    p["hostile_os_system.pth"] = (
        pickle.PROTO + b"\x02"
        + pickle.GLOBAL + b"os\nsystem\n"
        + binunicode("true") + pickle.TUPLE1
        + pickle.REDUCE + pickle.STOP)
    # protocol 4: builtins.eval("1+1") through STACK_GLOBAL, inside a frame
    body = (short_binunicode("builtins") + pickle.MEMOIZE
            + short_binunicode("eval") + pickle.MEMOIZE
            + pickle.STACK_GLOBAL + pickle.MEMOIZE
            + short_binunicode("1+1") + pickle.TUPLE1
            + pickle.REDUCE + pickle.STOP)
    p["hostile_eval.pth"] = (pickle.PROTO + b"\x04" + pickle.FRAME
                             + struct.pack("<Q", len(body)) + body)
    # protocol 2: subprocess.Popen(["true"]) through NEWOBJ
    p["hostile_popen.pth"] = (
        pickle.PROTO + b"\x02"
        + pickle.GLOBAL + b"subprocess\nPopen\n"
        + pickle.EMPTY_LIST + binunicode("true") + pickle.APPEND
        + pickle.TUPLE1 + pickle.NEWOBJ + pickle.STOP)
    # a plausible {"model": OrderedDict(...)} whose second entry is os.system("true")
    p["hostile_nested.pth"] = (
        pickle.PROTO + b"\x02" + pickle.EMPTY_DICT
        + binunicode("model")
        + pickle.GLOBAL + b"collections\nOrderedDict\n" + pickle.EMPTY_TUPLE + pickle.REDUCE
        + pickle.MARK
        + binunicode("epoch") + pickle.BININT1 + b"\x03"
        + binunicode("head.weight")
        + pickle.GLOBAL + b"os\nsystem\n" + binunicode("true") + pickle.TUPLE1 + pickle.REDUCE
        + pickle.SETITEMS
        + pickle.SETITEM + pickle.STOP)
    return p


def write_hostile(out):
    for name, pkl in hostile_pickles().items():
        folder = name[:-len(".pth")]
        with zipfile.ZipFile(os.path.join(out, name), "w") as z:
            for rel, data in (("data.pkl", pkl), ("version", b"3\n")):
                info = zipfile.ZipInfo(folder + "/" + rel, date_time=ZIP_DATE)
                z.writestr(info, data)


# ----------------------------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", nargs="?", default=DEFAULT_OUT)
    out = os.path.abspath(parser.parse_args().out)
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    expected = collections.OrderedDict()

    small = small_state_dict()
    obj = {"model": small, "epoch": 3, "args": argparse.Namespace(lr=0.1, model="tiny")}
    save_torch(obj, os.path.join(out, "small_zip.pth"))
    save_torch(obj, os.path.join(out, "small_legacy.pth"), legacy=True)
    rezip(os.path.join(out, "small_zip.pth"), os.path.join(out, "small_deflated.pth"),
          compression=zipfile.ZIP_DEFLATED)
    small_expected = {k: describe(v) for k, v in small.items()}
    for name in ("small_zip.pth", "small_legacy.pth", "small_deflated.pth"):
        expected[name] = small_expected

    views = views_dict()
    save_torch(views, os.path.join(out, "views.pth"))
    save_torch(views, os.path.join(out, "views_legacy.pth"), legacy=True)
    to_big_endian(os.path.join(out, "views.pth"), os.path.join(out, "views_bigendian.pth"))
    views_expected = {k: describe(v) for k, v in views.items()}
    for name in ("views.pth", "views_legacy.pth", "views_bigendian.pth"):
        expected[name] = views_expected

    safetensors_fixtures(out, expected)
    hf_mae_fixtures(out, expected)
    write_hostile(out)

    with open(os.path.join(out, "plain_pickles.json"), "w") as f:
        json.dump(plain_pickles(), f, indent=1)
        f.write("\n")

    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=False)
        f.write("\n")

    total = sum(os.path.getsize(os.path.join(out, n)) for n in os.listdir(out))
    print("wrote %d files, %d bytes, to %s" % (len(os.listdir(out)), total, out))


if __name__ == "__main__":
    sys.exit(main())
