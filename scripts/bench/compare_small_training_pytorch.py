#!/usr/bin/env python3
"""Times one training step of the evaluation's small models in PyTorch and in this SDK (JMH).

  mae        : the Fashion-MNIST teacher's pretraining step (28x28, patch 4, 1 channel, width 64,
               4 blocks, decoder 64 x 2, MLP ratio 2), batch 128, 12 of 49 patches visible (mask
               ratio 0.75), squared error over the masked patches, backward, AdamW
               (LTRP: SmallTrainingBenchmark.maeStep, MaePretrainer's step)
  classifier : the downstream classifier's fine-tuning step (the MAE's encoder + a 10-way head on
               the class token), batch 128, K kept patches per image (5, 12, 25 or 49: keep 10%,
               25%, 50%, 100%), cross-entropy, backward, AdamW
               (LTRP: SmallTrainingBenchmark.classifierStep, VitClassifier's step)

Both sides time the step (PyTorch: median of --reps; JMH: mean) as the trainers run it, host-side input building included (for PyTorch:
gathering the kept patches and position rows with torch indexing). Models this small are bound by
per-operation overhead rather than arithmetic, so the script times 1 and 2 threads.

Needs the benchmarks jar (./mvnw -pl ltrp-bench -am package -DskipTests) and PyTorch with an
optimized BLAS (apt-get install python3-torch libopenblas0-pthread).

Usage (from the repository root):
    /usr/bin/python3 scripts/bench/compare_small_training_pytorch.py [--threads 1,2] [--reps 20] [--out r.json]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from compare_oracle_pytorch import check_blas, time_it  # noqa: E402

GRID, PATCH, WIDTH, DEPTH, HEADS, DEC_DEPTH, HIDDEN = 7, 4, 64, 4, 4, 2, 128
L, PDIM, BATCH, VISIBLE, CLASSES = GRID * GRID, PATCH * PATCH, 128, 12, 10
KEPT = (5, 12, 25, 49)


def block_params(prefix, out):
    for name, shape in (("norm1.weight", (WIDTH,)), ("norm1.bias", (WIDTH,)),
                        ("attn.qkv.weight", (3 * WIDTH, WIDTH)), ("attn.qkv.bias", (3 * WIDTH,)),
                        ("attn.proj.weight", (WIDTH, WIDTH)), ("attn.proj.bias", (WIDTH,)),
                        ("norm2.weight", (WIDTH,)), ("norm2.bias", (WIDTH,)),
                        ("mlp.fc1.weight", (HIDDEN, WIDTH)), ("mlp.fc1.bias", (HIDDEN,)),
                        ("mlp.fc2.weight", (WIDTH, HIDDEN)), ("mlp.fc2.bias", (WIDTH,))):
        t = torch.randn(shape) * 0.05
        if name.endswith("norm1.weight") or name.endswith("norm2.weight"):
            t = torch.ones(shape)
        out[prefix + name] = t.requires_grad_()


def block(x, p, prefix):
    b, n, d = x.shape
    h = F.layer_norm(x, (d,), p[prefix + "norm1.weight"], p[prefix + "norm1.bias"], 1e-6)
    qkv = F.linear(h, p[prefix + "attn.qkv.weight"], p[prefix + "attn.qkv.bias"])
    q, k, v = qkv.reshape(b, n, 3, HEADS, d // HEADS).permute(2, 0, 3, 1, 4)
    a = ((q @ k.transpose(-2, -1)) * (d // HEADS) ** -0.5).softmax(-1)
    o = (a @ v).transpose(1, 2).reshape(b, n, d)
    x = x + F.linear(o, p[prefix + "attn.proj.weight"], p[prefix + "attn.proj.bias"])
    h = F.layer_norm(x, (d,), p[prefix + "norm2.weight"], p[prefix + "norm2.bias"], 1e-6)
    h = F.gelu(F.linear(h, p[prefix + "mlp.fc1.weight"], p[prefix + "mlp.fc1.bias"]))
    return x + F.linear(h, p[prefix + "mlp.fc2.weight"], p[prefix + "mlp.fc2.bias"])


def encoder_params(p):
    p["cls_token"] = (torch.randn(1, 1, WIDTH) * 0.02).requires_grad_()
    p["embed.weight"] = (torch.randn(WIDTH, PDIM) * 0.05).requires_grad_()
    p["embed.bias"] = torch.zeros(WIDTH).requires_grad_()
    for i in range(DEPTH):
        block_params("blocks.%d." % i, p)
    p["norm.weight"] = torch.ones(WIDTH).requires_grad_()
    p["norm.bias"] = torch.zeros(WIDTH).requires_grad_()


def encode(p, pos, patches, kept):
    """patches [B, L, P], kept [B, n] -> normalized tokens [B, 1 + n, D]."""
    x = F.linear(patches, p["embed.weight"], p["embed.bias"]) + pos[1:]
    x = torch.gather(x, 1, kept[..., None].expand(-1, -1, WIDTH))
    x = torch.cat([(p["cls_token"] + pos[:1]).expand(x.shape[0], -1, -1), x], 1)
    for i in range(DEPTH):
        x = block(x, p, "blocks.%d." % i)
    return F.layer_norm(x, (WIDTH,), p["norm.weight"], p["norm.bias"], 1e-6)


def adamw(params):
    return torch.optim.AdamW(params.values(), lr=1e-4, betas=(0.9, 0.95), weight_decay=0.05)


def patchify(imgs):
    b = imgs.shape[0]
    return imgs.reshape(b, GRID, PATCH, GRID, PATCH).permute(0, 1, 3, 2, 4).reshape(b, L, PDIM)


def mae_step_fn(gen):
    p = {}
    encoder_params(p)
    p["decoder_embed.weight"] = (torch.randn(WIDTH, WIDTH) * 0.05).requires_grad_()
    p["decoder_embed.bias"] = torch.zeros(WIDTH).requires_grad_()
    p["mask_token"] = (torch.randn(1, 1, WIDTH) * 0.02).requires_grad_()
    for i in range(DEC_DEPTH):
        block_params("decoder_blocks.%d." % i, p)
    p["decoder_norm.weight"] = torch.ones(WIDTH).requires_grad_()
    p["decoder_norm.bias"] = torch.zeros(WIDTH).requires_grad_()
    p["decoder_pred.weight"] = (torch.randn(PDIM, WIDTH) * 0.05).requires_grad_()
    p["decoder_pred.bias"] = torch.zeros(PDIM).requires_grad_()
    pos = torch.randn(L + 1, WIDTH) * 0.1
    imgs = torch.randn(BATCH, 1, 28, 28, generator=gen)
    opt = adamw(p)

    def step():
        # The reference's random masking: argsort of noise, keep the first VISIBLE.
        shuffle = torch.argsort(torch.rand(BATCH, L, generator=gen), 1)
        restore = torch.argsort(shuffle, 1)
        kept = shuffle[:, :VISIBLE]
        target = patchify(imgs)
        opt.zero_grad()
        latent = encode(p, pos, target, kept)
        x = F.linear(latent, p["decoder_embed.weight"], p["decoder_embed.bias"])
        masks = p["mask_token"].expand(BATCH, L - VISIBLE, -1)
        full = torch.gather(torch.cat([x[:, 1:], masks], 1), 1,
                            restore[..., None].expand(-1, -1, WIDTH))
        x = torch.cat([x[:, :1], full], 1) + pos
        for i in range(DEC_DEPTH):
            x = block(x, p, "decoder_blocks.%d." % i)
        x = F.layer_norm(x, (WIDTH,), p["decoder_norm.weight"], p["decoder_norm.bias"], 1e-6)
        pred = F.linear(x, p["decoder_pred.weight"], p["decoder_pred.bias"])[:, 1:]
        masked = torch.ones(BATCH, L)
        masked.scatter_(1, kept, 0.0)
        loss = (((pred - target) ** 2).mean(-1) * masked).sum() / masked.sum()
        loss.backward()
        opt.step()

    return step


def classifier_step_fn(gen, k):
    p = {}
    encoder_params(p)
    p["head.weight"] = (torch.randn(CLASSES, WIDTH) * 0.05).requires_grad_()
    p["head.bias"] = torch.zeros(CLASSES).requires_grad_()
    pos = torch.randn(L + 1, WIDTH) * 0.1
    imgs = torch.randn(BATCH, 1, 28, 28, generator=gen)
    labels = torch.randint(0, CLASSES, (BATCH,), generator=gen)
    opt = adamw(p)

    def step():
        kept = torch.argsort(torch.rand(BATCH, L, generator=gen), 1)[:, :k].sort(1).values
        opt.zero_grad()
        cls = encode(p, pos, patchify(imgs), kept)[:, 0]
        loss = F.cross_entropy(F.linear(cls, p["head.weight"], p["head.bias"]), labels)
        loss.backward()
        opt.step()

    return step


def run_jmh(jar, threads, work):
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    out = {}
    for pattern, params in (("SmallTrainingBenchmark.maeStep", []),
                            ("SmallTrainingBenchmark.classifierStep",
                             ["-p", "kept=" + ",".join(map(str, KEPT))])):
        json_out = os.path.join(work, "%s-%d.json" % (pattern, threads))
        cmd = ["java", "-jar", jar, pattern] + params + ["-f", "1", "-rf", "json", "-rff", json_out]
        print("running:", " ".join(cmd), "(OMP_NUM_THREADS=%d)" % threads, flush=True)
        subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL)
        with open(json_out) as f:
            for r in json.load(f):
                seconds = r["primaryMetric"]["score"] / 1000.0  # ms -> s
                if r["benchmark"].endswith("maeStep"):
                    out[("mae", 0)] = seconds
                else:
                    out[("classifier", int(r["params"]["kept"]))] = seconds
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--jar", default="ltrp-bench/target/benchmarks.jar")
    parser.add_argument("--out")
    args = parser.parse_args()
    if not os.path.isfile(args.jar):
        sys.exit("no %s: build it with ./mvnw -pl ltrp-bench -am package -DskipTests" % args.jar)
    check_blas()
    results = {}
    for threads in map(int, args.threads.split(",")):
        torch.set_num_threads(threads)
        gen = torch.Generator().manual_seed(threads)
        pt = {("mae", 0): statistics.median(time_it(mae_step_fn(gen), args.reps, 3))}
        for k in KEPT:
            pt[("classifier", k)] = statistics.median(time_it(classifier_step_fn(gen, k), args.reps, 3))
        with tempfile.TemporaryDirectory() as work:
            jmh = run_jmh(args.jar, threads, work)
        results[threads] = (pt, jmh)
    print()
    print("Small-model training steps, batch %d; milliseconds per step (PyTorch %s)"
          % (BATCH, torch.__version__))
    print("| step | threads | PyTorch | LTRP | LTRP / PyTorch |")
    print("|---|---|---|---|---|")
    for threads, (pt, jmh) in results.items():
        for key in sorted(pt):
            label = "MAE pretraining, 12 of 49 visible" if key[0] == "mae" else \
                "classifier fine-tuning, %d kept" % key[1]
            a, b = pt[key], jmh[key]
            print("| %s | %d | %.1f | %.1f | %.2f |" % (label, threads, 1e3 * a, 1e3 * b, b / a))
    if args.out:
        with open(args.out, "w") as f:
            json.dump({str(t): {"pytorch": {"%s/%d" % k: v for k, v in pt.items()},
                                "ltrp": {"%s/%d" % k: v for k, v in jmh.items()}}
                       for t, (pt, jmh) in results.items()} | {"torch": torch.__version__},
                      f, indent=2)


if __name__ == "__main__":
    main()
