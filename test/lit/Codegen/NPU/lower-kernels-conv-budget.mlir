// RUN: not npu-opt %s --npuk-outline --npuk-plan-gm --npuk-lower-kernels=config=%S/Inputs/tiny-l1.ini 2>&1 | FileCheck %s

// No tile plan fits the config's buffers: the error names the kernel, the
// config, the buffer, what the smallest plan needs and the shortfall.
// CHECK: error: conv kernel 'k000' cannot run on config '{{.*}}tiny-l1.ini': no tile plan fits: L1 needs {{[0-9]+}} bytes, has 8192 (short by {{[0-9]+}})
module {
func.func @main(%x: tensor<1x1x16x130x16xf16>, %w: tensor<9x1x16x16xf16>) -> tensor<1x1x16x130x16xf32> {
  %y = npuk.kernel "k000" cube nodes ["conv"] (%x, %w) : (tensor<1x1x16x130x16xf16>, tensor<9x1x16x16xf16>) -> tensor<1x1x16x130x16xf32> {
  ^bb0(%a: tensor<1x1x16x130x16xf16>, %c: tensor<9x1x16x16xf16>):
    %0 = npuk.conv2d %a, %c {o = 16, kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>} : tensor<1x1x16x130x16xf16>, tensor<9x1x16x16xf16> -> tensor<1x1x16x130x16xf32>
    npuk.yield %0 : tensor<1x1x16x130x16xf32>
  }
  return %y : tensor<1x1x16x130x16xf32>
}
}
