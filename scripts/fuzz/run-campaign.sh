#!/usr/bin/env bash
# A fuzzing campaign over the readers of untrusted files (docs/RELIABILITY.md):
#
#   scripts/fuzz/run-campaign.sh [-t SECONDS] [-k] [TARGET...]
#
# TARGET is any of: checkpoint (Checkpoints.read on any bytes), safetensors, pickle (a bare
# data.pkl through the pickle machine, PyTorch's persistent ids and the tensor views), image
# (ImageLoader.read and preprocessing). Default: all four, 300 s each.
#
# For each target: seeds Jazzer's working corpus with the committed corpus
# ltrp-core/src/test/resources/fuzz/<target>/, fuzzes for SECONDS with JAZZER_FUZZ=1, prints the
# executions run and the corpus growth, and moves every finding (crash-*, timeout-*, oom-*,
# slow-unit-* files) into fuzz/<target>/crashes/, where every later build replays it. With -k the
# inputs that reached new coverage are kept as well, in fuzz/<target>/campaign/ (commit the few
# that matter; large corpora slow every build down). Logs: ltrp-core/target/fuzz/<target>.log.
#
# Needs the module's dependencies in the local Maven repository (one online build first).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$(pwd)
MODULE=$ROOT/ltrp-core
SECONDS_PER_TARGET=300
KEEP_CORPUS=0
while getopts "t:k" opt; do
  case $opt in
    t) SECONDS_PER_TARGET=$OPTARG ;;
    k) KEEP_CORPUS=1 ;;
    *) sed -n '2,20p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=(checkpoint safetensors pickle image)

test_of() {
  case $1 in
    checkpoint) echo "dev.ltrp.core.checkpoint.CheckpointReadersFuzzTest anyCheckpoint" ;;
    safetensors) echo "dev.ltrp.core.checkpoint.CheckpointReadersFuzzTest safetensors" ;;
    pickle) echo "dev.ltrp.core.checkpoint.CheckpointReadersFuzzTest pickle" ;;
    image) echo "dev.ltrp.core.image.ImageLoaderFuzzTest imageBytes" ;;
    *) echo "unknown target $1 (checkpoint, safetensors, pickle, image)" >&2; return 1 ;;
  esac
}

mkdir -p "$MODULE/target/fuzz"
# Compile once; each target then runs its one test class without recompiling.
./mvnw -o -q -B test-compile -f "$MODULE/pom.xml"

status=0
for target in "${TARGETS[@]}"; do
  read -r class method < <(test_of "$target")
  corpus=$MODULE/src/test/resources/fuzz/$target
  work=$MODULE/.cifuzz-corpus/$class/$method
  log=$MODULE/target/fuzz/$target.log
  rm -rf "$work"
  mkdir -p "$work" "$corpus"
  # libFuzzer reads and extends the first corpus folder: start it from every committed input.
  find "$corpus" -type f -exec cp {} "$work/" \;
  seeds=$(find "$work" -type f | wc -l)
  echo "== $target: fuzzing $class#$method for ${SECONDS_PER_TARGET}s from $seeds inputs"
  set +e
  (cd "$MODULE" && JAZZER_FUZZ=1 JAZZER_MAX_DURATION=${SECONDS_PER_TARGET}s \
    "$ROOT/mvnw" -o -B surefire:test -Dtest="$class#$method" \
    -Dsurefire.failIfNoSpecifiedTests=false) > "$log" 2>&1
  rc=$?
  set -e
  runs=$(grep -aoE "Done [0-9]+ runs in [0-9]+ second" "$log" | tail -1 || true)
  [ -z "$runs" ] && runs=$(grep -aoE "^#[0-9]+" "$log" | tail -1 || true)
  cov=$(grep -aoE "cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9]+[a-zA-Z]*" "$log" | tail -1 || true)
  grown=$(($(find "$work" -type f | wc -l) - seeds))
  echo "   $runs; $cov; $grown new corpus inputs; maven exit $rc"
  # Findings land in Jazzer's inputs folder (src/test/resources/<package>/<Class>Inputs/<method>/,
  # which it creates), or in the module folder or project root, as crash-<sha1> and friends.
  found=0
  inputs=$MODULE/src/test/resources/${class//.//}Inputs
  for f in "$inputs/$method"/* "$MODULE"/crash-* "$MODULE"/timeout-* "$MODULE"/oom-* \
      "$MODULE"/slow-unit-* "$ROOT"/crash-* "$ROOT"/timeout-* "$ROOT"/oom-* "$ROOT"/slow-unit-*; do
    [ -f "$f" ] || continue
    mkdir -p "$corpus/crashes"
    mv "$f" "$corpus/crashes/"
    echo "   FINDING: fuzz/$target/crashes/$(basename "$f") (stack trace in $log)"
    found=$((found + 1))
  done
  # Keep the corpora in one place: remove the inputs folder Jazzer made, if it is now empty.
  rmdir "$inputs/$method" "$inputs" 2>/dev/null || true
  rmdir -p "$(dirname "$inputs")" 2>/dev/null || true
  if [ "$found" -gt 0 ] || { [ "$rc" -ne 0 ] && ! grep -q "Done [0-9]* runs" "$log"; }; then
    status=1
  fi
  if [ "$KEEP_CORPUS" -eq 1 ] && [ "$grown" -gt 0 ]; then
    mkdir -p "$corpus/campaign"
    for f in "$work"/*; do
      name=$(basename "$f")
      find "$corpus" -type f -name "$name" | grep -q . || cp "$f" "$corpus/campaign/"
    done
    echo "   kept the new inputs in fuzz/$target/campaign/"
  fi
  rm -rf "$work"
done
rm -rf "$MODULE/.cifuzz-corpus"
exit $status
