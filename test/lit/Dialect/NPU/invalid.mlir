// RUN: npu-opt %s -split-input-file -verify-diagnostics

func.func @bad_broadcast(%a: tensor<2x3xf32>, %b: tensor<4xf32>) -> tensor<2x3xf32> {
  // expected-error@+2 {{operand shapes [2,3] and [4] are not broadcast-compatible}}
  // expected-error@+1 {{'npu.add' op failed to infer returned types}}
  %0 = npu.add %a, %b : tensor<2x3xf32>, tensor<4xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @wrong_result(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<3x3xf32> {
  // expected-error@+2 {{'npu.add' op failed to infer returned types}}
  // expected-error@+1 {{'npu.add' op inferred type(s) 'tensor<2x3xf32>' are incompatible with return type(s) of operation 'tensor<3x3xf32>'}}
  %0 = npu.add %a, %b : tensor<2x3xf32>, tensor<3xf32> -> tensor<3x3xf32>
  return %0 : tensor<3x3xf32>
}

// -----

func.func @conv_groups(%x: tensor<1x6x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error@+2 {{channels (6 in, 4 out) are not divisible by group 4}}
  // expected-error@+1 {{'npu.conv' op failed to infer returned types}}
  %0 = npu.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 4 : i64} : (tensor<1x6x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_group_zero(%x: tensor<1x6x8x8xf32>, %w: tensor<4x6x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error@+1 {{attribute 'group' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive}}
  %0 = npu.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 0 : i64} : (tensor<1x6x8x8xf32>, tensor<4x6x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_strides(%x: tensor<1x6x8x8xf32>, %w: tensor<4x6x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error@+2 {{strides and dilations must be positive}}
  // expected-error@+1 {{'npu.conv' op failed to infer returned types}}
  %0 = npu.conv %x, %w {strides = array<i64: 0, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x6x8x8xf32>, tensor<4x6x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @matmul_k(%a: tensor<4x8xf32>, %b: tensor<7x5xf32>) -> tensor<4x5xf32> {
  // expected-error@+2 {{matmul contraction sizes differ: 8 vs 7}}
  // expected-error@+1 {{'npu.matmul' op failed to infer returned types}}
  %0 = npu.matmul %a, %b : tensor<4x8xf32>, tensor<7x5xf32> -> tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}

// -----

func.func @softmax_axis(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error@+1 {{'npu.softmax' op axis 2 is out of range for rank 2}}
  %0 = npu.softmax %x {axis = 2 : i64} : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @clip_range(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error@+1 {{'npu.clip' op min 6.000000e+00 exceeds max 0.000000e+00}}
  %0 = npu.clip %x {min = 6.0 : f64, max = 0.0 : f64} : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @reshape_count(%x: tensor<2x3xf32>) -> tensor<7xf32> {
  // expected-error@+1 {{'npu.reshape' op cannot reshape 6 elements into 'tensor<7xf32>'}}
  %0 = npu.reshape %x : tensor<2x3xf32> -> tensor<7xf32>
  return %0 : tensor<7xf32>
}

// -----

func.func @transpose_perm(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // expected-error@+2 {{perm is not a permutation}}
  // expected-error@+1 {{'npu.transpose' op failed to infer returned types}}
  %0 = npu.transpose %x {perm = array<i64: 1, 1>} : tensor<2x3xf32> -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

func.func @split_sizes(%x: tensor<2x3xf32>) -> (tensor<2x1xf32>, tensor<2x1xf32>) {
  // expected-error@+2 {{split sizes sum to 2, dimension is 3}}
  // expected-error@+1 {{'npu.split' op failed to infer returned types}}
  %0:2 = npu.split %x {axis = 1 : i64, sizes = array<i64: 1, 1>} : tensor<2x3xf32> -> tensor<2x1xf32>, tensor<2x1xf32>
  return %0#0, %0#1 : tensor<2x1xf32>, tensor<2x1xf32>
}

// -----

func.func @slice_oob(%x: tensor<4xf32>) -> tensor<3xf32> {
  // expected-error@+1 {{'npu.slice' op slice reads outside dimension 0 of size 4}}
  %0 = npu.slice %x {starts = array<i64: 2>, sizes = array<i64: 3>, steps = array<i64: 1>} : tensor<4xf32> -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @reduce_axes(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  // expected-error@+2 {{reduction axis 2 is out of range for rank 2}}
  // expected-error@+1 {{'npu.reduce_sum' op failed to infer returned types}}
  %0 = npu.reduce_sum %x {axes = array<i64: 2>, keepdims = false} : tensor<2x3xf32> -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @pad_mode(%x: tensor<4xf32>) -> tensor<6xf32> {
  // expected-error@+1 {{'npu.pad' op unknown pad mode 'wrap'}}
  %0 = npu.pad %x {pads = array<i64: 1, 1>, mode = "wrap"} : tensor<4xf32> -> tensor<6xf32>
  return %0 : tensor<6xf32>
}

// -----

func.func @batch_norm_params(%x: tensor<1x4x2x2xf32>, %c: tensor<3xf32>) -> tensor<1x4x2x2xf32> {
  // expected-error@+1 {{'npu.batch_norm' op scale, bias, mean and variance must be [4]}}
  %0 = npu.batch_norm %x, %c, %c, %c, %c {epsilon = 1.0e-5 : f64} : (tensor<1x4x2x2xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x4x2x2xf32>
  return %0 : tensor<1x4x2x2xf32>
}

// -----

func.func @conv_weight_rank(%x: tensor<1x2x4x4x4xf32>, %w: tensor<3x2x3x3xf32>) -> tensor<1x3x2x2x2xf32> {
  // expected-error@+2 {{conv expects an input of rank >= 3 and a weight of the same rank}}
  // expected-error@+1 {{'npu.conv' op failed to infer returned types}}
  %0 = npu.conv %x, %w {strides = array<i64: 1, 1, 1>, pads = array<i64: 0, 0, 0, 0, 0, 0>, dilations = array<i64: 1, 1, 1>, group = 1 : i64} : (tensor<1x2x4x4x4xf32>, tensor<3x2x3x3xf32>) -> tensor<1x3x2x2x2xf32>
  return %0 : tensor<1x3x2x2x2xf32>
}

// -----

func.func @pool_attr_length(%x: tensor<1x2x4x4x4xf32>) -> tensor<1x2x2x2x2xf32> {
  // expected-error@+2 {{expected 3 strides, 6 pads and 3 dilations}}
  // expected-error@+1 {{'npu.max_pool' op failed to infer returned types}}
  %0 = npu.max_pool %x {kernel = array<i64: 2, 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0, 0, 0>, dilations = array<i64: 1, 1, 1>} : tensor<1x2x4x4x4xf32> -> tensor<1x2x2x2x2xf32>
  return %0 : tensor<1x2x2x2x2xf32>
}

// -----

func.func @einsum_malformed(%a: tensor<2x3xf32>) -> tensor<3xf32> {
  // expected-error@+2 {{malformed einsum equation 'ij->jj'}}
  // expected-error@+1 {{'npu.einsum' op failed to infer returned types}}
  %0 = npu.einsum %a {equation = "ij->jj"} : (tensor<2x3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @einsum_output_letter(%a: tensor<2x3xf32>) -> tensor<3xf32> {
  // expected-error@+2 {{einsum output letter 'k' labels no operand dimension}}
  // expected-error@+1 {{'npu.einsum' op failed to infer returned types}}
  %0 = npu.einsum %a {equation = "ij->k"} : (tensor<2x3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @einsum_term_rank(%a: tensor<2x3xf32>) -> tensor<2xf32> {
  // expected-error@+2 {{einsum term 'ijk' does not match an operand of rank 2}}
  // expected-error@+1 {{'npu.einsum' op failed to infer returned types}}
  %0 = npu.einsum %a {equation = "ijk->i"} : (tensor<2x3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @det_square(%a: tensor<2x3xf32>) -> tensor<f32> {
  // expected-error@+2 {{det expects square matrices [*, M, M], got 'tensor<2x3xf32>'}}
  // expected-error@+1 {{'npu.det' op failed to infer returned types}}
  %0 = npu.det %a : tensor<2x3xf32> -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @scatter_flat_shapes(%u: tensor<4xf32>, %i: tensor<3xi64>) -> tensor<8xf32> {
  // expected-error@+2 {{indices must have the shape of updates}}
  // expected-error@+1 {{'npu.scatter_flat' op failed to infer returned types}}
  %0 = npu.scatter_flat %u, %i {shape = array<i64: 8>} : tensor<4xf32>, tensor<3xi64> -> tensor<8xf32>
  return %0 : tensor<8xf32>
}
