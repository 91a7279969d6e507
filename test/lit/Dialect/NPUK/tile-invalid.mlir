// RUN: npu-opt %s -split-input-file -verify-diagnostics

func.func @f() {
  %c0 = arith.constant 0 : index
  %a = npuk.slot "a" bytes 512 : memref<?xi8, #aicore.space<l1>>
  // expected-error @below {{'npuk.i.vadd' op operand 'dst' must be a memref in #aicore.space<ub>, got 'memref<?xi8, #aicore.space<l1>>'}}
  npuk.i.vadd f16 %a[%c0], %a[%c0], %a[%c0], repeat = 1, dstblk = 1, ablk = 1, bblk = 1, dstrep = 8, arep = 8, brep = 8 : memref<?xi8, #aicore.space<l1>>, memref<?xi8, #aicore.space<l1>>, memref<?xi8, #aicore.space<l1>>
  return
}

// -----

func.func @f() {
  %c0 = arith.constant 0 : index
  %a = npuk.slot "a" bytes 512 : memref<?xi8, #aicore.space<ub>>
  // expected-error @below {{'npuk.i.vadd' op field 'repeat' = 256 is out of range [0, 255]}}
  npuk.i.vadd f16 %a[%c0], %a[%c0], %a[%c0], repeat = 256, dstblk = 1, ablk = 1, bblk = 1, dstrep = 8, arep = 8, brep = 8 : memref<?xi8, #aicore.space<ub>>, memref<?xi8, #aicore.space<ub>>, memref<?xi8, #aicore.space<ub>>
  return
}

// -----

func.func @f() {
  %c0 = arith.constant 0 : index
  %a = npuk.slot "a" bytes 512 : memref<?xi8, #aicore.space<ub>>
  // expected-error @below {{'npuk.i.vdiv' op}}
  npuk.i.vdiv s16 %a[%c0], %a[%c0], %a[%c0], repeat = 1, dstblk = 1, ablk = 1, bblk = 1, dstrep = 8, arep = 8, brep = 8 : memref<?xi8, #aicore.space<ub>>, memref<?xi8, #aicore.space<ub>>, memref<?xi8, #aicore.space<ub>>
  return
}

// -----

func.func @f() {
  // expected-error @below {{'npuk.i.set_flag' op field 'event' = 16 is out of range [0, 15]}}
  npuk.i.set_flag MTE2, V, 16
  return
}

// -----

func.func @f() {
  // expected-error @below {{unknown value 'S'}}
  npuk.i.set_flag S, V, 1
  return
}

// -----

func.func @f() {
  // expected-error @below {{'npuk.slot' op must be in an on-chip buffer (l1, l0a, l0b, l0c or ub), got 'memref<?xi8, #aicore.space<gm>>'}}
  %a = npuk.slot "a" bytes 512 : memref<?xi8, #aicore.space<gm>>
  return
}

// -----

func.func @f() {
  // expected-error @below {{'npuk.slot' op align 32 must be a power of two and a multiple of 512 (the l0a alignment)}}
  %a = npuk.slot "a" bytes 512 align 32 : memref<?xi8, #aicore.space<l0a>>
  return
}

// -----

func.func @f() {
  // expected-error @below {{'npuk.slot' op needs a positive size, got 0}}
  %a = npuk.slot "a" bytes 0 : memref<?xi8, #aicore.space<ub>>
  return
}

// -----

func.func @f() {
  // expected-error @below {{copies must be in 1..64}}
  %a = npuk.slot "a" bytes 32 copies 0 : memref<?xi8, #aicore.space<ub>>
  return
}

// -----

func.func @f() {
  // expected-error @below {{'npuk.slot_at' op offset 32 is not 64-byte aligned}}
  %a = npuk.slot_at "a"[0] offset 32 bytes 64 : memref<?xi8, #aicore.space<l0c>>
  return
}

// -----

func.func @f() {
  // expected-error @below {{'npuk.gm' op needs a positive size and a 4 KiB aligned address, got size 64 at 100}}
  %a = npuk.gm "A" size 64 at 100 : memref<?xi8, #aicore.space<gm>>
  return
}

// -----

func.func @f() {
  // expected-error @below {{unknown GM init 'rand'}}
  %a = npuk.gm "A" size 64 at 4096 rand : memref<?xi8, #aicore.space<gm>>
  return
}
