// One virtual instruction of each instruction format goes to aicore field by
// field and on to assembly: suffixes, addresses, registers, pipes, events,
// immediates and fp32 scalars keep their values.
// RUN: npu-opt %s -npuk-to-aicore | npu-translate --aicore-to-asm | FileCheck %s

!gm = memref<?xi8, #aicore.space<gm>>
!l1 = memref<?xi8, #aicore.space<l1>>
!l0a = memref<?xi8, #aicore.space<l0a>>
!l0b = memref<?xi8, #aicore.space<l0b>>
!l0c = memref<?xi8, #aicore.space<l0c>>
!ub = memref<?xi8, #aicore.space<ub>>

// CHECK-LABEL: .cores 1
func.func @formats() attributes {npuk.cores = 1 : i64} {
  %c0 = arith.constant 0 : index
  %c64 = arith.constant 64 : index
  %c5 = arith.constant 1065353216 : index
  %g = npuk.gm "G" size 4096 at 4096 : !gm
  %l1 = npuk.slot_at "l1"[0] offset 0 bytes 65536 : !l1
  %la = npuk.slot_at "a"[0] offset 0 bytes 4096 : !l0a
  %lb = npuk.slot_at "b"[0] offset 0 bytes 4096 : !l0b
  %lc = npuk.slot_at "c"[0] offset 0 bytes 4096 : !l0c
  %ub = npuk.slot_at "u"[0] offset 1024 bytes 8192 : !ub
  %id = npuk.core_id
  // Constants that need a register are loaded once, first.
  // CHECK: addi [[SCALE:x[0-9]+]], x0, 1065353216
  // CHECK: coreid [[ID:x[0-9]+]]
  // CHECK: copy l1[0x40], gm[0x1000], 2, 3, 4, 5
  npuk.i.copy_gm_l1 %l1[%c64], %g[%c0], nburst = 2, burstlen = 3, srcstride = 4, dststride = 5 : !l1, !gm
  // CHECK: copy ub[0x400], l1[0x0], 1, 1, 0, 0
  npuk.i.copy_l1_ub %ub[%c0], %l1[%c0], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : !ub, !l1
  // CHECK: copy l1[0x0], ub[0x400], 1, 1, 0, 0
  npuk.i.copy_ub_l1 %l1[%c0], %ub[%c0], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : !l1, !ub
  // CHECK: copy ub[0x440], ub[0x400], 1, 1, 0, 0
  npuk.i.copy_ub_ub %ub[%c64], %ub[%c0], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : !ub, !ub
  // CHECK: set_fmap 4, 4, 1, 1, 1, 1, 1
  npuk.i.set_fmap h = 4, w = 4, c1 = 1, padtop = 1, padbottom = 1, padleft = 1, padright = 1
  // CHECK: load3d.f16 l0a[0x0], l1[0x0], [[ID]], x0, 3, 3, 1, 1, 1, 1, 1, 1
  npuk.i.load3d f16 %la[%c0], %l1[%c0], %id, %c0, kh = 3, kw = 3, sh = 1, sw = 1, dh = 1, dw = 1, mfrac = 1, kfrac = 1 : !l0a, !l1
  // CHECK: mmad_bias.f16 l0c[0x0], l0a[0x0], l0b[0x0], l1[0x40], 16, 16, 16
  npuk.i.mmad_bias f16 %lc[%c0], %la[%c0], %lb[%c0], %l1[%c64], m = 16, n = 16, k = 16 : !l0c, !l0a, !l0b, !l1
  // CHECK: fix.f16.f32 l1[0x0], l0c[0x0], 16, 16, 16, 1, 0, [[SCALE]]
  npuk.i.fix_l1 f16 f32 %l1[%c0], %lc[%c0], m = 16, n = 16, dststride = 16, relu = 1, nz2nd = 0, %c5 : !l1, !l0c
  // CHECK: fix.f32.f32 ub[0x400], l0c[0x0], 16, 16, 16, 0, 1, x0
  npuk.i.fix_ub f32 f32 %ub[%c0], %lc[%c0], m = 16, n = 16, dststride = 16, relu = 0, nz2nd = 1, %c0 : !ub, !l0c
  // CHECK: vmaxs.f32 ub[0x400], ub[0x440], -2.5, 1, 1, 1, 8, 8
  npuk.i.vmaxs f32 %ub[%c0], %ub[%c64], -2.5, repeat = 1, dstblk = 1, ablk = 1, dstrep = 8, arep = 8 : !ub, !ub
  // CHECK: vdup.f16 ub[0x400], 3, 2, 1, 8
  npuk.i.vdup f16 %ub[%c0], 3.0, repeat = 2, dstblk = 1, dstrep = 8 : !ub
  // CHECK: vconv.s32.f16.floor ub[0x400], ub[0x440], 1, 1, 1, 8, 4
  npuk.i.vconv s32 f16 floor %ub[%c0], %ub[%c64], repeat = 1, dstblk = 1, ablk = 1, dstrep = 8, arep = 4 : !ub, !ub
  // CHECK: vcmp.lt.f16 ub[0x400], ub[0x440], ub[0x440], 1, 1, 1, 8, 8
  npuk.i.vcmp lt f16 %ub[%c0], %ub[%c64], %ub[%c64], repeat = 1, ablk = 1, bblk = 1, arep = 8, brep = 8 : !ub, !ub, !ub
  // CHECK: vsel.f16 ub[0x400], ub[0x440], ub[0x440], ub[0x440], 1, 8, 8, 8
  npuk.i.vsel f16 %ub[%c0], %ub[%c64], %ub[%c64], %ub[%c64], repeat = 1, dstrep = 8, arep = 8, brep = 8 : !ub, !ub, !ub, !ub
  // CHECK: vcadd.f32 ub[0x400], ub[0x440], 1, 1, 8
  npuk.i.vcadd f32 %ub[%c0], %ub[%c64], repeat = 1, ablk = 1, arep = 8 : !ub, !ub
  // CHECK: set_mask x0, [[ID]]
  npuk.i.set_mask %c0, %id
  // CHECK: pipe_barrier MTE3
  npuk.i.pipe_barrier MTE3
  // CHECK: set_flag FIX, MTE3, 3
  npuk.i.set_flag FIX, MTE3, 3
  // CHECK: wait_flag FIX, MTE3, 3
  npuk.i.wait_flag FIX, MTE3, 3
  // CHECK: barrier
  npuk.i.barrier
  // Scalar virtual instructions define their `d` register.
  // CHECK: muli [[T:x[0-9]+]], [[ID]], 3
  // CHECK: remu [[R:x[0-9]+]], [[T]], [[ID]]
  // CHECK: copy gm[[[R]]+0x1000], ub[0x400], 1, 1, 0, 0
  %t = npuk.i.muli %id, 3
  %r = npuk.i.remu %t, %id
  npuk.i.copy_ub_gm %g[%r], %ub[%c0], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : !gm, !ub
  // CHECK: nop
  npuk.i.nop
  // CHECK: end
  return
}
