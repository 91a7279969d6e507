#!/usr/bin/env bash
# The main job: set up, build, compile a reference model (resnet18 by
# default) for the CPU with npuc, then run it with npu-run on random inputs,
# printing its outputs and latency.   Usage: scripts/demo.sh [model]
set -euo pipefail
cd "$(dirname "$0")/.."
model="${1:-resnet18}"
scripts/setup.sh
scripts/build.sh npuc npu-run
scripts/models.sh "$model"
BUILD="${NPU_BUILD_DIR:-build}"
MODELS="${NPU_MODELS_DIR:-$HOME/.cache/npu/models}"
mkdir -p "$BUILD/demo"
echo "== npuc ${model}_op13.onnx --target=cpu"
time "$BUILD/bin/npuc" "$MODELS/${model}_op13.onnx" --target=cpu -o "$BUILD/demo/$model.so"
echo "== npu-run"
"$BUILD/bin/npu-run" "$BUILD/demo/$model.so" --random-inputs --seed 0 --warmup 1 --repeat 5 --output-dir "$BUILD/demo/out"
