#!/usr/bin/env bash
# Sets up, builds and runs every test suite: lit (FileCheck), GoogleTest, and
# the end-to-end numerical checks of the reference models against ONNX Runtime.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --models
scripts/build.sh
BUILD="${NPU_BUILD_DIR:-build}"
echo "== lit"
/usr/lib/llvm-19/build/utils/lit/lit.py -sv --no-progress-bar "$BUILD/test/lit"
echo "== unit tests"
(cd "$BUILD" && ctest --output-on-failure -j2)
echo "== end-to-end: reference models vs ONNX Runtime"
/usr/bin/python3 test/e2e/run_models.py --build "$BUILD"
echo "== end-to-end: NPU artifacts (npuc --target=npu, npu-run on the simulator) vs ONNX Runtime"
/usr/bin/python3 test/e2e/run_models.py --build "$BUILD" --target npu
echo "== end-to-end: matmuls and convs as NPU kernels (--npu-kernels=matmul,conv, fp16 with calibrated scales)"
/usr/bin/python3 test/e2e/run_models.py --build "$BUILD" --target npu --npuc-arg=--npu-kernels=matmul,conv
echo "== end-to-end: plus elementwise chains as vector kernels (--npu-kernels=matmul,conv,vector)"
/usr/bin/python3 test/e2e/run_models.py --build "$BUILD" --target npu --npuc-arg=--npu-kernels=matmul,conv,vector
echo "== ONNX backend conformance (expected failures: test/onnx-backend/expected_failures.txt)"
/usr/bin/python3 test/onnx-backend/run_backend.py --build "$BUILD" --jobs 2 \
  --results "$BUILD/onnx-backend-results.json"
echo "== all test suites passed"
