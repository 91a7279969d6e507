// RUN: npu-opt %s -npu-cpu-to-linalg="parts=cpu0" | FileCheck %s --check-prefix=LINALG
// RUN: npu-opt %s -npu-cpu-pipeline="parts=cpu0" | FileCheck %s --check-prefix=LLVM
// A CPU part with boundary conversions (npuk.convert) compiles with the CPU
// pipeline: the weight's convert folds into a constant at compile time, the
// activation's lowers to tensor ops and linalg.

// LINALG-LABEL: func.func @cpu0
// LINALG-NOT: npuk.convert
// LINALG-DAG: arith.constant dense_resource<fz{{.*}}> : tensor<9x2x16x16xf16>
// LINALG-DAG: linalg.transpose ins(%{{.*}} : tensor<1x2x4x4x16xf16>) outs(%{{.*}} : tensor<1x2x16x4x4xf16>) permutation = [0, 1, 4, 2, 3]
// LINALG-DAG: tensor.extract_slice %{{.*}}[0, 0, 0, 0] [1, 20, 4, 4] [1, 1, 1, 1]
// LINALG-NOT: npuk.convert

// LLVM: llvm.func @npu_part_cpu0(%{{.*}}: !llvm.ptr) -> i32
// LLVM-NOT: npuk.
func.func @cpu0(%p: tensor<1x2x4x4x16xf16>) -> (tensor<1x20x4x4xf32>, tensor<9x2x16x16xf16>) {
  %x = npuk.convert %p <nc1hwc0> -> <nchw> scale -2 : tensor<1x2x4x4x16xf16> -> tensor<1x20x4x4xf32>
  %r = npu.relu %x : tensor<1x20x4x4xf32>
  %w = npu.constant dense<0.5> : tensor<20x3x3x3xf32>
  %f = npuk.convert %w <nchw> -> <fz> : tensor<20x3x3x3xf32> -> tensor<9x2x16x16xf16>
  return %r, %f : tensor<1x20x4x4xf32>, tensor<9x2x16x16xf16>
}
