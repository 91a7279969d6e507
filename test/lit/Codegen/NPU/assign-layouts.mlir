// RUN: npu-opt %s --npuk-partition=kernels=matmul --npuk-assign-layouts | FileCheck %s
// RUN: npu-opt %s --npuk-partition=kernels=matmul --npuk-assign-layouts --canonicalize | FileCheck %s --check-prefix=CANON
// RUN: npu-opt %s --npuk-partition=kernels=matmul --npuk-assign-layouts=precision=bf16 --canonicalize | FileCheck %s --check-prefix=BF16
// RUN: not npu-opt %s --npuk-assign-layouts=precision=fp8 2>&1 | FileCheck %s --check-prefix=PREC

// Each cube anchor with its epilogue becomes one npuk.matmul on f16 and
// the fnz weight layout, with host conversions around it. The ONNX nodes
// fused into it keep their reasons in npuk.fused.
// CHECK-LABEL: func.func @main
// CHECK: %[[X:.*]] = npuk.convert %arg0 <nd> -> <nd> {npuk.placement = {code = "cpu.convert", on = "cpu", text = "f32 -> f16 between the host and the cube"}} : tensor<4x48xf32> -> tensor<4x48xf16>
// CHECK: %[[W:.*]] = npuk.convert %{{.*}} <nd> -> <fnz> : tensor<48x32xf32> -> tensor<3x2x16x16xf16>
// CHECK: %[[B:.*]] = npu.reshape %{{.*}} : tensor<1x32xf32> -> tensor<32xf32>
// CHECK: %[[M:.*]] = npuk.matmul %[[X]], %[[W]], %[[B]] {n = 32 : i64, npuk.fused = [{code = "fused.bias", node = "bias", text = {{.*}}}, {code = "fused.fix_relu", node = "relu", text = {{.*}}}], npuk.placement = {code = "npu.cube.matmul", {{.*}}}, relu} : tensor<4x48xf16>, tensor<3x2x16x16xf16>, tensor<32xf32> -> tensor<4x32xf16>
// CHECK: %[[Y:.*]] = npuk.convert %[[M]] <nd> -> <nd> {{.*}} : tensor<4x32xf16> -> tensor<4x32xf32>
// CHECK: npuk.convert %[[Y]] <nd> -> <nd> {{.*}} : tensor<4x32xf32> -> tensor<4x32xf16>
// CHECK: npuk.matmul
// CHECK-NOT: relu
// CHECK-SAME: -> tensor<4x8xf16>
// CHECK-NOT: npu.matmul
// CHECK-NOT: npu.relu

// After canonicalization the weights are constants, the exact f16 -> f32
// -> f16 round trip between the two kernels is gone, and only the graph's
// input and output are converted.
// CANON-LABEL: func.func @main
// CANON-DAG: %[[W1:.*]] = npu.constant dense_resource<{{.*}}> : tensor<3x2x16x16xf16>
// CANON-DAG: %[[W2:.*]] = npu.constant dense_resource<{{.*}}> : tensor<2x1x16x16xf16>
// CANON-DAG: %[[B:.*]] = npu.constant dense<5.000000e-01> : tensor<32xf32>
// CANON: %[[X:.*]] = npuk.convert %arg0
// CANON-NEXT: %[[M1:.*]] = npuk.matmul %[[X]], %[[W1]], %[[B]]
// CANON-NEXT: %[[M2:.*]] = npuk.matmul %[[M1]], %[[W2]] {n = 8 : i64
// CANON-NEXT: %[[Y:.*]] = npuk.convert %[[M2]] <nd> -> <nd> {{.*}} : tensor<4x8xf16> -> tensor<4x8xf32>
// CANON-NEXT: return %[[Y]]
// BF16: npuk.matmul {{.*}} : tensor<4x48xbf16>, tensor<3x2x16x16xbf16>, tensor<32xf32> -> tensor<4x32xbf16>
// PREC: unknown precision 'fp8' (expected fp16 or bf16)
func.func @main(%x: tensor<4x48xf32>) -> tensor<4x8xf32> {
  %w = npu.constant dense<0.25> : tensor<48x32xf32>
  %b = npu.constant dense<0.5> : tensor<1x32xf32>
  %0 = npu.matmul %x, %w : tensor<4x48xf32>, tensor<48x32xf32> -> tensor<4x32xf32> loc("mm")
  %1 = npu.add %0, %b : tensor<4x32xf32>, tensor<1x32xf32> -> tensor<4x32xf32> loc("bias")
  %2 = npu.relu %1 : tensor<4x32xf32> loc("relu")
  %w2 = npu.constant dense<1.0> : tensor<32x8xf32>
  %3 = npu.matmul %2, %w2 : tensor<4x32xf32>, tensor<32x8xf32> -> tensor<4x8xf32> loc("mm2")
  return %3 : tensor<4x8xf32>
}
