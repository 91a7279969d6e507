// RUN: npu-opt %s -split-input-file -verify-diagnostics
// Verifiers of the quantization and scan ops.

func.func @quantize_scale_type(%x: tensor<4xf32>, %s: tensor<f16>, %z: tensor<i8>) -> tensor<4xi8> {
  // expected-error@+1 {{scale must have the input's element type}}
  %0 = npu.quantize %x, %s, %z : (tensor<4xf32>, tensor<f16>, tensor<i8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @quantize_wide(%x: tensor<4xf32>, %s: tensor<f32>, %z: tensor<i32>) -> tensor<4xi32> {
  // expected-error@+1 {{result must be a 2- to 16-bit integer, got 'i32'}}
  %0 = npu.quantize %x, %s, %z : (tensor<4xf32>, tensor<f32>, tensor<i32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @quantize_no_axis(%x: tensor<2x3xf32>, %s: tensor<3xf32>, %z: tensor<3xi8>) -> tensor<2x3xi8> {
  // expected-error@+1 {{a rank-1 scale needs an axis}}
  %0 = npu.quantize %x, %s, %z : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xi8>) -> tensor<2x3xi8>
  return %0 : tensor<2x3xi8>
}

// -----

func.func @requantize_axis_size(%x: tensor<2x3xi32>, %s: tensor<2xf32>, %z: tensor<i8>) -> tensor<2x3xi8> {
  // expected-error@+1 {{scale has 2 entries, input dimension 1 has 3}}
  %0 = npu.requantize %x, %s, %z {axis = 1 : i64} : (tensor<2x3xi32>, tensor<2xf32>, tensor<i8>) -> tensor<2x3xi8>
  return %0 : tensor<2x3xi8>
}

// -----

func.func @dequantize_zp_type(%x: tensor<4xi8>, %s: tensor<f32>, %z: tensor<i32>) -> tensor<4xf32> {
  // expected-error@+1 {{zero point must have the input's element type}}
  %0 = npu.dequantize %x, %s, %z : (tensor<4xi8>, tensor<f32>, tensor<i32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @matmul_integer_zp(%a: tensor<2x4xi8>, %b: tensor<4x3xi8>, %za: tensor<3xi8>, %zb: tensor<i8>) -> tensor<2x3xi32> {
  // expected-error@+1 {{lhs zero point of type 'tensor<3xi8>' does not broadcast to 'tensor<2x4xi8>'}}
  %0 = npu.matmul_integer %a, %b, %za, %zb : (tensor<2x4xi8>, tensor<4x3xi8>, tensor<3xi8>, tensor<i8>) -> tensor<2x3xi32>
  return %0 : tensor<2x3xi32>
}

// -----

func.func @conv_integer_zp_type(%x: tensor<1x2x4x4xi8>, %w: tensor<3x2x3x3xi8>, %zx: tensor<i16>, %zw: tensor<i8>) -> tensor<1x3x2x2xi32> {
  // expected-error@+1 {{input zero point must have the input's element type}}
  %0 = npu.conv2d_integer %x, %w, %zx, %zw {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x2x4x4xi8>, tensor<3x2x3x3xi8>, tensor<i16>, tensor<i8>) -> tensor<1x3x2x2xi32>
  return %0 : tensor<1x3x2x2xi32>
}

// -----

func.func @cumsum_axis(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error@+1 {{axis 1 is out of range for rank 1}}
  %0 = npu.cumsum %x {axis = 1 : i64} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @top_k_too_many(%x: tensor<4xf32>) -> (tensor<5xf32>, tensor<5xi64>) {
  // expected-error@+2 {{k = 5 must be in [1, 4]}}
  // expected-error@+1 {{'npu.top_k' op failed to infer returned types}}
  %v, %i = npu.top_k %x {axis = 0 : i64, k = 5 : i64} : tensor<4xf32> -> tensor<5xf32>, tensor<5xi64>
  return %v, %i : tensor<5xf32>, tensor<5xi64>
}
