#!/bin/sh
# Reproduces the tables in bench/npu/README.md.
# Usage: bench/npu/run.sh [path/to/npu-sim]   (default: build-sim/bin/npu-sim)
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
SIM=${1:-$HERE/../../build-sim/bin/npu-sim}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

row() { # label stats.json
  python3 - "$1" "$2" <<'PY'
import json, sys
label, path = sys.argv[1], sys.argv[2]
s = json.load(open(path))
cores = s["cores"]
tot = s["total_cycles"]
def avg(p): return 100 * sum(c["pipes"][p]["busy_cycles"] for c in cores) / len(cores) / tot
gm = sum(c["gm_read_bytes"] + c["gm_write_bytes"] for c in cores)
hs = max(s["host_seconds"], 1e-9)
gmacs = "-" if s["mode"] == "timing" else f"{s['cube_macs'] / hs / 1e9:.2f}"
print(f"| {label} | {s['mode']} | {len(cores)} | {tot} | {s['time_us']:.1f} | "
      f"{avg('M'):.1f} | {avg('MTE2'):.1f} | {avg('MTE1'):.1f} | {avg('V'):.1f} | "
      f"{gm / tot:.0f} | {hs:.3f} | {tot / hs / 1e6:.1f} | "
      f"{tot * len(cores) / hs / 1e6:.1f} | {gmacs} |")
PY
}

echo "| run | mode | cores | cycles | us | M % | MTE2 % | MTE1 % | V % | GM B/cycle | host s | Mcycles/s | core-Mcycles/s | GMAC/s |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
cd "$OUT"
"$SIM" "$HERE/gemm_f16.s" --quiet --stats f1.json
row "gemm 1024^3 dv-910" f1.json
for n in 1 2 4 8 16 32; do
  "$SIM" "$HERE/gemm_f16.s" --timing-only --cores $n --quiet --stats t$n.json
  row "gemm 1024^3 dv-910" t$n.json
done
"$SIM" "$HERE/gemm_f16.s" --cores 32 --quiet --stats f32.json
row "gemm 1024^3 dv-910" f32.json
printf 'preset = dv-910\nl2_size = 0\n' > nol2.ini
"$SIM" "$HERE/gemm_f16.s" --timing-only --cores 32 --config nol2.ini --quiet --stats nol2.json
row "gemm 1024^3 dv-910, no L2 (INI l2_size = 0)" nol2.json
"$SIM" "$HERE/gemm_f16.s" --config dv-a2 -DBM=128 --quiet --stats a1.json
row "gemm 1024^3 dv-a2 -DBM=128" a1.json
"$SIM" "$HERE/gemm_f16.s" --config dv-a2 -DBM=128 --cores 24 --timing-only --quiet --stats a24.json
row "gemm 1024^3 dv-a2 -DBM=128" a24.json
"$SIM" "$HERE/elementwise_f16.s" --quiet --stats e1.json
row "elementwise 64K f16" e1.json
"$SIM" "$HERE/elementwise_f16.s" -DN=16777216 --quiet --stats e2.json
row "elementwise 16M f16" e2.json
"$SIM" "$HERE/elementwise_f16.s" -DN=16777216 --timing-only --quiet --stats e3.json
row "elementwise 16M f16" e3.json
"$SIM" "$HERE/conv_load3d_f16.s" --quiet --stats c1.json
row "conv 3x3, 16x16x32 -> 32" c1.json
# Simulator speed: bigger runs so that host time is measurable.
for n in 1 32; do
  "$SIM" "$HERE/gemm_f16.s" -DM=4096 -DN=4096 -DK=4096 --timing-only --cores $n --quiet --stats s$n.json
  row "gemm 4096^3 dv-910" s$n.json
done
"$SIM" "$HERE/gemm_f16.s" -DM=2048 -DN=2048 -DK=2048 --quiet --stats s3.json
row "gemm 2048^3 dv-910" s3.json
"$SIM" "$HERE/vector_small_ops.s" --timing-only --quiet --stats v1.json
row "vector_small_ops (worst case)" v1.json
"$SIM" "$HERE/vector_small_ops.s" --timing-only --no-race-check --quiet --stats v2.json
row "vector_small_ops, --no-race-check" v2.json
