// RUN: npu-opt %s --npuk-partition | FileCheck %s
// RUN: npu-opt %s --npuk-partition=force-cpu=r1 | FileCheck %s --check-prefix=FORCED
// RUN: not npu-opt %s --npuk-partition=no-fallback 2>&1 | FileCheck %s --check-prefix=NOFB

// Every op of @main gets a placement; constants follow their users.
// CHECK-LABEL: func.func @main
// CHECK: npu.constant
// CHECK-NOT: npuk.placement
// CHECK-SAME: tensor<4xf32>
// CHECK: npu.add {{.*}}npuk.placement = {code = "cpu.no_lowering", on = "cpu", text = "the NPU backend has no lowering for npu.add yet"}
// CHECK: npu.relu {{.*}}npuk.placement = {code = "cpu.no_lowering"
// FORCED: npu.relu {{.*}}npuk.placement = {code = "cpu.forced", on = "cpu", text = "kept on the CPU by --npu-force-cpu"}
// With no-fallback, each op that cannot run on the NPU is an error at its
// location (the ONNX node).
// NOFB: error: loc("a1"): cannot run on the NPU: the NPU backend has no lowering for npu.add yet
// NOFB: error: loc("r1"): cannot run on the NPU: the NPU backend has no lowering for npu.relu yet
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c = npu.constant dense<1.0> : tensor<4xf32>
  %0 = npu.add %x, %c : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32> loc("a1")
  %1 = npu.relu %0 : tensor<4xf32> loc("r1")
  return %1 : tensor<4xf32>
}
