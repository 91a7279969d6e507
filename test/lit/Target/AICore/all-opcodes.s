; Every NPU opcode at least once, with non-default fields, through every
; aicore translation. Reference forms come from npu-sim's own assembler.
; RUN: npu-sim %s --emit-asm %t.ref.s
; RUN: npu-sim %s --emit-binary %t.ref.bin
; RUN: npu-translate --asm-to-aicore %s -o %t.mlir
; RUN: FileCheck %s --input-file %t.mlir
; RUN: npu-translate --aicore-to-asm %t.mlir -o %t.s
; RUN: diff %t.ref.s %t.s
; RUN: npu-translate --aicore-to-bin %t.mlir -o %t.bin
; RUN: cmp %t.ref.bin %t.bin
; RUN: npu-translate --bin-to-aicore %t.ref.bin -o %t.frombin.mlir
; RUN: diff %t.mlir %t.frombin.mlir
; RUN: npu-translate --aicore-to-bin %t.frombin.mlir | cmp %t.ref.bin -
; RUN: npu-translate --asm-to-aicore %t.s | npu-translate --aicore-to-asm | diff %t.ref.s -
; The dialect's own print/parse, custom and generic, preserves everything.
; RUN: npu-opt %t.mlir | npu-translate --aicore-to-bin | cmp %t.ref.bin -
; RUN: npu-opt --mlir-print-op-generic %t.mlir | npu-opt | npu-translate --aicore-to-bin | cmp %t.ref.bin -

.cores 2
.gm IN, 8192, random f16 3
.gm C, 4096, const f32 1.5
.gm I, 4096, iota s32
.gm OUT, 65536 @0x10000
.gm F, 64, file "data.bin"
.output OUT, "out.npy", f32, 16, 16
.output I, "i.bin", s32

; CHECK:      !gm_buf = memref<?xi8, #aicore.space<gm>>
; CHECK:      !ub_buf = memref<?xi8, #aicore.space<ub>>
; CHECK:      aicore.program cores(2) {
; CHECK-NEXT:   aicore.gm @IN, 8192 at 4096 random f16 value 3.000000e+00
; CHECK-NEXT:   aicore.gm @C, 4096 at 12288 const f32 value 1.500000e+00
; CHECK-NEXT:   aicore.gm @I, 4096 at 16384 iota s32
; CHECK-NEXT:   aicore.gm @OUT, 65536 at 65536 zero
; CHECK-NEXT:   aicore.gm @F, 64 at 131072 file path "data.bin"
; CHECK-NEXT:   aicore.output @OUT, "out.npy", f32, [16, 16]
; CHECK-NEXT:   aicore.output @I, "i.bin", s32, []
; CHECK-NEXT:   aicore.label @L0
start:
  nop                                   ; CHECK-NEXT: aicore.nop
  li x1, -123456789012                  ; CHECK-NEXT: aicore.li x1, -123456789012
  mov x2, x1                            ; CHECK-NEXT: aicore.mov x2, x1
  add x3, x1, x2                        ; CHECK-NEXT: aicore.add x3, x1, x2
  sub x3, x1, x2                        ; CHECK-NEXT: aicore.sub
  mul x3, x1, x2                        ; CHECK-NEXT: aicore.mul
  and x3, x1, x2                        ; CHECK-NEXT: aicore.and
  or x3, x1, x2                         ; CHECK-NEXT: aicore.or
  divu x3, x1, x2                       ; CHECK-NEXT: aicore.divu
  remu x3, x1, x2                       ; CHECK-NEXT: aicore.remu
  addi x4, x3, -7                       ; CHECK-NEXT: aicore.addi x4, x3, -7
  muli x4, x3, 2147483647               ; CHECK-NEXT: aicore.muli x4, x3, 2147483647
  andi x4, x3, -2147483648              ; CHECK-NEXT: aicore.andi x4, x3, -2147483648
  shli x4, x3, 5                        ; CHECK-NEXT: aicore.shli
  shri x4, x3, 63                       ; CHECK-NEXT: aicore.shri
  coreid x5                             ; CHECK-NEXT: aicore.coreid x5
  corenum x31                           ; CHECK-NEXT: aicore.corenum x31
  beq x5, x6, start                     ; CHECK-NEXT: aicore.beq x5, x6, @L0
  bne x5, x6, later                     ; CHECK-NEXT: aicore.bne x5, x6, @L22
  blt x5, x0, start                     ; CHECK-NEXT: aicore.blt
  bge x0, x5, later                     ; CHECK-NEXT: aicore.bge
  j later                               ; CHECK-NEXT: aicore.j @L22
; CHECK-NEXT: aicore.label @L22
later:
  set_flag MTE2, MTE1, 3                ; CHECK-NEXT: aicore.set_flag MTE2, MTE1, 3
  wait_flag MTE2, MTE1, 3               ; CHECK-NEXT: aicore.wait_flag MTE2, MTE1, 3
  pipe_barrier FIX                      ; CHECK-NEXT: aicore.pipe_barrier FIX
  barrier                               ; CHECK-NEXT: aicore.barrier
; CHECK-NEXT: %[[D:.*]] = aicore.addr x7[64] : !l1_buf
; CHECK-NEXT: %[[S:.*]] = aicore.addr x1[32] : !gm_buf
; CHECK-NEXT: aicore.copy_gm_l1 %[[D]], %[[S]], nburst = 2, burstlen = 3, srcstride = 4, dststride = 5 : !l1_buf, !gm_buf
  copy l1[x7+0x40], gm[x1+0x20], 2, 3, 4, 5
  copy ub[0x1000], gm[IN], 1, 1, 0, 0   ; CHECK: aicore.copy_gm_ub
  nd2nz.s8 l1[0x200], gm[x1], 3, 64, 64, 16 ; CHECK: aicore.nd2nz s8
  load2d l0a[0x400], l1[0x200], 2, 1, 1, 0  ; CHECK: aicore.load2d_a
  load2d l0b[x8+0x20], l1[0x60], 1, 0, 0, 1 ; CHECK: aicore.load2d_b
  set_fmap 8, 8, 2, 1, 1, 1, 1          ; CHECK: aicore.set_fmap h = 8, w = 8, c1 = 2, padtop = 1, padbottom = 1, padleft = 1, padright = 1
  load3d.f16 l0a[0], l1[0], x9, x10, 3, 3, 1, 1, 1, 1, 2, 9 ; CHECK: aicore.load3d f16 %{{.*}}, %{{.*}}, x9, x10, kh = 3
  copy ub[0x20], l1[0x20], 1, 2, 0, 0   ; CHECK: aicore.copy_l1_ub
  mmad.f16.acc l0c[0x40], l0a[0], l0b[0x200], 4095, 16, 1 ; CHECK: aicore.mmad f16 acc {{.*}} m = 4095, n = 16, k = 1
  mmad_bias.s8 l0c[0], l0a[0x200], l0b[0], l1[0x100], 16, 4095, 64 ; CHECK: aicore.mmad_bias s8
  vadd.f16 ub[0], ub[0x100], ub[0x200], 255, 1, 2, 3, 4, 5, 6 ; CHECK: aicore.vadd f16 {{.*}} repeat = 255
  vsub.bf16 ub[0], ub[0x100], ub[0x200], 1, 1, 1, 1, 8, 8, 8 ; CHECK: aicore.vsub bf16
  vmul.f32 ub[0], ub[0x100], ub[0x200], 1, 1, 1, 1, 8, 8, 8  ; CHECK: aicore.vmul f32
  vdiv.f16 ub[0], ub[0x100], ub[0x200], 1, 1, 1, 1, 8, 8, 8  ; CHECK: aicore.vdiv f16
  vmax.s16 ub[0], ub[0x100], ub[0x200], 1, 1, 1, 1, 8, 8, 8  ; CHECK: aicore.vmax s16
  vmin.s32 ub[0], ub[0x100], ub[0x200], 1, 1, 1, 1, 8, 8, 8  ; CHECK: aicore.vmin s32
  vabs.f16 ub[0], ub[0x100], 1, 1, 1, 8, 8   ; CHECK: aicore.vabs f16
  vexp.f32 ub[0], ub[0x100], 2, 1, 1, 8, 8   ; CHECK: aicore.vexp f32
  vln.bf16 ub[0], ub[0x100], 3, 1, 1, 8, 8   ; CHECK: aicore.vln bf16
  vsqrt.f16 ub[0], ub[0x100], 4, 1, 1, 8, 8  ; CHECK: aicore.vsqrt f16
  vrec.f32 ub[0], ub[0x100], 5, 1, 1, 8, 8   ; CHECK: aicore.vrec f32
  vrelu.s32 ub[0], ub[0x100], 6, 1, 1, 8, 8  ; CHECK: aicore.vrelu s32
  vmov.s16 ub[0], ub[0x100], 7, 2, 2, 16, 16 ; CHECK: aicore.vmov s16
  vadds.f16 ub[0], ub[0x100], -1.5, 2, 1, 1, 8, 8 ; CHECK: aicore.vadds f16 %{{.*}}, %{{.*}}, -1.500000e+00, repeat = 2
  vmuls.f32 ub[0], ub[0x100], 1e-3, 2, 1, 1, 8, 8 ; CHECK: aicore.vmuls f32 %{{.*}}, %{{.*}}, 1.000000e-03
  vmaxs.bf16 ub[0], ub[0x100], -inf, 2, 1, 1, 8, 8 ; CHECK: aicore.vmaxs bf16 %{{.*}}, %{{.*}}, 0xFF800000
  vmins.s32 ub[0], ub[0x100], f32:0x7fc00001, 2, 1, 1, 8, 8 ; CHECK: aicore.vmins s32 %{{.*}}, %{{.*}}, 0x7FC00001
  vdup.f16 ub[0x40], 0.1, 3, 1, 8      ; CHECK: aicore.vdup f16 %{{.*}}, 1.000000e-01, repeat = 3
  vconv.s32.f16.floor ub[0], ub[0x100], 1, 1, 1, 8, 4 ; CHECK: aicore.vconv s32 f16 floor
  vcmp.lt.f32 ub[0], ub[0x100], ub[0x200], 1, 1, 1, 8, 8 ; CHECK: aicore.vcmp lt f32
  vsel.f16 ub[0], ub[0x100], ub[0x200], ub[0x300], 1, 8, 8, 8 ; CHECK: aicore.vsel f16
  vcadd.f32 ub[0], ub[0x100], 1, 1, 8   ; CHECK: aicore.vcadd f32
  vcmax.s16 ub[0], ub[0x100], 1, 1, 8   ; CHECK: aicore.vcmax s16
  set_mask x1, x2                       ; CHECK: aicore.set_mask x1, x2
  copy ub[0x40], ub[0x80], 1, 1, 0, 0   ; CHECK: aicore.copy_ub_ub
  copy gm[OUT], ub[0], 1, 1, 0, 0       ; CHECK: aicore.copy_ub_gm
  copy l1[0], ub[0], 1, 1, 0, 0         ; CHECK: aicore.copy_ub_l1
  fix.f16.f32 gm[x3+0x20], l0c[0x40], 16, 16, 16, 1, 1, x11 ; CHECK: aicore.fix_gm f16 f32 {{.*}} nz2nd = 1, x11
  fix.s8.s32 l1[0], l0c[0], 16, 32, 32, 0, 0, x0 ; CHECK: aicore.fix_l1 s8 s32
  fix.bf16.f32 ub[0x20], l0c[0], 1, 1, 0, 0, 0, x0 ; CHECK: aicore.fix_ub bf16 f32
  prefetch gm[x3+0x20], 2, 4, 8          ; CHECK: aicore.prefetch {{.*}} nburst = 2, burstlen = 4, srcstride = 8
  end                                   ; CHECK: aicore.end
