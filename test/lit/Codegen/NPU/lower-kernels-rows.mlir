// RUN: npu-opt %s --split-input-file --npuk-outline --npuk-plan-gm --npuk-lower-kernels -verify-diagnostics | FileCheck %s

// A residual add + layer norm kernel becomes one vector device kernel:
// the rows in f16 are converted to fp32 in UB, reduced (vadd windows, then
// vcadd), broadcast per row (vcadd with a one-lane mask), normalized and
// converted back; gamma and beta are GM operands at their plan addresses.
// CHECK-LABEL: func.func @main
// CHECK: npuk.launch @k000({{.*}}) cores(4)
// CHECK: npuk.device_kernel @k000 vector nodes ["res", "ln"]
// CHECK-SAME: npuk.reasons = [{code = "npu.vector.eltwise", node = "res", text = "a"}, {code = "npu.vector.layer_norm", node = "ln", text = "b"}]
// CHECK-NEXT: aicore.program cores(4)
// CHECK-DAG: aicore.gm @x,
// CHECK-DAG: aicore.gm @res,
// CHECK-DAG: aicore.gm @gamma,
// CHECK-DAG: aicore.gm @beta,
// CHECK-DAG: aicore.gm @y,
// CHECK: aicore.vconv f32 f16
// CHECK: aicore.vcadd
// CHECK: aicore.vsqrt
// CHECK: aicore.vrec
// CHECK: aicore.vconv f16 f32
module {
func.func @main(%x: tensor<4x64xf16>, %r: tensor<4x64xf16>) -> tensor<4x64xf16> {
  %g = npu.constant dense<1.5> : tensor<64xf16>
  %b = npu.constant dense<0.5> : tensor<64xf16>
  %y = npuk.kernel "k000" vector nodes ["res", "ln"] (%x, %r, %g, %b) : (tensor<4x64xf16>, tensor<4x64xf16>, tensor<64xf16>, tensor<64xf16>) -> tensor<4x64xf16> {
  ^bb0(%a: tensor<4x64xf16>, %c: tensor<4x64xf16>, %ga: tensor<64xf16>, %be: tensor<64xf16>):
    %0 = npu.add %a, %c {npuk.placement = {on = "npu", code = "npu.vector.eltwise", text = "a"}} : tensor<4x64xf16>, tensor<4x64xf16> -> tensor<4x64xf16> loc("res")
    %1 = npu.layer_norm %0, %ga, %be {axis = 1 : i64, epsilon = 1.0e-5 : f64, npuk.placement = {on = "npu", code = "npu.vector.layer_norm", text = "b"}} : (tensor<4x64xf16>, tensor<64xf16>, tensor<64xf16>) -> tensor<4x64xf16> loc("ln")
    npuk.yield %1 : tensor<4x64xf16>
  }
  return %y : tensor<4x64xf16>
}
}

// -----

// A row that does not fit UB is an error at the op naming every slot and
// the shortfall.
module {
func.func @main(%x: tensor<2x50000xf16>) -> tensor<2x50000xf16> {
  %y = npuk.kernel "k000" vector nodes ["sm"] (%x) : (tensor<2x50000xf16>) -> tensor<2x50000xf16> {
  ^bb0(%a: tensor<2x50000xf16>):
    // expected-error @below {{row kernel 'k000': 1 row(s) of 50000 elements need 601120 bytes of UB (in 2 x 100096, out 2 x 100096, x 200192, acc 256, stat 256, bcast 32), 437280 over the budget of 163840}}
    %0 = npu.softmax %a {axis = 1 : i64, npuk.placement = {on = "npu", code = "npu.vector.softmax", text = "s"}} : tensor<2x50000xf16>
    npuk.yield %0 : tensor<2x50000xf16>
  }
  return %y : tensor<2x50000xf16>
}
}
