#!/usr/bin/env bash
# Measures npuc compile time and npu-run latency (median of N runs, 1 thread)
# for the reference models and prints a markdown table.
# Usage: bench/cpu_models.sh [build-dir] [runs]      (models: scripts/models.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="${1:-build}"
RUNS="${2:-5}"
MODELS="${NPU_MODELS_DIR:-$HOME/.cache/npu/models}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "| model | npuc (s) | npu-run median (ms) | npu-run min (ms) |"
echo "|---|---|---|---|"
for m in mlp_b1_op13 mlp_b64_op13 resnet18_op13 resnet50_op13 mobilenet_v2_op13 bert_tiny_op13 bert_tiny_op17; do
  start=$(date +%s%N)
  "$BUILD/bin/npuc" "$MODELS/$m.onnx" --target=cpu -o "$work/$m.so"
  end=$(date +%s%N)
  line=$("$BUILD/bin/npu-run" "$work/$m.so" --random-inputs --int-max 8192 --warmup 1 --repeat "$RUNS" | tail -1)
  median=$(echo "$line" | sed -E 's/.*median ([0-9.]+) ms.*/\1/')
  min=$(echo "$line" | sed -E 's/.*min ([0-9.]+) ms.*/\1/')
  secs=$(( (end - start) / 100000000 ))
  printf "| %s | %d.%d | %s | %s |\n" "$m" $((secs / 10)) $((secs % 10)) "$median" "$min"
done
