// RUN: npu-opt %s --npu-cpu-protect-inputs | FileCheck %s --check-prefix=ATTR
// RUN: npu-opt %s --npu-cpu-bufferize | FileCheck %s --check-prefix=BUF

// Tensor arguments of public functions become read-only for bufferization.
// ATTR-LABEL: func.func @main
// ATTR-SAME: %arg0: tensor<4xf32> {bufferization.writable = false}
// ATTR-SAME: %arg1: tensor<4xf32> {bufferization.writable = false}
// ATTR-LABEL: func.func private @helper
// ATTR-NOT: writable

// The generic accumulates into %arg0's tensor. It must not update the
// caller's input buffer: the input is read and the result written to the
// output buffer (%arg2) only.
// BUF-LABEL: func.func @main(%arg0: memref<4xf32>, %arg1: memref<4xf32>, %arg2: memref<4xf32>)
// BUF-NOT: memref.store {{.*}}, %arg0
// BUF-NOT: memref.store {{.*}}, %arg1
// BUF: memref.store {{.*}}, %arg2
func.func @main(%arg0: tensor<4xf32>, %arg1: tensor<4xf32>) -> tensor<4xf32> {
  %0 = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>],
                       iterator_types = ["parallel"]}
      ins(%arg1 : tensor<4xf32>) outs(%arg0 : tensor<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %s = arith.addf %in, %out : f32
    linalg.yield %s : f32
  } -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

func.func private @helper(%arg0: tensor<4xf32>) -> tensor<4xf32> {
  return %arg0 : tensor<4xf32>
}
