// RUN: npu-opt %s -split-input-file -verify-diagnostics \
// RUN:   -npu-debug-perturb='node=relu1 delta=1.5' | FileCheck %s

// The DEBUG-ONLY deliberate miscompile: the float output of the node named
// relu1 is shifted by delta before any other node reads it; other nodes and
// constants of the same name are left alone.
// CHECK-LABEL: func @chain
// CHECK: %[[R:.*]] = npu.relu %arg0
// CHECK-NEXT: %[[C:.*]] = npu.constant dense<1.500000e+00> : tensor<2x3xf32>
// CHECK-NEXT: %[[P:.*]] = npu.add %[[R]], %[[C]]
// CHECK-NEXT: %[[T:.*]] = npu.tanh %[[P]]
// CHECK-NEXT: return %[[T]], %[[P]]
func.func @chain(%arg0: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %r = npu.relu %arg0 : tensor<2x3xf32> loc(fused<"Relu">["relu1"("m.onnx":0:0)])
  %t = npu.tanh %r : tensor<2x3xf32> loc(fused<"Tanh">["tanh1"("m.onnx":0:0)])
  return %t, %r : tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// A node lowered to several npu ops: only the value leaving the node is
// perturbed, the one used inside it is not. Dynamic shapes get a scalar.
// CHECK-LABEL: func @multi_op_node
// CHECK: %[[A:.*]] = npu.relu %arg0
// CHECK-NEXT: %[[B:.*]] = npu.tanh %[[A]]
// CHECK-NEXT: %[[C:.*]] = npu.constant dense<1.500000e+00> : tensor<f32>
// CHECK-NEXT: %[[P:.*]] = npu.add %[[B]], %[[C]] : tensor<?x3xf32>, tensor<f32> -> tensor<?x3xf32>
// CHECK-NEXT: return %[[P]]
func.func @multi_op_node(%arg0: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %a = npu.relu %arg0 : tensor<?x3xf32> loc(fused<"Foo">["relu1"("m.onnx":0:0)])
  %b = npu.tanh %a : tensor<?x3xf32> loc(fused<"Foo">["relu1"("m.onnx":0:0)])
  return %b : tensor<?x3xf32>
}

// -----

// expected-error @+1 {{npu-debug-perturb: no floating-point output of node 'relu1' found}}
module {
  func.func @absent(%arg0: tensor<2xf32>) -> tensor<2xf32> {
    %t = npu.tanh %arg0 : tensor<2xf32> loc(fused<"Tanh">["tanh1"("m.onnx":0:0)])
    return %t : tensor<2xf32>
  }
}
