// RUN: npu-opt %s --npuk-partition=kernels=matmul,vector | FileCheck %s
// RUN: npu-opt %s --npu-device-graph="kernels=matmul,vector" | FileCheck %s --check-prefix=LOWER

// Division by a constant scalar joins the vector chain as a multiply by
// the reciprocal (vmuls); a same-shape tensor divisor is a vdiv (here it
// only feeds the graph result, so it stays in that host part); a
// broadcast or a zero divisor stays on the host with its reason.
// CHECK: npu.matmul {{.*}}code = "npu.cube.matmul"
// CHECK: npu.div {{.*}}code = "npu.vector.eltwise"
// CHECK: npu.relu {{.*}}code = "npu.vector.eltwise"
// CHECK: npu.div {{.*}}code = "cpu.vector_boundary"
// CHECK: npu.div {{.*}}code = "cpu.unsupported_op", on = "cpu", text = "the vector unit divides a tensor by a same-shape tensor or by a non-zero constant scalar (as a multiply by its reciprocal)"
// CHECK: npu.div {{.*}}code = "cpu.unsupported_op"
// LOWER: npuk.device_kernel @k001 vector nodes ["div", "relu"]
// LOWER: aicore.vmuls f16 {{.*}}, 2.500000e-01, repeat
// LOWER: aicore.vrelu
func.func @main(%x: tensor<8x64xf32>, %row: tensor<1x64xf32>) -> (tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>) {
  %w = npu.constant dense<0.1> : tensor<64x64xf32>
  %four = npu.constant dense<4.0> : tensor<f32>
  %zero = npu.constant dense<0.0> : tensor<f32>
  %0 = npu.matmul %x, %w : tensor<8x64xf32>, tensor<64x64xf32> -> tensor<8x64xf32> loc("mm")
  %1 = npu.div %0, %four : tensor<8x64xf32>, tensor<f32> -> tensor<8x64xf32> loc("div")
  %2 = npu.relu %1 : tensor<8x64xf32> loc("relu")
  %3 = npu.matmul %2, %w : tensor<8x64xf32>, tensor<64x64xf32> -> tensor<8x64xf32> loc("mm2")
  %4 = npu.div %3, %3 : tensor<8x64xf32>, tensor<8x64xf32> -> tensor<8x64xf32> loc("div_tensor")
  %6 = npu.div %3, %row : tensor<8x64xf32>, tensor<1x64xf32> -> tensor<8x64xf32> loc("div_bcast")
  %5 = npu.div %3, %zero : tensor<8x64xf32>, tensor<f32> -> tensor<8x64xf32> loc("div_zero")
  return %3, %4, %6, %5 : tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>
}
