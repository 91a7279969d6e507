#!/usr/bin/env bash
# Exports the reference models (third_party/shared/export_models.py) into
# $NPU_MODELS_DIR (default ~/.cache/npu/models) unless they are already there.
# Usage: scripts/models.sh [model ...]   (default: all six)
set -euo pipefail
cd "$(dirname "$0")/.."
export NPU_MODELS_DIR="${NPU_MODELS_DIR:-$HOME/.cache/npu/models}"
models=("$@")
[ ${#models[@]} -eq 0 ] && models=(mlp_b1 mlp_b64 resnet18 resnet50 mobilenet_v2 bert_tiny)
todo=()
for m in "${models[@]}"; do
  [ -f "$NPU_MODELS_DIR/${m}_op13.onnx" ] && [ -f "$NPU_MODELS_DIR/${m}_op17.onnx" ] || todo+=("$m")
done
if [ ${#todo[@]} -gt 0 ]; then
  echo "models.sh: exporting ${todo[*]} to $NPU_MODELS_DIR (takes a few minutes)"
  /usr/bin/python3 third_party/shared/export_models.py --models "${todo[@]}" --outdir "$NPU_MODELS_DIR" >/dev/null
fi
