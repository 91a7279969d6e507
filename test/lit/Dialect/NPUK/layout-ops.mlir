// RUN: npu-opt %s | npu-opt | FileCheck %s
// RUN: npu-opt --mlir-print-op-generic %s | npu-opt | FileCheck %s
// RUN: npu-opt --mlir-print-op-generic %s | FileCheck %s --check-prefix=GENERIC

// Ragged shapes: C = 3 pads to one C1 block, O = 20 to two N fractals,
// K = 1000 to 63 K fractals, N = 1 to one N fractal.

// CHECK-LABEL: func.func @layouts
// GENERIC: sym_name = "layouts"
func.func @layouts(%act: tensor<2x3x5x7xf32>, %w: tensor<20x3x3x3xf32>,
                   %b: tensor<1000x1xf32>) {
  // CHECK: npuk.convert %{{.*}} <nchw> -> <nc1hwc0> scale 4 : tensor<2x3x5x7xf32> -> tensor<2x1x5x7x16xf16>
  // GENERIC: "npuk.convert"(%{{.*}}) <{from = #npuk.layout<nchw>, scale_exp = 4 : i32, to = #npuk.layout<nc1hwc0>}>
  %0 = npuk.convert %act <nchw> -> <nc1hwc0> scale 4 : tensor<2x3x5x7xf32> -> tensor<2x1x5x7x16xf16>
  // CHECK: npuk.convert %{{.*}} <nc1hwc0> -> <nchw> scale -4 : tensor<2x1x5x7x16xf16> -> tensor<2x3x5x7xf32>
  %1 = npuk.convert %0 <nc1hwc0> -> <nchw> scale -4 : tensor<2x1x5x7x16xf16> -> tensor<2x3x5x7xf32>
  // CHECK: npuk.convert %{{.*}} <nc1hwc0> -> <nc1hwc0> : tensor<2x1x5x7x16xf16> -> tensor<2x1x5x7x16xf32>
  %2 = npuk.convert %0 <nc1hwc0> -> <nc1hwc0> : tensor<2x1x5x7x16xf16> -> tensor<2x1x5x7x16xf32>
  // KF = C1*KH*KW = 9, NF = 2.
  // CHECK: npuk.convert %{{.*}} <nchw> -> <fz> : tensor<20x3x3x3xf32> -> tensor<9x2x16x16xbf16>
  %3 = npuk.convert %w <nchw> -> <fz> : tensor<20x3x3x3xf32> -> tensor<9x2x16x16xbf16>
  // CHECK: npuk.convert %{{.*}} <nd> -> <fnz> : tensor<1000x1xf32> -> tensor<63x1x16x16xf16>
  %4 = npuk.convert %b <nd> -> <fnz> : tensor<1000x1xf32> -> tensor<63x1x16x16xf16>
  // CHECK: npuk.convert %{{.*}} <fnz> -> <nd> : tensor<63x1x16x16xf16> -> tensor<1000x1xf32>
  %5 = npuk.convert %4 <fnz> -> <nd> : tensor<63x1x16x16xf16> -> tensor<1000x1xf32>
  // CHECK: npuk.convert %{{.*}} <nd> -> <nchw> : tensor<2x3x5x7xf32> -> tensor<2x3x5x7xf32>
  %6 = npuk.convert %act <nd> -> <nchw> : tensor<2x3x5x7xf32> -> tensor<2x3x5x7xf32>
  return
}
