// RUN: npu-opt %s -split-input-file -npuk-verify-sync -verify-diagnostics

!gm = memref<?xi8, #aicore.space<gm>>
!ub = memref<?xi8, #aicore.space<ub>>

// Correct: the flags of bench/npu/elementwise_f16.s, one buffer.
func.func @ok() attributes {npuk.cores = 1 : i64} {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %c1 = arith.constant 1 : index
  %g = npuk.gm "G" size 4096 at 4096 : !gm
  %a = npuk.slot_at "a"[0] offset 0 bytes 256 : !ub
  npuk.i.set_flag V, MTE2, 0
  scf.for %i = %c0 to %c4 step %c1 {
    npuk.i.wait_flag V, MTE2, 0
    npuk.i.copy_gm_ub %a[%c0], %g[%c0], nburst = 1, burstlen = 8, srcstride = 0, dststride = 0 : !ub, !gm
    npuk.i.set_flag MTE2, V, 1
    npuk.i.wait_flag MTE2, V, 1
    npuk.i.vrelu f16 %a[%c0], %a[%c0], repeat = 1, dstblk = 1, ablk = 1, dstrep = 8, arep = 8 : !ub, !ub
    npuk.i.set_flag V, MTE2, 0
  }
  npuk.i.wait_flag V, MTE2, 0
  return
}

// -----

!gm = memref<?xi8, #aicore.space<gm>>
!ub = memref<?xi8, #aicore.space<ub>>

// The loop-carried write-after-read is unordered.
func.func @carried_race() attributes {npuk.cores = 1 : i64} {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %c1 = arith.constant 1 : index
  %g = npuk.gm "G" size 4096 at 4096 : !gm
  %a = npuk.slot_at "a"[0] offset 0 bytes 256 : !ub
  scf.for %i = %c0 to %c4 step %c1 {
    // expected-error @below {{data race: 'npuk.i.copy_gm_ub' on pipe MTE2 writes ub[0x0, 0x100) which 'npuk.i.vrelu' on pipe V reads, with no flag or barrier ordering them}}
    npuk.i.copy_gm_ub %a[%c0], %g[%c0], nburst = 1, burstlen = 8, srcstride = 0, dststride = 0 : !ub, !gm
    // Without the write-after-read flag, nothing orders V's wait of one
    // iteration before MTE2's set of the next either.
    // expected-error @below {{sets flag MTE2->V event 1 but nothing orders the previous wait_flag (pipe V) before it}}
    npuk.i.set_flag MTE2, V, 1
    npuk.i.wait_flag MTE2, V, 1
    // expected-note @below {{the other access}}
    npuk.i.vrelu f16 %a[%c0], %a[%c0], repeat = 1, dstblk = 1, ablk = 1, dstrep = 8, arep = 8 : !ub, !ub
  }
  return
}

// -----

!gm = memref<?xi8, #aicore.space<gm>>
!ub = memref<?xi8, #aicore.space<ub>>

// Set twice in program order without a wait in between.
func.func @double_set() attributes {npuk.cores = 1 : i64} {
  npuk.i.set_flag MTE2, V, 0
  // expected-error @below {{sets flag MTE2->V event 0 while it may still be set (the earlier signal would be lost)}}
  npuk.i.set_flag MTE2, V, 0
  npuk.i.wait_flag MTE2, V, 0
  // expected-error @below {{waits for flag MTE2->V event 0 which may not be set}}
  npuk.i.wait_flag MTE2, V, 0
  return
}

// -----

// A wait with no set before it: a deadlock.
func.func @wait_unset() attributes {npuk.cores = 1 : i64} {
  // expected-error @below {{waits for flag MTE3->V event 2 which may not be set on some path (no set_flag before it)}}
  npuk.i.wait_flag MTE3, V, 2
  return
}

// -----

// Set on one path only.
func.func @if_unbalanced() attributes {npuk.cores = 1 : i64} {
  %id = npuk.core_id
  %c0 = arith.constant 0 : index
  %z = arith.cmpi eq, %id, %c0 : index
  // expected-error @below {{leaves flag V->MTE3 event 1 set on one branch and clear on the other}}
  scf.if %z {
    npuk.i.set_flag V, MTE3, 1
  }
  // expected-error @below {{waits for flag V->MTE3 event 1 which may not be set}}
  npuk.i.wait_flag V, MTE3, 1
  return
}

// -----

// Each iteration sets once more than it waits.
// expected-error @below {{flag FIX->M event 0 may still be set at the end of the kernel}}
func.func @loop_unbalanced() attributes {npuk.cores = 1 : i64} {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %c1 = arith.constant 1 : index
  // expected-error @below {{leaves flag FIX->M event 0 in different states at loop entry and after an iteration}}
  scf.for %i = %c0 to %c4 step %c1 {
    npuk.i.set_flag FIX, M, 0
  }
  return
}

// -----

// expected-error @below {{flag M->FIX event 3 may still be set at the end of the kernel}}
func.func @left_set() attributes {npuk.cores = 1 : i64} {
  npuk.i.set_flag M, FIX, 3
  return
}

// -----

!gm = memref<?xi8, #aicore.space<gm>>
!ub = memref<?xi8, #aicore.space<ub>>

// Balanced in program order, but nothing orders the V wait of one
// iteration before the MTE2 set of the next: that set may find the flag
// still set (npu-sim reports it when MTE2 runs ahead).
func.func @set_race() attributes {npuk.cores = 1 : i64} {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %c1 = arith.constant 1 : index
  %g = npuk.gm "G" size 4096 at 4096 : !gm
  %a = npuk.slot_at "a"[0] offset 0 bytes 256 : !ub
  %b = npuk.slot_at "b"[0] offset 256 bytes 256 : !ub
  scf.for %i = %c0 to %c4 step %c1 {
    npuk.i.copy_gm_ub %a[%c0], %g[%c0], nburst = 1, burstlen = 8, srcstride = 0, dststride = 0 : !ub, !gm
    // expected-error @below {{sets flag MTE2->V event 0 but nothing orders the previous wait_flag (pipe V) before it, so the flag may still be set}}
    npuk.i.set_flag MTE2, V, 0
    npuk.i.wait_flag MTE2, V, 0
    npuk.i.vrelu f16 %b[%c0], %b[%c0], repeat = 1, dstblk = 1, ablk = 1, dstrep = 8, arep = 8 : !ub, !ub
  }
  return
}

// -----

func.func @event_range() attributes {npuk.cores = 1 : i64} {
  // expected-error @below {{uses event 4 but config 'dv-910' has 4 events per pipe pair}}
  npuk.i.set_flag MTE2, V, 4
  // expected-error @below {{uses event 4 but config 'dv-910' has 4 events per pipe pair}}
  npuk.i.wait_flag MTE2, V, 4
  return
}
