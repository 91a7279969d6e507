// RUN: npu-opt %s -convert-npu-to-linalg -split-input-file | FileCheck %s

// Collapse or expand when one shape refines the other, otherwise go
// through the flat vector.
// CHECK-LABEL: func.func @reshape
// CHECK-SAME: (%[[X:.+]]: tensor<2x3x4xf32>, %{{.+}}: tensor<6x4xf32>)
// CHECK: %[[A:.+]] = tensor.collapse_shape %[[X]] {{\[\[}}0, 1], [2]] : tensor<2x3x4xf32> into tensor<6x4xf32>
// CHECK: %[[F:.+]] = tensor.collapse_shape %[[X]] {{\[\[}}0, 1, 2]] : tensor<2x3x4xf32> into tensor<24xf32>
// CHECK: %[[B:.+]] = tensor.expand_shape %[[F]] {{\[\[}}0, 1]] output_shape [4, 6] : tensor<24xf32> into tensor<4x6xf32>
// CHECK: %[[C:.+]] = tensor.expand_shape %arg1 {{\[\[}}0], [1, 2]] output_shape [6, 2, 2] : tensor<6x4xf32> into tensor<6x2x2xf32>
// CHECK: return %[[A]], %[[B]], %[[C]]
func.func @reshape(%x: tensor<2x3x4xf32>, %y: tensor<6x4xf32>) -> (tensor<6x4xf32>, tensor<4x6xf32>, tensor<6x2x2xf32>) {
  %0 = npu.reshape %x : tensor<2x3x4xf32> -> tensor<6x4xf32>
  %1 = npu.reshape %x : tensor<2x3x4xf32> -> tensor<4x6xf32>
  %2 = npu.reshape %y : tensor<6x4xf32> -> tensor<6x2x2xf32>
  return %0, %1, %2 : tensor<6x4xf32>, tensor<4x6xf32>, tensor<6x2x2xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_scalar
// CHECK: %[[C:.+]] = tensor.collapse_shape %arg0 [] : tensor<1x1xf32> into tensor<f32>
// CHECK: %[[E:.+]] = tensor.expand_shape %arg1 [] output_shape [1] : tensor<f32> into tensor<1xf32>
// CHECK: return %[[C]], %[[E]]
func.func @reshape_scalar(%x: tensor<1x1xf32>, %y: tensor<f32>) -> (tensor<f32>, tensor<1xf32>) {
  %0 = npu.reshape %x : tensor<1x1xf32> -> tensor<f32>
  %1 = npu.reshape %y : tensor<f32> -> tensor<1xf32>
  return %0, %1 : tensor<f32>, tensor<1xf32>
}

// -----

// CHECK-LABEL: func.func @flatten
// CHECK: tensor.collapse_shape %arg0 {{\[\[}}0, 1], [2, 3]] : tensor<2x3x4x5xf32> into tensor<6x20xf32>
func.func @flatten(%x: tensor<2x3x4x5xf32>) -> tensor<6x20xf32> {
  %0 = npu.flatten %x {axis = 2 : i64} : tensor<2x3x4x5xf32> -> tensor<6x20xf32>
  return %0 : tensor<6x20xf32>
}

// -----

// CHECK-LABEL: func.func @transpose
// CHECK: %[[E:.+]] = tensor.empty() : tensor<4x2x3xf32>
// CHECK: linalg.transpose ins(%arg0 : tensor<2x3x4xf32>) outs(%[[E]] : tensor<4x2x3xf32>) permutation = [2, 0, 1]
func.func @transpose(%x: tensor<2x3x4xf32>) -> tensor<4x2x3xf32> {
  %0 = npu.transpose %x {perm = array<i64: 2, 0, 1>} : tensor<2x3x4xf32> -> tensor<4x2x3xf32>
  return %0 : tensor<4x2x3xf32>
}

// -----

// CHECK-LABEL: func.func @concat
// CHECK: %[[E:.+]] = tensor.empty() : tensor<2x10xf32>
// CHECK: %[[A:.+]] = tensor.insert_slice %arg0 into %[[E]][0, 0] [2, 3] [1, 1] : tensor<2x3xf32> into tensor<2x10xf32>
// CHECK: %[[B:.+]] = tensor.insert_slice %arg1 into %[[A]][0, 3] [2, 5] [1, 1] : tensor<2x5xf32> into tensor<2x10xf32>
// CHECK: %[[C:.+]] = tensor.insert_slice %arg2 into %[[B]][0, 8] [2, 2] [1, 1] : tensor<2x2xf32> into tensor<2x10xf32>
// CHECK: return %[[C]]
func.func @concat(%a: tensor<2x3xf32>, %b: tensor<2x5xf32>, %c: tensor<2x2xf32>) -> tensor<2x10xf32> {
  %0 = npu.concat %a, %b, %c {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x5xf32>, tensor<2x2xf32>) -> tensor<2x10xf32>
  return %0 : tensor<2x10xf32>
}

// -----

// CHECK-LABEL: func.func @split
// CHECK: %[[A:.+]] = tensor.extract_slice %arg0[0, 0] [2, 4] [1, 1] : tensor<6x4xf32> to tensor<2x4xf32>
// CHECK: %[[B:.+]] = tensor.extract_slice %arg0[2, 0] [4, 4] [1, 1] : tensor<6x4xf32> to tensor<4x4xf32>
// CHECK: return %[[A]], %[[B]]
func.func @split(%x: tensor<6x4xf32>) -> (tensor<2x4xf32>, tensor<4x4xf32>) {
  %0:2 = npu.split %x {axis = 0 : i64, sizes = array<i64: 2, 4>} : tensor<6x4xf32> -> tensor<2x4xf32>, tensor<4x4xf32>
  return %0#0, %0#1 : tensor<2x4xf32>, tensor<4x4xf32>
}

// -----

// Positive steps: a strided extract_slice.
// CHECK-LABEL: func.func @slice_positive
// CHECK: tensor.extract_slice %arg0[1, 0] [2, 3] [2, 2] : tensor<5x6xf32> to tensor<2x3xf32>
func.func @slice_positive(%x: tensor<5x6xf32>) -> tensor<2x3xf32> {
  %0 = npu.slice %x {starts = array<i64: 1, 0>, sizes = array<i64: 2, 3>, steps = array<i64: 2, 2>} : tensor<5x6xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Negative steps: a copy whose input map walks backwards from the start.
// CHECK-DAG: #[[REV:.+]] = affine_map<(d0, d1) -> (d0 * -2 + 4, d1 + 1)>
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @slice_negative
// CHECK: linalg.generic {indexing_maps = [#[[REV]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%arg0 : tensor<5x6xf32>) outs(%{{.+}} : tensor<2x3xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.+]]: f32, %{{.+}}: f32):
// CHECK-NEXT: linalg.yield %[[IN]] : f32
func.func @slice_negative(%x: tensor<5x6xf32>) -> tensor<2x3xf32> {
  %0 = npu.slice %x {starts = array<i64: 4, 1>, sizes = array<i64: 2, 3>, steps = array<i64: -2, 1>} : tensor<5x6xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Indices wrap when negative and are clamped to [0, 2] before the load.
// CHECK-DAG: #[[IDX:.+]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @gather
// CHECK-SAME: (%[[D:.+]]: tensor<4x3xf32>, %[[I:.+]]: tensor<2x2xi32>)
// CHECK: linalg.generic {indexing_maps = [#[[IDX]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[I]] : tensor<2x2xi32>) outs(%{{.+}} : tensor<4x2x2xf32>)
// CHECK: ^bb0(%[[V:.+]]: i32, %{{.+}}: f32):
// CHECK: %[[E:.+]] = arith.extsi %[[V]] : i32 to i64
// CHECK-DAG: %[[Z:.+]] = arith.constant 0 : i64
// CHECK-DAG: %[[N:.+]] = arith.constant 3 : i64
// CHECK: %[[NEG:.+]] = arith.cmpi slt, %[[E]], %[[Z]] : i64
// CHECK: %[[W:.+]] = arith.addi %[[E]], %[[N]] : i64
// CHECK: %[[S:.+]] = arith.select %[[NEG]], %[[W]], %[[E]] : i64
// CHECK: %[[LO:.+]] = arith.maxsi %[[S]], %[[Z]] : i64
// CHECK: %[[LAST:.+]] = arith.constant 2 : i64
// CHECK: %[[HI:.+]] = arith.minsi %[[LO]], %[[LAST]] : i64
// CHECK: %[[K:.+]] = arith.index_cast %[[HI]] : i64 to index
// CHECK: %[[R:.+]] = linalg.index 0 : index
// CHECK: %[[X:.+]] = tensor.extract %[[D]][%[[R]], %[[K]]] : tensor<4x3xf32>
// CHECK: linalg.yield %[[X]] : f32
func.func @gather(%d: tensor<4x3xf32>, %i: tensor<2x2xi32>) -> tensor<4x2x2xf32> {
  %0 = npu.gather %d, %i {axis = 1 : i64} : tensor<4x3xf32>, tensor<2x2xi32> -> tensor<4x2x2xf32>
  return %0 : tensor<4x2x2xf32>
}

// -----

// CHECK-LABEL: func.func @pad_constant
// CHECK: %[[V:.+]] = arith.constant 1.500000e+00 : f32
// CHECK: tensor.pad %arg0 low[1, 0] high[0, 2]
// CHECK: tensor.yield %[[V]] : f32
// CHECK: } : tensor<3x4xf32> to tensor<4x6xf32>
func.func @pad_constant(%x: tensor<3x4xf32>) -> tensor<4x6xf32> {
  %0 = npu.pad %x {pads = array<i64: 1, 0, 0, 2>, mode = "constant", value = 1.5 : f64} : tensor<3x4xf32> -> tensor<4x6xf32>
  return %0 : tensor<4x6xf32>
}

// -----

// CHECK-LABEL: func.func @pad_constant_int
// CHECK: %[[V:.+]] = arith.constant -3 : i32
// CHECK: tensor.yield %[[V]] : i32
func.func @pad_constant_int(%x: tensor<3xi32>) -> tensor<5xi32> {
  %0 = npu.pad %x {pads = array<i64: 1, 1>, mode = "constant", value = -3.0 : f64} : tensor<3xi32> -> tensor<5xi32>
  return %0 : tensor<5xi32>
}

// -----

// Reflect: i = o - begin, then last - |last - |i||; unpadded dims use the
// loop index directly.
// CHECK-LABEL: func.func @pad_reflect
// CHECK: linalg.generic {{.*}} outs(%{{.+}} : tensor<5x4xf32>)
// CHECK: %[[O:.+]] = linalg.index 0 : index
// CHECK: %[[B:.+]] = arith.constant 2 : index
// CHECK: %[[I:.+]] = arith.subi %[[O]], %[[B]] : index
// CHECK-DAG: %[[Z:.+]] = arith.constant 0 : index
// CHECK-DAG: %[[L:.+]] = arith.constant 2 : index
// CHECK: %[[NI:.+]] = arith.subi %[[Z]], %[[I]] : index
// CHECK: %[[A:.+]] = arith.maxsi %[[I]], %[[NI]] : index
// CHECK: %[[R:.+]] = arith.subi %[[L]], %[[A]] : index
// CHECK: %[[NR:.+]] = arith.subi %[[Z]], %[[R]] : index
// CHECK: %[[AR:.+]] = arith.maxsi %[[R]], %[[NR]] : index
// CHECK: %[[S:.+]] = arith.subi %[[L]], %[[AR]] : index
// CHECK: %[[C:.+]] = linalg.index 1 : index
// CHECK: tensor.extract %arg0[%[[S]], %[[C]]] : tensor<3x4xf32>
func.func @pad_reflect(%x: tensor<3x4xf32>) -> tensor<5x4xf32> {
  %0 = npu.pad %x {pads = array<i64: 2, 0, 0, 0>, mode = "reflect"} : tensor<3x4xf32> -> tensor<5x4xf32>
  return %0 : tensor<5x4xf32>
}

// -----

// Edge: clamp o - begin into [0, last].
// CHECK-LABEL: func.func @pad_edge
// CHECK: %[[O:.+]] = linalg.index 1 : index
// CHECK: %[[B:.+]] = arith.constant 1 : index
// CHECK: %[[I:.+]] = arith.subi %[[O]], %[[B]] : index
// CHECK-DAG: %[[Z:.+]] = arith.constant 0 : index
// CHECK-DAG: %[[L:.+]] = arith.constant 3 : index
// CHECK: %[[LO:.+]] = arith.maxsi %[[I]], %[[Z]] : index
// CHECK: %[[HI:.+]] = arith.minsi %[[LO]], %[[L]] : index
// CHECK: tensor.extract %arg0[%{{.+}}, %[[HI]]] : tensor<3x4xf32>
func.func @pad_edge(%x: tensor<3x4xf32>) -> tensor<3x7xf32> {
  %0 = npu.pad %x {pads = array<i64: 0, 1, 0, 2>, mode = "edge"} : tensor<3x4xf32> -> tensor<3x7xf32>
  return %0 : tensor<3x7xf32>
}

// -----

// The constant's attribute moves over unchanged; a dense_resource blob is
// referenced, not copied.
// CHECK-LABEL: func.func @constants
// CHECK: arith.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK: arith.constant dense_resource<weights> : tensor<2x2xf32>
// CHECK: weights: "0x040000000000803F000000400000404000008040"
func.func @constants() -> (tensor<2xf32>, tensor<2x2xf32>) {
  %0 = npu.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %1 = npu.constant dense_resource<weights> : tensor<2x2xf32>
  return %0, %1 : tensor<2xf32>, tensor<2x2xf32>
}
{-#
  dialect_resources: {
    builtin: {
      weights: "0x040000000000803F000000400000404000008040"
    }
  }
#-}

// -----

// CHECK-LABEL: func.func @slice_empty
// CHECK: %[[E:.+]] = tensor.empty() : tensor<0x3xf32>
// CHECK: return %[[E]]
func.func @slice_empty(%x: tensor<5x6xf32>) -> tensor<0x3xf32> {
  %0 = npu.slice %x {starts = array<i64: 4, 5>, sizes = array<i64: 0, 3>, steps = array<i64: -1, -1>} : tensor<5x6xf32> -> tensor<0x3xf32>
  return %0 : tensor<0x3xf32>
}
