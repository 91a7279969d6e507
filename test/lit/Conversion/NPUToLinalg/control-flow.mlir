// RUN: npu-opt %s -convert-npu-to-linalg -split-input-file | FileCheck %s

// npu.if is scf.if on the extracted condition; the regions move over.
// CHECK-LABEL: func.func @branch
// CHECK: %[[C:.*]] = tensor.extract %arg0[] : tensor<i1>
// CHECK: %[[R:.*]] = scf.if %[[C]] -> (tensor<2xf32>) {
// CHECK:   %[[N:.*]] = linalg.generic
// CHECK:     arith.negf
// CHECK:   scf.yield %[[N]] : tensor<2xf32>
// CHECK: } else {
// CHECK:   scf.yield %arg1 : tensor<2xf32>
// CHECK: return %[[R]]
func.func @branch(%c: tensor<i1>, %x: tensor<2xf32>) -> tensor<2xf32> {
  %r = npu.if %c : tensor<i1> -> tensor<2xf32> {
    %n = npu.neg %x : tensor<2xf32>
    npu.yield %n : tensor<2xf32>
  } else {
    npu.yield %x : tensor<2xf32>
  }
  return %r : tensor<2xf32>
}

// -----

// A counted loop is an scf.for carrying the init and one accumulator per
// scan output. The reversed scan input is read at 2 - iv; the carried
// value is staged through a copy and written into its iteration argument
// after the scan output read it.
// CHECK-LABEL: func.func @scan
// CHECK: %[[ACC:.*]] = tensor.empty() : tensor<3x2xf32>
// CHECK: %[[R:.*]]:2 = scf.for %[[IV:.*]] = %c0 to %c3 step %c1 iter_args(%[[S:.*]] = %arg0, %[[A:.*]] = %[[ACC]]) -> (tensor<2xf32>, tensor<3x2xf32>) {
// CHECK:   %[[LAST:.*]] = arith.constant 2 : index
// CHECK:   %[[POS:.*]] = arith.subi %[[LAST]], %[[IV]] : index
// CHECK:   %[[X:.*]] = tensor.extract_slice %arg1[0, %[[POS]]] [2, 1] [1, 1] : tensor<2x3xf32> to tensor<2xf32>
// CHECK:   %[[SUM:.*]] = linalg.generic {{.*}} ins(%[[S]], %[[X]] : tensor<2xf32>, tensor<2xf32>)
// CHECK:   %[[INS:.*]] = tensor.insert_slice %[[SUM]] into %[[A]][%[[IV]], 0] [1, 2] [1, 1] : tensor<2xf32> into tensor<3x2xf32>
// CHECK:   %[[STAGE:.*]] = linalg.copy ins(%[[SUM]] : tensor<2xf32>)
// CHECK:   %[[NEXT:.*]] = linalg.copy ins(%[[STAGE]] : tensor<2xf32>) outs(%[[S]] : tensor<2xf32>)
// CHECK:   scf.yield %[[NEXT]], %[[INS]] : tensor<2xf32>, tensor<3x2xf32>
// CHECK: return %[[R]]#0, %[[R]]#1
func.func @scan(%init: tensor<2xf32>, %x: tensor<2x3xf32>) -> (tensor<2xf32>, tensor<3x2xf32>) {
  %r:2 = npu.loop (%init : tensor<2xf32>) scan (%x : tensor<2x3xf32>) {trip_count = 3 : i64, scan_input_axes = array<i64: 1>, scan_input_reverse = array<i1: true>, scan_output_axes = array<i64: 0>, scan_output_reverse = array<i1: false>} -> tensor<2xf32>, tensor<3x2xf32> {
  ^bb0(%i: tensor<i64>, %s: tensor<2xf32>, %xi: tensor<2xf32>):
    %n = npu.add %s, %xi : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
    npu.yield %n, %n : tensor<2xf32>, tensor<2xf32>
  }
  return %r#0, %r#1 : tensor<2xf32>, tensor<3x2xf32>
}

// -----

// The iteration number is the induction variable as a tensor<i64>.
// CHECK-LABEL: func.func @iteration
// CHECK: scf.for %[[IV:.*]] = %c0 to %c4 step %c1
// CHECK:   %[[I:.*]] = arith.index_cast %[[IV]] : index to i64
// CHECK:   %[[T:.*]] = tensor.from_elements %[[I]] : tensor<i64>
// CHECK:   linalg.generic {{.*}} ins(%{{.*}}, %[[T]] : tensor<i64>, tensor<i64>)
func.func @iteration(%x: tensor<i64>) -> tensor<i64> {
  %r = npu.loop (%x : tensor<i64>) {trip_count = 4 : i64, scan_input_axes = array<i64>, scan_input_reverse = array<i1>, scan_output_axes = array<i64>, scan_output_reverse = array<i1>} -> tensor<i64> {
  ^bb0(%i: tensor<i64>, %v: tensor<i64>):
    %n = npu.add %v, %i : tensor<i64>, tensor<i64> -> tensor<i64>
    npu.yield %n : tensor<i64>
  }
  return %r : tensor<i64>
}

// -----

// A conditional loop is an scf.while on (i < trip_count and the carried
// condition), with the iteration number as i64.
// CHECK-LABEL: func.func @while
// CHECK: %[[Z:.*]] = arith.constant 0 : i64
// CHECK: %[[W:.*]]:3 = scf.while (%[[I:.*]] = %[[Z]], %[[C:.*]] = %arg0, %[[V:.*]] = %arg1) : (i64, tensor<i1>, tensor<f32>) -> (i64, tensor<i1>, tensor<f32>) {
// CHECK:   %[[MAX:.*]] = arith.constant 100 : i64
// CHECK:   %[[IN:.*]] = arith.cmpi slt, %[[I]], %[[MAX]] : i64
// CHECK:   %[[CV:.*]] = tensor.extract %[[C]][] : tensor<i1>
// CHECK:   %[[GO:.*]] = arith.andi %[[IN]], %[[CV]] : i1
// CHECK:   scf.condition(%[[GO]]) %[[I]], %[[C]], %[[V]]
// CHECK: } do {
// CHECK: ^bb0(%[[I2:.*]]: i64, %[[C2:.*]]: tensor<i1>, %[[V2:.*]]: tensor<f32>):
// CHECK:   %[[ONE:.*]] = arith.constant 1 : i64
// CHECK:   %[[INC:.*]] = arith.addi %[[I2]], %[[ONE]] : i64
// CHECK:   %[[NC:.*]] = linalg.copy ins(%{{.*}} : tensor<i1>) outs(%[[C2]] : tensor<i1>)
// CHECK:   %[[NV:.*]] = linalg.copy ins(%{{.*}} : tensor<f32>) outs(%[[V2]] : tensor<f32>)
// CHECK:   scf.yield %[[INC]], %[[NC]], %[[NV]] : i64, tensor<i1>, tensor<f32>
// CHECK: return %[[W]]#2
func.func @while(%c: tensor<i1>, %x: tensor<f32>, %limit: tensor<f32>) -> tensor<f32> {
  %r:2 = npu.loop (%c, %x : tensor<i1>, tensor<f32>) {conditional, trip_count = 100 : i64, scan_input_axes = array<i64>, scan_input_reverse = array<i1>, scan_output_axes = array<i64>, scan_output_reverse = array<i1>} -> tensor<i1>, tensor<f32> {
  ^bb0(%i: tensor<i64>, %ci: tensor<i1>, %v: tensor<f32>):
    %d = npu.add %v, %v : tensor<f32>, tensor<f32> -> tensor<f32>
    %go = npu.compare "lt", %d, %limit : tensor<f32>, tensor<f32> -> tensor<i1>
    npu.yield %go, %d : tensor<i1>, tensor<f32>
  }
  return %r#1 : tensor<f32>
}
