// RUN: npu-opt %s -convert-npu-to-linalg -split-input-file | FileCheck %s

// Per-axis scale and zero point are read through a map onto the axis;
// round half to even, add the zero point, saturate to [0, 255] for uint8.
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[AX:.+]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-LABEL: func.func @quantize_axis
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[AX]], #[[AX]], #[[ID]]]
// CHECK: %[[Q:.+]] = arith.divf
// CHECK: %[[R:.+]] = math.roundeven %[[Q]]
// CHECK: %[[Z:.+]] = arith.uitofp
// CHECK: %[[S:.+]] = arith.addf %[[R]], %[[Z]]
// CHECK: %[[LO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[A:.+]] = arith.maxnumf %[[S]], %[[LO]]
// CHECK: %[[HI:.+]] = arith.constant 2.550000e+02 : f32
// CHECK: %[[B:.+]] = arith.minnumf %[[A]], %[[HI]]
// CHECK: arith.fptoui %[[B]] : f32 to i8
func.func @quantize_axis(%x: tensor<1x3x2xf32>, %s: tensor<3xf32>, %z: tensor<3xi8>) -> tensor<1x3x2xi8> {
  %0 = npu.quantize %x, %s, %z {axis = 1 : i64, unsigned_result} : (tensor<1x3x2xf32>, tensor<3xf32>, tensor<3xi8>) -> tensor<1x3x2xi8>
  return %0 : tensor<1x3x2xi8>
}

// -----

// int8: saturate to [-128, 127], signed conversions.
// CHECK-LABEL: func.func @requantize
// CHECK: arith.sitofp %{{.+}} : i32 to f32
// CHECK: arith.mulf
// CHECK: math.roundeven
// CHECK: arith.sitofp %{{.+}} : i8 to f32
// CHECK: arith.constant -1.280000e+02 : f32
// CHECK: arith.constant 1.270000e+02 : f32
// CHECK: arith.fptosi %{{.+}} : f32 to i8
func.func @requantize(%acc: tensor<2x3xi32>, %m: tensor<f32>, %z: tensor<i8>) -> tensor<2x3xi8> {
  %0 = npu.requantize %acc, %m, %z : (tensor<2x3xi32>, tensor<f32>, tensor<i8>) -> tensor<2x3xi8>
  return %0 : tensor<2x3xi8>
}

// -----

// The difference x - zp is taken in i32 after zero extension.
// CHECK-LABEL: func.func @dequantize
// CHECK: %[[X:.+]] = arith.extui %{{.+}} : i8 to i32
// CHECK: %[[Z:.+]] = arith.extui %{{.+}} : i8 to i32
// CHECK: %[[D:.+]] = arith.subi %[[X]], %[[Z]] : i32
// CHECK: %[[F:.+]] = arith.sitofp %[[D]] : i32 to f32
// CHECK: arith.mulf %[[F]]
func.func @dequantize(%x: tensor<4xi8>, %s: tensor<f32>, %z: tensor<i8>) -> tensor<4xf32> {
  %0 = npu.dequantize %x, %s, %z {unsigned_input} : (tensor<4xi8>, tensor<f32>, tensor<i8>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Each operand minus its zero point, widened to i32 (uint8 lhs zero-extended,
// int8 rhs sign-extended, per-column zero point), then an i32 linalg.matmul.
// CHECK-LABEL: func.func @matmul_integer
// CHECK: %[[L:.+]] = linalg.generic
// CHECK: arith.extui
// CHECK: arith.subi
// CHECK: %[[R:.+]] = linalg.generic {indexing_maps = [#{{.+}}, #[[COL:.+]], #{{.+}}]
// CHECK: arith.extsi
// CHECK: arith.subi
// CHECK: %[[FILL:.+]] = linalg.fill
// CHECK: linalg.matmul ins(%[[L]], %[[R]] : tensor<4x3xi32>, tensor<3x2xi32>) outs(%[[FILL]] : tensor<4x2xi32>)
func.func @matmul_integer(%a: tensor<4x3xi8>, %b: tensor<3x2xi8>, %za: tensor<i8>, %zb: tensor<2xi8>) -> tensor<4x2xi32> {
  %0 = npu.matmul_integer %a, %b, %za, %zb {unsigned_lhs} : (tensor<4x3xi8>, tensor<3x2xi8>, tensor<i8>, tensor<2xi8>) -> tensor<4x2xi32>
  return %0 : tensor<4x2xi32>
}

// -----

// Padding the i32 differences with 0 pads the input with its zero point;
// the bias is added to the i32 accumulator.
// CHECK-LABEL: func.func @conv2d_integer
// CHECK: %[[X:.+]] = linalg.generic
// CHECK: %[[W:.+]] = linalg.generic
// CHECK: %[[PAD:.+]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: arith.constant 0 : i32
// CHECK: %[[C:.+]] = linalg.conv_2d_nchw_fchw {{.*}} ins(%[[PAD]], %[[W]] : tensor<1x2x7x7xi32>, tensor<4x2x3x3xi32>)
// CHECK: linalg.generic
// CHECK: arith.addi
func.func @conv2d_integer(%x: tensor<1x2x5x5xi8>, %w: tensor<4x2x3x3xi8>, %zx: tensor<i8>, %zw: tensor<4x1x1x1xi8>, %b: tensor<4xi32>) -> tensor<1x4x5x5xi32> {
  %0 = npu.conv2d_integer %x, %w, %zx, %zw, %b {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64, unsigned_input} : (tensor<1x2x5x5xi8>, tensor<4x2x3x3xi8>, tensor<i8>, tensor<4x1x1x1xi8>, tensor<4xi32>) -> tensor<1x4x5x5xi32>
  return %0 : tensor<1x4x5x5xi32>
}
