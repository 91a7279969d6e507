// RUN: npu-opt %s -split-input-file -verify-diagnostics

func.func @branch_types(%c: tensor<i1>, %x: tensor<2xf32>, %y: tensor<3xf32>) -> tensor<2xf32> {
  // expected-error@+1 {{'npu.if' op else region yields 'tensor<3xf32>' for value 0, expected 'tensor<2xf32>'}}
  %r = npu.if %c : tensor<i1> -> tensor<2xf32> {
    npu.yield %x : tensor<2xf32>
  } else {
    npu.yield %y : tensor<3xf32>
  }
  return %r : tensor<2xf32>
}

// -----

func.func @cond_elements(%c: tensor<2xi1>, %x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error@+1 {{condition must have one element, got 'tensor<2xi1>'}}
  %r = npu.if %c : tensor<2xi1> -> tensor<2xf32> {
    npu.yield %x : tensor<2xf32>
  } else {
    npu.yield %x : tensor<2xf32>
  }
  return %r : tensor<2xf32>
}

// -----

func.func @scan_length(%init: tensor<2xf32>, %x: tensor<4x2xf32>) -> tensor<2xf32> {
  // expected-error@+1 {{scan input 0 has 4 slices along axis 0, expected the trip count 3}}
  %r = npu.loop (%init : tensor<2xf32>) scan (%x : tensor<4x2xf32>) {trip_count = 3 : i64, scan_input_axes = array<i64: 0>, scan_input_reverse = array<i1: false>, scan_output_axes = array<i64>, scan_output_reverse = array<i1>} -> tensor<2xf32> {
  ^bb0(%i: tensor<i64>, %s: tensor<2xf32>, %xi: tensor<2xf32>):
    npu.yield %s : tensor<2xf32>
  }
  return %r : tensor<2xf32>
}

// -----

func.func @carried_type(%init: tensor<2xf32>, %other: tensor<3xf32>) -> tensor<2xf32> {
  // expected-error@+1 {{body yields 'tensor<3xf32>' for value 0, expected 'tensor<2xf32>'}}
  %r = npu.loop (%init : tensor<2xf32>) {trip_count = 3 : i64, scan_input_axes = array<i64>, scan_input_reverse = array<i1>, scan_output_axes = array<i64>, scan_output_reverse = array<i1>} -> tensor<2xf32> {
  ^bb0(%i: tensor<i64>, %s: tensor<2xf32>):
    npu.yield %other : tensor<3xf32>
  }
  return %r : tensor<2xf32>
}

// -----

func.func @block_args(%init: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error@+1 {{body arguments must be the iteration number (tensor<i64>), the carried values and one slice per scan input}}
  %r = npu.loop (%init : tensor<2xf32>) {trip_count = 3 : i64, scan_input_axes = array<i64>, scan_input_reverse = array<i1>, scan_output_axes = array<i64>, scan_output_reverse = array<i1>} -> tensor<2xf32> {
  ^bb0(%s: tensor<2xf32>):
    npu.yield %s : tensor<2xf32>
  }
  return %r : tensor<2xf32>
}

// -----

func.func @scan_output(%init: tensor<2xf32>) -> (tensor<2xf32>, tensor<4x2xf32>) {
  // expected-error@+1 {{scan output 0 must have 3 slices along axis 0, got 'tensor<4x2xf32>'}}
  %r:2 = npu.loop (%init : tensor<2xf32>) {trip_count = 3 : i64, scan_input_axes = array<i64>, scan_input_reverse = array<i1>, scan_output_axes = array<i64: 0>, scan_output_reverse = array<i1: false>} -> tensor<2xf32>, tensor<4x2xf32> {
  ^bb0(%i: tensor<i64>, %s: tensor<2xf32>):
    npu.yield %s, %s : tensor<2xf32>, tensor<2xf32>
  }
  return %r#0, %r#1 : tensor<2xf32>, tensor<4x2xf32>
}

// -----

func.func @conditional_scan(%c: tensor<i1>) -> (tensor<i1>, tensor<3xi1>) {
  // expected-error@+1 {{conditional loops cannot scan: the number of iterations is not known}}
  %r:2 = npu.loop (%c : tensor<i1>) {conditional, trip_count = 3 : i64, scan_input_axes = array<i64>, scan_input_reverse = array<i1>, scan_output_axes = array<i64: 0>, scan_output_reverse = array<i1: false>} -> tensor<i1>, tensor<3xi1> {
  ^bb0(%i: tensor<i64>, %ci: tensor<i1>):
    npu.yield %ci, %ci : tensor<i1>, tensor<i1>
  }
  return %r#0, %r#1 : tensor<i1>, tensor<3xi1>
}

// -----

func.func @conditional_first(%x: tensor<f32>) -> tensor<f32> {
  // expected-error@+1 {{conditional loops carry their condition (a single-element i1 tensor) first}}
  %r = npu.loop (%x : tensor<f32>) {conditional, trip_count = 3 : i64, scan_input_axes = array<i64>, scan_input_reverse = array<i1>, scan_output_axes = array<i64>, scan_output_reverse = array<i1>} -> tensor<f32> {
  ^bb0(%i: tensor<i64>, %v: tensor<f32>):
    npu.yield %v : tensor<f32>
  }
  return %r : tensor<f32>
}

// -----

func.func @zero_trips(%x: tensor<f32>) -> tensor<f32> {
  // expected-error@+1 {{attribute 'trip_count' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive}}
  %r = npu.loop (%x : tensor<f32>) {trip_count = 0 : i64, scan_input_axes = array<i64>, scan_input_reverse = array<i1>, scan_output_axes = array<i64>, scan_output_reverse = array<i1>} -> tensor<f32> {
  ^bb0(%i: tensor<i64>, %v: tensor<f32>):
    npu.yield %v : tensor<f32>
  }
  return %r : tensor<f32>
}
