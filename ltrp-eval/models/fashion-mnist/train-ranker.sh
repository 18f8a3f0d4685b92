#!/usr/bin/env bash
# Evaluation LTRP ranker (issue 12): ViT 64 wide, 4 blocks (the teacher's encoder shape), ListMLE
# on the committed teacher's oracle (decoder removal, mask ratio 0.75: 12 of 49 visible).
# Offline targets: the teacher's full score maps of training images 0-19,999 (OracleMaps, two
# lanes), restricted at every step to a random visible set; 2% held out for the tau curve.
# Resumable: rerun to continue from ranker.ckpt.safetensors.
# Usage: train-ranker.sh [OUT_DIR] (default /work/runs/ranker-fm); needs `mvn install` first.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
out=${1:-/work/runs/ranker-fm}
mae=$root/ltrp-eval/models/fashion-mnist/mae.safetensors
data=/usr/share/datasets/fashion-mnist
total=2000; chunk=500
mkdir -p "$out"
cp=$(ls "$root"/ltrp-cli/target/lib/*.jar "$root"/ltrp-eval/target/ltrp-eval-*.jar | tr '\n' :)
export OMP_NUM_THREADS=1
if [[ ! -f $out/maps-train20000.bin ]]; then
  java -Xmx3g -cp "$cp" dev.ltrp.eval.train.OracleMaps $data "$mae" 0.75 0 10000 "$out/maps-a.bin" &
  java -Xmx3g -cp "$cp" dev.ltrp.eval.train.OracleMaps $data "$mae" 0.75 10000 20000 "$out/maps-b.bin"
  wait
  java -cp "$cp" dev.ltrp.eval.train.OracleMaps merge "$out/maps-train20000.bin" "$out/maps-a.bin" "$out/maps-b.bin"
fi
steps_done() { [[ -f $out/ranker.metrics.jsonl ]] && tail -1 "$out/ranker.metrics.jsonl" | sed 's/.*"step":\([0-9]*\).*/\1/' || echo 0; }
while (( $(steps_done) < total )); do
  java -Xmx3g -cp "$cp" dev.ltrp.eval.train.EvalRankerTraining $data "$mae" "$out/ranker.safetensors" \
    $total 128 $chunk 0.75 0 "$out/maps-train20000.bin" >> "$out/run.log"
  echo "$(date -u +%FT%TZ) step $(steps_done)" >> "$out/progress.log"
done
