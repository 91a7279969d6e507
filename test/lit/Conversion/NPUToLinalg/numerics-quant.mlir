// Numerical check of npu.quantize (ties to even, saturation, NaN to the
// lower bound), npu.requantize, npu.matmul_integer with unsigned operands,
// npu.cumsum and npu.top_k (ties to the lower index), lowered by
// convert-npu-to-linalg and run on the CPU. Integer results are printed
// as i64 (unsigned ones zero-extended).
// REQUIRES: mlir-cpu-runner
// RUN: npu-opt %s -convert-npu-to-linalg %lower-and-run | FileCheck %s

func.func private @printMemrefI64(memref<*xi64>) attributes {llvm.emit_c_interface}
func.func private @printMemrefF32(memref<*xf32>) attributes {llvm.emit_c_interface}

func.func @print(%t: tensor<8xi64>) {
  %m = bufferization.to_memref %t : memref<8xi64>
  %u = memref.cast %m : memref<8xi64> to memref<*xi64>
  call @printMemrefI64(%u) : (memref<*xi64>) -> ()
  return
}

func.func @main() {
  %x = arith.constant dense<[0.5, 1.5, 2.5, -0.5, -2.5, 300.0, -300.0, 0x7FC00000]> : tensor<8xf32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %z0 = arith.constant dense<0> : tensor<i8>
  %z3 = arith.constant dense<3> : tensor<i8>
  // uint8, zero point 3: [3, 5, 5, 3, 1, 255, 0, 0]
  %qu = npu.quantize %x, %one, %z3 {unsigned_result} : (tensor<8xf32>, tensor<f32>, tensor<i8>) -> tensor<8xi8>
  %qu64 = npu.cast %qu {unsigned_input} : tensor<8xi8> -> tensor<8xi64>
  call @print(%qu64) : (tensor<8xi64>) -> ()
  // int8, zero point 0: [0, 2, 2, 0, -2, 127, -128, -128]
  %qs = npu.quantize %x, %one, %z0 : (tensor<8xf32>, tensor<f32>, tensor<i8>) -> tensor<8xi8>
  %qs64 = npu.cast %qs : tensor<8xi8> -> tensor<8xi64>
  call @print(%qs64) : (tensor<8xi64>) -> ()
  // 5 * 0.5 = 2.5 -> 2, 7 * 0.5 = 3.5 -> 4, ...: [2, 4, -2, 100, -128, 0, 1, -1] + 0
  %acc = arith.constant dense<[5, 7, -5, 200, -1000, 0, 1, -1]> : tensor<8xi32>
  %half = arith.constant dense<0.5> : tensor<f32>
  %rq = npu.requantize %acc, %half, %z0 : (tensor<8xi32>, tensor<f32>, tensor<i8>) -> tensor<8xi8>
  %rq64 = npu.cast %rq : tensor<8xi8> -> tensor<8xi64>
  call @print(%rq64) : (tensor<8xi64>) -> ()
  // (a - 200) . (b - 250) with a, b uint8 beyond the int8 range:
  // a = [[255, 200], [0, 100]], b = [[255, 0], [250, 251]]
  // -> [[55*5 + 0*0, 55*-250 + 0*1], [-200*5 - 100*0, 50000 - 100]]
  %a = arith.constant dense<[[-1, -56], [0, 100]]> : tensor<2x2xi8>
  %b = arith.constant dense<[[-1, 0], [-6, -5]]> : tensor<2x2xi8>
  %za = arith.constant dense<-56> : tensor<i8>
  %zb = arith.constant dense<-6> : tensor<i8>
  %mm = npu.matmul_integer %a, %b, %za, %zb {unsigned_lhs, unsigned_rhs} : (tensor<2x2xi8>, tensor<2x2xi8>, tensor<i8>, tensor<i8>) -> tensor<2x2xi32>
  %mm8 = npu.reshape %mm : tensor<2x2xi32> -> tensor<4xi32>
  %pad = npu.pad %mm8 {pads = array<i64: 0, 4>} : tensor<4xi32> -> tensor<8xi32>
  %mm64 = npu.cast %pad : tensor<8xi32> -> tensor<8xi64>
  call @print(%mm64) : (tensor<8xi64>) -> ()
  // Exclusive reverse running sum of 1..8: the sum of the later elements.
  %r = arith.constant dense<[1, 2, 3, 4, 5, 6, 7, 8]> : tensor<8xi64>
  %cs = npu.cumsum %r {axis = 0 : i64, exclusive, reverse} : tensor<8xi64>
  call @print(%cs) : (tensor<8xi64>) -> ()
  // Top 8 of 8 with ties: sorted best first, equal values by index.
  %t = arith.constant dense<[3, 1, 3, 7, 1, 3, 0, 7]> : tensor<8xi64>
  %v, %i = npu.top_k %t {axis = 0 : i64, k = 8 : i64} : tensor<8xi64> -> tensor<8xi64>, tensor<8xi64>
  call @print(%v) : (tensor<8xi64>) -> ()
  call @print(%i) : (tensor<8xi64>) -> ()
  %sv, %si = npu.top_k %t {axis = 0 : i64, k = 3 : i64, smallest} : tensor<8xi64> -> tensor<3xi64>, tensor<3xi64>
  %si8 = npu.pad %si {pads = array<i64: 0, 5>} : tensor<3xi64> -> tensor<8xi64>
  call @print(%si8) : (tensor<8xi64>) -> ()
  return
}

// CHECK: [3,  5,  5,  3,  1,  255,  0,  0]
// CHECK: [0,  2,  2,  0,  -2,  127,  -128,  -128]
// CHECK: [2,  4,  -2,  100,  -128,  0,  0,  0]
// CHECK: [275,  -13750,  -1000,  49900,  0,  0,  0,  0]
// CHECK: [35,  33,  30,  26,  21,  15,  8,  0]
// CHECK: [7,  7,  3,  3,  3,  1,  1,  0]
// CHECK: [3,  7,  0,  2,  5,  1,  4,  6]
// CHECK: [6,  1,  4,  0,  0,  0,  0,  0]
