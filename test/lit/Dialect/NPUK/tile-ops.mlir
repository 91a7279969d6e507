// RUN: npu-opt %s | npu-opt | FileCheck %s
// RUN: npu-opt --mlir-print-op-generic %s | npu-opt | FileCheck %s

!gm = memref<?xi8, #aicore.space<gm>>
!l1 = memref<?xi8, #aicore.space<l1>>
!l0a = memref<?xi8, #aicore.space<l0a>>
!l0b = memref<?xi8, #aicore.space<l0b>>
!l0c = memref<?xi8, #aicore.space<l0c>>
!ub = memref<?xi8, #aicore.space<ub>>

// CHECK-LABEL: func.func @tile
func.func @tile() attributes {npuk.cores = 2 : i64} {
  %c0 = arith.constant 0 : index
  %c5 = arith.constant 5 : index
  // CHECK: %[[A:.*]]:2 = npuk.slot "a" bytes 16384 copies 2 : !ub_buf
  %a:2 = npuk.slot "a" bytes 16384 copies 2 : !ub
  // CHECK: npuk.slot "big" bytes 100 align 64 : !l1_buf
  %big = npuk.slot "big" bytes 100 align 64 : !l1
  // CHECK: npuk.slot_at "o"[1] offset 512 bytes 256 : !ub_buf
  %o = npuk.slot_at "o"[1] offset 512 bytes 256 : !ub
  // CHECK: %[[G:.*]] = npuk.gm "A" size 131072 at 4096 random f16 1.100000e+01 : !gm_buf
  %A = npuk.gm "A" size 131072 at 4096 random f16 11.0 : !gm
  // CHECK: npuk.gm "B" size 4096 at 139264 : !gm_buf
  %B = npuk.gm "B" size 4096 at 139264 : !gm
  // CHECK: npuk.gm "F" size 4096 at 143360 file "in.bin" : !gm_buf
  %F = npuk.gm "F" size 4096 at 143360 file "in.bin" : !gm
  // CHECK: %[[ID:.*]] = npuk.core_id
  // CHECK: npuk.core_num
  %id = npuk.core_id
  %n = npuk.core_num
  // CHECK: npuk.i.copy_gm_ub %[[A]]#0[%{{.*}}], %[[G]][%[[ID]]], nburst = 1, burstlen = 512, srcstride = 0, dststride = 0 : !ub_buf, !gm_buf
  npuk.i.copy_gm_ub %a#0[%c0], %A[%id], nburst = 1, burstlen = 512, srcstride = 0, dststride = 0 : !ub, !gm
  // CHECK: npuk.i.vadd f16 %{{.*}}[%{{.*}}], %[[A]]#0[%{{.*}}], %[[A]]#1[%{{.*}}], repeat = 64, dstblk = 1, ablk = 1, bblk = 1, dstrep = 8, arep = 8, brep = 8 : !ub_buf, !ub_buf, !ub_buf
  npuk.i.vadd f16 %o[%c0], %a#0[%c0], %a#1[%c0], repeat = 64, dstblk = 1, ablk = 1, bblk = 1, dstrep = 8, arep = 8, brep = 8 : !ub, !ub, !ub
  // CHECK: npuk.i.vconv f32 f16 rne
  npuk.i.vconv f32 f16 rne %o[%c0], %a#0[%c0], repeat = 1, dstblk = 1, ablk = 1, dstrep = 8, arep = 4 : !ub, !ub
  // CHECK: npuk.i.vadds f16 %{{.*}}, -1.500000e+00, repeat = 1
  npuk.i.vadds f16 %o[%c0], %a#0[%c0], -1.5, repeat = 1, dstblk = 1, ablk = 1, dstrep = 8, arep = 8 : !ub, !ub
  // CHECK: npuk.i.set_flag MTE2, V, 3
  npuk.i.set_flag MTE2, V, 3
  // CHECK: npuk.i.wait_flag MTE2, V, 3
  npuk.i.wait_flag MTE2, V, 3
  // CHECK: npuk.i.pipe_barrier MTE3
  npuk.i.pipe_barrier MTE3
  // CHECK: npuk.i.barrier
  npuk.i.barrier
  // CHECK: %{{.*}} = npuk.i.addi %[[ID]], -3
  %x = npuk.i.addi %id, -3
  // CHECK: npuk.i.li 5
  %y = npuk.i.li 5
  // CHECK: npuk.i.set_mask %{{.*}}, %{{.*}}
  npuk.i.set_mask %x, %y
  // CHECK: npuk.i.mmad f16 acc
  %la = npuk.slot "la" bytes 512 : !l0a
  %lb = npuk.slot "lb" bytes 512 : !l0b
  %lc = npuk.slot "lc" bytes 1024 : !l0c
  npuk.i.mmad f16 acc %lc[%c0], %la[%c0], %lb[%c0], m = 16, n = 16, k = 16 : !l0c, !l0a, !l0b
  // CHECK: npuk.i.fix_gm f16 f32 %{{.*}}, relu = 1, nz2nd = 1, %{{.*}} :
  npuk.i.fix_gm f16 f32 %B[%c0], %lc[%c0], m = 16, n = 16, dststride = 16, relu = 1, nz2nd = 1, %c5 : !gm, !l0c
  // CHECK: npuk.output "A", "a.npy", f16, [65536]
  npuk.output "A", "a.npy", f16, [65536]
  return
}
