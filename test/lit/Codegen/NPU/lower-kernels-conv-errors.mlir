// RUN: not npu-opt %s --npuk-outline --npuk-plan-gm --npuk-lower-kernels 2>&1 | FileCheck %s

// A conv the ISA cannot express is an error naming the kernel and why.
// CHECK: error: conv kernel 'k000' cannot run on config 'dv-910': no tile plan fits: stride 64x64: load3d takes strides in 1..63
module {
func.func @main(%x: tensor<1x1x130x130x16xf16>, %w: tensor<1x1x16x16xf16>) -> tensor<1x1x3x3x16xf32> {
  %y = npuk.kernel "k000" cube nodes ["conv"] (%x, %w) : (tensor<1x1x130x130x16xf16>, tensor<1x1x16x16xf16>) -> tensor<1x1x3x3x16xf32> {
  ^bb0(%a: tensor<1x1x130x130x16xf16>, %c: tensor<1x1x16x16xf16>):
    %0 = npuk.conv2d %a, %c {o = 16, kernel = array<i64: 1, 1>, strides = array<i64: 64, 64>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : tensor<1x1x130x130x16xf16>, tensor<1x1x16x16xf16> -> tensor<1x1x3x3x16xf32>
    npuk.yield %0 : tensor<1x1x3x3x16xf32>
  }
  return %y : tensor<1x1x3x3x16xf32>
}
}
