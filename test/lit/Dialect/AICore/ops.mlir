// RUN: npu-opt %s | npu-opt | FileCheck %s
// RUN: npu-opt --mlir-print-op-generic %s | npu-opt | FileCheck %s

// Address types other than the translation's `memref<?xi8, ...>` are fine:
// the ops check the buffer (memory space), not the shape.

// CHECK-LABEL: aicore.program cores(4)
aicore.program cores(4) {
  // CHECK: aicore.gm @A, 8192 at 4096 random bf16 value 7.000000e+00
  aicore.gm @A, 8192 at 4096 random bf16 value 7.0
  // CHECK: aicore.gm @W, 4096 at 12288 file path "w.npy"
  aicore.gm @W, 4096 at 12288 file path "w.npy"
  // CHECK: aicore.output @A, "a.npy", bf16, [64, 64]
  aicore.output @A, "a.npy", bf16, [64, 64]
  // CHECK: aicore.coreid x3
  aicore.coreid x3
  // CHECK: aicore.label @loop
  aicore.label @loop
  // CHECK: aicore.addi x3, x3, -1
  aicore.addi x3, x3, -1
  // CHECK: aicore.bne x3, x0, @loop
  aicore.bne x3, x0, @loop
  // CHECK: %[[A:.*]] = aicore.addr x0[0] : memref<16x16xf16, #aicore.space<l0a>>
  %a = aicore.addr x0[0] : memref<16x16xf16, #aicore.space<l0a>>
  %b = aicore.addr x0[512] : memref<16x16xf16, #aicore.space<l0b>>
  %c = aicore.addr x5[64] : memref<16x16xf32, #aicore.space<l0c>>
  // CHECK: aicore.mmad f16 zero %{{.*}}, %[[A]], %{{.*}}, m = 16, n = 16, k = 16 : memref<16x16xf32, #aicore.space<l0c>>, memref<16x16xf16, #aicore.space<l0a>>, memref<16x16xf16, #aicore.space<l0b>>
  aicore.mmad f16 zero %c, %a, %b, m = 16, n = 16, k = 16 : memref<16x16xf32, #aicore.space<l0c>>, memref<16x16xf16, #aicore.space<l0a>>, memref<16x16xf16, #aicore.space<l0b>>
  // CHECK: aicore.set_flag M, FIX, 7
  aicore.set_flag M, FIX, 7
  %u = aicore.addr x0[32] : memref<*xf32, #aicore.space<ub>>
  // CHECK: aicore.fix_ub f32 f32 %{{.*}}, %{{.*}}, m = 16, n = 16, dststride = 16, relu = 1, nz2nd = 1, x9
  aicore.fix_ub f32 f32 %u, %c, m = 16, n = 16, dststride = 16, relu = 1, nz2nd = 1, x9 : memref<*xf32, #aicore.space<ub>>, memref<16x16xf32, #aicore.space<l0c>>
  // CHECK: aicore.vdup f32 %{{.*}}, 0x7FC00000, repeat = 1, dstblk = 1, dstrep = 8
  aicore.vdup f32 %u, 0x7FC00000, repeat = 1, dstblk = 1, dstrep = 8 : memref<*xf32, #aicore.space<ub>>
  // CHECK: aicore.end
  aicore.end
}
