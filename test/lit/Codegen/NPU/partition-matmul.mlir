// RUN: npu-opt %s --npuk-partition=kernels=matmul | FileCheck %s
// RUN: npu-opt %s --npuk-partition=kernels=matmul --npuk-form-kernels | FileCheck %s --check-prefix=KERNELS
// RUN: not npu-opt %s --npuk-partition=kernels=gemm 2>&1 | FileCheck %s --check-prefix=FAMILY

// A matmul with a constant right operand is a cube anchor; its constant
// per-N bias and a following ReLU are its epilogue. The second matmul's
// right operand is an activation, so it and everything after stay on the
// CPU, each with its reason.
// CHECK-LABEL: func.func @main
// CHECK: npu.matmul {{.*}}code = "npu.cube.matmul", on = "npu", text = "matmul 4x16x16 (M x K x N) on the cube: fp16 inputs, fp32 accumulation"
// CHECK: npu.add {{.*}}code = "fused.bias", on = "npu"
// CHECK: npu.relu {{.*}}code = "fused.fix_relu", on = "npu"
// CHECK: npu.relu {{.*}}code = "cpu.no_lowering", on = "cpu"
// CHECK: npu.matmul {{.*}}code = "cpu.matmul_operand", on = "cpu"
// CHECK: npu.add {{.*}}code = "cpu.no_lowering", on = "cpu"

// The cube kernel takes its constants as operands (they live in GM); the
// CPU parts clone theirs.
// KERNELS: %[[W:.*]] = npu.constant dense<1.000000e+00> : tensor<16x16xf32>
// KERNELS: %[[B:.*]] = npu.constant dense<5.000000e-01> : tensor<16xf32>
// KERNELS: %[[K:.*]] = npuk.kernel "k000" cube nodes ["mm", "bias", "relu"](%arg0, %[[W]], %[[B]])
// KERNELS: %[[C:.*]] = npuk.kernel "cpu000" cpu nodes ["relu2", "mm2", "add2"](%[[K]], %arg1)
// KERNELS-NEXT: ^bb0
// KERNELS-NEXT: npu.constant
// KERNELS-NEXT: npu.relu
// KERNELS-NEXT: npu.matmul
// KERNELS-NEXT: npu.add
// FAMILY: error: unknown NPU kernel family 'gemm' (expected matmul, conv or vector)
func.func @main(%x: tensor<4x16xf32>, %y: tensor<16x16xf32>) -> tensor<4x16xf32> {
  %w = npu.constant dense<1.0> : tensor<16x16xf32>
  %b = npu.constant dense<0.5> : tensor<16xf32>
  %0 = npu.matmul %x, %w : tensor<4x16xf32>, tensor<16x16xf32> -> tensor<4x16xf32> loc("mm")
  %1 = npu.add %0, %b : tensor<4x16xf32>, tensor<16xf32> -> tensor<4x16xf32> loc("bias")
  %2 = npu.relu %1 : tensor<4x16xf32> loc("relu")
  %3 = npu.relu %2 : tensor<4x16xf32> loc("relu2")
  %4 = npu.matmul %3, %y : tensor<4x16xf32>, tensor<16x16xf32> -> tensor<4x16xf32> loc("mm2")
  %c = npu.constant dense<2.0> : tensor<4x16xf32>
  %5 = npu.add %4, %c : tensor<4x16xf32>, tensor<4x16xf32> -> tensor<4x16xf32> loc("add2")
  return %5 : tensor<4x16xf32>
}
