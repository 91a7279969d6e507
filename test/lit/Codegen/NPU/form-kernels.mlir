// RUN: npu-opt %s --split-input-file --npuk-form-kernels | FileCheck %s

// A chain of CPU ops becomes one CPU part; constants are cloned inside and
// the ONNX nodes are listed once each, in order.
// CHECK-LABEL: func.func @main
// CHECK-NEXT: %[[K:.*]] = npuk.kernel "cpu000" cpu nodes ["n1", "n2"](%arg0) : (tensor<4xf32>) -> tensor<4xf32> {
// CHECK-NEXT: ^bb0(%[[A:.*]]: tensor<4xf32>):
// CHECK-NEXT:   %[[C:.*]] = npu.constant
// CHECK-NEXT:   %[[S:.*]] = npu.add %[[A]], %[[C]]
// CHECK-NEXT:   %[[R:.*]] = npu.relu %[[S]]
// CHECK-NEXT:   %[[N:.*]] = npu.neg %[[R]]
// CHECK-NEXT:   npuk.yield %[[N]] : tensor<4xf32>
// CHECK: return %[[K]]
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c = npu.constant dense<1.0> : tensor<4xf32>
  %0 = npu.add %x, %c {npuk.placement = {on = "cpu", code = "c", text = "t"}} : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32> loc(fused<"Add">["n1"])
  %1 = npu.relu %0 {npuk.placement = {on = "cpu", code = "c", text = "t"}} : tensor<4xf32> loc(fused<"Relu">["n2"])
  %2 = npu.neg %1 {npuk.placement = {on = "cpu", code = "c", text = "t"}} : tensor<4xf32> loc(fused<"Relu">["n2"])
  return %2 : tensor<4xf32>
}

// -----

// Groups stay convex: b depends on the NPU op n, which depends on a, so a
// and b cannot share a CPU part (n would have to run in the middle of it).
// c only depends on a and joins a's part.
// CHECK-LABEL: func.func @main
// CHECK: %[[A:.*]]:2 = npuk.kernel "cpu000" cpu nodes ["a", "c"]
// CHECK: %[[N:.*]] = npuk.kernel "k000" vector nodes ["n"](%[[A]]#0)
// CHECK: %[[B:.*]] = npuk.kernel "cpu001" cpu nodes ["b"](%[[N]], %[[A]]#1)
// CHECK: return %[[B]]
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %a = npu.relu %x {npuk.placement = {on = "cpu", code = "c", text = "t"}} : tensor<4xf32> loc("a")
  %n = npu.neg %a {npuk.placement = {on = "npu", code = "c", text = "t"}} : tensor<4xf32> loc("n")
  %c = npu.exp %a {npuk.placement = {on = "cpu", code = "c", text = "t"}} : tensor<4xf32> loc("c")
  %b = npu.add %n, %c {npuk.placement = {on = "cpu", code = "c", text = "t"}} : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32> loc("b")
  return %b : tensor<4xf32>
}

// -----

// Graph outputs that are inputs, constants or returned twice get CPU parts
// that copy them into their own output regions.
// CHECK-LABEL: func.func @main
// CHECK: %[[R:.*]] = npuk.kernel "cpu000" cpu nodes ["r"](%arg0)
// CHECK: %[[I:.*]] = npuk.kernel "cpu001" cpu nodes [](%arg0)
// CHECK-NEXT: ^bb0(%[[A:.*]]: tensor<4xf32>):
// CHECK-NEXT:   npuk.yield %[[A]]
// CHECK: %[[C:.*]] = npuk.kernel "cpu002" cpu nodes []() : () -> tensor<2xf32>
// CHECK-NEXT:   %[[K:.*]] = npu.constant
// CHECK-NEXT:   npuk.yield %[[K]]
// CHECK: %[[D:.*]] = npuk.kernel "cpu003" cpu nodes [](%[[R]])
// CHECK: return %[[R]], %[[I]], %[[C]], %[[D]]
func.func @main(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<2xf32>, tensor<4xf32>) {
  %c = npu.constant dense<2.0> : tensor<2xf32>
  %r = npu.relu %x {npuk.placement = {on = "cpu", code = "c", text = "t"}} : tensor<4xf32> loc("r")
  return %r, %x, %c, %r : tensor<4xf32>, tensor<4xf32>, tensor<2xf32>, tensor<4xf32>
}
