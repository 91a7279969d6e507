// RUN: npu-opt %s --npuk-outline --npuk-plan-gm | FileCheck %s
// RUN: npu-opt %s --npuk-outline --npuk-plan-gm=align=64 | FileCheck %s --check-prefix=A64

// Kernels become functions called by the schedule. Inputs and outputs get
// regions of their own from address `align` on; intermediates reuse freed
// space, but never a live operand's: t1 (read by k2) cannot take t0's
// space while k1 reads t0, and t2 reuses t0's once t0 is dead.
// CHECK: module attributes {npuk.gm_bytes = 20480 : i64}
// CHECK-LABEL: func.func @main(%arg0: tensor<1024xf32> {npuk.gm = [4096, 4096]})
// CHECK-SAME: -> tensor<1024xf32>
// CHECK: %[[T0:.*]] = npuk.call_cpu @cpu000(%arg0) {npuk.gm = {{\[}}[12288, 4096]]}
// CHECK: %[[T1:.*]] = npuk.launch @k000(%[[T0]]) cores(1) {npuk.gm = {{\[}}[16384, 4096]]}
// CHECK: %[[T2:.*]] = npuk.call_cpu @cpu001(%[[T1]]) {npuk.gm = {{\[}}[12288, 4096]]}
// CHECK: %[[T3:.*]] = npuk.call_cpu @cpu002(%[[T2]], %[[T1]]) {npuk.gm = {{\[}}[8192, 4096]]}
// CHECK: return %[[T3]]
// CHECK: func.func private @cpu000(%{{.*}}: tensor<1024xf32>) -> tensor<1024xf32> attributes {npuk.kind = "cpu", npuk.nodes = ["a"]}
// CHECK: func.func private @k000({{.*}} attributes {npuk.kind = "vector", npuk.nodes = ["b"]}
// A64: %arg0: tensor<1024xf32> {npuk.gm = [64, 4096]}
module {
func.func @main(%x: tensor<1024xf32>) -> tensor<1024xf32> {
  %t0 = npuk.kernel "cpu000" cpu nodes ["a"] (%x) : (tensor<1024xf32>) -> tensor<1024xf32> {
  ^bb0(%a: tensor<1024xf32>):
    %0 = npu.relu %a : tensor<1024xf32>
    npuk.yield %0 : tensor<1024xf32>
  }
  %t1 = npuk.kernel "k000" vector nodes ["b"] (%t0) : (tensor<1024xf32>) -> tensor<1024xf32> {
  ^bb0(%a: tensor<1024xf32>):
    %0 = npu.neg %a : tensor<1024xf32>
    npuk.yield %0 : tensor<1024xf32>
  }
  %t2 = npuk.kernel "cpu001" cpu nodes ["c"] (%t1) : (tensor<1024xf32>) -> tensor<1024xf32> {
  ^bb0(%a: tensor<1024xf32>):
    %0 = npu.exp %a : tensor<1024xf32>
    npuk.yield %0 : tensor<1024xf32>
  }
  %t3 = npuk.kernel "cpu002" cpu nodes ["d"] (%t2, %t1) : (tensor<1024xf32>, tensor<1024xf32>) -> tensor<1024xf32> {
  ^bb0(%a: tensor<1024xf32>, %b: tensor<1024xf32>):
    %0 = npu.add %a, %b : tensor<1024xf32>, tensor<1024xf32> -> tensor<1024xf32>
    npuk.yield %0 : tensor<1024xf32>
  }
  return %t3 : tensor<1024xf32>
}
}
