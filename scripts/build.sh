#!/usr/bin/env bash
# Configures and builds npu with CMake + Ninja into ${NPU_BUILD_DIR:-build}.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="${NPU_BUILD_DIR:-build}"
if [ ! -f "$BUILD/build.ninja" ]; then
  cmake -G Ninja -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release
fi
ninja -C "$BUILD" -j "${NPU_JOBS:-2}" "$@"
