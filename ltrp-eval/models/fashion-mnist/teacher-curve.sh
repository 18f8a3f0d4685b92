#!/usr/bin/env bash
# The teacher-quality curve (issue 12, item 2): the oracle's and LTRP's downstream accuracy at 25%
# keep on the VALIDATION split for teacher checkpoints of increasing training. For each
# checkpoint, `ltrp eval --teacher` scores the fine-tuning images with that teacher's oracle,
# trains an LTRP ranker on those maps (the full preset's 2,000 steps; also for the final
# teacher, so that every point has the same budget) and fine-tunes the two classifiers.
# Usage: teacher-curve.sh OUT_DIR [STEPS...]   (default: 500 2000 4000 8000; two lanes: run two
# calls with different steps). About 55 minutes per checkpoint on one core. LTRP_JAR: a copy of
# ltrp-cli.jar (with its lib/) to run instead of bin/ltrp, so that rebuilding the repository does
# not change a running process.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
models=$root/ltrp-eval/models/fashion-mnist
out=$1; shift
steps=("$@"); [[ ${#steps[@]} -gt 0 ]] || steps=(500 2000 4000 8000)
export OMP_NUM_THREADS=1
for s in "${steps[@]}"; do
  teacher=$models/mae-step$s.safetensors
  [[ $s == 8000 ]] && teacher=$models/mae.safetensors
  ltrp=("$root/bin/ltrp")
  [[ -n ${LTRP_JAR:-} ]] && ltrp=(java -Xmx6g -jar "$LTRP_JAR")
  "${ltrp[@]}" eval --teacher "$teacher" --rankers oracle,ltrp --ratios 0.25 --split val \
    --preset full --seeds 1 --out "$out/step$s" > "$out/step$s.json"
done
