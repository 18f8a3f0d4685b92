#!/usr/bin/env python3
"""Times the LTRP ranker in PyTorch and in this SDK (JMH) on the same machine and settings.

  inference : ViT-S/16 ranker at 224, random weights, whole images, batches of 1 and 32
              (PyTorch: torch.no_grad; LTRP: VitRanker.rankBatch, JMH RankerBenchmark.rank)
  keepTopK  : LTRP only: RankerBenchmark.keepTopK / keepTopKHybrid versus rank (selection overhead)
  training  : one step, batch 8: forward over whole images, ListMLE over 19 visible patches per
              image, backward, AdamW (PyTorch: autograd + torch.optim.AdamW; LTRP:
              TrainingStepBenchmark). The oracle's pseudo-labels are not part of the step.

The PyTorch ranker is the functional reference model of scripts/reference/ranker_reference.py;
ListMLE is vectorized here (sort + logcumsumexp) so that PyTorch is not slowed by Python loops.

Needs the benchmarks jar (./mvnw -pl ltrp-bench -am package -DskipTests) and PyTorch with an
optimized BLAS (apt-get install python3-torch libopenblas0-pthread).

Usage (from the repository root):
    /usr/bin/python3 scripts/bench/compare_ranker_pytorch.py [--threads 2] [--reps 5] [--out results.json]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "reference"))
sys.path.insert(0, HERE)
import ranker_reference as ranker  # noqa: E402
from compare_oracle_pytorch import check_blas, time_it  # noqa: E402

VIT_S = {"img_size": 224, "patch_size": 16, "in_chans": 3, "embed_dim": 384, "depth": 12,
         "num_heads": 6, "mlp_ratio": 4.0, "num_classes": 196}


def listmle_vectorized(s, y):
    order = torch.argsort(y, dim=1, descending=True)
    sv = torch.gather(s, 1, order)
    tail = torch.logcumsumexp(sv.flip(1), dim=1).flip(1)
    return (tail - sv).sum(1).mean()


def run_jmh(jar, threads, reps, work):
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    out = {}
    for pattern, batches in (("RankerBenchmark", "1,32"), ("TrainingStepBenchmark", "8")):
        json_out = os.path.join(work, pattern + ".json")
        cmd = ["java", "-jar", jar, pattern, "-p", "batch=" + batches, "-f", "1", "-rf", "json",
               "-rff", json_out]
        if pattern == "RankerBenchmark":
            cmd += ["-wi", "2", "-i", str(reps)]
        print("running:", " ".join(cmd), flush=True)
        subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL)
        with open(json_out) as f:
            for r in json.load(f):
                name = ".".join(r["benchmark"].split(".")[-2:])
                batch = int(r["params"]["batch"])
                out[(name, batch)] = r["primaryMetric"]["score"] / 1000.0  # ms -> s
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--jar", default="ltrp-bench/target/benchmarks.jar")
    parser.add_argument("--out")
    args = parser.parse_args()
    if not os.path.isfile(args.jar):
        sys.exit("no %s: build it with ./mvnw -pl ltrp-bench -am package -DskipTests" % args.jar)
    torch.set_num_threads(args.threads)
    check_blas()

    sd = ranker.random_ranker_state_dict(VIT_S, seed=0)
    gen = torch.Generator().manual_seed(1)
    pt = {}
    with torch.no_grad():
        for batch in (1, 32):
            imgs = torch.randn(batch, 3, 224, 224, generator=gen)
            pt[("rank", batch)] = min(time_it(lambda: ranker.ranker_full(sd, VIT_S, imgs), args.reps, 2))

    params = {k: v.clone().requires_grad_(k != "pos_embed") for k, v in sd.items()}
    trainable = [k for k in params if k != "pos_embed"]
    decay = [params[k] for k in trainable if ranker.decay_mask(k, params[k])]
    no_decay = [params[k] for k in trainable if not ranker.decay_mask(k, params[k])]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.05},
                             {"params": no_decay, "weight_decay": 0.0}], lr=1e-5, betas=(0.9, 0.95))
    imgs = torch.randn(8, 3, 224, 224, generator=gen)
    visible = torch.stack([torch.randperm(196, generator=gen)[:19].sort().values for _ in range(8)])
    y = torch.rand(8, 19, generator=gen)

    def step():
        opt.zero_grad()
        logits = ranker.ranker_full(params, VIT_S, imgs)
        loss = listmle_vectorized(torch.gather(logits, 1, visible), y)
        loss.backward()
        opt.step()

    pt[("train", 8)] = min(time_it(step, args.reps, 2))

    with tempfile.TemporaryDirectory() as work:
        jmh = run_jmh(args.jar, args.threads, args.reps, work)
    print()
    print("ViT-S/16 ranker at 224, %d threads; seconds per call (per image in brackets)" % args.threads)
    print("| | PyTorch %s | LTRP | LTRP / PyTorch |" % torch.__version__)
    print("|---|---|---|---|")
    for batch in (1, 32):
        a, b = pt[("rank", batch)], jmh[("RankerBenchmark.rank", batch)]
        print("| inference, batch %d | %.3f (%.4f) | %.3f (%.4f) | %.2f |" % (batch, a, a / batch, b, b / batch, b / a))
    a, b = pt[("train", 8)], jmh[("TrainingStepBenchmark.step", 8)]
    print("| training step, batch 8 | %.3f | %.3f | %.2f |" % (a, b, b / a))
    for batch in (1, 32):
        r = jmh[("RankerBenchmark.rank", batch)]
        for name in ("keepTopK", "keepTopKHybrid"):
            k = jmh[("RankerBenchmark." + name, batch)]
            print("| %s, batch %d | | %.3f | +%.1f%% over rank |" % (name, batch, k, 100 * (k - r) / r))
    if args.out:
        with open(args.out, "w") as f:
            json.dump({"pytorch": {"%s/%d" % k: v for k, v in pt.items()},
                       "jmh": {"%s/%d" % k: v for k, v in jmh.items()}, "torch": torch.__version__,
                       "threads": args.threads}, f, indent=2)


if __name__ == "__main__":
    main()
