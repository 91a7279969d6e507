// RUN: npu-opt %s --npuk-partition=kernels=conv,vector --npuk-assign-layouts --canonicalize | FileCheck %s --check-prefix=LAYOUT
// RUN: npu-opt %s --npuk-partition=kernels=conv,vector --npuk-assign-layouts --canonicalize --npuk-form-kernels | FileCheck %s --check-prefix=FORM
// RUN: npu-opt %s --npu-device-graph="kernels=conv,vector" --npuk-write-report -o /dev/null | FileCheck %s --check-prefix=REPORT

// Two ResNet basic-block tails, relu(conv + identity), between convs.
//
// Layouts: the vector ops run on the convs' nc1hwc0 f16 outputs directly
// (the host conversions cancel), so the only host conversions left are at
// the graph's input and output.
// LAYOUT-LABEL: func.func @main
// LAYOUT: %[[C1:.*]] = npuk.conv2d {{.*}} -> tensor<1x1x8x8x16xf16>
// LAYOUT: %[[C2:.*]] = npuk.conv2d %[[C1]]
// LAYOUT-NEXT: %[[A:.*]] = npu.add %[[C2]], %[[C1]] {{.*}}code = "npu.vector.eltwise"{{.*}} : tensor<1x1x8x8x16xf16>, tensor<1x1x8x8x16xf16> -> tensor<1x1x8x8x16xf16>
// LAYOUT-NEXT: %[[R:.*]] = npu.relu %[[A]] {{.*}} : tensor<1x1x8x8x16xf16>
// LAYOUT-NEXT: %[[C3:.*]] = npuk.conv2d %[[R]]
// LAYOUT-NEXT: %[[A2:.*]] = npu.add %[[C3]], %[[R]]
// LAYOUT-NEXT: %[[R2:.*]] = npu.relu %[[A2]]
// LAYOUT-NEXT: npuk.conv2d %[[R2]]
// LAYOUT-NEXT: npuk.convert {{.*}} <nc1hwc0> -> <nchw>
// LAYOUT-NEXT: return
//
// Kernels: each add + relu is one vector kernel; the second add cannot
// join the first chain (it reads conv c3, which reads that chain), and the
// kernel's fusion log says so.
// FORM-LABEL: func.func @main
// FORM: %[[K2:.*]] = npuk.kernel "k002" vector nodes ["add", "r2"]({{.*}}) {npuk.fusion_log = [{code = "fused.vector_chain", decision = "fused", node = "r2", text = "extends the elementwise chain of its producer (same iteration space, data stays in UB)"}, {code = "rej.cycle", decision = "rejected", node = "add2", text = "another operand depends on this kernel through other kernels"}]}
// FORM-NEXT: ^bb0(%[[X:.*]]: tensor<1x1x8x8x16xf16>, %[[Y:.*]]: tensor<1x1x8x8x16xf16>):
// FORM-NEXT: %[[S:.*]] = npu.add %[[X]], %[[Y]]
// FORM-NEXT: %[[T:.*]] = npu.relu %[[S]]
// FORM-NEXT: npuk.yield %[[T]]
// FORM: npuk.kernel "k003" cube nodes ["c3"](%[[K2]]
// FORM: npuk.kernel "k004" vector nodes ["add2", "r3"]
//
// Report: every node with its kernel and reason, the kernel's fusion log.
// REPORT: "fusion_log": [
// REPORT-NEXT: {
// REPORT-NEXT: "code": "fused.vector_chain",
// REPORT-NEXT: "decision": "fused",
// REPORT-NEXT: "node": "r2",
// REPORT: "code": "rej.cycle",
// REPORT-NEXT: "decision": "rejected",
// REPORT-NEXT: "node": "add2",
// REPORT: "kind": "vector",
// REPORT-NEXT: "name": "k002",
// REPORT-NEXT: "nodes": [
// REPORT-NEXT: "add",
// REPORT-NEXT: "r2"
// REPORT: "kernel": "k002",
// REPORT-NEXT: "name": "add",
// REPORT-NEXT: "op": "Add",
// REPORT-NEXT: "placement": "npu",
// REPORT-NEXT: "reason": {
// REPORT-NEXT: "code": "npu.vector.eltwise",
// REPORT: "kernel": "k002",
// REPORT-NEXT: "name": "r2",
// REPORT-NEXT: "op": "Relu",
// REPORT-NEXT: "placement": "npu",
// REPORT-NEXT: "reason": {
// REPORT-NEXT: "code": "npu.vector.eltwise",
// REPORT: "summary": {
// REPORT-NEXT: "cpu_parts": 2,
// REPORT-NEXT: "folded_nodes": 0,
// REPORT-NEXT: "npu_kernels": 6
module attributes {npu.onnx_nodes = [["c1", "Conv"], ["r1", "Relu"], ["c2", "Conv"], ["add", "Add"], ["r2", "Relu"], ["c3", "Conv"], ["add2", "Add"], ["r3", "Relu"], ["c4", "Conv"]]} {
func.func @main(%x: tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32> {
  %w = npu.constant dense<0.1> : tensor<16x16x3x3xf32>
  %0 = npu.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x16x8x8xf32>, tensor<16x16x3x3xf32>) -> tensor<1x16x8x8xf32> loc("c1")
  %1 = npu.relu %0 : tensor<1x16x8x8xf32> loc("r1")
  %2 = npu.conv %1, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x16x8x8xf32>, tensor<16x16x3x3xf32>) -> tensor<1x16x8x8xf32> loc("c2")
  %3 = npu.add %2, %1 : tensor<1x16x8x8xf32>, tensor<1x16x8x8xf32> -> tensor<1x16x8x8xf32> loc("add")
  %4 = npu.relu %3 : tensor<1x16x8x8xf32> loc("r2")
  %5 = npu.conv %4, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x16x8x8xf32>, tensor<16x16x3x3xf32>) -> tensor<1x16x8x8xf32> loc("c3")
  %6 = npu.add %5, %4 : tensor<1x16x8x8xf32>, tensor<1x16x8x8xf32> -> tensor<1x16x8x8xf32> loc("add2")
  %7 = npu.relu %6 : tensor<1x16x8x8xf32> loc("r3")
  %8 = npu.conv %7, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x16x8x8xf32>, tensor<16x16x3x3xf32>) -> tensor<1x16x8x8xf32> loc("c4")
  return %8 : tensor<1x16x8x8xf32>
}
}
