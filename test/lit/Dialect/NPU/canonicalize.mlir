// RUN: npu-opt %s -split-input-file -canonicalize | FileCheck %s

// CHECK-LABEL: func @pow_two
// CHECK-NEXT: %[[M:.*]] = npu.mul %arg0, %arg0
// CHECK-NEXT: return %[[M]]
func.func @pow_two(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c = npu.constant dense<2.0> : tensor<f32>
  %0 = npu.pow %x, %c : tensor<4xf32>, tensor<f32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func @pow_half
// CHECK: npu.sqrt %arg0
func.func @pow_half(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c = npu.constant dense<0.5> : tensor<1xf32>
  %0 = npu.pow %x, %c : tensor<4xf32>, tensor<1xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// A broadcasting exponent changes the shape, so pow stays.
// CHECK-LABEL: func @pow_broadcast
// CHECK: npu.pow
func.func @pow_broadcast(%x: tensor<4xf32>) -> tensor<3x4xf32> {
  %c = npu.constant dense<2.0> : tensor<3x4xf32>
  %0 = npu.pow %x, %c : tensor<4xf32>, tensor<3x4xf32> -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

// CHECK-LABEL: func @identities
// CHECK-NEXT: return %arg0
func.func @identities(%x: tensor<4xf32>) -> tensor<4xf32> {
  %zero = npu.constant dense<0.0> : tensor<f32>
  %one = npu.constant dense<1.0> : tensor<4xf32>
  %0 = npu.add %x, %zero : tensor<4xf32>, tensor<f32> -> tensor<4xf32>
  %1 = npu.mul %one, %0 : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  %2 = npu.div %1, %one : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  %3 = npu.neg %2 : tensor<4xf32>
  %4 = npu.neg %3 : tensor<4xf32>
  return %4 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func @reshapes
// CHECK-NEXT: %[[R:.*]] = npu.reshape %arg0 : tensor<2x3x4xf32> -> tensor<6x4xf32>
// CHECK-NEXT: return %[[R]]
func.func @reshapes(%x: tensor<2x3x4xf32>) -> tensor<6x4xf32> {
  %0 = npu.reshape %x : tensor<2x3x4xf32> -> tensor<24xf32>
  %1 = npu.reshape %0 : tensor<24xf32> -> tensor<6x4xf32>
  return %1 : tensor<6x4xf32>
}

// -----

// CHECK-LABEL: func @flatten
// CHECK-NEXT: npu.reshape %arg0 : tensor<2x3x4xf32> -> tensor<2x12xf32>
func.func @flatten(%x: tensor<2x3x4xf32>) -> tensor<2x12xf32> {
  %0 = npu.flatten %x {axis = 1 : i64} : tensor<2x3x4xf32> -> tensor<2x12xf32>
  return %0 : tensor<2x12xf32>
}

// -----

// CHECK-LABEL: func @transposes
// CHECK-NEXT: %[[T:.*]] = npu.transpose %arg0 {perm = array<i64: 1, 2, 0>}
// CHECK-NEXT: return %[[T]]
func.func @transposes(%x: tensor<2x3x4xf32>) -> tensor<3x4x2xf32> {
  %0 = npu.transpose %x {perm = array<i64: 0, 2, 1>} : tensor<2x3x4xf32> -> tensor<2x4x3xf32>
  %1 = npu.transpose %0 {perm = array<i64: 2, 1, 0>} : tensor<2x4x3xf32> -> tensor<3x4x2xf32>
  return %1 : tensor<3x4x2xf32>
}

// -----

// CHECK-LABEL: func @identity_ops
// CHECK-NEXT: return %arg0, %arg0, %arg0
func.func @identity_ops(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %0 = npu.transpose %x {perm = array<i64: 0, 1>} : tensor<2x3xf32> -> tensor<2x3xf32>
  %1 = npu.concat %x {axis = 0 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %2 = npu.slice %x {starts = array<i64: 0, 0>, sizes = array<i64: 2, 3>, steps = array<i64: 1, 1>} : tensor<2x3xf32> -> tensor<2x3xf32>
  return %0, %1, %2 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// Empty inputs of a concat are dropped; one input left folds away.
// CHECK-LABEL: func @concat_empty
// CHECK-NEXT: %[[C:.*]] = npu.concat %arg0, %arg1 {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
// CHECK-NEXT: return %arg0, %[[C]]
func.func @concat_empty(%x: tensor<2x3xf32>, %y: tensor<2x1xf32>) -> (tensor<2x3xf32>, tensor<2x4xf32>) {
  %e = npu.constant dense<> : tensor<2x0xf32>
  %0 = npu.concat %e, %x, %e {axis = 1 : i64} : (tensor<2x0xf32>, tensor<2x3xf32>, tensor<2x0xf32>) -> tensor<2x3xf32>
  %1 = npu.concat %x, %e, %y {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x0xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<2x4xf32>
}
