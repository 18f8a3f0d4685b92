#!/usr/bin/env bash
# fashion-mnist-clutter, full preset, test split, 3 seeds, keep 10% and 25% (issue 12, goal 2).
# Trains the teacher (8,000 steps, resumable: checkpoint every 100 steps, snapshots every 1,000),
# scores the 20,000 fine-tuning images with its oracle, trains the LTRP ranker (2,000 steps,
# resumable), then fine-tunes one classifier per (ranker, ratio, seed); rerunning continues where
# the last run stopped. The settings are the reference ones chosen on Fashion-MNIST's validation
# ablation (docs/DOWNSTREAM.md); nothing is tuned on this data set.
# Usage: run-test.sh OUT_DIR [JAR]   (JAR: a copy of ltrp-cli.jar with its lib/, so that rebuilding
# the repository does not change a running process; default the repository's)
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
out=$1
jar=${2:-$root/ltrp-cli/target/ltrp-cli.jar}
export OMP_NUM_THREADS=1
mkdir -p "$out"
java -Xmx7g -jar "$jar" eval --dataset fashion-mnist-clutter --preset full --split test \
  --seeds 3 --ratios 0.10,0.25 --out "$out" >> "$out/eval.out" 2>> "$out/eval.log"
