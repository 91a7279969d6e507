// RUN: npu-opt %s --split-input-file --npuk-partition=kernels=matmul --npuk-assign-layouts --canonicalize | FileCheck %s

// Calibrated ranges (npuk.range = [max|x|, max|y|], set by npuc's fp16
// calibration run) outside fp16's comfortable range: x, the bias and y are
// stored scaled by 2^-e with e = floor(log2 max|x|) - 7 = -34 here, and the
// host conversions undo it.
// CHECK-LABEL: func.func @main
// CHECK-DAG: %[[B:.*]] = npu.constant dense<17.1798687> : tensor<32xf32>
// CHECK: %[[X:.*]] = npuk.convert %arg0 <nd> -> <nd> scale -34 {{.*}} : tensor<4x16xf32> -> tensor<4x16xf16>
// CHECK: %[[M:.*]] = npuk.matmul %[[X]], %{{.*}}, %[[B]] {n = 32 : i64, {{.*}}text = "matmul 4x16x32 (M x K x N) on the cube: fp16 inputs, fp32 accumulation; activations stored as x * 2^34 (calibrated max|x| = 1.200000e-08)"
// CHECK: npuk.convert %[[M]] <nd> -> <nd> scale 34 {{.*}} : tensor<4x32xf16> -> tensor<4x32xf32>
func.func @main(%x: tensor<4x16xf32>) -> tensor<4x32xf32> {
  %w = npu.constant dense<0.25> : tensor<16x32xf32>
  %b = npu.constant dense<1.0e-9> : tensor<32xf32>
  %0 = npu.matmul %x, %w {npuk.range = array<f64: 1.2e-8, 3.0e-9>} : tensor<4x16xf32>, tensor<16x32xf32> -> tensor<4x32xf32>
  %1 = npu.add %0, %b : tensor<4x32xf32>, tensor<32xf32> -> tensor<4x32xf32>
  return %1 : tensor<4x32xf32>
}

// -----

// No single scale fits x and y into fp16: the matmul stays on the CPU.
// CHECK-LABEL: func.func @main
// CHECK: npu.matmul {{.*}}code = "cpu.fp16_range", on = "cpu", text = "no single power-of-two scale fits both the input (max 1.000000e-08) and the output (max 1.000000e+03) into fp16"
func.func @main(%x: tensor<4x16xf32>) -> tensor<4x32xf32> {
  %w = npu.constant dense<0.25> : tensor<16x32xf32>
  %0 = npu.matmul %x, %w {npuk.range = array<f64: 1.0e-8, 1.0e3>} : tensor<4x16xf32>, tensor<16x32xf32> -> tensor<4x32xf32>
  return %0 : tensor<4x32xf32>
}
