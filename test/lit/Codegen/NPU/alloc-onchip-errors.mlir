// RUN: npu-opt %s -split-input-file -npuk-alloc-onchip -verify-diagnostics
// RUN: printf 'preset = dv-910\nl1_size = 65536\n' > %t.ini
// RUN: not npu-opt %s -split-input-file -npuk-alloc-onchip="config=%t.ini" 2>&1 | FileCheck %s --check-prefix=INI
// RUN: not npu-opt %s -npuk-alloc-onchip="config=dv-911" 2>&1 | FileCheck %s --check-prefix=BAD

// The slots do not fit: every slot, the total and the shortfall.
// expected-error @+1 {{L1 overflows by 49408 bytes: fmap 2 x 401408 + weights 2 x 147456 + bias 256 = 1097984 > 1048576}}
func.func @conv() attributes {npuk.cores = 1 : i64} {
  %f:2 = npuk.slot "fmap" bytes 401408 copies 2 : memref<?xi8, #aicore.space<l1>>
  %w:2 = npuk.slot "weights" bytes 147456 copies 2 : memref<?xi8, #aicore.space<l1>>
  %b = npuk.slot "bias" bytes 256 : memref<?xi8, #aicore.space<l1>>
  return
}
// INI: L1 overflows by 1032448 bytes: fmap 2 x 401408 + weights 2 x 147456 + bias 256 = 1097984 > 65536
// BAD: error: cannot load machine config 'dv-911': unknown preset 'dv-911'

// -----

// Alignment gaps count and are shown.
// expected-error @+1 {{L0A overflows by 512 bytes: a 2 x 32200 + b 1536 + alignment 112 = 66048 > 65536}}
func.func @l0a() attributes {npuk.cores = 1 : i64} {
  %a:2 = npuk.slot "a" bytes 32200 copies 2 : memref<?xi8, #aicore.space<l0a>>
  %b = npuk.slot "b" bytes 1536 : memref<?xi8, #aicore.space<l0a>>
  return
}

// -----

// A constant offset past the end of the slot copy.
func.func @outside() attributes {npuk.cores = 1 : i64} {
  %c0 = arith.constant 0 : index
  %c64 = arith.constant 64 : index
  %a:2 = npuk.slot "a" bytes 256 copies 2 : memref<?xi8, #aicore.space<ub>>
  // expected-error @+1 {{'npuk.i.vadd' op operand 'b' touches ub[0x40, 0x140), outside slot 'a' copy 0 (ub[0x0, 0x100))}}
  npuk.i.vadd f16 %a#1[%c0], %a#0[%c0], %a#0[%c64], repeat = 1, dstblk = 1, ablk = 1, bblk = 1, dstrep = 8, arep = 8, brep = 8 : memref<?xi8, #aicore.space<ub>>, memref<?xi8, #aicore.space<ub>>, memref<?xi8, #aicore.space<ub>>
  return
}

// -----

// A GM access past its region.
func.func @gm_outside() attributes {npuk.cores = 1 : i64} {
  %c0 = arith.constant 0 : index
  %c4064 = arith.constant 4064 : index
  %u = npuk.slot "u" bytes 64 : memref<?xi8, #aicore.space<ub>>
  %g = npuk.gm "G" size 4096 at 4096 : memref<?xi8, #aicore.space<gm>>
  // expected-error @+1 {{'npuk.i.copy_gm_ub' op operand 'src' touches gm[0x1fe0, 0x2020), outside GM region 'G' (gm[0x1000, 0x2000))}}
  npuk.i.copy_gm_ub %u[%c0], %g[%c4064], nburst = 1, burstlen = 2, srcstride = 0, dststride = 0 : memref<?xi8, #aicore.space<ub>>, memref<?xi8, #aicore.space<gm>>
  return
}
