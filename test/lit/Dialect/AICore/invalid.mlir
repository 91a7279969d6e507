// RUN: npu-opt %s -split-input-file -verify-diagnostics

// Buffer kinds: mmad reads L0A and L0B and writes L0C.
aicore.program cores(1) {
  %c = aicore.addr x0[0] : memref<?xi8, #aicore.space<l0c>>
  %a = aicore.addr x0[0] : memref<?xi8, #aicore.space<l1>>
  %b = aicore.addr x0[0] : memref<?xi8, #aicore.space<l0b>>
  // expected-error @below {{operand 'a' must be a memref in #aicore.space<l0a>, got 'memref<?xi8, #aicore.space<l1>>'}}
  aicore.mmad f16 zero %c, %a, %b, m = 16, n = 16, k = 16 : memref<?xi8, #aicore.space<l0c>>, memref<?xi8, #aicore.space<l1>>, memref<?xi8, #aicore.space<l0b>>
}

// -----

// MTE2 copies GM to L1 (copy_gm_l1) or UB (copy_gm_ub), not the reverse.
aicore.program cores(1) {
  %d = aicore.addr x0[0] : memref<?xi8, #aicore.space<ub>>
  %s = aicore.addr x0[4096] : memref<?xi8, #aicore.space<gm>>
  // expected-error @below {{operand 'dst' must be a memref in #aicore.space<l1>, got 'memref<?xi8, #aicore.space<ub>>'}}
  aicore.copy_gm_l1 %d, %s, nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : memref<?xi8, #aicore.space<ub>>, memref<?xi8, #aicore.space<gm>>
}

// -----

func.func @no_space(%d: memref<128xf16>, %a: memref<128xf16, #aicore.space<ub>>) {
  // expected-error @below {{operand 'dst' must be a memref in #aicore.space<ub>, got 'memref<128xf16>'}}
  aicore.vabs f16 %d, %a, repeat = 1, dstblk = 1, ablk = 1, dstrep = 8, arep = 8 : memref<128xf16>, memref<128xf16, #aicore.space<ub>>
  return
}

// -----

// Alignment of static addresses: L0A/L0B 512 B, L0C 64 B, others 32 B.
// expected-error @below {{'aicore.addr' op address l0a[32] is not 512-byte aligned}}
%0 = aicore.addr x0[32] : memref<?xi8, #aicore.space<l0a>>

// -----

// expected-error @below {{'aicore.addr' op address l0b[1000480] is not 512-byte aligned}}
%0 = aicore.addr x0[1000480] : memref<?xi8, #aicore.space<l0b>>

// -----

// expected-error @below {{'aicore.addr' op address l0c[96] is not 64-byte aligned}}
%0 = aicore.addr x0[96] : memref<?xi8, #aicore.space<l0c>>

// -----

// expected-error @below {{'aicore.addr' op offset 16 must be a multiple of 32 below 1 MiB}}
%0 = aicore.addr x3[16] : memref<?xi8, #aicore.space<ub>>

// -----

// expected-error @below {{'aicore.addr' op offset 1048576 must be a multiple of 32 below 1 MiB}}
%0 = aicore.addr x3[1048576] : memref<?xi8, #aicore.space<ub>>

// -----

// expected-error @below {{'aicore.addr' op result must be a memref in an #aicore.space, got 'memref<?xi8, 1>'}}
%0 = aicore.addr x0[0] : memref<?xi8, 1>

// -----

// expected-error @below {{'aicore.addr' op base register x32 is not one of x0..x31}}
%0 = "aicore.addr"() {base = 32 : i32, offset = 0 : i64} : () -> memref<?xi8, #aicore.space<ub>>

// -----

// expected-error @below {{expected a register x0..x31}}
%0 = aicore.addr y1[0] : memref<?xi8, #aicore.space<ub>>

// -----

// Field ranges.
func.func @mmad_m(%c: memref<?xi8, #aicore.space<l0c>>, %a: memref<?xi8, #aicore.space<l0a>>, %b: memref<?xi8, #aicore.space<l0b>>) {
  // expected-error @below {{field 'm' = 4096 is out of range [0, 4095]}}
  aicore.mmad f16 zero %c, %a, %b, m = 4096, n = 16, k = 16 : memref<?xi8, #aicore.space<l0c>>, memref<?xi8, #aicore.space<l0a>>, memref<?xi8, #aicore.space<l0b>>
  return
}

// -----

func.func @mmad_k(%c: memref<?xi8, #aicore.space<l0c>>, %a: memref<?xi8, #aicore.space<l0a>>, %b: memref<?xi8, #aicore.space<l0b>>) {
  // expected-error @below {{field 'k' must be at least 1}}
  aicore.mmad s8 acc %c, %a, %b, m = 16, n = 16, k = 0 : memref<?xi8, #aicore.space<l0c>>, memref<?xi8, #aicore.space<l0a>>, memref<?xi8, #aicore.space<l0b>>
  return
}

// -----

func.func @repeat(%u: memref<?xi8, #aicore.space<ub>>) {
  // expected-error @below {{field 'repeat' = 256 is out of range [0, 255]}}
  aicore.vadd f16 %u, %u, %u, repeat = 256, dstblk = 1, ablk = 1, bblk = 1, dstrep = 8, arep = 8, brep = 8 : memref<?xi8, #aicore.space<ub>>, memref<?xi8, #aicore.space<ub>>, memref<?xi8, #aicore.space<ub>>
  return
}

// -----

func.func @repeat0(%u: memref<?xi8, #aicore.space<ub>>) {
  // expected-error @below {{field 'repeat' must be at least 1}}
  aicore.vrelu f32 %u, %u, repeat = 0, dstblk = 1, ablk = 1, dstrep = 8, arep = 8 : memref<?xi8, #aicore.space<ub>>, memref<?xi8, #aicore.space<ub>>
  return
}

// -----

func.func @stride(%u: memref<?xi8, #aicore.space<ub>>) {
  // expected-error @below {{field 'arep' = -1 is out of range [0, 255]}}
  aicore.vcadd f32 %u, %u, repeat = 1, ablk = 1, arep = -1 : memref<?xi8, #aicore.space<ub>>, memref<?xi8, #aicore.space<ub>>
  return
}

// -----

// expected-error @below {{field 'event' = 16 is out of range [0, 15]}}
aicore.set_flag MTE2, V, 16

// -----

// expected-error @below {{source and destination pipe must differ}}
aicore.wait_flag V, V, 0

// -----

// expected-error @below {{field 'lo' = 32 is out of range [0, 31]}}
"aicore.set_mask"() {hi = 1 : i32, lo = 32 : i32} : () -> ()

// -----

// expected-error @below {{field 'imm' = 2147483648 is out of range [-2147483648, 2147483647]}}
aicore.addi x1, x1, 2147483648

// -----

// expected-error @below {{field 'h' must be at least 1}}
aicore.set_fmap h = 0, w = 8, c1 = 1, padtop = 0, padbottom = 0, padleft = 0, padright = 0

// -----

// Element types and cross-field rules (npu::isa::verifyInstruction).
func.func @vdiv_int(%u: memref<?xi8, #aicore.space<ub>>) {
  // expected-error @below {{type s16 not supported by 'vdiv'}}
  aicore.vdiv s16 %u, %u, %u, repeat = 1, dstblk = 1, ablk = 1, bblk = 1, dstrep = 8, arep = 8, brep = 8 : memref<?xi8, #aicore.space<ub>>, memref<?xi8, #aicore.space<ub>>, memref<?xi8, #aicore.space<ub>>
  return
}

// -----

func.func @vconv_round(%u: memref<?xi8, #aicore.space<ub>>) {
  // expected-error @below {{conversion to a float type must use rne}}
  aicore.vconv f16 f32 floor %u, %u, repeat = 1, dstblk = 1, ablk = 1, dstrep = 4, arep = 8 : memref<?xi8, #aicore.space<ub>>, memref<?xi8, #aicore.space<ub>>
  return
}

// -----

func.func @fix_types(%g: memref<?xi8, #aicore.space<gm>>, %c: memref<?xi8, #aicore.space<l0c>>) {
  // expected-error @below {{fix from f32 must produce f16, bf16 or f32}}
  aicore.fix_gm s8 f32 %g, %c, m = 16, n = 16, dststride = 16, relu = 0, nz2nd = 1, x0 : memref<?xi8, #aicore.space<gm>>, memref<?xi8, #aicore.space<l0c>>
  return
}

// -----

func.func @nd2nz_cols(%l: memref<?xi8, #aicore.space<l1>>, %g: memref<?xi8, #aicore.space<gm>>) {
  // expected-error @below {{cols must be a multiple of 16}}
  aicore.nd2nz f16 %l, %g, rows = 16, cols = 8, srcstride = 8, dstrows = 0 : memref<?xi8, #aicore.space<l1>>, memref<?xi8, #aicore.space<gm>>
  return
}

// -----

// Program structure.
aicore.program cores(1) {
  // expected-error @below {{branch target @nowhere is not a label}}
  aicore.j @nowhere
}

// -----

aicore.program cores(1) {
  aicore.label @top
  aicore.nop
  // expected-error @below {{label @top is defined twice}}
  aicore.label @top
}

// -----

aicore.program cores(1) {
  aicore.gm @A, 4096 at 4096 zero
  // expected-error @below {{names unknown GM buffer @B}}
  aicore.output @B, "b.npy", f32, [4]
}

// -----

aicore.program cores(1) {
  // expected-error @below {{a dtype is required with init 'random'}}
  aicore.gm @A, 4096 at 4096 random value 1.0
}

// -----

aicore.program cores(1) {
  // expected-error @below {{needs a positive size and a 4 KiB aligned address}}
  aicore.gm @A, 4096 at 4100 zero
}

// -----

// expected-error @below {{cores must be in 1..4096, got 0}}
aicore.program cores(0) {
  aicore.end
}

// -----

// expected-error @below {{'aicore.label' op expects parent op 'aicore.program'}}
aicore.label @outside
