#!/usr/bin/env python3
"""Reference LTRP ranking model, listwise losses and AdamW steps in PyTorch, written for this project.

Written from the method description (/work/shared/LTRP-METHOD.md section 4): a ViT whose head is
`Linear(D, L)` on the normalized cls token (one logit per patch position), run on the whole image
or, in asymmetric mode, on the visible patches only; and the four losses (ListMLE with its top-k
variant, RankNet, ListNet, pointwise MSE). The model code reuses the MAE reference helpers
(mae_reference.py) but with the ranker's LayerNorm eps (1e-5, the PyTorch default) passed
explicitly, since mae_reference.layer_norm is fixed to the MAE's 1e-6.

Everything expected is computed in float64 from the float32 weights. The exact definitions the
Java side must match (tie rule, pair set, averaging, weight-decay mask) are written into
expected.json as "definition" strings.

Usage:
    /usr/bin/python3 scripts/reference/ranker_reference.py fixtures   # from the repository root
"""
import argparse
import json
import math
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mae_reference as mae  # noqa: E402

RANKER_LN_EPS = 1e-5

TINY_RANKER = {"img_size": 32, "patch_size": 4, "in_chans": 3, "embed_dim": 48, "depth": 2,
               "num_heads": 3, "mlp_ratio": 4.0, "num_classes": 64}


# ----------------------------------------------------------------------------------------------
# The ranking model, functional style over a state dict with timm VisionTransformer names
# ----------------------------------------------------------------------------------------------

def layer_norm(x, sd, prefix, eps=RANKER_LN_EPS):
    return F.layer_norm(x, (x.shape[-1],), sd[prefix + "weight"], sd[prefix + "bias"], eps)


def block(x, sd, prefix, heads, eps=RANKER_LN_EPS):
    """Pre-norm ViT block; attention / linear / exact GELU from the MAE reference."""
    x = x + mae.attention(layer_norm(x, sd, prefix + "norm1.", eps), sd, prefix + "attn.", heads)
    h = mae.gelu(mae.linear(layer_norm(x, sd, prefix + "norm2.", eps), sd, prefix + "mlp.fc1."))
    return x + mae.linear(h, sd, prefix + "mlp.fc2.")


def patch_tokens(sd, cfg, imgs):
    """imgs [B, C, H, W] -> patch embeddings + pos_embed[1:]  [B, L, D]."""
    p = cfg["patch_size"]
    x = F.conv2d(imgs, sd["patch_embed.proj.weight"], sd["patch_embed.proj.bias"], stride=p)
    x = x.flatten(2).transpose(1, 2)
    return x + sd["pos_embed"][:, 1:, :]


def head_on_tokens(sd, cfg, x):
    """x [B, n, D] patch tokens (pos already added) -> prepend cls, blocks, norm, head(cls) [B, L]."""
    cls = (sd["cls_token"] + sd["pos_embed"][:, :1, :]).expand(x.shape[0], -1, -1)
    x = torch.cat([cls, x], dim=1)
    for i in range(cfg["depth"]):
        x = block(x, sd, "blocks.%d." % i, cfg["num_heads"])
    x = layer_norm(x, sd, "norm.")
    return mae.linear(x[:, 0], sd, "head.")


def ranker_full(sd, cfg, imgs):
    """Whole-image mode: logits [B, L] for imgs [B, C, H, W]."""
    return head_on_tokens(sd, cfg, patch_tokens(sd, cfg, imgs))


def ranker_asym(sd, cfg, imgs, visible_sets):
    """Asymmetric mode: image b sees only the patches visible_sets[b] (ascending). Logits [B, L]."""
    tokens = patch_tokens(sd, cfg, imgs)
    out = []
    for b, vis in enumerate(visible_sets):
        assert list(vis) == sorted(vis)
        out.append(head_on_tokens(sd, cfg, tokens[b:b + 1, list(vis), :]))
    return torch.cat(out, dim=0)


def random_ranker_state_dict(cfg, seed):
    """timm-named ranker weights, non-trivial: perturbed norms, non-zero biases, cls N(0, 0.5)."""
    g = torch.Generator().manual_seed(seed)
    d, c, p = cfg["embed_dim"], cfg["in_chans"], cfg["patch_size"]
    grid = cfg["img_size"] // p
    hidden = int(d * cfg["mlp_ratio"])
    sd = {}

    def xavier(out_f, in_f):
        bound = math.sqrt(6.0 / (in_f + out_f))
        return (torch.rand(out_f, in_f, generator=g) * 2 - 1) * bound

    def norm(prefix, n):
        sd[prefix + "weight"] = 1 + 0.1 * torch.randn(n, generator=g)
        sd[prefix + "bias"] = 0.1 * torch.randn(n, generator=g)

    def lin(prefix, out_f, in_f):
        sd[prefix + "weight"] = xavier(out_f, in_f)
        sd[prefix + "bias"] = torch.randn(out_f, generator=g) * 0.05

    sd["cls_token"] = torch.randn(1, 1, d, generator=g) * 0.5
    sd["pos_embed"] = torch.from_numpy(mae.sincos_2d(d, grid, grid, True))[None]
    sd["patch_embed.proj.weight"] = xavier(d, c * p * p).reshape(d, c, p, p)
    sd["patch_embed.proj.bias"] = torch.randn(d, generator=g) * 0.05
    for i in range(cfg["depth"]):
        b = "blocks.%d." % i
        norm(b + "norm1.", d)
        lin(b + "attn.qkv.", 3 * d, d)
        lin(b + "attn.proj.", d, d)
        norm(b + "norm2.", d)
        lin(b + "mlp.fc1.", hidden, d)
        lin(b + "mlp.fc2.", d, hidden)
    norm("norm.", d)
    lin("head.", cfg["num_classes"], d)
    assert sd["pos_embed"].shape == (1, grid * grid + 1, d)
    return {k: v.float().contiguous() for k, v in sd.items()}


# ----------------------------------------------------------------------------------------------
# Losses. s, y: [B, n]; every function returns a scalar (mean over the batch).
# ----------------------------------------------------------------------------------------------

def order_by_y(y_row):
    """Indices sorted by y descending; ties keep the lower index first (stable)."""
    vals = [float(v) for v in y_row]
    return sorted(range(len(vals)), key=lambda i: (-vals[i], i))


def listmle(s, y, subsets=None):
    """ListMLE. subsets: per row, the item indices that take part (top-k variant); None = all."""
    rows = []
    for b in range(s.shape[0]):
        items = list(range(s.shape[1])) if subsets is None else sorted(subsets[b])
        order = [items[j] for j in order_by_y([y[b, i] for i in items])]
        sv = s[b, order]
        # log sum_{k >= j} exp(s_k): reverse, log-cum-sum-exp (max-shifted inside torch), reverse
        tail_lse = torch.logcumsumexp(sv.flip(0), dim=0).flip(0)
        rows.append((tail_lse - sv).sum())
    return torch.stack(rows).mean()


def listmle_orders(y, subsets=None):
    out = []
    for b in range(y.shape[0]):
        items = list(range(y.shape[1])) if subsets is None else sorted(subsets[b])
        out.append([items[j] for j in order_by_y([y[b, i] for i in items])])
    return out


def ranknet_pairs(n):
    return [(i, j) for i in range(n) for j in range(i + 1, n)]


def ranknet_targets(y, t):
    n = y.shape[1]
    out = []
    for b in range(y.shape[0]):
        row = []
        for i, j in ranknet_pairs(n):
            diff = float(y[b, i]) - float(y[b, j])
            row.append(1.0 if diff >= t else (0.0 if diff <= -t else 0.5))
        out.append(row)
    return out


def ranknet(s, y, t=1e-3, sigma=1.0):
    pairs = ranknet_pairs(s.shape[1])
    ii = torch.tensor([p[0] for p in pairs])
    jj = torch.tensor([p[1] for p in pairs])
    target = torch.tensor(ranknet_targets(y, t), dtype=s.dtype)
    z = sigma * (s[:, ii] - s[:, jj])
    # BCE(sigmoid(z), target) = softplus(z) - target * z, written stably
    bce = F.softplus(z) - target * z
    return bce.mean()  # over all B * n(n-1)/2 pairs


def listnet(s, y):
    return -(F.softmax(y, dim=1) * F.log_softmax(s, dim=1)).sum(dim=1).mean()


def pointwise(s, y):
    return ((s - y) ** 2).mean()


# ----------------------------------------------------------------------------------------------
# Self-checks (cheap, independent formulations)
# ----------------------------------------------------------------------------------------------

def check_block_against_torch(sd64, cfg):
    """Our block vs torch.nn.TransformerEncoderLayer (pre-norm, exact GELU, same qkv layout)."""
    d, heads = cfg["embed_dim"], cfg["num_heads"]
    layer = torch.nn.TransformerEncoderLayer(d, heads, int(d * cfg["mlp_ratio"]), dropout=0.0,
                                             activation="gelu", layer_norm_eps=RANKER_LN_EPS,
                                             batch_first=True, norm_first=True).double()
    p = "blocks.0."
    with torch.no_grad():
        layer.self_attn.in_proj_weight.copy_(sd64[p + "attn.qkv.weight"])
        layer.self_attn.in_proj_bias.copy_(sd64[p + "attn.qkv.bias"])
        layer.self_attn.out_proj.weight.copy_(sd64[p + "attn.proj.weight"])
        layer.self_attn.out_proj.bias.copy_(sd64[p + "attn.proj.bias"])
        for ours, theirs in (("norm1.", layer.norm1), ("norm2.", layer.norm2),
                             ("mlp.fc1.", layer.linear1), ("mlp.fc2.", layer.linear2)):
            theirs.weight.copy_(sd64[p + ours + "weight"])
            theirs.bias.copy_(sd64[p + ours + "bias"])
        layer.train()  # keep the plain (non fast-path) code; dropout is 0
        x = torch.randn(2, 7, d, dtype=torch.float64, generator=torch.Generator().manual_seed(3))
        err = (layer(x) - block(x, sd64, p, heads)).abs().max().item()
    assert err < 1e-12, err


def check_patch_embed(sd64, cfg, imgs64):
    """conv patch embedding == patchify (row, col, channel order) @ permuted weight."""
    w = sd64["patch_embed.proj.weight"].permute(0, 2, 3, 1).reshape(cfg["embed_dim"], -1)
    via_patchify = mae.patchify(imgs64, cfg["patch_size"]) @ w.t() + sd64["patch_embed.proj.bias"]
    via_conv = patch_tokens(sd64, cfg, imgs64) - sd64["pos_embed"][:, 1:, :]
    err = (via_patchify - via_conv).abs().max().item()
    assert err < 1e-12, err


def check_losses(s, y, subsets, t):
    # ListMLE, naive: log(sum(exp)) over the tail, no shifting (values are small)
    for sub in (None, subsets):
        naive = []
        for b, order in enumerate(listmle_orders(y, sub)):
            sv = s[b, order]
            naive.append(sum(torch.log(torch.exp(sv[j:]).sum()) - sv[j] for j in range(len(order))))
        assert abs(torch.stack(naive).mean().item() - listmle(s, y, sub).item()) < 1e-12
    # RankNet over all ordered pairs i != j equals the unordered i < j version
    n = s.shape[1]
    tot, cnt = 0.0, 0
    for b in range(s.shape[0]):
        for i in range(n):
            for j in range(n):
                if i == j:
                    continue
                diff = float(y[b, i] - y[b, j])
                tg = 1.0 if diff >= t else (0.0 if diff <= -t else 0.5)
                pr = torch.sigmoid(s[b, i] - s[b, j]).item()
                tot += -(tg * math.log(pr) + (1 - tg) * math.log(1 - pr))
                cnt += 1
    assert abs(tot / cnt - ranknet(s, y, t).item()) < 1e-12
    # autograd vs finite differences
    for fn in (lambda a: listmle(a, y), lambda a: listmle(a, y, subsets), lambda a: ranknet(a, y, t),
               lambda a: listnet(a, y), lambda a: pointwise(a, y)):
        assert torch.autograd.gradcheck(fn, (s.clone().requires_grad_(True),))


# ----------------------------------------------------------------------------------------------
# AdamW
# ----------------------------------------------------------------------------------------------

def decay_mask(name, tensor):
    """Weight decay only for ndim >= 2 weights that are not cls_token / pos_embed (timm/MAE rule)."""
    return tensor.dim() >= 2 and not name.endswith(".bias") and name not in ("cls_token", "pos_embed")


def train_trajectory(sd32, cfg, imgs, visible_sets, y, dtype, steps, hp):
    """`steps` AdamW steps on ListMLE of the full-image logits at the visible sets.

    Returns (losses before each step, loss after the last step, final params), using
    torch.optim.AdamW and, as a cross-check, a hand-written AdamW with the same semantics.
    """
    params = {k: v.to(dtype).clone().requires_grad_(k != "pos_embed") for k, v in sd32.items()}
    trainable = [k for k in sorted(params) if k != "pos_embed"]
    groups = [{"params": [params[k] for k in trainable if decay_mask(k, params[k])],
               "weight_decay": hp["weight_decay"]},
              {"params": [params[k] for k in trainable if not decay_mask(k, params[k])],
               "weight_decay": 0.0}]
    opt = torch.optim.AdamW(groups, lr=hp["lr"], betas=(hp["beta1"], hp["beta2"]), eps=hp["eps"])
    imgs = imgs.to(dtype)
    yv = y.to(dtype)

    def loss_fn(p):
        logits = ranker_full(p, cfg, imgs)
        s = torch.stack([logits[b, list(v)] for b, v in enumerate(visible_sets)])
        return listmle(s, yv)

    # hand-written AdamW state
    manual = {k: v.detach().clone() for k, v in params.items()}
    m = {k: torch.zeros_like(manual[k]) for k in trainable}
    v2 = {k: torch.zeros_like(manual[k]) for k in trainable}

    losses, grads_first = [], None
    for step in range(1, steps + 1):
        opt.zero_grad()
        loss = loss_fn(params)
        loss.backward()
        losses.append(loss.item())
        if step == 1:
            grads_first = {k: params[k].grad.detach().clone() for k in trainable}
        opt.step()

        mp = {k: t.clone().requires_grad_(k != "pos_embed") for k, t in manual.items()}
        ml = loss_fn(mp)
        gs = torch.autograd.grad(ml, [mp[k] for k in trainable])
        with torch.no_grad():
            for k, g in zip(trainable, gs):
                wd = hp["weight_decay"] if decay_mask(k, manual[k]) else 0.0
                manual[k] = manual[k] * (1 - hp["lr"] * wd)
                m[k] = hp["beta1"] * m[k] + (1 - hp["beta1"]) * g
                v2[k] = hp["beta2"] * v2[k] + (1 - hp["beta2"]) * g * g
                m_hat = m[k] / (1 - hp["beta1"] ** step)
                v_hat = v2[k] / (1 - hp["beta2"] ** step)
                manual[k] = manual[k] - hp["lr"] * m_hat / (v_hat.sqrt() + hp["eps"])
    with torch.no_grad():
        loss_after = loss_fn(params).item()
        tol = 1e-12 if dtype == torch.float64 else 1e-5
        d = cfg["embed_dim"]
        for k in trainable:
            diff = (manual[k] - params[k]).abs()
            if k.endswith("attn.qkv.bias"):
                # the key bias has an exactly-zero true gradient (softmax is shift invariant per
                # query), so its computed gradient is round-off and Adam amplifies it by 1/eps
                assert diff[d:2 * d].max().item() < 1e4 * tol, (k, diff[d:2 * d].max().item())
                diff = torch.cat([diff[:d], diff[2 * d:]])
            assert diff.max().item() < tol, (k, diff.max().item())
    final = {k: t.detach().double() for k, t in params.items()}
    return losses, loss_after, final, grads_first


# ----------------------------------------------------------------------------------------------
# Fixtures
# ----------------------------------------------------------------------------------------------

def err_stats(a32, a64):
    a32, a64 = a32.double(), a64.double()
    diff = (a32 - a64).abs()
    return {"max_abs": diff.max().item(),
            "max_rel": (diff / a64.abs().clamp_min(1e-300)).max().item(),
            "max_abs_over_max_abs_ref": (diff.max() / a64.abs().max()).item()}


def make_fixtures(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    torch.manual_seed(0)
    cfg = dict(TINY_RANKER)
    grid = cfg["img_size"] // cfg["patch_size"]
    num_patches = grid * grid
    assert cfg["num_classes"] == num_patches
    sd32 = random_ranker_state_dict(cfg, seed=4321)
    sd64 = {k: v.double() for k, v in sd32.items()}

    with open(os.path.join(out_dir, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
    torch.save({"model": sd32}, os.path.join(out_dir, "ranker.pth"))
    mae.write_safetensors(os.path.join(out_dir, "ranker.safetensors"), sd32, {"format": "pt"})

    # ---- 2. images, full and asymmetric logits ----
    image_seeds = [21, 22]
    images = [mae.synthetic_image(cfg["img_size"], s) for s in image_seeds]
    for i, img in enumerate(images):
        mae.write_f32(os.path.join(out_dir, "image%d.f32" % i), img)
    imgs32 = torch.from_numpy(np.stack(images))
    imgs64 = imgs32.double()
    rng = np.random.default_rng(2024)
    visible = [sorted(rng.choice(num_patches, 16, replace=False).tolist()) for _ in images]

    check_block_against_torch(sd64, cfg)
    check_patch_embed(sd64, cfg, imgs64)
    with torch.no_grad():
        full64 = ranker_full(sd64, cfg, imgs64)
        full32 = ranker_full(sd32, cfg, imgs32)
        asym64 = ranker_asym(sd64, cfg, imgs64, visible)
        asym32 = ranker_asym(sd32, cfg, imgs32, visible)
        all_vis = ranker_asym(sd64, cfg, imgs64, [list(range(num_patches))] * len(images))
    assert full64.shape == (2, num_patches) and asym64.shape == (2, num_patches)
    assert (all_vis - full64).abs().max().item() < 1e-12  # asym with every patch = full
    assert (asym64 - full64).abs().min().item() > 1e-6, "asymmetric logits should differ"
    assert full64.std().item() > 0.1, "logits should not be degenerate"
    mae.write_f32(os.path.join(out_dir, "logits_full.f32"), full64.numpy())
    mae.write_f32(os.path.join(out_dir, "logits_asym.f32"), asym64.numpy())

    expected = {
        "description": "LTRP ranker parity fixtures, written by scripts/reference/ranker_reference.py; "
                       "every expected value is float64 computed from the float32 weights.",
        "model": {
            "layer_norm_eps": RANKER_LN_EPS,
            "gelu": "exact erf",
            "pos_embed": "fixed 2-D sin-cos, first half encodes the column, zero cls row (stored in the checkpoint)",
            "head": "head = Linear(embed_dim, num_patches) on norm(x)[:, 0] (the cls token)",
            "asymmetric": "patch embed + pos_embed[1:], gather the visible patches in ascending order, "
                          "prepend cls_token + pos_embed[0], blocks, norm, head(cls)",
        },
        "images": {"files": ["image0.f32", "image1.f32"], "shape": [3, 32, 32],
                   "dtype": "float32 little-endian, C-order", "synthetic_image_seeds": image_seeds},
        "visible": visible,
        "logits_full": {"file": "logits_full.f32", "shape": [2, num_patches],
                        "order": "[image, patch position (row-major)]"},
        "logits_asym": {"file": "logits_asym.f32", "shape": [2, num_patches],
                        "order": "[image, patch position]; image b sees only visible[b]",
                        "at_visible": [asym64[b, v].tolist() for b, v in enumerate(visible)]},
        "float32_vs_float64": {"logits_full": err_stats(full32, full64),
                               "logits_asym": err_stats(asym32, asym64)},
    }

    # ---- 3. losses ----
    lrng = np.random.default_rng(77)
    B, n, k, t = 3, 6, 4, 1e-3
    s = np.round(lrng.normal(0.0, 1.5, size=(B, n)), 6)
    y = np.round(lrng.uniform(0.0, 1.0, size=(B, n)), 4)
    y[0, 4] = y[0, 1]                      # exact tie (row 0, items 1 and 4)
    y[1, 3] = np.round(y[1, 0] + 0.0004, 4)  # near-tie below t (row 1, items 0 and 3)
    subsets = [sorted(lrng.choice(n, k, replace=False).tolist()) for _ in range(B)]
    subsets[0] = [0, 1, 3, 4]              # the tied pair takes part in the top-k row 0
    s_t = torch.tensor(s, dtype=torch.float64)
    y_t = torch.tensor(y, dtype=torch.float64)
    check_losses(s_t, y_t, subsets, t)
    targets = ranknet_targets(y_t, t)
    assert 0.5 in targets[0] and 0.5 in targets[1], "need a tie and a near-tie"
    d = abs(float(y_t[1, 0] - y_t[1, 3]))
    assert 0 < d < t, d

    def value_and_grad(fn):
        sv = s_t.clone().requires_grad_(True)
        loss = fn(sv)
        (g,) = torch.autograd.grad(loss, sv)
        return loss.item(), g

    losses = {"s": s.tolist(), "y": y.tolist(), "shape": [B, n]}
    defs = {
        "listmle": "Per row: order = item indices sorted by y descending, ties broken by the lower item "
                   "index first (stable sort). With s' = s[order], loss_row = sum_{j=0}^{n-1} "
                   "[ log sum_{k>=j} exp(s'_k) - s'_j ] (no epsilon; stable reverse log-cumsum-exp). "
                   "loss = mean of loss_row over the B rows.",
        "listmle_topk": "As listmle, but row b uses only the items subsets[b] (k of them): order = "
                        "subsets[b] sorted by y descending, ties by the lower item index. loss = mean over "
                        "rows of the k-term row sums. Items outside the subset get zero gradient.",
        "ranknet": "Per row, the unordered pairs (i, j) with i < j, in lexicographic order "
                   "(n(n-1)/2 = 15 pairs). target = 1 if y_i - y_j >= t, 0 if y_i - y_j <= -t, 0.5 "
                   "otherwise (t = 0.001, difference computed in float64). z = sigma * (s_i - s_j), "
                   "P = sigmoid(z), bce = -(target log P + (1 - target) log(1 - P)) = softplus(z) - target*z. "
                   "loss = mean of bce over all B * n(n-1)/2 pairs (= mean over rows of the per-row pair "
                   "mean, since every row has n items). Using all ordered pairs i != j gives the identical "
                   "value, since bce(-z, 1 - target) = bce(z, target).",
        "listnet": "loss_row = -sum_i softmax(y)_i * log_softmax(s)_i, softmax over the row's n items; "
                   "loss = mean over rows.",
        "pointwise": "loss = mean over all B*n elements of (s - y)^2.",
    }
    specs = {
        "listmle": lambda a: listmle(a, y_t),
        "listmle_topk": lambda a: listmle(a, y_t, subsets),
        "ranknet": lambda a: ranknet(a, y_t, t, 1.0),
        "listnet": lambda a: listnet(a, y_t),
        "pointwise": lambda a: pointwise(a, y_t),
    }
    for name, fn in specs.items():
        val, g = value_and_grad(fn)
        entry = {"definition": defs[name], "loss": val, "grad_s": g.tolist()}
        if name != "pointwise":
            assert g.sum(dim=1).abs().max().item() < 1e-12, (name, g.sum(dim=1))  # shift invariance
        else:
            assert (g - 2 * (s_t - y_t) / (B * n)).abs().max().item() < 1e-15
        if name == "listmle":
            entry["order"] = listmle_orders(y_t)
        if name == "listmle_topk":
            entry["k"] = k
            entry["subsets"] = subsets
            entry["order"] = listmle_orders(y_t, subsets)
            mask = torch.ones(B, n, dtype=torch.bool)
            for b, sub in enumerate(subsets):
                mask[b, sub] = False
            assert g[mask].abs().max().item() == 0.0
        if name == "ranknet":
            entry["t"] = t
            entry["sigma"] = 1.0
            entry["pairs"] = [list(p) for p in ranknet_pairs(n)]
            entry["pair_targets"] = targets
        losses[name] = entry
    assert losses["listmle"]["order"][0].index(1) < losses["listmle"]["order"][0].index(4)
    expected["losses"] = losses

    # ---- 4. AdamW trajectory ----
    hp = {"lr": 1e-3, "beta1": 0.9, "beta2": 0.95, "eps": 1e-8, "weight_decay": 0.05}
    steps = 3
    trng = np.random.default_rng(99)
    y_train = np.round(trng.uniform(0.0, 1.0, size=(2, 16)), 4)
    assert all(len(set(r)) == len(r) for r in y_train.tolist()), "no ties wanted here"
    y_train_t = torch.tensor(y_train)
    l64, after64, fin64, g64 = train_trajectory(sd32, cfg, imgs32, visible, y_train_t,
                                                torch.float64, steps, hp)
    l32, after32, fin32, _ = train_trajectory(sd32, cfg, imgs32, visible, y_train_t,
                                              torch.float32, steps, hp)
    assert all(l64[i + 1] < l64[i] for i in range(steps - 1)) and after64 < l64[-1], l64
    trainable = [n_ for n_ in sorted(sd32) if n_ != "pos_embed"]
    decay = [n_ for n_ in trainable if decay_mask(n_, sd32[n_])]
    no_decay = [n_ for n_ in trainable if not decay_mask(n_, sd32[n_])]
    reported = {"head.bias": None, "head.weight": 8, "norm.weight": None, "norm.bias": None,
                "blocks.1.mlp.fc2.weight": 8, "blocks.0.attn.qkv.weight": 8,
                "patch_embed.proj.weight": 8, "cls_token": 8}
    params_out = {}
    for name_, count in reported.items():
        flat = fin64[name_].reshape(-1)
        vals = flat if count is None else flat[:count]
        params_out[name_] = {"shape": list(sd32[name_].shape),
                             "elements": "all" if count is None else "first %d, row-major flattening" % count,
                             "initial": sd32[name_].double().reshape(-1)[:len(vals)].tolist(),
                             "final": vals.tolist(),
                             "weight_decay": decay_mask(name_, sd32[name_])}
    # The float32 run differs from float64 where a gradient is near zero: Adam divides by
    # sqrt(v_hat) + eps, so round-off-sized gradients get steps up to ~lr. The worst case is the key
    # part (rows D..2D-1) of every attn.qkv.bias, whose true gradient is exactly zero (softmax over
    # keys is invariant to adding q.b_k to every score): its "trajectory" is round-off noise.
    d = cfg["embed_dim"]

    def f32_diff(name_):
        diff = (fin32[name_] - fin64[name_]).abs()
        if name_.endswith("attn.qkv.bias"):
            diff = torch.cat([diff[:d], diff[2 * d:]])
        return diff.max().item()

    final_diff = max((fin32[n_] - fin64[n_]).abs().max().item() for n_ in trainable)
    final_diff_no_kbias = max(f32_diff(n_) for n_ in trainable)
    for name_, entry in params_out.items():
        n_el = len(entry["final"])
        entry["float32_run_max_abs_diff"] = (fin32[name_] - fin64[name_]).reshape(-1)[:n_el].abs().max().item()
    expected["training"] = {
        "definition": "Start from ranker.safetensors. Each step: logits = full-image ranker on both images "
                      "(image0, image1), s[b] = logits[b, visible[b]] (ascending visible order; y[b][j] is the "
                      "oracle score of patch visible[b][j]), "
                      "loss = listmle(s, y) as defined in losses.listmle (mean over the 2 rows), "
                      "backprop, then one torch.optim.AdamW step. No schedule, no gradient clipping.",
        "optimizer": dict(hp, name="torch.optim.AdamW", amsgrad=False, maximize=False,
                          semantics="decoupled decay, per step t=1,2,...: p <- p * (1 - lr*wd); "
                                    "m <- b1*m + (1-b1)*g; v <- b2*v + (1-b2)*g^2; "
                                    "m_hat = m/(1-b1^t); v_hat = v/(1-b2^t); "
                                    "p <- p - lr * m_hat / (sqrt(v_hat) + eps). m = v = 0 initially; "
                                    "parameters with zero gradient still decay if in the decay set."),
        "weight_decay_mask": "decay (wd 0.05) only for parameters with ndim >= 2 that are not biases, not "
                             "cls_token, not pos_embed; everything else wd 0. pos_embed is frozen "
                             "(requires_grad False, not in the optimizer).",
        "param_groups": {"decay": decay, "no_decay": no_decay, "frozen": ["pos_embed"]},
        "steps": steps,
        "y": y_train.tolist(),
        "losses": l64,
        "losses_doc": "losses[i] = loss computed before step i+1 (losses[0] = the initial weights)",
        "loss_after_last_step": after64,
        "grad_step1_head_bias": g64["head.bias"].tolist(),
        "params": params_out,
        "float32_run": {"losses": l32, "loss_after_last_step": after32,
                        "max_abs_final_param_diff_vs_float64": final_diff,
                        "max_abs_final_param_diff_vs_float64_excluding_key_bias": final_diff_no_kbias},
        "key_bias_note": "The key rows (D..2D-1) of every blocks.i.attn.qkv.bias have an exactly zero true "
                         "gradient; their computed gradient is round-off (~1e-17 in float64, ~1e-9 in "
                         "float32), which Adam turns into steps of up to ~lr. Do not compare them after "
                         "training (float32 vs float64 differ by ~1e-3 there).",
    }
    expected["float32_vs_float64"]["training_losses_max_abs"] = max(
        abs(a - b) for a, b in zip(l32 + [after32], l64 + [after64]))
    expected["float32_vs_float64"]["training_final_params_max_abs"] = final_diff
    expected["float32_vs_float64"]["training_final_params_max_abs_excluding_key_bias"] = final_diff_no_kbias

    with open(os.path.join(out_dir, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
    size = sum(os.path.getsize(os.path.join(out_dir, f_)) for f_ in os.listdir(out_dir))
    print("fixtures written to", out_dir, "(%d bytes)" % size)
    print("float32 vs float64:", json.dumps(expected["float32_vs_float64"], indent=1))
    print("losses:", {k_: losses[k_]["loss"] for k_ in specs})
    print("training losses:", l64, "after:", after64)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    fx = sub.add_parser("fixtures", help="write the ranker parity fixtures")
    fx.add_argument("--out", default="ltrp-nd4j/src/test/resources/fixtures/tiny-ranker",
                    help="output folder (default: %(default)s)")
    args = parser.parse_args()
    if args.command == "fixtures":
        make_fixtures(args.out)


if __name__ == "__main__":
    sys.exit(main())
