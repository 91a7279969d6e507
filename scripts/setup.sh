#!/usr/bin/env bash
# Installs everything npu needs on Debian 12 that is missing: the Debian
# packages in scripts/debian-packages.txt, ONNX Runtime (npm onnxruntime-node,
# for reference outputs) and, with --models, the reference ONNX models.
# Idempotent; runs as root or through sudo; never prompts.
set -euo pipefail
cd "$(dirname "$0")/.."

want_models=0
for arg in "$@"; do
  case "$arg" in
    --models) want_models=1 ;;
    -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
    echo "setup.sh: not root and no sudo; install packages manually" >&2; exit 1; fi
fi

missing=()
while read -r pkg; do
  [ -z "$pkg" ] && continue
  case "$pkg" in \#*) continue ;; esac
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done < scripts/debian-packages.txt
# Node.js may come from elsewhere (NodeSource's nodejs bundles npm and
# conflicts with Debian's npm), so only install Debian's when npm is absent.
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# ONNX Runtime for reference outputs (CPU library bundled in the npm package).
export NPU_CACHE="${NPU_CACHE:-$HOME/.cache/npu}"
ORT_DIR="$NPU_CACHE/ort"
if [ ! -f "$ORT_DIR/node_modules/onnxruntime-node/package.json" ]; then
  sh third_party/shared/setup_ort.sh "$ORT_DIR" >/dev/null
  echo "setup.sh: installed onnxruntime-node into $ORT_DIR"
fi

if [ "$want_models" = 1 ]; then
  scripts/models.sh
fi
