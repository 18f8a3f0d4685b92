#!/usr/bin/env bash
# The paper's downstream protocol on the committed teacher and ranker (issue 12): one classifier
# per (ranker, keep ratio), initialized from the teacher's encoder, fine-tuned 800 x 128 on the
# first 20,000 training images with this ranker's selection, evaluated on 2,000 images of SPLIT
# with the same ranker's selection. Results append to OUT (JSON lines); finished runs are skipped.
# Usage: downstream.sh OUT.jsonl SPLIT SEEDS RATIOS RANKERS   (e.g. r.jsonl val 0 0.1,0.25 random,all)
# Needs `mvn install` first; run two lanes (different RANKERS) on a 2-core machine.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
models=$root/ltrp-eval/models/fashion-mnist
cp=$(ls "$root"/ltrp-cli/target/lib/*.jar "$root"/ltrp-eval/target/ltrp-eval-*.jar | tr '\n' :)
OMP_NUM_THREADS=1 exec java -Xmx4g -cp "$cp" dev.ltrp.eval.downstream.RankerFineTuning \
  /usr/share/datasets/fashion-mnist "$models/mae.safetensors" "$models/ranker.safetensors" \
  "$1" "$2" 20000 2000 800 128 2e-3 "$3" "$4" "$5"
