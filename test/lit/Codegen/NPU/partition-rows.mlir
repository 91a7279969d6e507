// RUN: npu-opt %s --split-input-file --npuk-partition=kernels=matmul,vector | FileCheck %s
// RUN: npu-opt %s --split-input-file --npuk-partition=kernels=matmul,vector --npuk-assign-layouts --canonicalize --npuk-form-kernels | FileCheck %s --check-prefix=FORM

// BERT's block tail: a residual add after a matmul fuses into the layer
// norm's kernel (one kernel, the sum stays in UB); the softmax after it is
// its own kernel. gamma and beta become f16 GM operands.
// CHECK-LABEL: func.func @main
// CHECK: npu.matmul {{.*}}code = "npu.cube.matmul"
// CHECK: npu.add {{.*}}code = "npu.vector.eltwise"
// CHECK: npu.layer_norm {{.*}}code = "npu.vector.layer_norm", on = "npu", text = "layer norm over rows of 64 on the vector unit (fp32 statistics in UB)"
// CHECK: npu.softmax {{.*}}code = "npu.vector.softmax", on = "npu", text = "softmax over rows of 64 on the vector unit (fp32 statistics in UB)"
// FORM-LABEL: func.func @main
// FORM-DAG: %[[B:.*]] = npu.constant dense<5.000000e-01> : tensor<64xf16>
// FORM-DAG: %[[G:.*]] = npu.constant dense<1.500000e+00> : tensor<64xf16>
// FORM: %[[MM:.*]] = npuk.kernel "k000" cube
// FORM: %[[LN:.*]] = npuk.kernel "k001" vector nodes ["res", "ln"](%[[MM]], %{{.*}}, %[[G]], %[[B]]) {npuk.fusion_log = [{code = "fused.residual_add", decision = "fused", node = "ln", text = "the residual add runs as the layer norm's prologue (one kernel, the sum stays in UB in fp32)"}, {code = "rej.row_kernel", decision = "rejected", node = "sm", text = "row kernels (softmax, layer norm) take no elementwise ops except a residual add before a layer norm"}]}
// FORM-NEXT: ^bb0(%[[X:.*]]: tensor<8x64xf16>, %[[R:.*]]: tensor<8x64xf16>, %[[GA:.*]]: tensor<64xf16>, %[[BA:.*]]: tensor<64xf16>):
// FORM-NEXT: %[[S:.*]] = npu.add %[[X]], %[[R]]
// FORM-NEXT: %[[N:.*]] = npu.layer_norm %[[S]], %[[GA]], %[[BA]]
// FORM-NEXT: npuk.yield %[[N]]
// FORM: npuk.kernel "k002" vector nodes ["sm"](%[[LN]])
// FORM-NEXT: ^bb0
// FORM-NEXT: npu.softmax
func.func @main(%x: tensor<8x64xf32>, %r: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %w = npu.constant dense<0.1> : tensor<64x64xf32>
  %gamma = npu.constant dense<1.5> : tensor<64xf32>
  %beta = npu.constant dense<0.5> : tensor<64xf32>
  %0 = npu.matmul %x, %w : tensor<8x64xf32>, tensor<64x64xf32> -> tensor<8x64xf32> loc("mm")
  %1 = npu.add %0, %r : tensor<8x64xf32>, tensor<8x64xf32> -> tensor<8x64xf32> loc("res")
  %2 = npu.layer_norm %1, %gamma, %beta {axis = 1 : i64, epsilon = 1.0e-5 : f64} : (tensor<8x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<8x64xf32> loc("ln")
  %3 = npu.softmax %2 {axis = 1 : i64} : tensor<8x64xf32> loc("sm")
  return %3 : tensor<8x64xf32>
}

// -----

// A residual add whose sum is also a graph result stays its own kernel.
// A softmax fed by the host still runs on the NPU (island policy: ND rows
// need no layout change). Rejections, each with its code.
// CHECK-LABEL: func.func @main
// CHECK: npu.layer_norm {{.*}}code = "npu.vector.layer_norm"
// CHECK: npu.softmax {{.*}}code = "npu.vector.softmax", on = "npu", text = "softmax over rows of 64 on the vector unit (fp32 statistics in UB); input from a host part: ND rows need no layout change, the host only casts"
// CHECK: npu.softmax {{.*}}code = "cpu.axis", on = "cpu", text = "softmax over axis 0 of a rank-2 tensor: the row kernel reduces the last axis only"
// CHECK: npu.layer_norm {{.*}}code = "cpu.operand", on = "cpu", text = "layer norm's scale and bias must be constants of the row length"
// CHECK: npu.layer_norm {{.*}}code = "cpu.row_align", on = "cpu", text = "layer norm rows of 100 elements are not 32 B aligned in fp16 (gamma would need 4 shifted copies, not implemented)"
// CHECK: npu.softmax {{.*}}code = "cpu.ub_budget", on = "cpu", text = "softmax: 1 row(s) of 40000 elements need 480544 bytes of UB (in 2 x 80000, out 2 x 80000, x 160000, acc 256, stat 256, bcast 32), 316704 over the budget of 163840"
// FORM-LABEL: func.func @main
// FORM: npuk.kernel "k001" vector nodes ["res2"]({{.*}}) {npuk.fusion_log = [{code = "rej.multi_use", decision = "rejected", node = "ln2", text = "the add's result is used besides the layer norm's input"}]}
// FORM: npuk.kernel "k002" vector nodes ["ln2"]
// FORM: npuk.kernel "k003" vector nodes ["island"]
func.func @main(%x: tensor<8x64xf32>, %r: tensor<8x64xf32>, %g: tensor<64xf32>, %s: tensor<4x8xf32>, %h: tensor<2x100xf32>, %long: tensor<1x40000xf32>) -> (tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>, tensor<4x8xf32>, tensor<8x64xf32>, tensor<2x100xf32>, tensor<1x40000xf32>) {
  %w = npu.constant dense<0.1> : tensor<64x64xf32>
  %gamma = npu.constant dense<1.5> : tensor<64xf32>
  %g100 = npu.constant dense<1.5> : tensor<100xf32>
  %0 = npu.matmul %x, %w : tensor<8x64xf32>, tensor<64x64xf32> -> tensor<8x64xf32> loc("mm")
  %1 = npu.add %0, %r : tensor<8x64xf32>, tensor<8x64xf32> -> tensor<8x64xf32> loc("res2")
  %2 = npu.layer_norm %1, %gamma {axis = 1 : i64, epsilon = 1.0e-5 : f64} : (tensor<8x64xf32>, tensor<64xf32>) -> tensor<8x64xf32> loc("ln2")
  %3 = npu.softmax %x {axis = 1 : i64} : tensor<8x64xf32> loc("island")
  %4 = npu.softmax %s {axis = 0 : i64} : tensor<4x8xf32> loc("axis0")
  %5 = npu.layer_norm %x, %g {axis = 1 : i64, epsilon = 1.0e-5 : f64} : (tensor<8x64xf32>, tensor<64xf32>) -> tensor<8x64xf32> loc("gamma_arg")
  %6 = npu.layer_norm %h, %g100 {axis = 1 : i64, epsilon = 1.0e-5 : f64} : (tensor<2x100xf32>, tensor<100xf32>) -> tensor<2x100xf32> loc("ragged")
  %7 = npu.softmax %long {axis = 1 : i64} : tensor<1x40000xf32> loc("long")
  return %1, %2, %3, %4, %5, %6, %7 : tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>, tensor<4x8xf32>, tensor<8x64xf32>, tensor<2x100xf32>, tensor<1x40000xf32>
}
