#!/usr/bin/env bash
# The GPU checks of the CUDA backend, as one script for a machine with an NVIDIA GPU (issue 6):
#   1. build with the CUDA profile (nd4j-cuda-11.6 beside the CPU backend);
#   2. run the oracle and ranker parity tests against the PyTorch fixtures on the CUDA backend
#      (ND4J prefers CUDA when it is available; GpuBackendTest fails if it is not the active one);
#   3. run the JMH benchmarks on CUDA: the scoring loop (MAE-B, 19 visible patches) at 1, 8 and 64
#      images, ranker inference (ViT-S) at 1, 32 and 256 images, a ViT-S training step (batch 8);
#   4. write the results (JSON and a Markdown table with the card's name) to $OUT (default target/gpu).
#
#   scripts/gpu/run-gpu-checks.sh            # needs: NVIDIA driver, CUDA 11.6 libraries, Java 17
#
# Takes about 10 minutes on one H100 (most of it the first build and the benchmark forks).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
out="${OUT:-target/gpu}"
mkdir -p "$out"
export BACKEND_PRIORITY_GPU=200 BACKEND_PRIORITY_CPU=0
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader | tee "$out/gpu.txt"

./mvnw -B -ntp -Pcuda -DskipTests install -pl ltrp-api,ltrp-core,ltrp-models,ltrp-nd4j,ltrp-bench -am \
  > "$out/build.log" 2>&1
./mvnw -B -ntp -Pcuda -pl ltrp-nd4j test \
  -Dtest='GpuBackendTest,MaeScoreOracleParityTest,VitRankerParityTest,RankerTrainingGraphTest' \
  -Dltrp.requireGpu=true > "$out/parity.log" 2>&1 || { tail -50 "$out/parity.log"; exit 1; }
grep -h "parity\|Tests run" "$out/parity.log" | tee "$out/parity-summary.txt"

jar=ltrp-bench/target/benchmarks.jar
java -jar "$jar" OracleBenchmark -p images=1,8,64 -wi 1 -i 3 -f 1 -rf json -rff "$out/oracle.json" \
  > "$out/oracle.log" 2>&1
java -jar "$jar" RankerBenchmark.rank -p batch=1,32,256 -wi 2 -i 5 -f 1 -rf json -rff "$out/ranker.json" \
  > "$out/ranker.log" 2>&1
java -jar "$jar" TrainingStepBenchmark -p batch=8 -f 1 -rf json -rff "$out/training.json" \
  > "$out/training.log" 2>&1

python3 - "$out" <<'PY'
import json, sys, os
out = sys.argv[1]
card = open(os.path.join(out, "gpu.txt")).read().strip()
rows = []
for name, key, per in (("oracle.json", "images", "image"), ("ranker.json", "batch", "image"),
                       ("training.json", "batch", "step")):
    for r in json.load(open(os.path.join(out, name))):
        n = int(r["params"][key])
        unit = r["primaryMetric"]["scoreUnit"]
        s = r["primaryMetric"]["score"] / (1000.0 if unit.startswith("ms") else 1.0)
        rate = (n / s) if per == "image" else (n / s)
        rows.append("| %s | %d | %.4f s | %.1f images/s |" % (r["benchmark"].split(".")[-2] + "." + r["benchmark"].split(".")[-1], n, s, rate))
with open(os.path.join(out, "RESULTS.md"), "w") as f:
    f.write("GPU: %s\n\n| benchmark | batch | time per call | throughput |\n|---|---|---|---|\n" % card)
    f.write("\n".join(rows) + "\n")
print(open(os.path.join(out, "RESULTS.md")).read())
PY
