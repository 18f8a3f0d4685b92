#!/usr/bin/env bash
# The oracle's design choices on the VALIDATION split (issue 12, item 3), one factor at a time
# from the reference setting (mask ratio 0.75, decoder-attention removal, L1, mean rank quantiles).
# For each variant: the committed teacher's full score maps of training images 0-4,999 and
# validation images 50,000-50,999 (OracleMaps), then the `oracle` ranker's downstream run with
# those maps (RankerFineTuning: a classifier from the teacher's encoder fine-tuned 400 x 128 on
# the 5,000 images' selections, evaluated on the 1,000 validation images) at keep 10% and 25%.
# A reduced budget of the full protocol, the same for every variant.
# Usage: ablation.sh OUT_DIR VARIANT...   with VARIANT = name:mask_ratio:removal:distance:aggregate
#   e.g. ablation.sh runs/ablation base:0.75:decoder:l1:rank-quantiles l2:0.75:decoder:l2:rank-quantiles
# Resumable (finished maps and runs are kept). Needs `mvn install`; run two lanes on 2 cores.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
models=$root/ltrp-eval/models/fashion-mnist
data=/usr/share/datasets/fashion-mnist
out=$1; shift
mkdir -p "$out"
cp=$(ls "$root"/ltrp-cli/target/lib/*.jar "$root"/ltrp-eval/target/ltrp-eval-*.jar | tr '\n' :)
export OMP_NUM_THREADS=1
for variant in "$@"; do
  IFS=: read -r name mask removal distance aggregate <<< "$variant"
  results=$out/$name.jsonl
  for range in "train5000 0 5000" "val1000 50000 51000"; do
    read -r tag from to <<< "$range"
    maps=$results.oracle-$tag.bin
    if [[ ! -f $maps ]]; then
      java -Xmx3g -cp "$cp" dev.ltrp.eval.train.OracleMaps $data "$models/mae.safetensors" \
        "$mask" "$from" "$to" "$maps.tmp" "$removal" "$distance" "$aggregate" >> "$out/$name.log"
      mv "$maps.tmp" "$maps"
    fi
  done
  java -Xmx3g -cp "$cp" dev.ltrp.eval.downstream.RankerFineTuning $data "$models/mae.safetensors" \
    "$models/ranker.safetensors" "$results" val 5000 1000 400 128 2e-3 0 0.1,0.25 oracle \
    2>> "$out/$name.log"
done
