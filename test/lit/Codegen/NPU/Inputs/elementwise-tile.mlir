// bench/npu/elementwise_f16.s as tile IR without flags: out = relu(a*b + a)
// in fp16, double-buffered in UB (the tile loop is unrolled by two so each
// half uses its own buffer copies).
!gm = memref<?xi8, #aicore.space<gm>>
!ub = memref<?xi8, #aicore.space<ub>>
func.func @elementwise() attributes {npuk.cores = 1 : i64} {
  %c0 = arith.constant 0 : index
  %tb = arith.constant 16384 : index
  %ntiles = arith.constant 8 : index
  %A = npuk.gm "A" size 131072 at 4096 random f16 11.0 : !gm
  %B = npuk.gm "B" size 131072 at 135168 random f16 12.0 : !gm
  %OUT = npuk.gm "OUT" size 131072 at 266240 : !gm
  npuk.output "OUT", "elementwise_out.npy", f16, [65536]
  %a:2 = npuk.slot "a" bytes 16384 copies 2 : !ub
  %b:2 = npuk.slot "b" bytes 16384 copies 2 : !ub
  %o:2 = npuk.slot "o" bytes 16384 copies 2 : !ub
  %id = npuk.core_id
  %n = npuk.core_num
  %c2 = arith.constant 2 : index
  %step = arith.muli %n, %c2 : index
  scf.for %t = %id to %ntiles step %step {
    %off = arith.muli %t, %tb : index
    npuk.i.copy_gm_ub %a#0[%c0], %A[%off], nburst = 1, burstlen = 512, srcstride = 0, dststride = 0 : !ub, !gm
    npuk.i.copy_gm_ub %b#0[%c0], %B[%off], nburst = 1, burstlen = 512, srcstride = 0, dststride = 0 : !ub, !gm
    npuk.i.vmul f16 %o#0[%c0], %a#0[%c0], %b#0[%c0], repeat = 64, dstblk = 1, ablk = 1, bblk = 1, dstrep = 8, arep = 8, brep = 8 : !ub, !ub, !ub
    npuk.i.vadd f16 %o#0[%c0], %o#0[%c0], %a#0[%c0], repeat = 64, dstblk = 1, ablk = 1, bblk = 1, dstrep = 8, arep = 8, brep = 8 : !ub, !ub, !ub
    npuk.i.vrelu f16 %o#0[%c0], %o#0[%c0], repeat = 64, dstblk = 1, ablk = 1, dstrep = 8, arep = 8 : !ub, !ub
    npuk.i.copy_ub_gm %OUT[%off], %o#0[%c0], nburst = 1, burstlen = 512, srcstride = 0, dststride = 0 : !gm, !ub
    %t1 = arith.addi %t, %n : index
    %more = arith.cmpi slt, %t1, %ntiles : index
    scf.if %more {
      %off1 = arith.muli %t1, %tb : index
      npuk.i.copy_gm_ub %a#1[%c0], %A[%off1], nburst = 1, burstlen = 512, srcstride = 0, dststride = 0 : !ub, !gm
      npuk.i.copy_gm_ub %b#1[%c0], %B[%off1], nburst = 1, burstlen = 512, srcstride = 0, dststride = 0 : !ub, !gm
      npuk.i.vmul f16 %o#1[%c0], %a#1[%c0], %b#1[%c0], repeat = 64, dstblk = 1, ablk = 1, bblk = 1, dstrep = 8, arep = 8, brep = 8 : !ub, !ub, !ub
      npuk.i.vadd f16 %o#1[%c0], %o#1[%c0], %a#1[%c0], repeat = 64, dstblk = 1, ablk = 1, bblk = 1, dstrep = 8, arep = 8, brep = 8 : !ub, !ub, !ub
      npuk.i.vrelu f16 %o#1[%c0], %o#1[%c0], repeat = 64, dstblk = 1, ablk = 1, dstrep = 8, arep = 8 : !ub, !ub
      npuk.i.copy_ub_gm %OUT[%off1], %o#1[%c0], nburst = 1, burstlen = 512, srcstride = 0, dststride = 0 : !gm, !ub
    }
  }
  return
}
