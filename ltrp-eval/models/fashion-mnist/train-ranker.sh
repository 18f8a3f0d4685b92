#!/usr/bin/env bash
# Evaluation LTRP ranker (issue 12): ViT 64 wide, 4 blocks (the teacher's encoder shape), ListMLE on
# the committed teacher's online oracle (decoder removal, mask ratio 0.75: 12 of 49 visible), on the
# first 50,000 Fashion-MNIST training images with random resized crops (scale 0.6-1); 2% held out
# for the tau curve. Resumable: rerun to continue from ranker.ckpt.safetensors.
# Usage: train-ranker.sh [OUT_DIR] (default /work/runs/ranker-fm); needs `mvn install` first.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
out=${1:-/work/runs/ranker-fm}
total=3000; chunk=250
mkdir -p "$out"
cp=$(ls "$root"/ltrp-cli/target/lib/*.jar "$root"/ltrp-eval/target/ltrp-eval-*.jar | tr '\n' :)
export OMP_NUM_THREADS=1
steps_done() { [[ -f $out/ranker.metrics.jsonl ]] && tail -1 "$out/ranker.metrics.jsonl" | sed 's/.*"step":\([0-9]*\).*/\1/' || echo 0; }
while (( $(steps_done) < total )); do
  java -Xmx3g -cp "$cp" dev.ltrp.eval.train.EvalRankerTraining /usr/share/datasets/fashion-mnist \
    "$root/ltrp-eval/models/fashion-mnist/mae.safetensors" "$out/ranker.safetensors" \
    $total 128 $chunk 0.75 0 >> "$out/run.log"
  echo "$(date -u +%FT%TZ) step $(steps_done)" >> "$out/progress.log"
done
