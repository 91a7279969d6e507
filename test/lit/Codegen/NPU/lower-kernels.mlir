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

// A vector kernel: its chain (a scalar constant becomes an immediate)
// runs flat over the planned buffers; 1000 f16 values = 2000 bytes, read
// and written up to 2016 (the next 32 B, inside the 4 KiB aligned plan):
// one tile (smaller tiles than 2 KiB are not worth a core), one core. The
// report reasons list every node of the chain.
// CHECK-LABEL: func.func @main
// CHECK: npuk.launch @k000(%arg0, %arg1) cores(1)
// CHECK: npuk.device_kernel @k000 vector nodes ["add", "relu"] {{.*}} attributes {npuk.fusion_log = [{code = "fused.vector_chain", decision = "fused", node = "relu", text = "t"}], npuk.reasons = [{code = "npu.vector.eltwise", node = "add", text = "a"}, {code = "npu.vector.eltwise", node = "scale", text = "s"}, {code = "npu.vector.eltwise", node = "relu", text = "r"}]} {
// CHECK-NEXT: aicore.program cores(1)
// CHECK-DAG: aicore.gm @in0, 2016 at 4096
// CHECK-DAG: aicore.gm @in1, 2016 at 8192
// CHECK-DAG: aicore.gm @out0, 2016 at 12288
// CHECK: aicore.copy_gm_ub {{.*}} nburst = 1, burstlen = 63,
// CHECK: aicore.vadd f16 {{.*}} repeat = 8,
// CHECK: aicore.vmuls f16 {{.*}} 5.000000e-01
// CHECK: aicore.vrelu f16
// CHECK: aicore.copy_ub_gm {{.*}} nburst = 1, burstlen = 63,
module {
  func.func @main(%arg0: tensor<1000xf16> {npuk.gm = [4096, 2000]}, %arg1: tensor<1000xf16> {npuk.gm = [8192, 2000]}) -> tensor<1000xf16> {
    %0 = npuk.launch @k000(%arg0, %arg1) cores(1) {npuk.gm = [[12288, 2000]]} : (tensor<1000xf16>, tensor<1000xf16>) -> tensor<1000xf16>
    return %0 : tensor<1000xf16>
  }
  func.func private @k000(%a: tensor<1000xf16>, %b: tensor<1000xf16>) -> tensor<1000xf16> attributes {npuk.kind = "vector", npuk.nodes = ["add", "relu"], npuk.fusion_log = [{node = "relu", decision = "fused", code = "fused.vector_chain", text = "t"}]} {
    %h = npu.constant dense<0.5> : tensor<1xf16>
    %0 = npu.add %a, %b {npuk.placement = {on = "npu", code = "npu.vector.eltwise", text = "a"}} : tensor<1000xf16>, tensor<1000xf16> -> tensor<1000xf16> loc("add")
    %1 = npu.mul %0, %h {npuk.placement = {on = "npu", code = "npu.vector.eltwise", text = "s"}} : tensor<1000xf16>, tensor<1xf16> -> tensor<1000xf16> loc("scale")
    %2 = npu.relu %1 {npuk.placement = {on = "npu", code = "npu.vector.eltwise", text = "r"}} : tensor<1000xf16> loc("relu")
    return %2 : tensor<1000xf16>
  }
}

// -----

// Vector kernels the chain builder cannot take are errors naming why.
module {
  func.func @main(%arg0: tensor<8xf32> {npuk.gm = [4096, 32]}) -> tensor<8xf32> {
    %0 = npuk.launch @k000(%arg0) cores(1) {npuk.gm = [[8192, 32]]} : (tensor<8xf32>) -> tensor<8xf32>
    return %0 : tensor<8xf32>
  }
  func.func private @k000(%a: tensor<8xf32>) -> tensor<8xf32> attributes {npuk.kind = "vector", npuk.nodes = []} {
    // expected-error @below {{vector kernel 'k000': the vector unit has no lowering for npu.exp yet}}
    %0 = npu.exp %a : tensor<8xf32>
    return %0 : tensor<8xf32>
  }
}

// -----

module {
  func.func @main(%arg0: tensor<8xf32> {npuk.gm = [4096, 32]}, %arg1: tensor<16xf32> {npuk.gm = [8192, 64]}) -> tensor<16xf32> {
    %0 = npuk.launch @k000(%arg0, %arg1) cores(1) {npuk.gm = [[12288, 64]]} : (tensor<8xf32>, tensor<16xf32>) -> tensor<16xf32>
    return %0 : tensor<16xf32>
  }
  func.func private @k000(%a: tensor<8xf32>, %b: tensor<16xf32>) -> tensor<16xf32> attributes {npuk.kind = "vector", npuk.nodes = []} {
    %0 = npu.relu %a : tensor<8xf32>
    // expected-error @below {{vector kernel 'k000': mixes iteration spaces ('tensor<16xf32>' and 'tensor<8xf32>')}}
    %1 = npu.relu %b : tensor<16xf32>
    return %1 : tensor<16xf32>
  }
}
