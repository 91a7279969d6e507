// RUN: npu-opt %s -split-input-file | npu-opt | FileCheck %s
// Round trip of every op's custom syntax, with inferred result types.

// CHECK-LABEL: func @elementwise
func.func @elementwise(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  // CHECK: npu.add %{{.*}}, %{{.*}} : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xf32>
  %0 = npu.add %a, %b : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xf32>
  // CHECK: npu.sub
  %1 = npu.sub %0, %b : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xf32>
  // CHECK: npu.pow
  %2 = npu.pow %1, %a : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3xf32>
  // CHECK: npu.clip %{{.*}} {max = 6.000000e+00 : f64, min = 0.000000e+00 : f64}
  %3 = npu.clip %2 {min = 0.0 : f64, max = 6.0 : f64} : tensor<2x3xf32>
  // CHECK: npu.erf
  %4 = npu.erf %3 : tensor<2x3xf32>
  return %4 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func @conv
func.func @conv(%x: tensor<1x32x16x16xf32>, %w: tensor<32x1x3x3xf32>, %b: tensor<32xf32>) -> tensor<1x32x8x8xf32> {
  // CHECK: npu.conv %{{.*}}, %{{.*}}, %{{.*}} {dilations = array<i64: 1, 1>, group = 32 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
  %0 = npu.conv %x, %w, %b {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 32 : i64} : (tensor<1x32x16x16xf32>, tensor<32x1x3x3xf32>, tensor<32xf32>) -> tensor<1x32x8x8xf32>
  return %0 : tensor<1x32x8x8xf32>
}

// -----

// CHECK-LABEL: func @matmul_batched
func.func @matmul_batched(%a: tensor<2x1x4x8xf32>, %b: tensor<3x8x5xf32>, %v: tensor<8xf32>) -> (tensor<2x3x4x5xf32>, tensor<2x1x4xf32>) {
  // CHECK: npu.matmul {{.*}} -> tensor<2x3x4x5xf32>
  %0 = npu.matmul %a, %b : tensor<2x1x4x8xf32>, tensor<3x8x5xf32> -> tensor<2x3x4x5xf32>
  // CHECK: npu.matmul {{.*}} -> tensor<2x1x4xf32>
  %1 = npu.matmul %a, %v : tensor<2x1x4x8xf32>, tensor<8xf32> -> tensor<2x1x4xf32>
  return %0, %1 : tensor<2x3x4x5xf32>, tensor<2x1x4xf32>
}

// -----

// CHECK-LABEL: func @pool_and_reduce
func.func @pool_and_reduce(%x: tensor<1x8x7x7xf32>) -> (tensor<1x8x4x4xf32>, tensor<1x8x3x3xf32>, tensor<1x8x1x1xf32>, tensor<1x7xf32>) {
  // ceil mode: (7 + 1 - 3) / 2 rounded up + 1 = 4
  // CHECK: npu.max_pool {{.*}} -> tensor<1x8x4x4xf32>
  %0 = npu.max_pool %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 0, 0>, dilations = array<i64: 1, 1>, ceil_mode} : tensor<1x8x7x7xf32> -> tensor<1x8x4x4xf32>
  // CHECK: npu.avg_pool {{.*}}count_include_pad{{.*}} -> tensor<1x8x3x3xf32>
  %1 = npu.avg_pool %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, count_include_pad} : tensor<1x8x7x7xf32> -> tensor<1x8x3x3xf32>
  // CHECK: npu.global_avg_pool
  %2 = npu.global_avg_pool %x : tensor<1x8x7x7xf32> -> tensor<1x8x1x1xf32>
  // CHECK: npu.reduce_max {{.*}} -> tensor<1x7xf32>
  %3 = npu.reduce_max %x {axes = array<i64: 1, 3>, keepdims = false} : tensor<1x8x7x7xf32> -> tensor<1x7xf32>
  return %0, %1, %2, %3 : tensor<1x8x4x4xf32>, tensor<1x8x3x3xf32>, tensor<1x8x1x1xf32>, tensor<1x7xf32>
}

// -----

// CHECK-LABEL: func @shapes
func.func @shapes(%x: tensor<2x3x4xf32>, %i: tensor<5xi64>) -> (tensor<4x3x2xf32>, tensor<2x6x4xf32>, tensor<2x1x4xf32>, tensor<5x3x4xf32>, tensor<4x5x6xf32>, tensor<1x3x2xf32>) {
  // CHECK: npu.transpose {{.*}} -> tensor<4x3x2xf32>
  %0 = npu.transpose %x {perm = array<i64: 2, 1, 0>} : tensor<2x3x4xf32> -> tensor<4x3x2xf32>
  // CHECK: npu.concat {{.*}} -> tensor<2x6x4xf32>
  %1 = npu.concat %x, %x {axis = 1 : i64} : (tensor<2x3x4xf32>, tensor<2x3x4xf32>) -> tensor<2x6x4xf32>
  // CHECK: npu.split {{.*}} -> tensor<2x1x4xf32>, tensor<2x2x4xf32>
  %2:2 = npu.split %x {axis = 1 : i64, sizes = array<i64: 1, 2>} : tensor<2x3x4xf32> -> tensor<2x1x4xf32>, tensor<2x2x4xf32>
  // CHECK: npu.gather {{.*}} -> tensor<5x3x4xf32>
  %3 = npu.gather %x, %i {axis = 0 : i64} : tensor<2x3x4xf32>, tensor<5xi64> -> tensor<5x3x4xf32>
  // CHECK: npu.pad {{.*}}mode = "reflect"{{.*}} -> tensor<4x5x6xf32>
  %4 = npu.pad %x {pads = array<i64: 1, 1, 1, 1, 1, 1>, mode = "reflect"} : tensor<2x3x4xf32> -> tensor<4x5x6xf32>
  // CHECK: npu.slice {{.*}} -> tensor<1x3x2xf32>
  %5 = npu.slice %x {starts = array<i64: 1, 0, 3>, sizes = array<i64: 1, 3, 2>, steps = array<i64: 1, 1, -2>} : tensor<2x3x4xf32> -> tensor<1x3x2xf32>
  return %0, %1, %2#0, %3, %4, %5 : tensor<4x3x2xf32>, tensor<2x6x4xf32>, tensor<2x1x4xf32>, tensor<5x3x4xf32>, tensor<4x5x6xf32>, tensor<1x3x2xf32>
}

// -----

// CHECK-LABEL: func @norms
func.func @norms(%x: tensor<2x8x16xf32>, %s: tensor<16xf32>, %c: tensor<8xf32>) -> (tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<2x8x16xf32>) {
  // CHECK: npu.softmax %{{.*}} {axis = 2 : i64}
  %0 = npu.softmax %x {axis = 2 : i64} : tensor<2x8x16xf32>
  // CHECK: npu.layer_norm
  %1 = npu.layer_norm %x, %s, %s {axis = 2 : i64, epsilon = 1.0e-5 : f64} : (tensor<2x8x16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<2x8x16xf32>
  // CHECK: npu.batch_norm
  %2 = npu.batch_norm %x, %c, %c, %c, %c {epsilon = 1.0e-5 : f64} : (tensor<2x8x16xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x8x16xf32>
  return %0, %1, %2 : tensor<2x8x16xf32>, tensor<2x8x16xf32>, tensor<2x8x16xf32>
}

// -----

// CHECK-LABEL: func @casts
func.func @casts(%x: tensor<4xf32>) -> tensor<2x2xi64> {
  // CHECK: npu.cast %{{.*}} : tensor<4xf32> -> tensor<4xi64>
  %0 = npu.cast %x : tensor<4xf32> -> tensor<4xi64>
  // CHECK: npu.reshape %{{.*}} : tensor<4xi64> -> tensor<2x2xi64>
  %1 = npu.reshape %0 : tensor<4xi64> -> tensor<2x2xi64>
  return %1 : tensor<2x2xi64>
}

// -----

// CHECK-LABEL: func @spatial_and_algebra
func.func @spatial_and_algebra(%x: tensor<1x2x4x4x4xf32>, %w: tensor<3x2x3x3x3xf32>, %m: tensor<2x3x3xf32>, %i: tensor<1x2x2x2x2xi64>) -> (tensor<1x3x2x2x2xf32>, tensor<1x2x2x2x2xi64>, tensor<2xf32>, tensor<2x3xf32>, tensor<1x2x4x4x4xf32>) {
  // CHECK: npu.conv {{.*}} -> tensor<1x3x2x2x2xf32>
  %0 = npu.conv %x, %w {strides = array<i64: 1, 1, 1>, pads = array<i64: 0, 0, 0, 0, 0, 0>, dilations = array<i64: 1, 1, 1>, group = 1 : i64} : (tensor<1x2x4x4x4xf32>, tensor<3x2x3x3x3xf32>) -> tensor<1x3x2x2x2xf32>
  // CHECK: npu.max_pool_with_indices {{.*}} -> tensor<1x2x2x2x2xf32>, tensor<1x2x2x2x2xi64>
  %1, %2 = npu.max_pool_with_indices %x {kernel = array<i64: 2, 2, 2>, strides = array<i64: 2, 2, 2>, pads = array<i64: 0, 0, 0, 0, 0, 0>, dilations = array<i64: 1, 1, 1>} : tensor<1x2x4x4x4xf32> -> tensor<1x2x2x2x2xf32>, tensor<1x2x2x2x2xi64>
  // CHECK: npu.det {{.*}} -> tensor<2xf32>
  %3 = npu.det %m : tensor<2x3x3xf32> -> tensor<2xf32>
  // CHECK: npu.einsum {{.*}} {equation = "bii->bi"} : (tensor<2x3x3xf32>) -> tensor<2x3xf32>
  %4 = npu.einsum %m {equation = "bii->bi"} : (tensor<2x3x3xf32>) -> tensor<2x3xf32>
  // CHECK: npu.scatter_flat {{.*}} -> tensor<1x2x4x4x4xf32>
  %5 = npu.scatter_flat %1, %2 {shape = array<i64: 1, 2, 4, 4, 4>} : tensor<1x2x2x2x2xf32>, tensor<1x2x2x2x2xi64> -> tensor<1x2x4x4x4xf32>
  return %0, %2, %3, %4, %5 : tensor<1x3x2x2x2xf32>, tensor<1x2x2x2x2xi64>, tensor<2xf32>, tensor<2x3xf32>, tensor<1x2x4x4x4xf32>
}
