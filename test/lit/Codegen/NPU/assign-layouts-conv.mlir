// RUN: npu-opt %s --split-input-file --npuk-partition=kernels=conv --npuk-assign-layouts --canonicalize | FileCheck %s

// A 2-D conv with its ReLU becomes one npuk.conv2d on nc1hwc0 / fz: the
// host converts the input and the output, the weight folds to a constant;
// two consecutive convs exchange nc1hwc0 f16 directly (the exact f16 ->
// f32 -> f16 round trip cancels).
// CHECK-LABEL: func.func @main
// CHECK-DAG: %[[W1:.*]] = npu.constant {{.*}} : tensor<9x2x16x16xf16>
// CHECK-DAG: %[[W2:.*]] = npu.constant {{.*}} : tensor<18x1x16x16xf16>
// CHECK: %[[X:.*]] = npuk.convert %arg0 <nchw> -> <nc1hwc0> {{.*}} : tensor<1x3x8x8xf32> -> tensor<1x1x8x8x16xf16>
// CHECK: %[[C1:.*]] = npuk.conv2d %[[X]], %[[W1]], %{{.*}} {dilations = array<i64: 1, 1>, kernel = array<i64: 3, 3>, {{.*}}o = 20 : i64, pads = array<i64: 1, 1, 1, 1>, relu, strides = array<i64: 1, 1>} : {{.*}} -> tensor<1x2x8x8x16xf16>
// CHECK: %[[C2:.*]] = npuk.conv2d %[[C1]], %[[W2]] {{.*}} -> tensor<1x1x4x4x16xf16>
// CHECK: npuk.convert %[[C2]] <nc1hwc0> -> <nchw> {{.*}} : tensor<1x1x4x4x16xf16> -> tensor<1x8x4x4xf32>
func.func @main(%x: tensor<1x3x8x8xf32>) -> tensor<1x8x4x4xf32> {
  %w = npu.constant dense<0.1> : tensor<20x3x3x3xf32>
  %b = npu.constant dense<0.5> : tensor<20xf32>
  %0 = npu.conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x3x8x8xf32>, tensor<20x3x3x3xf32>, tensor<20xf32>) -> tensor<1x20x8x8xf32> loc("c1")
  %1 = npu.relu %0 : tensor<1x20x8x8xf32> loc("r1")
  %w2 = npu.constant dense<0.2> : tensor<8x20x3x3xf32>
  %2 = npu.conv %1, %w2 {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x20x8x8xf32>, tensor<8x20x3x3xf32>) -> tensor<1x8x4x4xf32> loc("c2")
  return %2 : tensor<1x8x4x4xf32>
}

// -----

// Depthwise (group > 1) stays on the CPU with its reason.
// CHECK-LABEL: func.func @main
// CHECK: npu.conv {{.*}}code = "cpu.conv_params", on = "cpu", text = "grouped and depthwise convolutions are not supported on the cube yet"
func.func @main(%x: tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32> {
  %w = npu.constant dense<0.1> : tensor<16x1x3x3xf32>
  %0 = npu.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 16 : i64} : (tensor<1x16x8x8xf32>, tensor<16x1x3x3xf32>) -> tensor<1x16x8x8xf32>
  return %0 : tensor<1x16x8x8xf32>
}

// -----

// Convs outside the kernel generator's limits stay on the CPU.
// CHECK-LABEL: func.func @main
// CHECK: npu.conv {{.*}}code = "cpu.conv_params", on = "cpu", text = "a padded 1x1 conv has tiles that read only padding"
// CHECK: npu.conv {{.*}}code = "cpu.conv_params", on = "cpu", text = "output rows of 300 pixels exceed the 256 of one cube tile"
func.func @main(%x: tensor<1x16x4x300xf32>, %y: tensor<1x16x4x100xf32>) -> (tensor<1x16x6x102xf32>, tensor<1x16x4x300xf32>) {
  %w = npu.constant dense<0.1> : tensor<16x16x1x1xf32>
  %0 = npu.conv %y, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x16x4x100xf32>, tensor<16x16x1x1xf32>) -> tensor<1x16x6x102xf32>
  %w2 = npu.constant dense<0.1> : tensor<16x16x3x3xf32>
  %1 = npu.conv %x, %w2 {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x16x4x300xf32>, tensor<16x16x3x3xf32>) -> tensor<1x16x4x300xf32>
  return %0, %1 : tensor<1x16x6x102xf32>, tensor<1x16x4x300xf32>
}
