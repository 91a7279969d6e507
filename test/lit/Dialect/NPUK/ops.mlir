// RUN: npu-opt %s | npu-opt | FileCheck %s
// RUN: npu-opt --mlir-print-op-generic %s | npu-opt | FileCheck %s

// CHECK-LABEL: func.func @cpu000
func.func @cpu000(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = npu.relu %a : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @main
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: %[[K:.*]] = npuk.kernel "k0" cpu nodes ["relu0", "relu1"](%{{.*}}) : (tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: ^bb0(%[[A:.*]]: tensor<4xf32>):
  // CHECK:   npuk.yield %{{.*}} : tensor<4xf32>
  %k = npuk.kernel "k0" cpu nodes ["relu0", "relu1"] (%x) : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<4xf32>):
    %0 = npu.relu %a : tensor<4xf32>
    %1 = npu.relu %0 : tensor<4xf32>
    npuk.yield %1 : tensor<4xf32>
  }
  // CHECK: npuk.call_cpu @cpu000(%[[K]]) : (tensor<4xf32>) -> tensor<4xf32>
  %c = npuk.call_cpu @cpu000(%k) : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: npuk.launch @cpu000(%{{.*}}) cores(2) : (tensor<4xf32>) -> tensor<4xf32>
  %l = npuk.launch @cpu000(%c) cores(2) : (tensor<4xf32>) -> tensor<4xf32>
  return %l : tensor<4xf32>
}
