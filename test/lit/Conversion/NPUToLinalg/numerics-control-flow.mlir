// Numerical check of npu.loop (counted with scans, conditional) and
// npu.if lowered by convert-npu-to-linalg and run on the CPU. Values are
// small integers, so results are exact. The inputs are read again after
// the loops to show they were not written.
// REQUIRES: mlir-cpu-runner
// RUN: npu-opt %s -convert-npu-to-linalg %lower-and-run | FileCheck %s

func.func private @printMemrefF32(memref<*xf32>) attributes {llvm.emit_c_interface}

func.func @print(%t: tensor<?x?xf32>) {
  %m = bufferization.to_memref %t : memref<?x?xf32>
  %u = memref.cast %m : memref<?x?xf32> to memref<*xf32>
  call @printMemrefF32(%u) : (memref<*xf32>) -> ()
  return
}

func.func @show(%t: tensor<2x3xf32>) {
  %c = tensor.cast %t : tensor<2x3xf32> to tensor<?x?xf32>
  call @print(%c) : (tensor<?x?xf32>) -> ()
  return
}

func.func @main() {
  %x = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %init = arith.constant dense<[10.0, 20.0]> : tensor<2xf32>
  // Cumulative sums over the columns, read in reverse, stacked on axis 1 in
  // reverse as well; the iteration number is added to every partial sum.
  %r:2 = npu.loop (%init : tensor<2xf32>) scan (%x : tensor<2x3xf32>) {trip_count = 3 : i64, scan_input_axes = array<i64: 1>, scan_input_reverse = array<i1: true>, scan_output_axes = array<i64: 1>, scan_output_reverse = array<i1: true>} -> tensor<2xf32>, tensor<2x3xf32> {
  ^bb0(%i: tensor<i64>, %s: tensor<2xf32>, %xi: tensor<2xf32>):
    %n = npu.add %s, %xi : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
    %f = npu.cast %i : tensor<i64> -> tensor<f32>
    %y = npu.add %n, %f : tensor<2xf32>, tensor<f32> -> tensor<2xf32>
    npu.yield %n, %y : tensor<2xf32>, tensor<2xf32>
  }
  // CHECK: data =
  // CHECK-NEXT: {{\[\[}}18, 16, 13],
  // CHECK-NEXT:  [37, 32, 26]]
  call @show(%r#1) : (tensor<2x3xf32>) -> ()
  // Doubling while below 100: 10 -> 160 in four iterations.
  %c = arith.constant dense<true> : tensor<i1>
  %v = arith.constant dense<10.0> : tensor<f32>
  %limit = arith.constant dense<100.0> : tensor<f32>
  %w:2 = npu.loop (%c, %v : tensor<i1>, tensor<f32>) {conditional, trip_count = 9223372036854775807 : i64, scan_input_axes = array<i64>, scan_input_reverse = array<i1>, scan_output_axes = array<i64>, scan_output_reverse = array<i1>} -> tensor<i1>, tensor<f32> {
  ^bb0(%i: tensor<i64>, %ci: tensor<i1>, %vi: tensor<f32>):
    %d = npu.add %vi, %vi : tensor<f32>, tensor<f32> -> tensor<f32>
    %go = npu.compare "lt", %d, %limit : tensor<f32>, tensor<f32> -> tensor<i1>
    npu.yield %go, %d : tensor<i1>, tensor<f32>
  }
  // The branch taken depends on the loop's final condition (false).
  %b = npu.if %w#0 : tensor<i1> -> tensor<2x3xf32> {
    npu.yield %x : tensor<2x3xf32>
  } else {
    %s = npu.add %x, %w#1 : tensor<2x3xf32>, tensor<f32> -> tensor<2x3xf32>
    npu.yield %s : tensor<2x3xf32>
  }
  // CHECK: data =
  // CHECK-NEXT: {{\[\[}}161, 162, 163],
  // CHECK-NEXT:  [164, 165, 166]]
  call @show(%b) : (tensor<2x3xf32>) -> ()
  // The final carried state and an untouched input.
  %st = npu.reshape %r#0 : tensor<2xf32> -> tensor<2x1xf32>
  %stc = tensor.cast %st : tensor<2x1xf32> to tensor<?x?xf32>
  // CHECK: data =
  // CHECK-NEXT: {{\[\[}}16],
  // CHECK-NEXT:  [35]]
  call @print(%stc) : (tensor<?x?xf32>) -> ()
  %ic = npu.reshape %init : tensor<2xf32> -> tensor<2x1xf32>
  %icc = tensor.cast %ic : tensor<2x1xf32> to tensor<?x?xf32>
  // CHECK: data =
  // CHECK-NEXT: {{\[\[}}10],
  // CHECK-NEXT:  [20]]
  call @print(%icc) : (tensor<?x?xf32>) -> ()
  return
}
