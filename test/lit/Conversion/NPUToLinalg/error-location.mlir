// RUN: not npu-opt %s -convert-npu-to-linalg 2>&1 | FileCheck %s

// Diagnostics point at the op's location, which the importer sets to the
// ONNX node name.
// CHECK: error: loc("Relu_3"): 'npu.relu' op cannot be lowered to linalg: dynamic shapes are not supported
func.func @dynamic_relu(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %0 = npu.relu %x : tensor<?x4xf32> loc("Relu_3")
  return %0 : tensor<?x4xf32>
}
