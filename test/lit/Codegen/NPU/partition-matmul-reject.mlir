// RUN: npu-opt %s --split-input-file --npuk-partition=kernels=matmul | FileCheck %s

// An add that is not a per-N constant bias, or whose matmul result has
// another user, does not fuse; integer matmuls stay on the CPU.
// CHECK-LABEL: func.func @main
// CHECK: npu.matmul {{.*}}code = "npu.cube.matmul"
// CHECK: npu.add {{.*}}code = "cpu.unsupported_op", on = "cpu", text = "an add after a matmul fuses only as a constant bias along N (rej.bias_shape)"
func.func @main(%x: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %w = npu.constant dense<1.0> : tensor<16x16xf32>
  %b = npu.constant dense<0.5> : tensor<4x16xf32>
  %0 = npu.matmul %x, %w : tensor<4x16xf32>, tensor<16x16xf32> -> tensor<4x16xf32>
  %1 = npu.add %0, %b : tensor<4x16xf32>, tensor<4x16xf32> -> tensor<4x16xf32>
  return %1 : tensor<4x16xf32>
}

// -----

// CHECK-LABEL: func.func @main
// CHECK: npu.matmul {{.*}}code = "npu.cube.matmul"
// CHECK: npu.relu {{.*}}code = "cpu.no_lowering"
func.func @main(%x: tensor<4x16xf32>) -> (tensor<4x16xf32>, tensor<4x16xf32>) {
  %w = npu.constant dense<1.0> : tensor<16x16xf32>
  %0 = npu.matmul %x, %w : tensor<4x16xf32>, tensor<16x16xf32> -> tensor<4x16xf32>
  %1 = npu.relu %0 : tensor<4x16xf32>
  return %0, %1 : tensor<4x16xf32>, tensor<4x16xf32>
}

// -----

// CHECK-LABEL: func.func @main
// CHECK: npu.matmul {{.*}}code = "cpu.dtype", on = "cpu", text = "the cube multiplies f32/f16/bf16 (as fp16 or bf16), not i32"
func.func @main(%x: tensor<4x8xi32>) -> tensor<4x16xi32> {
  %w = npu.constant dense<1> : tensor<8x16xi32>
  %0 = npu.matmul %x, %w : tensor<4x8xi32>, tensor<8x16xi32> -> tensor<4x16xi32>
  return %0 : tensor<4x16xi32>
}

// -----

// CHECK-LABEL: func.func @main
// CHECK: npu.matmul {{.*}}code = "cpu.matmul_shape", on = "cpu", text = "K = 40 is not a multiple of 16 (nd2nz loads whole 16-column blocks; padding A is not implemented yet)"
func.func @main(%x: tensor<4x40xf32>) -> tensor<4x16xf32> {
  %w = npu.constant dense<1.0> : tensor<40x16xf32>
  %0 = npu.matmul %x, %w : tensor<4x40xf32>, tensor<40x16xf32> -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}
