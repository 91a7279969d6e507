// RUN: npu-opt %s -npu-cpu-to-linalg | FileCheck %s --check-prefix=LINALG
// RUN: npu-opt %s -npu-cpu-to-linalg -npu-cpu-bufferize | FileCheck %s --check-prefix=BUF
// RUN: npu-opt %s -npu-cpu-pipeline | FileCheck %s --check-prefix=LLVM
// Each stage of npuc can be reproduced with npu-opt.

// The add, relu and erf fuse into one elementwise generic.
// LINALG-LABEL: func.func @main
// LINALG: linalg.generic
// LINALG: arith.addf
// LINALG: arith.maximumf
// LINALG: math.erf
// LINALG-NOT: linalg.generic

// Outputs become caller buffers (inputs first, then outputs) written in place.
// BUF: func.func @main(%{{.*}}: memref<2x3xf32> {npu.name = "x"}, %{{.*}}: memref<3xf32> {npu.name = "b"}, %[[OUT:[a-z0-9]+]]: memref<2x3xf32> {npu.name = "y"})
// BUF-NOT: memref.alloc
// BUF: scf.for
// BUF: memref.store %{{.*}}, %[[OUT]]

// LLVM: llvm.func internal @main(%{{.*}}: !llvm.ptr {npu.name = "x"}, %{{.*}}: !llvm.ptr {npu.name = "b"}, %{{.*}}: !llvm.ptr {npu.name = "y"})
// LLVM: llvm.call @erff
// LLVM: llvm.func @npu_run
// LLVM: llvm.func @npu_signature
func.func @main(%x: tensor<2x3xf32> {npu.name = "x"}, %b: tensor<3xf32> {npu.name = "b"}) -> (tensor<2x3xf32> {npu.name = "y"}) {
  %0 = npu.add %x, %b : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xf32>
  %1 = npu.relu %0 : tensor<2x3xf32>
  %2 = npu.erf %1 : tensor<2x3xf32>
  return %2 : tensor<2x3xf32>
}
