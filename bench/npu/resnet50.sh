#!/bin/bash
# ResNet-50 on the simulated NPU (dv-910): compile for one core and for 32,
# run both functionally with npu-run --stats, and print the table of
# bench/npu/README.md (per-layer cycles against roofline.py's bounds).
# usage: bench/npu/resnet50.sh [BUILD_DIR] [OUT_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../../build}
out=${2:-${TMPDIR:-/tmp}/npu-resnet50}
models=${NPU_MODELS_DIR:-$HOME/.cache/npu/models}
py=/usr/bin/python3
mkdir -p "$out"
printf 'preset = dv-910\ncores = 1\n' > "$out/one-core.ini"
# The model's seed-0 input, as run_models.py makes it.
$py - "$models/resnet50_op13.onnx" "$out/input.npy" <<'PY'
import sys, numpy as np, onnx
m = onnx.load(sys.argv[1])
shape = [d.dim_value for d in m.graph.input[0].type.tensor_type.shape.dim]
np.save(sys.argv[2], np.random.default_rng(0).standard_normal(shape, dtype=np.float32))
PY
for c in 1 32; do
  cfg=dv-910; [ $c = 1 ] && cfg=$out/one-core.ini
  /usr/bin/time -f "npuc ($c core(s)): %e s" "$build/bin/npuc" "$models/resnet50_op13.onnx" \
    --target=npu --npu-kernels=matmul,conv --config="$cfg" \
    --report="$out/report$c.json" -o "$out/resnet50-$c.npu"
  "$build/bin/npu-run" "$out/resnet50-$c.npu" --input "input=$out/input.npy" \
    --stats="$out/stats$c.json" --output-dir "$out/out$c" | tail -1
done
$py "$here/roofline.py" --json "$out/roofline.json" > /dev/null
$py "$here/resnet50_table.py" --stats1 "$out/stats1.json" --stats32 "$out/stats32.json" \
  --report1 "$out/report1.json" --report32 "$out/report32.json" \
  --roofline "$out/roofline.json"
