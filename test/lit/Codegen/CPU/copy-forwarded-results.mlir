// RUN: npu-opt %s -split-input-file -npu-cpu-copy-forwarded-results | FileCheck %s
// RUN: npu-opt %s -split-input-file -npu-cpu-bufferize | FileCheck %s --check-prefix=BUF

// CHECK-LABEL: func.func @forward_arg
// CHECK:         %[[E:.*]] = tensor.empty() : tensor<2xf32>
// CHECK:         %[[C:.*]] = linalg.copy ins(%arg0 : tensor<2xf32>) outs(%[[E]] : tensor<2xf32>)
// CHECK:         return %[[C]]
// BUF-LABEL:   func.func @forward_arg(%arg0: memref<2xf32>, %arg1: memref<2xf32>)
// BUF:           memref.store {{.*}}, %arg1
func.func @forward_arg(%arg0: tensor<2xf32>) -> tensor<2xf32> {
  return %arg0 : tensor<2xf32>
}

// -----

// The first use keeps the value; the repeat gets a copy.
// CHECK-LABEL: func.func @repeated
// CHECK:         %[[A:.*]] = linalg.add
// CHECK:         %[[C:.*]] = linalg.copy ins(%[[A]] : tensor<2xf32>)
// CHECK:         return %[[A]], %[[C]]
// BUF-LABEL:   func.func @repeated(%arg0: memref<2xf32>, %arg1: memref<2xf32>, %arg2: memref<2xf32>)
func.func @repeated(%arg0: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
  %e = tensor.empty() : tensor<2xf32>
  %0 = linalg.add ins(%arg0, %arg0 : tensor<2xf32>, tensor<2xf32>) outs(%e : tensor<2xf32>) -> tensor<2xf32>
  return %0, %0 : tensor<2xf32>, tensor<2xf32>
}

// -----

// CHECK-LABEL: func.func @fresh
// CHECK-NOT:     linalg.copy
func.func @fresh(%arg0: tensor<2xf32>) -> tensor<2xf32> {
  %e = tensor.empty() : tensor<2xf32>
  %0 = linalg.add ins(%arg0, %arg0 : tensor<2xf32>, tensor<2xf32>) outs(%e : tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}
