// RUN: npu-opt %s -convert-npu-to-linalg -split-input-file | FileCheck %s

// Broadcast dims of size 1 read index 0; missing leading dims are dropped
// from the operand's map.
// CHECK-DAG: #[[LHS:.+]] = affine_map<(d0, d1, d2) -> (d0, 0, d2)>
// CHECK-DAG: #[[RHS:.+]] = affine_map<(d0, d1, d2) -> (d1, 0)>
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @add_broadcast
// CHECK-SAME: (%[[A:.+]]: tensor<2x1x4xf32>, %[[B:.+]]: tensor<3x1xf32>)
// CHECK: %[[E:.+]] = tensor.empty() : tensor<2x3x4xf32>
// CHECK: %[[R:.+]] = linalg.generic {indexing_maps = [#[[LHS]], #[[RHS]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel"]}
// CHECK-SAME: ins(%[[A]], %[[B]] : tensor<2x1x4xf32>, tensor<3x1xf32>) outs(%[[E]] : tensor<2x3x4xf32>)
// CHECK: ^bb0(%[[X:.+]]: f32, %[[Y:.+]]: f32, %{{.+}}: f32):
// CHECK-NEXT: %[[S:.+]] = arith.addf %[[X]], %[[Y]] : f32
// CHECK-NEXT: linalg.yield %[[S]] : f32
// CHECK: return %[[R]]
// CHECK-NOT: npu.
func.func @add_broadcast(%a: tensor<2x1x4xf32>, %b: tensor<3x1xf32>) -> tensor<2x3x4xf32> {
  %0 = npu.add %a, %b : tensor<2x1x4xf32>, tensor<3x1xf32> -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// CHECK-DAG: #[[SCALAR:.+]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @sub_rank0
// CHECK: linalg.generic {indexing_maps = [#{{.+}}, #[[SCALAR]], #{{.+}}]
// CHECK: arith.subf
func.func @sub_rank0(%a: tensor<2x3xf32>, %b: tensor<f32>) -> tensor<2x3xf32> {
  %0 = npu.sub %a, %b : tensor<2x3xf32>, tensor<f32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @float_binary
// CHECK: arith.mulf
// CHECK: arith.divf
// CHECK: math.powf
// CHECK: arith.maximumf
// CHECK: arith.minimumf
func.func @float_binary(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %0 = npu.mul %a, %b : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  %1 = npu.div %0, %b : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  %2 = npu.pow %1, %b : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  %3 = npu.max %2, %a : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  %4 = npu.min %3, %a : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  return %4 : tensor<4xf32>
}

// -----

// Integers: division truncates (divsi), max/min are signed, relu is maxsi 0.
// CHECK-LABEL: func.func @int_ops
// CHECK: arith.divsi
// CHECK: arith.maxsi
// CHECK: arith.minsi
// CHECK: math.ipowi
// CHECK: %[[Z:.+]] = arith.constant 0 : i32
// CHECK-NEXT: arith.maxsi %{{.+}}, %[[Z]] : i32
// CHECK: arith.constant 0 : i32
// CHECK-NEXT: arith.subi
func.func @int_ops(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi32> {
  %0 = npu.div %a, %b : tensor<4xi32>, tensor<4xi32> -> tensor<4xi32>
  %1 = npu.max %0, %b : tensor<4xi32>, tensor<4xi32> -> tensor<4xi32>
  %2 = npu.min %1, %b : tensor<4xi32>, tensor<4xi32> -> tensor<4xi32>
  %3 = npu.pow %2, %b : tensor<4xi32>, tensor<4xi32> -> tensor<4xi32>
  %4 = npu.relu %3 : tensor<4xi32>
  %5 = npu.neg %4 : tensor<4xi32>
  return %5 : tensor<4xi32>
}

// -----

// CHECK-LABEL: func.func @unary
// CHECK: %[[Z:.+]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: arith.maximumf %{{.+}}, %[[Z]] : f32
// CHECK: %[[ONE:.+]] = arith.constant 1.000000e+00 : f32
// CHECK-NEXT: %[[N:.+]] = arith.negf
// CHECK-NEXT: %[[E:.+]] = math.exp %[[N]]
// CHECK-NEXT: %[[D:.+]] = arith.addf %[[ONE]], %[[E]]
// CHECK-NEXT: arith.divf %[[ONE]], %[[D]]
// CHECK: math.tanh
// CHECK: math.erf
// CHECK: math.sqrt
// CHECK: math.exp
// CHECK: math.log
// CHECK: arith.negf
// CHECK: %[[ONE2:.+]] = arith.constant 1.000000e+00 : f32
// CHECK-NEXT: arith.divf %[[ONE2]], %{{.+}} : f32
func.func @unary(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = npu.relu %a : tensor<4xf32>
  %1 = npu.sigmoid %0 : tensor<4xf32>
  %2 = npu.tanh %1 : tensor<4xf32>
  %3 = npu.erf %2 : tensor<4xf32>
  %4 = npu.sqrt %3 : tensor<4xf32>
  %5 = npu.exp %4 : tensor<4xf32>
  %6 = npu.log %5 : tensor<4xf32>
  %7 = npu.neg %6 : tensor<4xf32>
  %8 = npu.reciprocal %7 : tensor<4xf32>
  return %8 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @clip
// CHECK: linalg.generic
// CHECK: %[[LO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %[[M:.+]] = arith.maximumf %{{.+}}, %[[LO]] : f32
// CHECK-NEXT: %[[HI:.+]] = arith.constant 6.000000e+00 : f32
// CHECK-NEXT: %[[R:.+]] = arith.minimumf %[[M]], %[[HI]] : f32
// CHECK-NEXT: linalg.yield %[[R]]
// CHECK: linalg.generic
// CHECK: arith.constant -1.000000e+00 : f32
// CHECK-NEXT: arith.maximumf
// CHECK-NEXT: linalg.yield
func.func @clip(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = npu.clip %a {min = 0.0 : f64, max = 6.0 : f64} : tensor<4xf32>
  %1 = npu.clip %0 {min = -1.0 : f64} : tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @clip_int
// CHECK: arith.constant 0 : i8
// CHECK-NEXT: arith.maxsi
// CHECK-NEXT: arith.constant 127 : i8
// CHECK-NEXT: arith.minsi
func.func @clip_int(%a: tensor<4xi8>) -> tensor<4xi8> {
  %0 = npu.clip %a {min = 0.0 : f64, max = 1000.0 : f64} : tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

// CHECK-LABEL: func.func @casts
// CHECK: arith.fptosi %{{.+}} : f32 to i32
// CHECK: arith.sitofp %{{.+}} : i32 to f16
// CHECK: arith.extf %{{.+}} : f16 to f32
// CHECK: %[[Z:.+]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: arith.cmpf une, %{{.+}}, %[[Z]] : f32
// CHECK: arith.extui %{{.+}} : i1 to i64
// CHECK: arith.uitofp %{{.+}} : i64 to f32
// CHECK: arith.trunci %{{.+}} : i64 to i8
func.func @casts(%a: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xi8>) {
  %0 = npu.cast %a : tensor<4xf32> -> tensor<4xi32>
  %1 = npu.cast %0 : tensor<4xi32> -> tensor<4xf16>
  %2 = npu.cast %1 : tensor<4xf16> -> tensor<4xf32>
  %3 = npu.cast %2 : tensor<4xf32> -> tensor<4xi1>
  %4 = npu.cast %3 : tensor<4xi1> -> tensor<4xi64>
  %5 = npu.cast %4 {unsigned_input} : tensor<4xi64> -> tensor<4xf32>
  %6 = npu.cast %4 : tensor<4xi64> -> tensor<4xi8>
  return %5, %6 : tensor<4xf32>, tensor<4xi8>
}
