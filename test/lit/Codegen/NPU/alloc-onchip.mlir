// RUN: npu-opt %s -split-input-file -npuk-alloc-onchip | FileCheck %s

// Largest first per buffer, each copy at the buffer's (or the slot's)
// alignment; slots of other buffers do not interact.
// CHECK-LABEL: func.func @mixed
func.func @mixed() attributes {npuk.cores = 1 : i64} {
  // CHECK-DAG: npuk.slot_at "small"[0] offset 98304 bytes 100 : !ub_buf
  // CHECK-DAG: npuk.slot_at "big"[0] offset 0 bytes 32768 : !ub_buf
  // CHECK-DAG: npuk.slot_at "big"[1] offset 32768 bytes 32768 : !ub_buf
  // CHECK-DAG: npuk.slot_at "big"[2] offset 65536 bytes 32768 : !ub_buf
  // CHECK-DAG: npuk.slot_at "wide"[0] offset 98432 bytes 32 : !ub_buf
  // CHECK-DAG: npuk.slot_at "l0a"[0] offset 0 bytes 600 : !l0a_buf
  // CHECK-DAG: npuk.slot_at "l0a"[1] offset 1024 bytes 600 : !l0a_buf
  // CHECK-DAG: npuk.slot_at "c"[0] offset 0 bytes 1000 : !l0c_buf
  // CHECK-DAG: npuk.slot_at "c2"[0] offset 1024 bytes 100 : !l0c_buf
  // CHECK-DAG: npuk.slot_at "bias"[0] offset 0 bytes 256 : !l1_buf
  // CHECK-NOT: npuk.slot "
  %s = npuk.slot "small" bytes 100 : memref<?xi8, #aicore.space<ub>>
  %b:3 = npuk.slot "big" bytes 32768 copies 3 : memref<?xi8, #aicore.space<ub>>
  %w = npuk.slot "wide" bytes 32 : memref<?xi8, #aicore.space<ub>>
  %a:2 = npuk.slot "l0a" bytes 600 copies 2 : memref<?xi8, #aicore.space<l0a>>
  %c = npuk.slot "c" bytes 1000 : memref<?xi8, #aicore.space<l0c>>
  %c2 = npuk.slot "c2" bytes 100 align 1024 : memref<?xi8, #aicore.space<l0c>>
  %bias = npuk.slot "bias" bytes 256 : memref<?xi8, #aicore.space<l1>>
  return
}

// -----

// Functions without npuk.cores are not tile kernels and stay as they are.
// CHECK-LABEL: func.func @not_a_kernel
// CHECK: npuk.slot "x" bytes 64
func.func @not_a_kernel() {
  %x = npuk.slot "x" bytes 64 : memref<?xi8, #aicore.space<ub>>
  return
}

// -----

// Uses follow the copies; accesses inside their slot are fine.
// CHECK-LABEL: func.func @uses
func.func @uses() attributes {npuk.cores = 1 : i64} {
  %c0 = arith.constant 0 : index
  %c128 = arith.constant 128 : index
  // CHECK: %[[A0:.*]] = npuk.slot_at "a"[0] offset 0 bytes 384
  // CHECK: %[[A1:.*]] = npuk.slot_at "a"[1] offset 384 bytes 384
  // CHECK: npuk.i.vadd f16 %[[A1]][%{{.*}}], %[[A0]][%{{.*}}], %[[A0]][%{{.*}}]
  %a:2 = npuk.slot "a" bytes 384 copies 2 : memref<?xi8, #aicore.space<ub>>
  npuk.i.vadd f16 %a#1[%c0], %a#0[%c0], %a#0[%c128], repeat = 1, dstblk = 1, ablk = 1, bblk = 1, dstrep = 8, arep = 8, brep = 8 : memref<?xi8, #aicore.space<ub>>, memref<?xi8, #aicore.space<ub>>, memref<?xi8, #aicore.space<ub>>
  return
}
