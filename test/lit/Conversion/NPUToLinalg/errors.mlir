// RUN: npu-opt %s -convert-npu-to-linalg -split-input-file -verify-diagnostics

// The lowering needs static shapes; the error names the op at its location
// (for imported models, the ONNX node).
func.func @dynamic_relu(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'npu.relu' op cannot be lowered to linalg: dynamic shapes are not supported}}
  %0 = npu.relu %x : tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// -----

func.func @dynamic_result(%x: tensor<2x?xf32>, %y: tensor<2x?xf32>) -> tensor<2x?xf32> {
  // expected-error @+1 {{'npu.add' op cannot be lowered to linalg: dynamic shapes are not supported}}
  %0 = npu.add %x, %y : tensor<2x?xf32>, tensor<2x?xf32> -> tensor<2x?xf32>
  return %0 : tensor<2x?xf32>
}
