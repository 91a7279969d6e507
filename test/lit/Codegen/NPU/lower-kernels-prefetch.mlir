// RUN: npu-opt %s --npuk-outline --npuk-plan-gm --npuk-lower-kernels=tune-plans=1 | FileCheck %s
// RUN: npu-opt %s --npuk-outline --npuk-plan-gm "--npuk-lower-kernels=tune-plans=1 prefetch=false" | FileCheck %s --check-prefix=OFF
// RUN: npu-opt %s --npuk-outline --npuk-plan-gm "--npuk-lower-kernels=tune-plans=1 config=dv-a2" | FileCheck %s --check-prefix=OFF

// With an L2 (dv-910), a cube kernel prefetches the constant weights of
// the kernels after it (planPrefetch): k000 declares k001's weight and
// bias regions as GM buffers pf<i>, and each of its 32 cores prefetches
// its 32-byte-aligned slice of them after its own first copies: 9216 bytes
// = 32 x 9 blocks; the 64-byte bias is 2 blocks, so cores 0 and 1 take one.
// (k000 has room for that: 3x its cube work at the HBM rate, less its own
// host-written input and weights.)
// The last kernel has nothing to prefetch, and nobody fetches the first
// one's weights. Without an L2 (dv-a2) or with prefetch=false there are
// no prefetches.
// CHECK: npuk.device_kernel @k000
// CHECK: aicore.program cores(32)
// CHECK-DAG: aicore.gm @b, 18432 at [[W0:[0-9]+]]
// CHECK-DAG: aicore.gm @pf0, 9216 at [[W1:[0-9]+]]
// CHECK-DAG: aicore.gm @pf1, 64 at [[B1:[0-9]+]]
// CHECK: aicore.prefetch %{{.*}}, nburst = 1, burstlen = 9, srcstride = 9
// CHECK: aicore.prefetch %{{.*}}, nburst = 1, burstlen = 1, srcstride = 1
// CHECK: aicore.end
// CHECK: npuk.device_kernel @k001
// CHECK-DAG: aicore.gm @b, 9216 at [[W1]]
// CHECK-DAG: aicore.gm @bias, 64 at [[B1]]
// CHECK-NOT: aicore.prefetch
// CHECK: aicore.end
// OFF-NOT: aicore.prefetch
// OFF-NOT: @pf0
module {
func.func @main(%x: tensor<1x2x32x32x16xf16>) -> (tensor<1x1x32x32x16xf16>) {
  %w = arith.constant dense<0.5> : tensor<18x2x16x16xf16>
  %b = arith.constant dense<1.0> : tensor<20xf32>
  %w2 = arith.constant dense<0.25> : tensor<18x1x16x16xf16>
  %b2 = arith.constant dense<2.0> : tensor<16xf32>
  %y = npuk.kernel "k000" cube nodes ["conv"] (%x, %w, %b) : (tensor<1x2x32x32x16xf16>, tensor<18x2x16x16xf16>, tensor<20xf32>) -> tensor<1x2x32x32x16xf16> {
  ^bb0(%a: tensor<1x2x32x32x16xf16>, %c: tensor<18x2x16x16xf16>, %d: tensor<20xf32>):
    %0 = npuk.conv2d %a, %c, %d {o = 20, kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, relu} : tensor<1x2x32x32x16xf16>, tensor<18x2x16x16xf16>, tensor<20xf32> -> tensor<1x2x32x32x16xf16>
    npuk.yield %0 : tensor<1x2x32x32x16xf16>
  }
  %y2 = npuk.kernel "k001" cube nodes ["conv2"] (%y, %w2, %b2) : (tensor<1x2x32x32x16xf16>, tensor<18x1x16x16xf16>, tensor<16xf32>) -> tensor<1x1x32x32x16xf16> {
  ^bb0(%a: tensor<1x2x32x32x16xf16>, %c: tensor<18x1x16x16xf16>, %d: tensor<16xf32>):
    %0 = npuk.conv2d %a, %c, %d {o = 16, kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>} : tensor<1x2x32x32x16xf16>, tensor<18x1x16x16xf16>, tensor<16xf32> -> tensor<1x1x32x32x16xf16>
    npuk.yield %0 : tensor<1x1x32x32x16xf16>
  }
  return %y2 : tensor<1x1x32x32x16xf16>
}
}
