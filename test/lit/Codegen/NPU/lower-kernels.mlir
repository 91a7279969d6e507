// RUN: npu-opt %s --split-input-file --npuk-lower-kernels -verify-diagnostics | FileCheck %s

// A planned cube kernel (npuk.matmul at GM plan addresses) becomes an
// npuk.device_kernel holding one aicore.program: 600 columns are 19 output
// tiles of 32 (the plan narrows tiles to cover the cores), so the launch takes 19 cores; the bias goes through
// mmad_bias and the ReLU through FIX; every GM region it touches is
// declared at its plan address.
// CHECK-LABEL: func.func @main
// CHECK: npuk.launch @k000(%arg0, %{{.*}}, %{{.*}}) cores(19)
// CHECK: npuk.device_kernel @k000 cube nodes ["mm"] : (tensor<2x64xf16>, tensor<4x38x16x16xf16>, tensor<600xf32>) -> tensor<2x600xf16> attributes {npuk.reasons = [{code = "npu.cube.matmul", node = "mm", text = "t"}]} {
// CHECK-NEXT: aicore.program cores(19)
// CHECK-DAG: aicore.gm @a, {{[0-9]+}} at 4096
// CHECK-DAG: aicore.gm @b, {{[0-9]+}} at 12288
// CHECK-DAG: aicore.gm @bias, 2432 at 323584
// CHECK-DAG: aicore.gm @c, {{[0-9]+}} at 8192
// CHECK: aicore.mmad_bias
// CHECK: aicore.fix_gm f16 f32 {{.*}}relu = 1
// CHECK-NOT: func.func private @k000
module attributes {npuk.gm_bytes = 327680 : i64} {
  func.func @main(%arg0: tensor<2x64xf16> {npuk.gm = [4096, 256]}) -> tensor<2x600xf16> {
    %w = npu.constant {npuk.gm = [12288, 311296]} dense<0.0> : tensor<4x38x16x16xf16>
    %b = npu.constant {npuk.gm = [323584, 2400]} dense<1.0> : tensor<600xf32>
    %0 = npuk.launch @k000(%arg0, %w, %b) cores(1) {npuk.gm = [[8192, 2400]]} : (tensor<2x64xf16>, tensor<4x38x16x16xf16>, tensor<600xf32>) -> tensor<2x600xf16>
    return %0 : tensor<2x600xf16>
  }
  func.func private @k000(%a: tensor<2x64xf16>, %w: tensor<4x38x16x16xf16>, %b: tensor<600xf32>) -> tensor<2x600xf16> attributes {npuk.kind = "cube", npuk.nodes = ["mm"]} {
    %0 = npuk.matmul %a, %w, %b {n = 600, relu, npuk.placement = {on = "npu", code = "npu.cube.matmul", text = "t"}} : tensor<2x64xf16>, tensor<4x38x16x16xf16>, tensor<600xf32> -> tensor<2x600xf16> loc("mm")
    return %0 : tensor<2x600xf16>
  }
}

// -----

module {
  func.func @main(%arg0: tensor<8xf32> {npuk.gm = [4096, 32]}) -> tensor<8xf32> {
    %0 = npuk.launch @k000(%arg0) cores(1) {npuk.gm = [[8192, 32]]} : (tensor<8xf32>) -> tensor<8xf32>
    return %0 : tensor<8xf32>
  }
  // expected-error @below {{NPU kernel 'k000' holds 'npu.add', which has no NPU lowering yet}}
  func.func private @k000(%a: tensor<8xf32>) -> tensor<8xf32> attributes {npuk.kind = "vector", npuk.nodes = []} {
    %0 = npu.add %a, %a : tensor<8xf32>, tensor<8xf32> -> tensor<8xf32>
    return %0 : tensor<8xf32>
  }
}
