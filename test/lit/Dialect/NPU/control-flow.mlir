// RUN: npu-opt %s -split-input-file | npu-opt | FileCheck %s
// Round trip of npu.if, npu.loop and npu.yield.

// CHECK-LABEL: func @branch
// CHECK: %[[R:.*]] = npu.if %arg0 : tensor<i1> -> tensor<2xf32> {
// CHECK:   %[[N:.*]] = npu.neg %arg1 : tensor<2xf32>
// CHECK:   npu.yield %[[N]] : tensor<2xf32>
// CHECK: } else {
// CHECK:   npu.yield %arg1 : tensor<2xf32>
// CHECK: }
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

// CHECK-LABEL: func @scan
// CHECK: %[[R:.*]]:2 = npu.loop(%arg0 : tensor<2xf32>) scan(%arg1 : tensor<2x3xf32>) {scan_input_axes = array<i64: 1>, scan_input_reverse = array<i1: true>, scan_output_axes = array<i64: 0>, scan_output_reverse = array<i1: false>, trip_count = 3 : i64} -> tensor<2xf32>, tensor<3x2xf32> {
// CHECK: ^bb0(%{{.*}}: tensor<i64>, %[[S:.*]]: tensor<2xf32>, %[[X:.*]]: tensor<2xf32>):
// CHECK:   %[[A:.*]] = npu.add %[[S]], %[[X]]
// CHECK:   npu.yield %[[A]], %[[A]] : tensor<2xf32>, tensor<2xf32>
func.func @scan(%init: tensor<2xf32>, %x: tensor<2x3xf32>) -> (tensor<2xf32>, tensor<3x2xf32>) {
  %r:2 = npu.loop (%init : tensor<2xf32>) scan (%x : tensor<2x3xf32>) {trip_count = 3 : i64, scan_input_axes = array<i64: 1>, scan_input_reverse = array<i1: true>, scan_output_axes = array<i64: 0>, scan_output_reverse = array<i1: false>} -> tensor<2xf32>, tensor<3x2xf32> {
  ^bb0(%i: tensor<i64>, %s: tensor<2xf32>, %xi: tensor<2xf32>):
    %n = npu.add %s, %xi : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
    npu.yield %n, %n : tensor<2xf32>, tensor<2xf32>
  }
  return %r#0, %r#1 : tensor<2xf32>, tensor<3x2xf32>
}

// -----

// CHECK-LABEL: func @while
// CHECK: npu.loop(%arg0, %arg1 : tensor<i1>, tensor<f32>) {conditional, scan_input_axes = array<i64>, scan_input_reverse = array<i1>, scan_output_axes = array<i64>, scan_output_reverse = array<i1>, trip_count = 100 : i64} -> tensor<i1>, tensor<f32>
func.func @while(%c: tensor<i1>, %x: tensor<f32>, %limit: tensor<f32>) -> tensor<f32> {
  %r:2 = npu.loop (%c, %x : tensor<i1>, tensor<f32>) {conditional, trip_count = 100 : i64, scan_input_axes = array<i64>, scan_input_reverse = array<i1>, scan_output_axes = array<i64>, scan_output_reverse = array<i1>} -> tensor<i1>, tensor<f32> {
  ^bb0(%i: tensor<i64>, %ci: tensor<i1>, %v: tensor<f32>):
    %d = npu.add %v, %v : tensor<f32>, tensor<f32> -> tensor<f32>
    %go = npu.compare "lt", %d, %limit : tensor<f32>, tensor<f32> -> tensor<i1>
    npu.yield %go, %d : tensor<i1>, tensor<f32>
  }
  return %r#1 : tensor<f32>
}
