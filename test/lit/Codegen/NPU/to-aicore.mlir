// RUN: npu-opt %s -npuk-to-aicore | FileCheck %s --check-prefix=MLIR
// RUN: npu-opt %s -npuk-to-aicore | npu-translate --aicore-to-asm | FileCheck %s

!gm = memref<?xi8, #aicore.space<gm>>
!ub = memref<?xi8, #aicore.space<ub>>

// One aicore.program per kernel, with the GM regions it uses (ascending
// addresses), its outputs, and a final end.
// MLIR: aicore.program cores(2) attributes {npuk.kernel = "scalar"}
// MLIR-NEXT: aicore.gm @G, 8192 at 4096 random f16 value 1.000000e+00
// MLIR-NEXT: aicore.gm @FAR, 4096 at 2101248 zero
// MLIR-NEXT: aicore.output @FAR, "far.npy", f16, [2048]
// MLIR-NOT: func.func

// CHECK: .cores 2
// Constants that need a register are loaded once (x0 stands for 0); an
// address's high part goes in a register, the low 1 MiB in the immediate.
// CHECK:      addi [[EIGHT:x[0-9]+]], x0, 8
// CHECK-NEXT: addi [[FARHI:x[0-9]+]], x0, 2097152
// CHECK-NEXT: li [[BIG:x[0-9]+]], 5000000000
// CHECK-NEXT: coreid [[I:x[0-9]+]]
// CHECK-NEXT: corenum [[N:x[0-9]+]]
// The scf.for: test at the top, jump back at the bottom.
// CHECK-NEXT: [[HEAD:L[0-9]+]]:
// CHECK-NEXT: bge [[I]], [[EIGHT]], [[EXIT:L[0-9]+]]
// CHECK-NEXT: muli [[OFF:x[0-9]+]], [[I]], 256
// divui by a power of two is a shift; maxsi a move around a branch.
// CHECK-NEXT: shri [[H:x[0-9]+]], [[I]], 3
// CHECK-NEXT: mov [[M:x[0-9]+]], [[H]]
// CHECK-NEXT: bge [[H]], [[N]], [[SKIP:L[0-9]+]]
// CHECK-NEXT: mov [[M]], [[N]]
// CHECK-NEXT: [[SKIP]]:
// CHECK-NEXT: shli [[S:x[0-9]+]], [[M]], 1
// Constant parts of offsets and the slot's offset go into immediates.
// CHECK-NEXT: copy ub[0x300], gm[[[OFF]]+0x1100], 1, 8, 0, 0
// CHECK-NEXT: copy gm[[[FARHI]]+0x1000], ub[0x200], 1, 8, 0, 0
// CHECK-NEXT: addi [[S]], [[S]], 2101248
// CHECK-NEXT: copy gm[[[S]]], ub[[[OFF]]+0x200], 1, 8, 0, 0
// CHECK-NEXT: set_mask [[BIG]], x0
// The increment writes the counter directly.
// CHECK-NEXT: add [[I]], [[I]], [[N]]
// CHECK-NEXT: j [[HEAD]]
// CHECK-NEXT: [[EXIT]]:
// CHECK-NEXT: end
func.func @scalar() attributes {npuk.cores = 2 : i64} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %c256 = arith.constant 256 : index
  %big = arith.constant 5000000000 : index
  %g = npuk.gm "G" size 8192 at 4096 random f16 1.0 : !gm
  %far = npuk.gm "FAR" size 4096 at 2101248 : !gm
  %unused = npuk.gm "UNUSED" size 4096 at 8392704 : !gm
  npuk.output "FAR", "far.npy", f16, [2048]
  %a = npuk.slot_at "a"[0] offset 512 bytes 512 : !ub
  %id = npuk.core_id
  %n = npuk.core_num
  scf.for %i = %id to %c8 step %n {
    %off = arith.muli %i, %c256 : index
    %off2 = arith.addi %off, %c256 : index
    %half = arith.divui %i, %c8 : index
    %m = arith.maxsi %half, %n : index
    %s = arith.shli %m, %c1 : index
    npuk.i.copy_gm_ub %a[%c256], %g[%off2], nburst = 1, burstlen = 8, srcstride = 0, dststride = 0 : !ub, !gm
    npuk.i.copy_ub_gm %far[%c0], %a[%c0], nburst = 1, burstlen = 8, srcstride = 0, dststride = 0 : !gm, !ub
    npuk.i.copy_ub_gm %far[%s], %a[%off], nburst = 1, burstlen = 8, srcstride = 0, dststride = 0 : !gm, !ub
    npuk.i.set_mask %big, %c0
  }
  return
}
