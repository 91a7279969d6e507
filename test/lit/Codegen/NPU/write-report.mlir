// RUN: npu-opt %s --npuk-outline --npuk-plan-gm --npuk-write-report | FileCheck %s

// Every ONNX node once: placed nodes name their kernel and reason, a node
// that left no op behind is folded at import.
// CHECK: "kernels": [
// CHECK: "kind": "cpu",
// CHECK-NEXT: "name": "cpu000",
// CHECK-NEXT: "nodes": [
// CHECK-NEXT: "r"
// CHECK: "nodes": [
// CHECK: "name": "id",
// CHECK-NEXT: "op": "Identity",
// CHECK-NEXT: "placement": "none",
// CHECK-NEXT: "reason": {
// CHECK-NEXT: "code": "folded.import",
// CHECK: "kernel": "cpu000",
// CHECK-NEXT: "name": "r",
// CHECK-NEXT: "op": "Relu",
// CHECK-NEXT: "placement": "cpu",
// CHECK-NEXT: "reason": {
// CHECK-NEXT: "code": "cpu.no_lowering",
// CHECK: "schema": "npu-report/1",
// CHECK: "summary": {
// CHECK-NEXT: "cpu_parts": 1,
// CHECK-NEXT: "folded_nodes": 1,
// CHECK-NEXT: "npu_kernels": 0
module attributes {npu.onnx_nodes = [["id", "Identity"], ["r", "Relu"]]} {
  func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
    %k = npuk.kernel "cpu000" cpu nodes ["r"] (%x) : (tensor<4xf32>) -> tensor<4xf32> {
    ^bb0(%a: tensor<4xf32>):
      %0 = npu.relu %a {npuk.placement = {on = "cpu", code = "cpu.no_lowering", text = "t"}} : tensor<4xf32> loc("r")
      npuk.yield %0 : tensor<4xf32>
    }
    return %k : tensor<4xf32>
  }
}
