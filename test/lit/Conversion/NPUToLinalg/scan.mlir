// RUN: npu-opt %s -convert-npu-to-linalg -canonicalize -split-input-file | FileCheck %s

// Per outer index, one pass over the axis carrying the running sum of the
// contiguous inner rows; an exclusive sum stores it before adding row i.
// CHECK-LABEL: func.func @cumsum_exclusive
// CHECK: scf.for %[[O:[a-z0-9_]+]] = %{{.+}} to %c2 step %{{.+}} iter_args(%[[A:[a-z0-9_]+]] = %{{.+}}, %{{.+}}) -> (tensor<4xi32>, tensor<2x3x4xi32>)
// CHECK: %[[ZERO:.+]] = linalg.fill {{.*}} outs(%[[A]] : tensor<4xi32>)
// CHECK: scf.for %[[I:[a-z0-9_]+]] = %{{.+}} to %c3 step %{{.+}} iter_args(%[[ACC:[a-z0-9_]+]] = %[[ZERO]], %[[OUT:[a-z0-9_]+]] = %{{.+}}) -> (tensor<4xi32>, tensor<2x3x4xi32>)
// CHECK: %[[X:.+]] = tensor.extract_slice %arg0[%[[O]], %[[I]], 0] [1, 1, 4] [1, 1, 1] : tensor<2x3x4xi32> to tensor<4xi32>
// CHECK: %[[STORED:.+]] = tensor.insert_slice %[[ACC]] into %[[OUT]][%[[O]], %[[I]], 0]
// CHECK: %[[NEXT:.+]] = linalg.generic {{.*}} ins(%[[X]] : tensor<4xi32>) outs(%[[ACC]] : tensor<4xi32>)
// CHECK: arith.addi
// CHECK: scf.yield %[[NEXT]], %[[STORED]]
func.func @cumsum_exclusive(%x: tensor<2x3x4xi32>) -> tensor<2x3x4xi32> {
  %0 = npu.cumsum %x {axis = 1 : i64, exclusive} : tensor<2x3x4xi32>
  return %0 : tensor<2x3x4xi32>
}

// -----

// Reverse walks the axis from the end.
// CHECK-LABEL: func.func @cumsum_reverse
// CHECK: scf.for %[[J:[a-z0-9_]+]] =
// CHECK: %[[I:.+]] = arith.subi %{{.+}}, %[[J]] : index
// CHECK: tensor.extract_slice %{{.+}}[{{.+}}, %[[I]], 0]
// CHECK: arith.addf
func.func @cumsum_reverse(%x: tensor<5xf64>) -> tensor<5xf64> {
  %0 = npu.cumsum %x {axis = 0 : i64, reverse} : tensor<5xf64>
  return %0 : tensor<5xf64>
}

// -----

// Per lane: sentinel fill, a heap of the k best with the worst at the root
// (unsigned compare, ties to the lower index), then an in-place heap sort.
// CHECK-LABEL: func.func @top_k
// CHECK: %[[SENT:.+]] = arith.constant 9223372036854775807 : i64
// CHECK: scf.for %[[O:[a-z0-9_]+]] =
// CHECK: scf.for %{{.+}} = %{{.+}} to %c3
// CHECK: tensor.insert %[[SENT]]
// CHECK: scf.for %[[I:[a-z0-9_]+]] = %{{.+}} to %c8
// CHECK: %[[X:.+]] = tensor.extract %{{.+}}[%[[O]], %[[I]], %{{.+}}] : tensor<5x8x1xi32>
// CHECK: %[[XI:.+]] = arith.index_cast %[[I]] : index to i64
// CHECK: %[[ROOT:.+]] = tensor.extract %{{.+}}[%[[O]], %c0, %c0] : tensor<5x3x1xi32>
// CHECK: %[[ROOTI:.+]] = tensor.extract %{{.+}}[%[[O]], %c0, %c0] : tensor<5x3x1xi64>
// CHECK: %[[EQ:.+]] = arith.cmpi eq, %[[ROOT]], %[[X]] : i32
// CHECK: %[[LATER:.+]] = arith.cmpi sgt, %[[ROOTI]], %[[XI]] : i64
// CHECK: %[[TIE:.+]] = arith.andi %[[EQ]], %[[LATER]]
// CHECK: %[[LESS:.+]] = arith.cmpi ult, %[[ROOT]], %[[X]] : i32
// CHECK: %[[TAKE:.+]] = arith.ori %[[LESS]], %[[TIE]]
// CHECK: scf.if %[[TAKE]]
// CHECK: tensor.insert %[[X]]
// CHECK: tensor.insert %[[XI]]
// Heap sort: swap the root with the last slot, sift down the rest.
// CHECK: scf.for %[[J:[a-z0-9_]+]] = %{{.+}} to %c2
// CHECK: %[[END:.+]] = arith.subi %c2, %[[J]] : index
// CHECK: tensor.insert %{{.+}} into %{{.+}}[%[[O]], %[[END]], %c0] : tensor<5x3x1xi32>
// CHECK: tensor.collapse_shape
func.func @top_k(%x: tensor<5x8xi32>) -> (tensor<5x3xi32>, tensor<5x3xi64>) {
  %v, %i = npu.top_k %x {axis = 1 : i64, k = 3 : i64, unsigned_input} : tensor<5x8xi32> -> tensor<5x3xi32>, tensor<5x3xi64>
  return %v, %i : tensor<5x3xi32>, tensor<5x3xi64>
}

// -----

// Smallest: +inf sentinels and ordered greater-than.
// CHECK-LABEL: func.func @top_k_smallest
// CHECK: arith.constant 0x7F800000 : f32
// CHECK: arith.cmpf ogt
func.func @top_k_smallest(%x: tensor<4x6xf32>) -> (tensor<2x6xf32>, tensor<2x6xi64>) {
  %v, %i = npu.top_k %x {axis = 0 : i64, k = 2 : i64, smallest} : tensor<4x6xf32> -> tensor<2x6xf32>, tensor<2x6xi64>
  return %v, %i : tensor<2x6xf32>, tensor<2x6xi64>
}
