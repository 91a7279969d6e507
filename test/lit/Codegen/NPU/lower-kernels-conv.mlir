// RUN: npu-opt %s --npuk-outline --npuk-plan-gm --npuk-lower-kernels | FileCheck %s
// RUN: npu-opt %s --npuk-outline --npuk-plan-gm --npuk-lower-kernels=tune-plans=1 | FileCheck %s --check-prefix=ONE
// RUN: npu-opt %s --npuk-outline --npuk-plan-gm --npuk-lower-kernels=config=dv-a2 | FileCheck %s --check-prefix=A2

// An npuk.conv2d kernel becomes a conv tile kernel at its GM plan
// addresses: the nc1hwc0 band is copied to L1, set_fmap describes it,
// load3d feeds L0A, and FIX writes each 16-channel block (relu) of the
// nc1hwc0 result. The tile plan (npuk.plan) comes from the cost model,
// which ranks every plan that fits; the best three are lowered and timed
// on the simulator with the best plan that streams the band in channel
// groups (timed = 4), and the fastest is kept. Here both convs are small, so
// one-fractal tiles over many cores win: 3x3 pad 1 on 8x8 with 2 output
// channel fractals = 4 row tiles (2 rows, 16 pixels) x 2 N tiles = 8
// blocks on 8 cores; the 2-image 16x16 conv fills all 32 cores. dv-a2
// (24 cores, no L2) keeps fewer.
// CHECK-LABEL: func.func @main
// CHECK: npuk.launch @k000(%arg0, %arg1, %arg2) cores(8)
// CHECK: npuk.launch @k001(%arg3, %arg4) cores(32)
// CHECK: npuk.device_kernel @k000 cube nodes ["conv"]
// CHECK-SAME: npuk.plan = {band_groups = 2 : i64, bound = "{{[A-Za-z0-9]+}}", candidates = {{[0-9]+}} : i64, cores = 8 : i64, estimated_cycles = {{[0-9]+}} : i64, kf = {{[0-9]+}} : i64, measured_cycles = {{[0-9]+}} : i64, mf = 1 : i64, n_per_block = {{[0-9]+}} : i64, nf = 1 : i64, stages = {{[23]}} : i64, timed = 4 : i64, weights_resident = true}
// CHECK: aicore.program cores(8)
// CHECK-DAG: aicore.gm @a, 4096 at 4096
// CHECK-DAG: aicore.gm @b, 18432 at 8192
// CHECK-DAG: aicore.gm @bias, 128 at
// The timed winner streams the band: the bias and the resident weights
// (in pieces of 3 of their 18 K rows, 2 x 512 bytes each) are copied
// first, then each tile copies its band one channel plane at a time and
// describes that plane with set_fmap.
// CHECK: aicore.copy_gm_l1 {{.*}} nburst = 1, burstlen = 4, srcstride = 0, dststride = 0
// CHECK-COUNT-6: aicore.copy_gm_l1 {{.*}} nburst = 1, burstlen = 96, srcstride = 0, dststride = 0
// CHECK: aicore.copy_gm_l1 {{.*}} nburst = 1, burstlen = {{24|32}}, srcstride = 64
// CHECK: aicore.set_fmap h = 3, w = 8, c1 = 1, padtop = 1, padbottom = 0, padleft = 1, padright = 1
// CHECK: aicore.load3d f16 {{.*}} kh = 3, kw = 3, sh = 1, sw = 1, dh = 1, dw = 1, mfrac = 1
// CHECK: aicore.mmad_bias f16 {{.*}} m = 16, n = 16
// CHECK: aicore.fix_gm f16 f32 {{.*}} m = 16, n = 16, dststride = 16, relu = 1, nz2nd = 0
// CHECK: npuk.device_kernel @k001 cube nodes ["conv2"]
// CHECK: aicore.program cores(32)
// CHECK: aicore.load3d bf16
// CHECK: aicore.mmad bf16 zero
// CHECK: aicore.fix_gm f32 f32 {{.*}} relu = 0
// Untimed: the cost model's best plan as is.
// ONE: npuk.device_kernel @k000
// ONE-SAME: band_groups = 1 : i64
// ONE-SAME: measured_cycles = -1 : i64
// ONE-SAME: timed = 1 : i64
// The whole band is copied once per block (both channel planes in one
// copy, one per band shape) before the resident weights.
// ONE: aicore.copy_gm_l1 {{.*}} nburst = 1, burstlen = 4, srcstride = 0, dststride = 0
// ONE: aicore.copy_gm_l1 {{.*}} nburst = 2, burstlen = {{24|32}}, srcstride = 64
// ONE: aicore.copy_gm_l1 {{.*}} nburst = 1, burstlen = 96, srcstride = 0, dststride = 0
// ONE: aicore.set_fmap h = 3, w = 8, c1 = 2, padtop = 1, padbottom = 0, padleft = 1, padright = 1
// A2: npuk.launch @k000({{.*}}) cores(4)
// A2: npuk.launch @k001({{.*}}) cores(8)
module {
func.func @main(%x: tensor<1x2x8x8x16xf16>, %w: tensor<18x2x16x16xf16>, %b: tensor<20xf32>,
                %x2: tensor<2x1x16x16x16xbf16>, %w2: tensor<9x1x16x16xbf16>) -> (tensor<1x2x8x8x16xf16>, tensor<2x1x16x16x16xf32>) {
  %y = npuk.kernel "k000" cube nodes ["conv"] (%x, %w, %b) : (tensor<1x2x8x8x16xf16>, tensor<18x2x16x16xf16>, tensor<20xf32>) -> tensor<1x2x8x8x16xf16> {
  ^bb0(%a: tensor<1x2x8x8x16xf16>, %c: tensor<18x2x16x16xf16>, %d: tensor<20xf32>):
    %0 = npuk.conv2d %a, %c, %d {o = 20, kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, relu} : tensor<1x2x8x8x16xf16>, tensor<18x2x16x16xf16>, tensor<20xf32> -> tensor<1x2x8x8x16xf16>
    npuk.yield %0 : tensor<1x2x8x8x16xf16>
  }
  %y2 = npuk.kernel "k001" cube nodes ["conv2"] (%x2, %w2) : (tensor<2x1x16x16x16xbf16>, tensor<9x1x16x16xbf16>) -> tensor<2x1x16x16x16xf32> {
  ^bb0(%a: tensor<2x1x16x16x16xbf16>, %c: tensor<9x1x16x16xbf16>):
    %0 = npuk.conv2d %a, %c {o = 16, kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>} : tensor<2x1x16x16x16xbf16>, tensor<9x1x16x16xbf16> -> tensor<2x1x16x16x16xf32>
    npuk.yield %0 : tensor<2x1x16x16x16xf32>
  }
  return %y, %y2 : tensor<1x2x8x8x16xf16>, tensor<2x1x16x16x16xf32>
}
}
