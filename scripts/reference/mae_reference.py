#!/usr/bin/env python3
"""Reference MAE forward pass and LTRP oracle scores in PyTorch, written for this project.

Written from the method description (docs/METHOD.md):
the official MAE encoder/decoder computation and the three ways the LTRP oracle removes a visible
patch. It is deliberately *not* batched: like the reference implementation it runs one encoder
pass and then one decoder pass per removed patch, and it removes a patch from attention the way the
reference does (an additive -inf mask on the key column and on the query row, then NaN -> 0). The
Java implementation batches all of that into one pass with other tricks, so agreement between the
two is a real check.

Usage:
    /usr/bin/python3 scripts/reference/mae_reference.py fixtures   # from the repository root
Other scripts import it (scripts/bench/compare_oracle_pytorch.py).
"""
import argparse
import json
import math
import os
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F

LN_EPS = 1e-6


# ----------------------------------------------------------------------------------------------
# Layout helpers
# ----------------------------------------------------------------------------------------------

def patchify(imgs, p):
    """[B, C, H, W] -> [B, L, p*p*C], patch vector ordered (pixel row, pixel column, channel)."""
    b, c, h, w = imgs.shape
    gh, gw = h // p, w // p
    x = imgs.reshape(b, c, gh, p, gw, p)
    x = x.permute(0, 2, 4, 3, 5, 1)  # b, gh, gw, p(row), p(col), c
    return x.reshape(b, gh * gw, p * p * c)


def sincos_1d(dim, positions):
    """sin/cos embedding of float positions: first half sin, second half cos (float64)."""
    omega = np.arange(dim // 2, dtype=np.float64) / (dim / 2.0)
    omega = 1.0 / 10000 ** omega
    out = np.einsum("m,d->md", positions.reshape(-1).astype(np.float64), omega)
    return np.concatenate([np.sin(out), np.cos(out)], axis=1)


def sincos_2d(dim, rows, cols, cls_token):
    """2-D sin-cos position embedding; the FIRST half encodes the column index (meshgrid(w, h))."""
    col_coords, row_coords = np.meshgrid(np.arange(cols, dtype=np.float32),
                                         np.arange(rows, dtype=np.float32))
    emb = np.concatenate([sincos_1d(dim // 2, col_coords), sincos_1d(dim // 2, row_coords)], axis=1)
    if cls_token:
        emb = np.concatenate([np.zeros([1, dim]), emb], axis=0)
    return emb.astype(np.float32)


# ----------------------------------------------------------------------------------------------
# The model, functional style over a state dict with the reference MAE names
# ----------------------------------------------------------------------------------------------

def linear(x, sd, prefix):
    return F.linear(x, sd[prefix + "weight"], sd[prefix + "bias"])


def layer_norm(x, sd, prefix):
    return F.layer_norm(x, (x.shape[-1],), sd[prefix + "weight"], sd[prefix + "bias"], LN_EPS)


def gelu(x):
    return 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))


def attention(x, sd, prefix, heads, cut=None):
    """timm-style attention; `cut` = token index removed from attention (reference semantics)."""
    b, n, d = x.shape
    hd = d // heads
    qkv = linear(x, sd, prefix + "qkv.").reshape(b, n, 3, heads, hd).permute(2, 0, 3, 1, 4)
    q, k, v = qkv[0], qkv[1], qkv[2]
    attn = (q @ k.transpose(-2, -1)) * hd ** -0.5
    if cut is not None:
        mask = torch.zeros(n, n, dtype=x.dtype)
        mask[:, cut] = float("-inf")  # nobody attends to the token
        mask[cut, :] = float("-inf")  # the token attends to nothing
        attn = attn + mask
    attn = attn.softmax(dim=-1)
    if cut is not None:
        attn = torch.nan_to_num(attn, nan=0.0)  # the all -inf row becomes zeros
    out = (attn @ v).transpose(1, 2).reshape(b, n, d)
    return linear(out, sd, prefix + "proj.")


def block(x, sd, prefix, heads, cut=None):
    x = x + attention(layer_norm(x, sd, prefix + "norm1."), sd, prefix + "attn.", heads, cut)
    h = gelu(linear(layer_norm(x, sd, prefix + "norm2."), sd, prefix + "mlp.fc1."))
    return x + linear(h, sd, prefix + "mlp.fc2.")


def encode(sd, cfg, img, visible, cut=None):
    """img [C, H, W]; visible = ascending patch indices; cut = position in `visible` or None."""
    p = cfg["patch_size"]
    x = F.conv2d(img[None], sd["patch_embed.proj.weight"], sd["patch_embed.proj.bias"], stride=p)
    x = x.flatten(2).transpose(1, 2)  # [1, L, D]
    x = x + sd["pos_embed"][:, 1:, :]
    x = x[:, visible, :]
    cls = sd["cls_token"] + sd["pos_embed"][:, :1, :]
    x = torch.cat([cls, x], dim=1)
    for i in range(cfg["depth"]):
        x = block(x, sd, "blocks.%d." % i, cfg["num_heads"], None if cut is None else 1 + cut)
    return layer_norm(x, sd, "norm.")


def decode(sd, cfg, latent, visible, num_patches, cut=None, mask_token_at=None):
    """latent [1, 1+n, D] -> predictions [L, p*p*C]; cut / mask_token_at = position in `visible`."""
    x = linear(latent, sd, "decoder_embed.")
    dd = x.shape[-1]
    full = sd["mask_token"].expand(1, num_patches, dd).clone()
    for j, patch in enumerate(visible):
        if j != mask_token_at:
            full[0, patch] = x[0, 1 + j]
    x = torch.cat([x[:, :1, :], full], dim=1) + sd["decoder_pos_embed"]
    token_cut = None if cut is None else 1 + visible[cut]
    for i in range(cfg["decoder_depth"]):
        x = block(x, sd, "decoder_blocks.%d." % i, cfg["decoder_num_heads"], token_cut)
    x = layer_norm(x, sd, "decoder_norm.")
    return linear(x, sd, "decoder_pred.")[0, 1:, :]


def oracle_scores(sd, cfg, img, visible, mode):
    """Anchor reconstruction [L, P] and one L1 score per visible patch, the reference way."""
    num_patches = (cfg["img_size"] // cfg["patch_size"]) ** 2
    masked = [p for p in range(num_patches) if p not in set(visible)]
    latent = encode(sd, cfg, img, visible)
    anchor = decode(sd, cfg, latent, visible, num_patches)
    scores = []
    for j in range(len(visible)):
        if mode == "decoder":
            recon = decode(sd, cfg, latent, visible, num_patches, cut=j)
        elif mode == "encoder":
            recon = decode(sd, cfg, encode(sd, cfg, img, visible, cut=j), visible, num_patches)
        elif mode == "mask-token":
            rest = [p for k, p in enumerate(visible) if k != j]
            lat = encode(sd, cfg, img, rest)
            # put the latent back in the full visible layout, with a hole at j
            lat_full = torch.cat([lat[:, : 1 + j], torch.zeros_like(lat[:, :1]), lat[:, 1 + j:]], 1)
            recon = decode(sd, cfg, lat_full, visible, num_patches, mask_token_at=j)
        else:
            raise ValueError(mode)
        scores.append((anchor[masked] - recon[masked]).abs().mean())
    return anchor, torch.stack(scores)


# ----------------------------------------------------------------------------------------------
# Random weights, checkpoint writing
# ----------------------------------------------------------------------------------------------

def random_state_dict(cfg, seed, perturb=True):
    """Reference-named MAE weights. perturb=True makes norms, biases and tokens non-trivial."""
    g = torch.Generator().manual_seed(seed)
    d, dd, c, p = cfg["embed_dim"], cfg["decoder_embed_dim"], cfg["in_chans"], cfg["patch_size"]
    grid = cfg["img_size"] // p
    num_patches = grid * grid
    sd = {}

    def xavier(out_f, in_f):
        bound = math.sqrt(6.0 / (in_f + out_f))
        return (torch.rand(out_f, in_f, generator=g) * 2 - 1) * bound

    def bias(n):
        return torch.randn(n, generator=g) * 0.05 if perturb else torch.zeros(n)

    def norm(prefix, n):
        sd[prefix + "weight"] = 1 + 0.1 * torch.randn(n, generator=g) if perturb else torch.ones(n)
        sd[prefix + "bias"] = 0.1 * torch.randn(n, generator=g) if perturb else torch.zeros(n)

    def lin(prefix, out_f, in_f):
        sd[prefix + "weight"] = xavier(out_f, in_f)
        sd[prefix + "bias"] = bias(out_f)

    def blocks(prefix, depth, width):
        hidden = int(width * cfg["mlp_ratio"])
        for i in range(depth):
            b = "%s.%d." % (prefix, i)
            norm(b + "norm1.", width)
            lin(b + "attn.qkv.", 3 * width, width)
            lin(b + "attn.proj.", width, width)
            norm(b + "norm2.", width)
            lin(b + "mlp.fc1.", hidden, width)
            lin(b + "mlp.fc2.", width, hidden)

    token_std = 0.5 if perturb else 0.02
    sd["cls_token"] = torch.randn(1, 1, d, generator=g) * token_std
    sd["pos_embed"] = torch.from_numpy(sincos_2d(d, grid, grid, True))[None]
    sd["patch_embed.proj.weight"] = xavier(d, c * p * p).reshape(d, c, p, p)
    sd["patch_embed.proj.bias"] = bias(d)
    blocks("blocks", cfg["depth"], d)
    norm("norm.", d)
    lin("decoder_embed.", dd, d)
    sd["mask_token"] = torch.randn(1, 1, dd, generator=g) * token_std
    sd["decoder_pos_embed"] = torch.from_numpy(sincos_2d(dd, grid, grid, True))[None]
    blocks("decoder_blocks", cfg["decoder_depth"], dd)
    norm("decoder_norm.", dd)
    lin("decoder_pred.", p * p * c, dd)
    assert sd["pos_embed"].shape == (1, num_patches + 1, d)
    return {k: v.float().contiguous() for k, v in sd.items()}


def write_safetensors(path, tensors, metadata=None, dtype="F32"):
    """Minimal safetensors writer (the format spec, nothing more): F32, or BF16 rounded by torch."""
    header = {}
    offset = 0
    blobs = []
    for name in sorted(tensors):
        t = tensors[name].detach().cpu().contiguous()
        if dtype == "BF16":
            # bfloat16 bits = the upper 16 bits of the (already bf16-rounded) float32 value
            bits = t.to(torch.bfloat16).float().numpy().astype("<f4").view("<u4") >> 16
            data = bits.astype("<u2").tobytes()
        else:
            data = t.numpy().astype("<f4").tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    if metadata:
        header["__metadata__"] = metadata
    raw = json.dumps(header, separators=(",", ":")).encode("utf-8")
    raw += b" " * ((8 - len(raw) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for blob in blobs:
            f.write(blob)


def read_safetensors(path):
    """Minimal float32 safetensors reader."""
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        base = 8 + n
        out = {}
        for name, info in header.items():
            if name == "__metadata__":
                continue
            assert info["dtype"] == "F32", info["dtype"]
            begin, end = info["data_offsets"]
            f.seek(base + begin)
            arr = np.frombuffer(f.read(end - begin), dtype="<f4").reshape(info["shape"])
            out[name] = torch.from_numpy(arr.copy())
        return out


def synthetic_image(size, seed):
    """A smooth RGB test picture (gradients, a disc, a bar) in [0, 1], then ImageNet-normalized."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float64) / (size - 1)
    cx, cy, r = rng.uniform(0.3, 0.7), rng.uniform(0.3, 0.7), rng.uniform(0.15, 0.3)
    disc = ((xx - cx) ** 2 + (yy - cy) ** 2 < r * r).astype(np.float64)
    bar = ((yy > 0.75) & (yy < 0.85)).astype(np.float64)
    rgb = np.stack([0.2 + 0.6 * xx + 0.2 * disc,
                    0.3 + 0.5 * yy * (1 - disc) + 0.1 * bar,
                    0.5 + 0.3 * np.sin(6 * xx) * 0.5 + 0.4 * bar], axis=0)
    rgb = np.clip(rgb + rng.normal(0, 0.02, rgb.shape), 0, 1)
    mean = np.array([0.485, 0.456, 0.406])[:, None, None]
    std = np.array([0.229, 0.224, 0.225])[:, None, None]
    return ((rgb - mean) / std).astype(np.float32)


# ----------------------------------------------------------------------------------------------
# Fixtures for the Java parity tests
# ----------------------------------------------------------------------------------------------

TINY = {"img_size": 32, "patch_size": 4, "in_chans": 3, "embed_dim": 48, "depth": 2,
        "num_heads": 3, "decoder_embed_dim": 32, "decoder_depth": 2, "decoder_num_heads": 4,
        "mlp_ratio": 4.0}


def to_hf_names(sd, cfg):
    """Reference MAE names -> Hugging Face ViTMAEForPreTraining names (qkv split into q, k, v)."""
    hf = {}
    sub = {"norm1.": "layernorm_before.", "norm2.": "layernorm_after.",
           "attn.proj.": "attention.output.dense.", "mlp.fc1.": "intermediate.dense.",
           "mlp.fc2.": "output.dense."}
    top = {"cls_token": "vit.embeddings.cls_token", "pos_embed": "vit.embeddings.position_embeddings",
           "patch_embed.proj.weight": "vit.embeddings.patch_embeddings.projection.weight",
           "patch_embed.proj.bias": "vit.embeddings.patch_embeddings.projection.bias",
           "norm.weight": "vit.layernorm.weight", "norm.bias": "vit.layernorm.bias",
           "mask_token": "decoder.mask_token", "decoder_pos_embed": "decoder.decoder_pos_embed"}
    for name, t in sd.items():
        if name in top:
            hf[top[name]] = t
            continue
        for stack, hf_stack in (("blocks.", "vit.encoder.layer."), ("decoder_blocks.", "decoder.decoder_layers.")):
            if name.startswith(stack):
                idx, rest = name[len(stack):].split(".", 1)
                base = hf_stack + idx + "."
                if rest.startswith("attn.qkv."):
                    kind = rest[len("attn.qkv."):]
                    for part, chunk in zip(("query", "key", "value"), t.chunk(3, dim=0)):
                        hf[base + "attention.attention." + part + "." + kind] = chunk.clone()
                else:
                    for old, new in sub.items():
                        if rest.startswith(old):
                            hf[base + new + rest[len(old):]] = t
                break
        else:
            hf["decoder." + name] = t  # decoder_embed, decoder_norm, decoder_pred
    # every qkv weight and bias became three tensors
    assert len(hf) == len(sd) + 4 * (cfg["depth"] + cfg["decoder_depth"])
    return hf


def strided_copy(sd):
    """The same values stored as non-contiguous views and as slices of shared storages."""
    out = {}
    qkv_names = [n for n in sd if n.startswith("blocks.") and n.endswith("attn.qkv.weight")]
    shared = torch.cat([sd[n] for n in qkv_names], dim=0)  # one storage, sliced with offsets
    row = 0
    for n in qkv_names:
        rows = sd[n].shape[0]
        out[n] = shared[row:row + rows]
        row += rows
    for n, t in sd.items():
        if n in out:
            continue
        out[n] = t.t().contiguous().t() if t.dim() == 2 else t  # strides (1, rows)
    assert not out["blocks.0.mlp.fc1.weight"].is_contiguous()
    assert out[qkv_names[1]].storage_offset() > 0
    return out


def write_f32(path, array):
    np.asarray(array, dtype="<f4").tofile(path)


def make_fixtures(out_dir, layout_dir):
    os.makedirs(out_dir, exist_ok=True)
    torch.manual_seed(0)
    cfg = dict(TINY)
    sd32 = random_state_dict(cfg, seed=1234)
    sd64 = {k: v.double() for k, v in sd32.items()}
    with open(os.path.join(out_dir, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
    torch.save({"model": sd32, "epoch": 7}, os.path.join(out_dir, "mae.pth"))
    write_safetensors(os.path.join(out_dir, "mae.safetensors"), sd32, {"format": "pt"})

    num_patches = (cfg["img_size"] // cfg["patch_size"]) ** 2
    rng = np.random.default_rng(42)
    visible_sets = [sorted(rng.choice(num_patches, 16, replace=False).tolist()) for _ in range(2)]
    # a third set of another size exercises grouping by size in the batched oracle
    visible_sets.append(sorted(rng.choice(num_patches, 6, replace=False).tolist()))
    images = [synthetic_image(cfg["img_size"], s) for s in (1, 2, 3)]
    expected = {"visible": visible_sets, "modes": {}, "float32_vs_float64_max_rel": {}}
    for i, img in enumerate(images):
        write_f32(os.path.join(out_dir, "image%d.f32" % i), img)

    for mode in ("decoder", "encoder", "mask-token"):
        per_image = []
        worst = 0.0
        for i, (img, vis) in enumerate(zip(images, visible_sets)):
            with torch.no_grad():
                anchor64, scores64 = oracle_scores(sd64, cfg, torch.from_numpy(img).double(), vis, mode)
                anchor32, scores32 = oracle_scores(sd32, cfg, torch.from_numpy(img), vis, mode)
            rel = ((scores32.double() - scores64).abs() / scores64.abs()).max().item()
            worst = max(worst, rel)
            per_image.append(scores64.tolist())
            if mode == "decoder":
                write_f32(os.path.join(out_dir, "anchor%d.f32" % i), anchor64.numpy())
        expected["modes"][mode] = per_image
        expected["float32_vs_float64_max_rel"][mode] = worst

    # the MAE pretraining objective on image 0 with visible set 0: squared error of the predicted
    # patch vectors, averaged over each patch's values and over the masked patches
    with torch.no_grad():
        img64 = torch.from_numpy(images[0]).double()
        pred = decode(sd64, cfg, encode(sd64, cfg, img64, visible_sets[0]), visible_sets[0],
                      num_patches)
        target = patchify(img64[None], cfg["patch_size"])[0]
        masked = [p for p in range(num_patches) if p not in set(visible_sets[0])]
        expected["pretrain_loss_image0"] = ((pred - target) ** 2).mean(dim=1)[masked].mean().item()

    # the same weights in the other formats the loader must read
    # (the legacy format names storages by object id, so this file's bytes, not its values,
    # change from run to run)
    torch.save({"model": sd32}, os.path.join(out_dir, "mae_legacy.pth"),
               _use_new_zipfile_serialization=False)
    torch.save({"model": strided_copy(sd32)}, os.path.join(out_dir, "mae_strided.pth"))
    write_safetensors(os.path.join(out_dir, "mae_hf.safetensors"), to_hf_names(sd32, cfg))
    write_safetensors(os.path.join(out_dir, "mae_bf16.safetensors"), sd32, dtype="BF16")
    sd_bf16 = {k: v.to(torch.bfloat16).double() for k, v in sd32.items()}
    bf16_scores = []
    for img, vis in zip(images, visible_sets):
        with torch.no_grad():
            _, sc = oracle_scores(sd_bf16, cfg, torch.from_numpy(img).double(), vis, "decoder")
        bf16_scores.append(sc.tolist())
    expected["bf16_decoder"] = bf16_scores

    # patchify order and the sin-cos layout, for the engine-free helpers in ltrp-core
    os.makedirs(layout_dir, exist_ok=True)
    write_f32(os.path.join(layout_dir, "image0.f32"), images[0])
    write_f32(os.path.join(layout_dir, "patchified0_p4.f32"),
              patchify(torch.from_numpy(images[0])[None], cfg["patch_size"])[0].numpy())
    write_f32(os.path.join(layout_dir, "sincos_24_3x5.f32"), sincos_2d(24, 3, 5, True))
    write_f32(os.path.join(layout_dir, "sincos_48_8x8.f32"), sincos_2d(48, 8, 8, True))
    with open(os.path.join(out_dir, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
    print("fixtures written to", out_dir)
    print("PyTorch float32 vs float64 max relative score error:", expected["float32_vs_float64_max_rel"])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    fx = sub.add_parser("fixtures", help="write the parity fixtures")
    fx.add_argument("--out", default="ltrp-nd4j/src/test/resources/fixtures/tiny-mae",
                    help="MAE parity fixtures (default: %(default)s)")
    fx.add_argument("--layout-out", default="ltrp-core/src/test/resources/fixtures/layout",
                    help="patchify and sin-cos fixtures (default: %(default)s)")
    args = parser.parse_args()
    if args.command == "fixtures":
        make_fixtures(args.out, args.layout_out)


if __name__ == "__main__":
    sys.exit(main())
