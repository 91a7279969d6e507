// RUN: npu-opt %s -convert-npu-to-linalg -split-input-file | FileCheck %s

// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[OUT:.+]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-LABEL: func.func @reduce_sum
// CHECK: %[[Z:.+]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[I:.+]] = linalg.fill ins(%[[Z]] : f32) outs(%{{.+}} : tensor<3xf32>)
// CHECK: %[[S:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[OUT]]], iterator_types = ["reduction", "parallel", "reduction"]} ins(%arg0 : tensor<2x3x4xf32>) outs(%[[I]] : tensor<3xf32>)
// CHECK: ^bb0(%[[IN:.+]]: f32, %[[ACC:.+]]: f32):
// CHECK-NEXT: %[[A:.+]] = arith.addf %[[ACC]], %[[IN]] : f32
// CHECK-NEXT: linalg.yield %[[A]]
// CHECK: return %[[S]]
func.func @reduce_sum(%x: tensor<2x3x4xf32>) -> tensor<3xf32> {
  %0 = npu.reduce_sum %x {axes = array<i64: 0, 2>, keepdims = false} : tensor<2x3x4xf32> -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// keepdims is an expand_shape after the reduction; mean divides by 2 * 4.
// CHECK-LABEL: func.func @reduce_mean_keepdims
// CHECK: %[[S:.+]] = linalg.generic {{.*}}iterator_types = ["reduction", "parallel", "reduction"]
// CHECK: %[[M:.+]] = linalg.generic {{.*}} ins(%[[S]] : tensor<3xf32>)
// CHECK: %[[C:.+]] = arith.constant 8.000000e+00 : f32
// CHECK-NEXT: arith.divf %{{.+}}, %[[C]] : f32
// CHECK: tensor.expand_shape %[[M]] {{\[\[}}0, 1, 2]] output_shape [1, 3, 1] : tensor<3xf32> into tensor<1x3x1xf32>
func.func @reduce_mean_keepdims(%x: tensor<2x3x4xf32>) -> tensor<1x3x1xf32> {
  %0 = npu.reduce_mean %x {axes = array<i64: 0, 2>, keepdims = true} : tensor<2x3x4xf32> -> tensor<1x3x1xf32>
  return %0 : tensor<1x3x1xf32>
}

// -----

// CHECK-LABEL: func.func @reduce_max
// CHECK: %[[NINF:.+]] = arith.constant 0xFF800000 : f32
// CHECK: linalg.fill ins(%[[NINF]] : f32)
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]
// CHECK: arith.maximumf
func.func @reduce_max(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  %0 = npu.reduce_max %x {axes = array<i64: 1>, keepdims = false} : tensor<2x3xf32> -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// Integers: max starts from the signed minimum, mean divides with divsi.
// CHECK-LABEL: func.func @reduce_int
// CHECK: arith.constant -2147483648 : i32
// CHECK: arith.maxsi
// CHECK: arith.constant 0 : i32
// CHECK: arith.addi
// CHECK: arith.constant 3 : i32
// CHECK-NEXT: arith.divsi
func.func @reduce_int(%x: tensor<2x3xi32>) -> (tensor<2xi32>, tensor<2xi32>) {
  %0 = npu.reduce_max %x {axes = array<i64: 1>, keepdims = false} : tensor<2x3xi32> -> tensor<2xi32>
  %1 = npu.reduce_mean %x {axes = array<i64: 1>, keepdims = false} : tensor<2x3xi32> -> tensor<2xi32>
  return %0, %1 : tensor<2xi32>, tensor<2xi32>
}

// -----

// Reducing every axis gives a rank-0 tensor.
// CHECK-LABEL: func.func @reduce_all
// CHECK: linalg.generic {indexing_maps = [#{{.+}}, #{{.+}}], iterator_types = ["reduction", "reduction"]} ins(%arg0 : tensor<2x3xf32>) outs(%{{.+}} : tensor<f32>)
func.func @reduce_all(%x: tensor<2x3xf32>) -> tensor<f32> {
  %0 = npu.reduce_sum %x {axes = array<i64: 0, 1>, keepdims = false} : tensor<2x3xf32> -> tensor<f32>
  return %0 : tensor<f32>
}
