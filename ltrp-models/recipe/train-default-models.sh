#!/usr/bin/env bash
# Trains the bundled default models from scratch, exactly as MODEL_CARD.md documents:
#   1. a small MAE, self-supervised, on random crops of the nature photos of Debian's
#      mate-backgrounds package;
#   2. a small LTRP ranker on the same photos, with that MAE as its frozen oracle.
# Then stores both as float16 safetensors in ltrp-models' resources.
#
#   apt-get install -y mate-backgrounds      # the training photos (GPL-2+: installed, not committed)
#   ltrp-models/recipe/train-default-models.sh [WORK_DIR]
#
# About 1.5 hours on a 2-core machine. Environment: LTRP_DEFAULT_DATA (photo folder),
# MAE_STEPS, RANKER_STEPS (shorter runs for a try-out).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
data="${LTRP_DEFAULT_DATA:-/usr/share/backgrounds/mate/nature}"
work="${1:-target/default-models}"
if [[ ! -d "$data" ]]; then
  echo "no training photos in $data: apt-get install -y mate-backgrounds (or set LTRP_DEFAULT_DATA)" >&2
  exit 1
fi
mkdir -p "$work"
recipe=ltrp-models/recipe
dest=ltrp-models/src/main/resources/dev/ltrp/models/default

bin/ltrp pretrain --images "$data" --arch "$recipe/mae.json" \
  --steps "${MAE_STEPS:-1200}" --batch 32 --lr 1e-3 --warmup 100 --seed 0 \
  --checkpoint-every 100 --out "$work/mae.safetensors" --dtype f16

bin/ltrp train --images "$data" --mae "$work/mae.safetensors" --ranker "$recipe/ranker.json" \
  --steps "${RANKER_STEPS:-600}" --batch 16 --lr 5e-4 --warmup 50 --seed 0 --held-out 0.2 \
  --validate-every 50 --checkpoint-every 50 --out "$work/ranker.safetensors" --dtype f16

cp "$work/mae.safetensors" "$work/ranker.safetensors" "$dest/"
echo "default models written to $dest" >&2
