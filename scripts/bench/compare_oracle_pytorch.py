#!/usr/bin/env python3
"""Times the LTRP oracle's scoring loop: the reference-style PyTorch loop against our batched ND4J pass.

Same machine, same MAE-B weights (written once to a safetensors file that both sides load), same
settings: one image, 19 of 196 patches visible (mask ratio 0.9), decoder-attention removal.

  PyTorch : the reference way -- one encoder pass, the anchor decoder pass, then one decoder pass
            per removed patch (20 decoder passes of batch 1), scripts/reference/mae_reference.py.
  LTRP    : MaeScoreOracle -- all 20 decoder sequences of an image in one batched graph pass
            (JMH benchmark OracleBenchmark, batch of 1 and of 8 images).
  Baseline: float32 GEMM 2048^3 in both libraries (JMH SgemmBaseline for ND4J), the machine's
            practical peak, to express the oracle's throughput as a fraction of it.

Needs: the benchmarks jar (./mvnw -pl ltrp-bench -am package -DskipTests), Debian's python3-torch
and an optimized BLAS for it (apt-get install libopenblas0-pthread; Debian's default reference BLAS
makes PyTorch ~30x slower and the comparison meaningless -- the script checks and refuses).

Usage (from the repository root):
    /usr/bin/python3 scripts/bench/compare_oracle_pytorch.py [--threads 2] [--reps 5] [--out results.json]
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reference"))
import mae_reference as ref  # noqa: E402

MAE_B = {"img_size": 224, "patch_size": 16, "in_chans": 3, "embed_dim": 768, "depth": 12,
         "num_heads": 12, "decoder_embed_dim": 512, "decoder_depth": 8, "decoder_num_heads": 16,
         "mlp_ratio": 4.0}


def oracle_gflop(cfg, visible):
    """Multiply-add FLOPs (2 per MAC) of one image's anchor + leave-one-out passes, decoder mode."""
    d, dd = cfg["embed_dim"], cfg["decoder_embed_dim"]
    L = (cfg["img_size"] // cfg["patch_size"]) ** 2
    p = cfg["patch_size"] ** 2 * cfg["in_chans"]
    r = cfg["mlp_ratio"]

    def blocks(tokens, width, depth):
        linear = tokens * (3 * width * width + width * width + 2 * r * width * width)
        attention = 2 * tokens * tokens * width  # q.k^T and attn.v
        return 2 * depth * (linear + attention)

    enc = 2 * visible * p * d + blocks(visible + 1, d, cfg["depth"])
    seqs = visible + 1
    dec = seqs * (2 * (visible + 1) * d * dd + blocks(L + 1, dd, cfg["decoder_depth"]) + 2 * (L + 1) * dd * p)
    return (enc + dec) / 1e9


def time_it(fn, reps, warmup=1):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return times


def check_blas():
    a = torch.randn(1024, 1024)
    t = time.perf_counter()
    a @ a
    gflops = 2 * 1024 ** 3 / (time.perf_counter() - t) / 1e9
    if gflops < 20:
        sys.exit("PyTorch runs float32 GEMM at %.1f GFLOP/s: it is linked to the reference BLAS. "
                 "Install an optimized one first: apt-get install libopenblas0-pthread" % gflops)


def run_jmh(jar, checkpoint, threads, reps, json_out):
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    cmd = ["java", "-jar", jar, "OracleBenchmark|SgemmBaseline",
           "-p", "checkpoint=" + checkpoint, "-p", "images=1,8",
           "-wi", "1", "-i", str(reps), "-f", "1", "-rf", "json", "-rff", json_out]
    print("running:", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL)
    with open(json_out) as f:
        results = json.load(f)
    out = {}
    for r in results:
        name = r["benchmark"].split(".")[-2]
        params = r.get("params", {})
        unit = r["primaryMetric"]["scoreUnit"]
        score = r["primaryMetric"]["score"]
        seconds = score / 1000.0 if unit.startswith("ms") else score
        key = name if name == "SgemmBaseline" else "%s[images=%s]" % (name, params.get("images"))
        out[key] = {"seconds": seconds, "error": r["primaryMetric"]["scoreError"], "unit": unit}
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=2, help="threads for both libraries (default 2)")
    parser.add_argument("--reps", type=int, default=5, help="measured repetitions (default 5)")
    parser.add_argument("--jar", default="ltrp-bench/target/benchmarks.jar")
    parser.add_argument("--out", help="also write the numbers as JSON here")
    args = parser.parse_args()
    if not os.path.isfile(args.jar):
        sys.exit("no %s: build it with ./mvnw -pl ltrp-bench -am package -DskipTests" % args.jar)
    torch.set_num_threads(args.threads)
    check_blas()

    work = tempfile.mkdtemp(prefix="ltrp-bench-")
    checkpoint = os.path.join(work, "mae_b_random.safetensors")
    sd = ref.random_state_dict(MAE_B, seed=0, perturb=False)
    ref.write_safetensors(checkpoint, sd)
    gen = torch.Generator().manual_seed(1)
    image = torch.randn(3, 224, 224, generator=gen)
    visible = sorted(torch.randperm(196, generator=gen)[:19].tolist())

    with torch.no_grad():
        pt_loop = time_it(lambda: ref.oracle_scores(sd, MAE_B, image, visible, "decoder"), args.reps)
        a = torch.randn(2048, 2048)
        b = torch.randn(2048, 2048)
        pt_gemm = time_it(lambda: a @ b, args.reps, warmup=2)

    jmh = run_jmh(args.jar, checkpoint, args.threads, args.reps, os.path.join(work, "jmh.json"))
    gflop = oracle_gflop(MAE_B, len(visible))
    gemm_gflop = 2 * 2048 ** 3 / 1e9
    pt_image = min(pt_loop)
    ltrp1 = jmh["OracleBenchmark[images=1]"]["seconds"]
    ltrp8 = jmh["OracleBenchmark[images=8]"]["seconds"] / 8
    nd4j_peak = gemm_gflop / jmh["SgemmBaseline"]["seconds"]
    torch_peak = gemm_gflop / min(pt_gemm)
    machine_peak = max(nd4j_peak, torch_peak)
    rows = [
        ("PyTorch %s reference loop (1 image)" % torch.__version__, pt_image),
        ("LTRP batched oracle, 1 image per call", ltrp1),
        ("LTRP batched oracle, 8 images per call", ltrp8),
    ]
    print()
    print("machine: %s, %d threads, %s" % (platform.processor() or platform.machine(), args.threads,
                                          os.environ.get("OPENBLAS_CORETYPE", "OPENBLAS_CORETYPE unset")))
    print("oracle work per image: %.1f GFLOP (MAE-B, 19 visible, decoder removal)" % gflop)
    print("SGEMM 2048^3 peak: ND4J %.0f GFLOP/s, PyTorch %.0f GFLOP/s" % (nd4j_peak, torch_peak))
    print()
    print("| | s/image | GFLOP/s | % of machine SGEMM peak | speed-up vs PyTorch loop |")
    print("|---|---|---|---|---|")
    for name, sec in rows:
        print("| %s | %.2f | %.0f | %.0f%% | %.2fx |" % (name, sec, gflop / sec, 100 * gflop / sec / machine_peak,
                                                     pt_image / sec))
    results = {"torch": torch.__version__, "threads": args.threads, "gflop_per_image": gflop,
               "pytorch_loop_s": pt_loop, "pytorch_gemm_s": pt_gemm, "jmh": jmh,
               "nd4j_sgemm_gflops": nd4j_peak, "torch_sgemm_gflops": torch_peak}
    if args.out:
        with open(args.out, "w") as f:
            json.dump(results, f, indent=2)
    os.remove(checkpoint)


if __name__ == "__main__":
    main()
