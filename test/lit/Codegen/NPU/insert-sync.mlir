// RUN: npu-opt %s -split-input-file -npuk-alloc-onchip -npuk-insert-sync -npuk-verify-sync | FileCheck %s
// RUN: printf 'preset = dv-910\nevents = 1\n' > %t.ini
// RUN: npu-opt %s -split-input-file -npuk-alloc-onchip -npuk-insert-sync=config=%t.ini -npuk-verify-sync=config=%t.ini | FileCheck %s --check-prefix=ONE

!gm = memref<?xi8, #aicore.space<gm>>
!ub = memref<?xi8, #aicore.space<ub>>

// Straight-line code: one flag per window of consumers, set after the last
// producer before it (both copies), waited before the first consumer.
// CHECK-LABEL: func.func @straight
// CHECK-SAME: events = 2 : i64, intra = 2 : i64, set_flag = 2 : i64, tokens = 0 : i64
// CHECK: npuk.i.copy_gm_ub
// CHECK-NEXT: npuk.i.copy_gm_ub
// CHECK-NEXT: npuk.i.set_flag MTE2, V, 0
// CHECK-NEXT: npuk.i.wait_flag MTE2, V, 0
// CHECK-NEXT: npuk.i.vadd
// CHECK-NEXT: npuk.i.vrelu
// CHECK-NEXT: npuk.i.set_flag V, MTE3, 0
// CHECK-NEXT: npuk.i.wait_flag V, MTE3, 0
// CHECK-NEXT: npuk.i.copy_ub_gm
// CHECK-NEXT: return
func.func @straight() attributes {npuk.cores = 1 : i64} {
  %c0 = arith.constant 0 : index
  %g = npuk.gm "G" size 8192 at 4096 : !gm
  %h = npuk.gm "H" size 8192 at 12288 : !gm
  %a = npuk.slot "a" bytes 256 : !ub
  %b = npuk.slot "b" bytes 256 : !ub
  %o = npuk.slot "o" bytes 256 : !ub
  npuk.i.copy_gm_ub %a[%c0], %g[%c0], nburst = 1, burstlen = 8, srcstride = 0, dststride = 0 : !ub, !gm
  npuk.i.copy_gm_ub %b[%c0], %g[%c0], nburst = 1, burstlen = 8, srcstride = 0, dststride = 0 : !ub, !gm
  npuk.i.vadd f16 %o[%c0], %a[%c0], %b[%c0], repeat = 1, dstblk = 1, ablk = 1, bblk = 1, dstrep = 8, arep = 8, brep = 8 : !ub, !ub, !ub
  npuk.i.vrelu f16 %o[%c0], %o[%c0], repeat = 1, dstblk = 1, ablk = 1, dstrep = 8, arep = 8 : !ub, !ub
  npuk.i.copy_ub_gm %h[%c0], %o[%c0], nburst = 1, burstlen = 8, srcstride = 0, dststride = 0 : !gm, !ub
  return
}

// -----

!gm = memref<?xi8, #aicore.space<gm>>
!ub = memref<?xi8, #aicore.space<ub>>

// Disjoint bytes need nothing: the copy reads the second half of `a`, the
// vector op writes the first.
// CHECK-LABEL: func.func @disjoint
// CHECK-SAME: set_flag = 0 : i64
// CHECK-NOT: npuk.i.{{.*}}_flag
// CHECK: return
func.func @disjoint() attributes {npuk.cores = 1 : i64} {
  %c0 = arith.constant 0 : index
  %c256 = arith.constant 256 : index
  %h = npuk.gm "H" size 8192 at 12288 : !gm
  %a = npuk.slot "a" bytes 512 : !ub
  npuk.i.vdup f16 %a[%c0], 1.0, repeat = 1, dstblk = 1, dstrep = 8 : !ub
  npuk.i.copy_ub_gm %h[%c0], %a[%c256], nburst = 1, burstlen = 8, srcstride = 0, dststride = 0 : !gm, !ub
  return
}

// -----

!gm = memref<?xi8, #aicore.space<gm>>
!ub = memref<?xi8, #aicore.space<ub>>

// One buffer reused by every iteration of a loop that may run zero times
// (its bounds depend on the core): the carried write-after-read
// dependences become tokens primed before the kernel and drained after it.
// CHECK-LABEL: func.func @carried
// CHECK-SAME: intra = 2 : i64, set_flag = 6 : i64, tokens = 2 : i64
// CHECK: npuk.i.set_flag V, MTE2, [[IN:[0-9]]]
// CHECK-NEXT: npuk.i.set_flag MTE3, V, [[OUT:[0-9]]]
// CHECK: scf.for
// CHECK: npuk.i.wait_flag V, MTE2, [[IN]]
// CHECK-NEXT: npuk.i.copy_gm_ub
// CHECK-NEXT: npuk.i.set_flag MTE2, V, [[F:[0-9]]]
// CHECK-NEXT: npuk.i.wait_flag MTE2, V, [[F]]
// CHECK-NEXT: npuk.i.wait_flag MTE3, V, [[OUT]]
// CHECK-NEXT: npuk.i.vmuls
// CHECK-NEXT: npuk.i.set_flag V, MTE2, [[IN]]
// CHECK-NEXT: npuk.i.set_flag V, MTE3, [[G:[0-9]]]
// CHECK-NEXT: npuk.i.wait_flag V, MTE3, [[G]]
// CHECK-NEXT: npuk.i.copy_ub_gm
// CHECK-NEXT: npuk.i.set_flag MTE3, V, [[OUT]]
// CHECK-NEXT: }
// CHECK-NEXT: npuk.i.wait_flag V, MTE2, [[IN]]
// CHECK-NEXT: npuk.i.wait_flag MTE3, V, [[OUT]]
// CHECK-NEXT: return
func.func @carried() attributes {npuk.cores = 4 : i64} {
  %c0 = arith.constant 0 : index
  %c256 = arith.constant 256 : index
  %c16 = arith.constant 16 : index
  %g = npuk.gm "G" size 4096 at 4096 : !gm
  %h = npuk.gm "H" size 4096 at 8192 : !gm
  %a = npuk.slot "a" bytes 256 : !ub
  %o = npuk.slot "o" bytes 256 : !ub
  %id = npuk.core_id
  %n = npuk.core_num
  scf.for %i = %id to %c16 step %n {
    %off = arith.muli %i, %c256 : index
    npuk.i.copy_gm_ub %a[%c0], %g[%off], nburst = 1, burstlen = 8, srcstride = 0, dststride = 0 : !ub, !gm
    npuk.i.vmuls f16 %o[%c0], %a[%c0], 2.0, repeat = 1, dstblk = 1, ablk = 1, dstrep = 8, arep = 8 : !ub, !ub
    npuk.i.copy_ub_gm %h[%off], %o[%c0], nburst = 1, burstlen = 8, srcstride = 0, dststride = 0 : !gm, !ub
  }
  return
}

// -----

!gm = memref<?xi8, #aicore.space<gm>>
!ub = memref<?xi8, #aicore.space<ub>>

// Producers in both branches of an if, a consumer after it, and a consumer
// in a branch: flags stay at the level where both sides meet, so every path
// sets and waits them once.
// CHECK-LABEL: func.func @branches
// CHECK: scf.for
// CHECK-NEXT: arith.andi
// CHECK-NEXT: arith.cmpi
// CHECK-NEXT: npuk.i.wait_flag V, MTE2, [[IN:[0-9]]]
// CHECK-NEXT: scf.if
// CHECK-NEXT: npuk.i.copy_gm_ub
// CHECK-NEXT: } else {
// CHECK-NEXT: npuk.i.vdup
// CHECK-NEXT: }
// CHECK-NEXT: npuk.i.set_flag MTE2, V, [[F:[0-9]]]
// CHECK-NEXT: npuk.i.wait_flag MTE2, V, [[F]]
// CHECK-NEXT: npuk.i.wait_flag MTE3, V, [[OUT:[0-9]]]
// CHECK-NEXT: npuk.i.vmuls
// CHECK-NEXT: npuk.i.set_flag V, MTE2, [[IN]]
// CHECK-NEXT: npuk.i.set_flag V, MTE3, [[G:[0-9]]]
// CHECK-NEXT: npuk.i.wait_flag V, MTE3, [[G]]
// CHECK-NEXT: scf.if
// CHECK-NEXT: npuk.i.copy_ub_gm
// CHECK-NEXT: }
// CHECK-NEXT: npuk.i.set_flag MTE3, V, [[OUT]]
// CHECK-NEXT: }
func.func @branches() attributes {npuk.cores = 1 : i64} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %g = npuk.gm "G" size 4096 at 4096 : !gm
  %h = npuk.gm "H" size 4096 at 8192 : !gm
  %a = npuk.slot "a" bytes 256 : !ub
  %o = npuk.slot "o" bytes 256 : !ub
  scf.for %i = %c0 to %c4 step %c1 {
    %odd = arith.andi %i, %c1 : index
    %isodd = arith.cmpi ne, %odd, %c0 : index
    scf.if %isodd {
      npuk.i.copy_gm_ub %a[%c0], %g[%c0], nburst = 1, burstlen = 8, srcstride = 0, dststride = 0 : !ub, !gm
    } else {
      npuk.i.vdup f16 %a[%c0], 1.0, repeat = 1, dstblk = 1, dstrep = 8 : !ub
    }
    npuk.i.vmuls f16 %o[%c0], %a[%c0], 3.0, repeat = 1, dstblk = 1, ablk = 1, dstrep = 8, arep = 8 : !ub, !ub
    scf.if %isodd {
      npuk.i.copy_ub_gm %h[%c0], %o[%c0], nburst = 1, burstlen = 8, srcstride = 0, dststride = 0 : !gm, !ub
    }
  }
  return
}

// -----

!gm = memref<?xi8, #aicore.space<gm>>
!ub = memref<?xi8, #aicore.space<ub>>

// The two branches of an if touch the same buffer on different pipes: the
// dependence is carried both ways, in one section around the if. Nothing on
// a path orders a section's wait before its set, so handshakes do (a flag
// back from the waiting pipe, set after the wait and waited before the
// set); otherwise a set could meet its flag still set.
// CHECK-LABEL: func.func @crossed
// CHECK: scf.for
// CHECK: npuk.i.wait_flag V, MTE2, [[T1:[0-9]]]
// CHECK-NEXT: npuk.i.wait_flag MTE2, V, [[T2:[0-9]]]
// CHECK-NEXT: npuk.i.set_flag MTE2, V, [[H1:[0-9]]]
// CHECK-NEXT: npuk.i.set_flag V, MTE2, [[H2:[0-9]]]
// CHECK-NEXT: scf.if
// CHECK: } else {
// CHECK: }
// CHECK-NEXT: npuk.i.wait_flag MTE2, V, [[H1]]
// CHECK-NEXT: npuk.i.wait_flag V, MTE2, [[H2]]
// CHECK-NEXT: npuk.i.set_flag V, MTE2, [[T1]]
// CHECK-NEXT: npuk.i.set_flag MTE2, V, [[T2]]
func.func @crossed() attributes {npuk.cores = 1 : i64} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %g = npuk.gm "G" size 4096 at 4096 : !gm
  %a = npuk.slot "a" bytes 256 : !ub
  scf.for %i = %c0 to %c4 step %c1 {
    %odd = arith.andi %i, %c1 : index
    %isodd = arith.cmpi ne, %odd, %c0 : index
    scf.if %isodd {
      npuk.i.copy_gm_ub %a[%c0], %g[%c0], nburst = 1, burstlen = 8, srcstride = 0, dststride = 0 : !ub, !gm
    } else {
      npuk.i.vmuls f16 %a[%c0], %a[%c0], 3.0, repeat = 1, dstblk = 1, ablk = 1, dstrep = 8, arep = 8 : !ub, !ub
    }
  }
  return
}

// -----

!gm = memref<?xi8, #aicore.space<gm>>
!ub = memref<?xi8, #aicore.space<ub>>

// A barrier the kernel already has orders everything: nothing more needed.
// CHECK-LABEL: func.func @kept_barrier
// CHECK-SAME: barriers = 1 : i64, events = 0 : i64
// CHECK: npuk.i.copy_gm_ub
// CHECK-NEXT: npuk.i.barrier
// CHECK-NEXT: npuk.i.vrelu
func.func @kept_barrier() attributes {npuk.cores = 1 : i64} {
  %c0 = arith.constant 0 : index
  %g = npuk.gm "G" size 4096 at 4096 : !gm
  %a = npuk.slot "a" bytes 256 : !ub
  npuk.i.copy_gm_ub %a[%c0], %g[%c0], nburst = 1, burstlen = 8, srcstride = 0, dststride = 0 : !ub, !gm
  npuk.i.barrier
  npuk.i.vrelu f16 %a[%c0], %a[%c0], repeat = 1, dstblk = 1, ablk = 1, dstrep = 8, arep = 8 : !ub, !ub
  return
}

// -----

!gm = memref<?xi8, #aicore.space<gm>>
!ub = memref<?xi8, #aicore.space<ub>>

// Event exhaustion. Two halves of a double-buffered pipeline need two
// tokens per pipe pair and two flags per filled buffer; with one event per
// pair (prefix ONE, an INI config) the tokens of a pair share one flag, and then
// the filled-buffer flags can too (the shared token orders each wait before
// the next set), so no barrier is needed.
// CHECK-LABEL: func.func @double
// CHECK-SAME: barrier_fallbacks = 0 : i64, barriers = 0 : i64, events = 6 : i64, intra = 4 : i64, set_flag = 8 : i64, tokens = 2 : i64
// ONE-LABEL: func.func @double
// ONE-SAME: barrier_fallbacks = 0 : i64, barriers = 0 : i64, events = 3 : i64, intra = 4 : i64, set_flag = 7 : i64, tokens = 1 : i64
func.func @double() attributes {npuk.cores = 1 : i64} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %g = npuk.gm "G" size 4096 at 4096 : !gm
  %h = npuk.gm "H" size 4096 at 8192 : !gm
  %a:2 = npuk.slot "a" bytes 256 copies 2 : !ub
  scf.for %i = %c0 to %c8 step %c1 {
    npuk.i.copy_gm_ub %a#0[%c0], %g[%c0], nburst = 1, burstlen = 8, srcstride = 0, dststride = 0 : !ub, !gm
    npuk.i.vrelu f16 %a#0[%c0], %a#0[%c0], repeat = 1, dstblk = 1, ablk = 1, dstrep = 8, arep = 8 : !ub, !ub
    npuk.i.copy_ub_gm %h[%c0], %a#0[%c0], nburst = 1, burstlen = 8, srcstride = 0, dststride = 0 : !gm, !ub
    npuk.i.copy_gm_ub %a#1[%c0], %g[%c0], nburst = 1, burstlen = 8, srcstride = 0, dststride = 0 : !ub, !gm
    npuk.i.vrelu f16 %a#1[%c0], %a#1[%c0], repeat = 1, dstblk = 1, ablk = 1, dstrep = 8, arep = 8 : !ub, !ub
    npuk.i.copy_ub_gm %h[%c0], %a#1[%c0], nburst = 1, burstlen = 8, srcstride = 0, dststride = 0 : !gm, !ub
  }
  return
}

// -----

!gm = memref<?xi8, #aicore.space<gm>>
!ub = memref<?xi8, #aicore.space<ub>>

// Exhaustion that needs a barrier: the pair V->MTE2 has a token (vadd reads
// `a`, which the next iteration's first copy overwrites) and an intra flag
// (vrelu reads `a` before the second copy overwrites it), which cannot
// share one event. ONE turns the intra flag into a barrier.
// CHECK-LABEL: func.func @exhaust
// CHECK-SAME: barrier_fallbacks = 0 : i64, barriers = 0 : i64
// CHECK: npuk.i.vrelu
// CHECK-NEXT: npuk.i.set_flag V, MTE2, [[R:[0-9]]]
// CHECK-NEXT: npuk.i.wait_flag V, MTE2, [[R]]
// CHECK-NEXT: npuk.i.copy_gm_ub
// ONE-LABEL: func.func @exhaust
// ONE-SAME: barrier_fallbacks = 1 : i64, barriers = 1 : i64
// ONE: npuk.i.vrelu
// ONE-NEXT: npuk.i.barrier
// ONE-NEXT: npuk.i.copy_gm_ub
func.func @exhaust() attributes {npuk.cores = 1 : i64} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %g = npuk.gm "G" size 4096 at 4096 : !gm
  %a = npuk.slot "a" bytes 256 : !ub
  %b = npuk.slot "b" bytes 256 : !ub
  %c = npuk.slot "c" bytes 256 : !ub
  scf.for %i = %c0 to %c8 step %c1 {
    npuk.i.copy_gm_ub %a[%c0], %g[%c0], nburst = 1, burstlen = 8, srcstride = 0, dststride = 0 : !ub, !gm
    npuk.i.vrelu f16 %b[%c0], %a[%c0], repeat = 1, dstblk = 1, ablk = 1, dstrep = 8, arep = 8 : !ub, !ub
    npuk.i.copy_gm_ub %a[%c0], %g[%c0], nburst = 1, burstlen = 8, srcstride = 0, dststride = 0 : !ub, !gm
    npuk.i.vadd f16 %c[%c0], %a[%c0], %b[%c0], repeat = 1, dstblk = 1, ablk = 1, bblk = 1, dstrep = 8, arep = 8, brep = 8 : !ub, !ub, !ub
  }
  return
}
