// RUN: npu-opt %s -convert-npu-to-linalg -split-input-file | FileCheck %s

// einsum: a loop per letter; a repeated letter reads a diagonal. Without
// summed letters the generic writes an empty tensor.
// CHECK-DAG: #[[DIAG:.+]] = affine_map<(d0, d1) -> (d0, d1, d1)>
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @einsum_diag
// CHECK: %[[E:.+]] = tensor.empty() : tensor<3x5xf32>
// CHECK: linalg.generic {indexing_maps = [#[[DIAG]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%arg0 : tensor<3x5x5xf32>) outs(%[[E]] : tensor<3x5xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.+]]: f32, %{{.+}}: f32):
// CHECK-NEXT: linalg.yield %[[IN]] : f32
func.func @einsum_diag(%x: tensor<3x5x5xf32>) -> tensor<3x5xf32> {
  %0 = npu.einsum %x {equation = "Aii->Ai"} : (tensor<3x5x5xf32>) -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

// -----

// Output letters come first, summed letters after as reductions; a size-1
// dim facing a larger letter (broadcast) reads index 0.
// CHECK-DAG: #[[A:.+]] = affine_map<(d0, d1, d2, d3) -> (0, d2, d3)>
// CHECK-DAG: #[[B:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d1)>
// CHECK-DAG: #[[OUT:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @einsum_bmm
// CHECK: %[[Z:.+]] = linalg.fill ins(%{{.+}} : f64) outs(%{{.+}} : tensor<4x5x2xf64>)
// CHECK: linalg.generic {indexing_maps = [#[[A]], #[[B]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%arg0, %arg1 : tensor<1x2x3xf64>, tensor<4x3x5xf64>) outs(%[[Z]] : tensor<4x5x2xf64>)
// CHECK: %[[M:.+]] = arith.mulf
// CHECK: arith.addf %{{.+}}, %[[M]] : f64
func.func @einsum_bmm(%a: tensor<1x2x3xf64>, %b: tensor<4x3x5xf64>) -> tensor<4x5x2xf64> {
  %0 = npu.einsum %a, %b {equation = "bij,bjk->bki"} : (tensor<1x2x3xf64>, tensor<4x3x5xf64>) -> tensor<4x5x2xf64>
  return %0 : tensor<4x5x2xf64>
}

// -----

// CHECK-DAG: #[[V:.+]] = affine_map<(d0) -> (d0)>
// CHECK-DAG: #[[S:.+]] = affine_map<(d0) -> ()>
// CHECK-LABEL: func.func @einsum_dot
// CHECK: linalg.generic {indexing_maps = [#[[V]], #[[V]], #[[S]]], iterator_types = ["reduction"]} ins(%arg0, %arg0 : tensor<5xi32>, tensor<5xi32>) outs(%{{.+}} : tensor<i32>)
// CHECK: arith.muli
// CHECK: arith.addi
func.func @einsum_dot(%a: tensor<5xi32>) -> tensor<i32> {
  %0 = npu.einsum %a, %a {equation = "i,i->"} : (tensor<5xi32>, tensor<5xi32>) -> tensor<i32>
  return %0 : tensor<i32>
}

// -----

// det: each matrix of a copy of the input is factored in place with scf
// loops: pivot search, row swap, elimination; the determinant is the
// product of the pivots, negated per swap.
// CHECK-LABEL: func.func @det
// CHECK: %[[COPY:.+]] = linalg.copy ins(%arg0 : tensor<2x3x3xf32>) outs(%{{.+}} : tensor<2x3x3xf32>)
// CHECK: scf.for %[[B:.+]] = %{{.+}} to %{{.+}} step %{{.+}} iter_args(%[[ACC:.+]] = %{{.+}}) -> (tensor<2xf32>)
// CHECK: %[[M:.+]] = tensor.extract_slice %[[COPY]][%[[B]], 0, 0] [1, 3, 3] [1, 1, 1] : tensor<2x3x3xf32> to tensor<3x3xf32>
// CHECK: %[[LU:.+]]:2 = scf.for {{.+}} iter_args(%{{.+}} = %[[M]], %{{.+}} = %{{.+}}) -> (tensor<3x3xf32>, f32)
// CHECK: scf.for {{.+}} -> (index, f32)
// CHECK: math.absf
// CHECK: arith.cmpf ogt
// CHECK: scf.for {{.+}} -> (tensor<3x3xf32>)
// CHECK: tensor.insert
// CHECK: tensor.insert
// CHECK: arith.cmpi ne
// CHECK: arith.cmpf oeq
// CHECK: scf.for {{.+}} -> (tensor<3x3xf32>)
// CHECK: arith.divf
// CHECK: scf.for {{.+}} -> (tensor<3x3xf32>)
// CHECK: arith.subf
// CHECK: tensor.insert %[[LU]]#1 into %[[ACC]]
func.func @det(%x: tensor<2x3x3xf32>) -> tensor<2xf32> {
  %0 = npu.det %x : tensor<2x3x3xf32> -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// scatter_flat: a loop over the updates inserting into the flat, zeroed
// result; out-of-range positions are skipped.
// CHECK-LABEL: func.func @scatter
// CHECK: %[[U:.+]] = tensor.collapse_shape %arg0 {{\[\[}}0, 1, 2]] : tensor<1x2x2xf32> into tensor<4xf32>
// CHECK: %[[I:.+]] = tensor.collapse_shape %arg1 {{\[\[}}0, 1, 2]] : tensor<1x2x2xi64> into tensor<4xi64>
// CHECK: %[[Z:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<8xf32>)
// CHECK: %[[R:.+]] = scf.for %[[K:.+]] = %{{.+}} to %{{.+}} step %{{.+}} iter_args(%[[T:.+]] = %[[Z]]) -> (tensor<8xf32>)
// CHECK: %[[AT:.+]] = tensor.extract %[[I]][%[[K]]] : tensor<4xi64>
// CHECK: arith.cmpi sge, %[[AT]]
// CHECK: arith.cmpi slt, %[[AT]]
// CHECK: scf.if
// CHECK: %[[V:.+]] = tensor.extract %[[U]][%[[K]]]
// CHECK: tensor.insert %[[V]] into %[[T]]
// CHECK: } else {
// CHECK: scf.yield %[[T]]
// CHECK: tensor.expand_shape %[[R]] {{\[\[}}0, 1]] output_shape [2, 4]
func.func @scatter(%u: tensor<1x2x2xf32>, %i: tensor<1x2x2xi64>) -> tensor<2x4xf32> {
  %0 = npu.scatter_flat %u, %i {shape = array<i64: 2, 4>} : tensor<1x2x2xf32>, tensor<1x2x2xi64> -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}
