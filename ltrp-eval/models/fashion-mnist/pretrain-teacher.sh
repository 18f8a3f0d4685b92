#!/usr/bin/env bash
# Evaluation teacher (issue 12): MAE 28x28/patch 4 (7x7 grid), width 64, on the first 50,000
# Fashion-MNIST training images; the last 10,000 are the validation split. Snapshots every 500 steps.
set -euo pipefail
cd /work/main
out=/work/runs/mae-fm
total=8000; chunk=500
export OMP_NUM_THREADS=1
done_steps=0
[[ -f $out/mae.ckpt.safetensors ]] && done_steps=$(tail -1 $out/mae.metrics.jsonl | sed 's/.*"step":\([0-9]*\).*/\1/')
while (( done_steps < total )); do
  resume=()
  [[ -f $out/mae.ckpt.safetensors ]] && resume=(--resume $out/mae.ckpt.safetensors)
  java -Xmx3g -jar /work/runs/cli/ltrp-cli.jar pretrain --idx /work/data/fm-train50k-images-idx3-ubyte.gz \
    --arch $out/../mae-fm.json --steps $total --batch 128 --lr 1.5e-3 --crop-scale 0.6 --seed 0 \
    --checkpoint-every 250 --stop-after $chunk --out $out/mae.safetensors "${resume[@]}" > $out/last.json
  done_steps=$(tail -1 $out/mae.metrics.jsonl | sed 's/.*"step":\([0-9]*\).*/\1/')
  cp $out/mae.safetensors $out/mae-step$done_steps.safetensors
  cp $out/mae.safetensors.json $out/mae-step$done_steps.safetensors.json 2>/dev/null || true
  echo "$(date -u +%FT%TZ) step $done_steps" >> $out/progress.log
done
