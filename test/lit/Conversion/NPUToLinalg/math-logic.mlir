// RUN: npu-opt %s -convert-npu-to-linalg -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @compare_select
// CHECK: linalg.generic
// CHECK: arith.cmpi ugt
// CHECK: linalg.generic
// CHECK: arith.select
// CHECK-NOT: npu.
func.func @compare_select(%a: tensor<4xi32>, %b: tensor<i32>) -> tensor<4xi32> {
  %c = npu.compare "gt", %a, %b {unsigned_operands} : tensor<4xi32>, tensor<i32> -> tensor<4xi1>
  %0 = npu.select %c, %a, %b : tensor<4xi1>, tensor<4xi32>, tensor<i32> -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// Python-style remainder: a non-zero result takes the divisor's sign.
// CHECK-LABEL: func.func @mod
// CHECK: %[[R:.+]] = arith.remsi
// CHECK: %[[FIX:.+]] = arith.andi
// CHECK: %[[ADJ:.+]] = arith.addi %[[R]]
// CHECK: arith.select %[[FIX]], %[[ADJ]], %[[R]]
// CHECK-LABEL: func.func @fmod
// CHECK: arith.remf
func.func @mod(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi32> {
  %0 = npu.mod %a, %b : tensor<4xi32>, tensor<4xi32> -> tensor<4xi32>
  return %0 : tensor<4xi32>
}
func.func @fmod(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %0 = npu.mod %a, %b {fmod} : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @unary
// CHECK: math.floor
// CHECK: math.roundeven
// CHECK: math.acosh
// CHECK: arith.xori
func.func @unary(%a: tensor<4xf32>, %m: tensor<4xi1>) -> (tensor<4xf32>, tensor<4xi1>) {
  %0 = npu.floor %a : tensor<4xf32>
  %1 = npu.round %0 : tensor<4xf32>
  %2 = npu.acosh %1 : tensor<4xf32>
  %3 = npu.not %m : tensor<4xi1>
  return %2, %3 : tensor<4xf32>, tensor<4xi1>
}

// -----

// The index rides along with the running maximum; ties keep the first.
// CHECK-LABEL: func.func @arg_max
// CHECK: %[[IDX:.+]]:2 = linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "reduction"]
// CHECK: arith.cmpf ogt
// CHECK: linalg.index 1
// CHECK: tensor.expand_shape %[[IDX]]#1
func.func @arg_max(%a: tensor<2x3xf32>) -> tensor<2x1xi64> {
  %0 = npu.arg_max %a {axis = 1 : i64, keepdims = true} : tensor<2x3xf32> -> tensor<2x1xi64>
  return %0 : tensor<2x1xi64>
}

// -----

// CHECK-LABEL: func.func @reduce_prod
// CHECK: %[[ONE:.+]] = arith.constant 1.000000e+00 : f32
// CHECK: linalg.fill ins(%[[ONE]]
// CHECK: linalg.generic
// CHECK: arith.mulf
func.func @reduce_prod(%a: tensor<2x3xf32>) -> tensor<2xf32> {
  %0 = npu.reduce_prod %a {axes = array<i64: 1>, keepdims = false} : tensor<2x3xf32> -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// Shifts by the bit width or more give 0; unsigned Div is divui.
// CHECK-LABEL: func.func @bit_shift
// CHECK: %[[SHL:.+]] = arith.shli %[[X:.+]], %[[Y:.+]] : i8
// CHECK: %[[OK:.+]] = arith.cmpi ult, %[[Y]], %{{.+}} : i8
// CHECK: arith.select %[[OK]], %[[SHL]], %{{.+}} : i8
// CHECK: arith.shrui
// CHECK: arith.divui
// CHECK-NOT: npu.
func.func @bit_shift(%a: tensor<4xi8>, %b: tensor<4xi8>) -> (tensor<4xi8>, tensor<4xi8>, tensor<4xi8>) {
  %0 = npu.bit_shift %a, %b {left} : tensor<4xi8>, tensor<4xi8> -> tensor<4xi8>
  %1 = npu.bit_shift %a, %b : tensor<4xi8>, tensor<4xi8> -> tensor<4xi8>
  %2 = npu.div %a, %b {unsigned_operands} : tensor<4xi8>, tensor<4xi8> -> tensor<4xi8>
  return %0, %1, %2 : tensor<4xi8>, tensor<4xi8>, tensor<4xi8>
}
