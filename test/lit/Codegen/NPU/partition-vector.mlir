// RUN: npu-opt %s --split-input-file --npuk-partition=kernels=conv,vector | FileCheck %s
// RUN: npu-opt %s --split-input-file --npuk-partition=kernels=conv | FileCheck %s --check-prefix=NOVEC

// ResNet's block tail: relu(conv + conv) is a vector chain; a ReLU right
// after a conv still fuses into FIX, but not one after a vector op (the
// conv is not its anchor any more).
// CHECK-LABEL: func.func @main
// CHECK: npu.conv {{.*}}code = "npu.cube.conv"
// CHECK: npu.relu {{.*}}code = "fused.fix_relu"
// CHECK: npu.conv {{.*}}code = "npu.cube.conv"
// CHECK: npu.add {{.*}}code = "npu.vector.eltwise", on = "npu", text = "npu.add on the vector unit, flat over the producer's physical layout (fp16/bf16)"
// CHECK: npu.relu {{.*}}code = "npu.vector.eltwise"
// CHECK: npu.clip {{.*}}code = "npu.vector.eltwise"
// CHECK: npu.conv {{.*}}code = "npu.cube.conv"
// A chain that only feeds host ops (here the graph result) stays there.
// CHECK: npu.add {{.*}}code = "cpu.vector_boundary", on = "cpu", text = "the elementwise chain only feeds host ops: it runs in their CPU part rather than as one more NPU kernel"
// CHECK: npu.relu {{.*}}code = "cpu.vector_boundary"
// NOVEC: npu.add {{.*}}code = "cpu.no_lowering"
// NOVEC: npu.relu {{.*}}code = "cpu.no_lowering"
func.func @main(%x: tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32> {
  %w = npu.constant dense<0.1> : tensor<16x16x3x3xf32>
  %0 = npu.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x16x8x8xf32>, tensor<16x16x3x3xf32>) -> tensor<1x16x8x8xf32> loc("c1")
  %1 = npu.relu %0 : tensor<1x16x8x8xf32> loc("r1")
  %2 = npu.conv %1, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x16x8x8xf32>, tensor<16x16x3x3xf32>) -> tensor<1x16x8x8xf32> loc("c2")
  %3 = npu.add %2, %x : tensor<1x16x8x8xf32>, tensor<1x16x8x8xf32> -> tensor<1x16x8x8xf32> loc("add")
  %4 = npu.relu %3 : tensor<1x16x8x8xf32> loc("r2")
  %5 = npu.clip %4 {min = 0.0 : f64, max = 6.0 : f64} : tensor<1x16x8x8xf32> loc("clip")
  %6 = npu.conv %5, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x16x8x8xf32>, tensor<16x16x3x3xf32>) -> tensor<1x16x8x8xf32> loc("c3")
  %7 = npu.add %6, %5 : tensor<1x16x8x8xf32>, tensor<1x16x8x8xf32> -> tensor<1x16x8x8xf32> loc("add2")
  %8 = npu.relu %7 : tensor<1x16x8x8xf32> loc("r3")
  return %8 : tensor<1x16x8x8xf32>
}

// -----

// Rejections, each with its code: no NPU producer, a broadcast operand, an
// op the vector unit does not have, a scalar that would make nc1hwc0 pad
// lanes non-zero (C = 20), and a scalar that keeps them zero.
// CHECK-LABEL: func.func @main
// CHECK: npu.add %arg0, %arg0 {{.*}}code = "cpu.vector_island", on = "cpu", text = "no operand comes from an NPU kernel: the host would convert to and from the NPU layout just for this op"
// CHECK: npu.mul {{.*}}code = "cpu.broadcast", on = "cpu", text = "an operand is broadcast (only same-shape operands and constant scalars run on the vector unit)"
// CHECK: npu.exp {{.*}}code = "cpu.no_lowering"
// CHECK: npu.add {{.*}}code = "cpu.pad_lanes", on = "cpu", text = "npu.add maps 0 to a non-zero value, which would break the zero pad lanes of nc1hwc0 (C = 20)"
// CHECK: npu.mul {{.*}}code = "npu.vector.eltwise"
// CHECK: npu.conv {{.*}}code = "npu.cube.conv"
// CHECK: npu.sub {{.*}}code = "cpu.unsupported_op", on = "cpu", text = "both operands are constants"
func.func @main(%x: tensor<1x20x4x4xf32>, %c: tensor<1x20x1x1xf32>) -> (tensor<1x20x4x4xf32>, tensor<1x20x4x4xf32>, tensor<1x20x4x4xf32>, tensor<1x20x4x4xf32>, tensor<1x20x4x4xf32>, tensor<1xf32>) {
  %i = npu.add %x, %x : tensor<1x20x4x4xf32>, tensor<1x20x4x4xf32> -> tensor<1x20x4x4xf32> loc("island")
  %w = npu.constant dense<0.1> : tensor<20x20x1x1xf32>
  %0 = npu.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x20x4x4xf32>, tensor<20x20x1x1xf32>) -> tensor<1x20x4x4xf32> loc("c")
  %1 = npu.mul %0, %c : tensor<1x20x4x4xf32>, tensor<1x20x1x1xf32> -> tensor<1x20x4x4xf32> loc("bcast")
  %2 = npu.exp %0 : tensor<1x20x4x4xf32> loc("exp")
  %one = npu.constant dense<1.0> : tensor<1xf32>
  %3 = npu.add %0, %one : tensor<1x20x4x4xf32>, tensor<1xf32> -> tensor<1x20x4x4xf32> loc("pad")
  %two = npu.constant dense<2.0> : tensor<f32>
  %4 = npu.mul %two, %0 : tensor<f32>, tensor<1x20x4x4xf32> -> tensor<1x20x4x4xf32> loc("scale")
  %c2 = npu.conv %4, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x20x4x4xf32>, tensor<20x20x1x1xf32>) -> tensor<1x20x4x4xf32> loc("c2")
  %5 = npu.sub %one, %one : tensor<1xf32>, tensor<1xf32> -> tensor<1xf32> loc("consts")
  return %i, %1, %2, %3, %c2, %5 : tensor<1x20x4x4xf32>, tensor<1x20x4x4xf32>, tensor<1x20x4x4xf32>, tensor<1x20x4x4xf32>, tensor<1x20x4x4xf32>, tensor<1xf32>
}

// -----

// GELU after a conv, x * 0.5 * (1 + erf(x / sqrt 2)): Erf joins the chain,
// so the whole of it is vector ops. With C = 20 the Erf is rejected: its
// polynomial maps 0 to 0 only up to rounding (the nc1hwc0 pad lanes).
// CHECK-LABEL: func.func @main
// CHECK: npu.conv {{.*}}code = "npu.cube.conv"
// CHECK: npu.div {{.*}}code = "npu.vector.eltwise"
// CHECK: npu.erf {{.*}}code = "npu.vector.eltwise"
// CHECK: npu.add {{.*}}code = "npu.vector.eltwise"
// CHECK: npu.mul {{.*}}code = "npu.vector.eltwise"
// CHECK: npu.mul {{.*}}code = "npu.vector.eltwise"
// CHECK: npu.conv {{.*}}code = "npu.cube.conv"
// CHECK: npu.erf {{.*}}code = "cpu.pad_lanes", on = "cpu", text = "npu.erf maps 0 to a non-zero value, which would break the zero pad lanes of nc1hwc0 (C = 20)"
// NOVEC: npu.erf {{.*}}code = "cpu.no_lowering"
func.func @main(%x: tensor<1x16x4x4xf32>, %y: tensor<1x20x4x4xf32>) -> (tensor<1x16x4x4xf32>, tensor<1x20x4x4xf32>) {
  %w = npu.constant dense<0.1> : tensor<16x16x1x1xf32>
  %r2 = npu.constant dense<1.41421354> : tensor<f32>
  %one = npu.constant dense<1.0> : tensor<f32>
  %half = npu.constant dense<0.5> : tensor<f32>
  %0 = npu.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x16x4x4xf32>, tensor<16x16x1x1xf32>) -> tensor<1x16x4x4xf32> loc("c")
  %1 = npu.div %0, %r2 : tensor<1x16x4x4xf32>, tensor<f32> -> tensor<1x16x4x4xf32> loc("div")
  %2 = npu.erf %1 : tensor<1x16x4x4xf32> loc("erf")
  %3 = npu.add %2, %one : tensor<1x16x4x4xf32>, tensor<f32> -> tensor<1x16x4x4xf32> loc("add")
  %4 = npu.mul %0, %3 : tensor<1x16x4x4xf32>, tensor<1x16x4x4xf32> -> tensor<1x16x4x4xf32> loc("mul")
  %5 = npu.mul %4, %half : tensor<1x16x4x4xf32>, tensor<f32> -> tensor<1x16x4x4xf32> loc("mul2")
  %6 = npu.conv %5, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x16x4x4xf32>, tensor<16x16x1x1xf32>) -> tensor<1x16x4x4xf32> loc("c2")
  %wy = npu.constant dense<0.1> : tensor<20x20x1x1xf32>
  %7 = npu.conv %y, %wy {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x20x4x4xf32>, tensor<20x20x1x1xf32>) -> tensor<1x20x4x4xf32> loc("cy")
  %8 = npu.erf %7 : tensor<1x20x4x4xf32> loc("erf_y")
  %9 = npu.conv %8, %wy {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x20x4x4xf32>, tensor<20x20x1x1xf32>) -> tensor<1x20x4x4xf32> loc("cy2")
  return %6, %9 : tensor<1x16x4x4xf32>, tensor<1x20x4x4xf32>
}

// -----

// A Div of two same-shape tensors runs on the vector unit (vdiv), except
// on nc1hwc0 with C % 16 != 0: 0 / 0 in the pad lanes is NaN.
// CHECK-LABEL: func.func @main
// CHECK: npu.div {{.*}}code = "npu.vector.eltwise"
// CHECK: npu.div {{.*}}code = "cpu.pad_lanes"
func.func @main(%x: tensor<1x16x4x4xf32>, %y: tensor<1x20x4x4xf32>) -> (tensor<1x16x4x4xf32>, tensor<1x20x4x4xf32>) {
  %w = npu.constant dense<0.1> : tensor<16x16x1x1xf32>
  %w2 = npu.constant dense<0.2> : tensor<16x16x1x1xf32>
  %0 = npu.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x16x4x4xf32>, tensor<16x16x1x1xf32>) -> tensor<1x16x4x4xf32> loc("c")
  %1 = npu.conv %x, %w2 {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x16x4x4xf32>, tensor<16x16x1x1xf32>) -> tensor<1x16x4x4xf32> loc("c2")
  %2 = npu.div %0, %1 : tensor<1x16x4x4xf32>, tensor<1x16x4x4xf32> -> tensor<1x16x4x4xf32> loc("div")
  %3 = npu.conv %2, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x16x4x4xf32>, tensor<16x16x1x1xf32>) -> tensor<1x16x4x4xf32> loc("c3")
  %wy = npu.constant dense<0.1> : tensor<20x20x1x1xf32>
  %4 = npu.conv %y, %wy {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x20x4x4xf32>, tensor<20x20x1x1xf32>) -> tensor<1x20x4x4xf32> loc("cy")
  %5 = npu.div %4, %4 : tensor<1x20x4x4xf32>, tensor<1x20x4x4xf32> -> tensor<1x20x4x4xf32> loc("divy")
  %6 = npu.conv %5, %wy {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x20x4x4xf32>, tensor<20x20x1x1xf32>) -> tensor<1x20x4x4xf32> loc("cy2")
  return %3, %6 : tensor<1x16x4x4xf32>, tensor<1x20x4x4xf32>
}
