// RUN: npu-opt %s -split-input-file -npuk-insert-sync -verify-diagnostics
// RUN: not npu-opt %s -npuk-insert-sync=config=nope.ini 2>&1 | FileCheck %s --check-prefix=CONFIG
// CONFIG: cannot load machine config 'nope.ini'

func.func @has_flags() attributes {npuk.cores = 1 : i64} {
  // expected-error @below {{'npuk.i.set_flag' op is already in the kernel; npuk-insert-sync expects a kernel without set_flag/wait_flag}}
  npuk.i.set_flag MTE2, V, 0
  npuk.i.wait_flag MTE2, V, 0
  return
}

// -----

func.func @unallocated() attributes {npuk.cores = 1 : i64} {
  %c0 = arith.constant 0 : index
  %a = npuk.slot "a" bytes 256 : memref<?xi8, #aicore.space<ub>>
  // expected-error @below {{'npuk.i.vrelu' op address operand is not an allocated slot (npuk.slot_at) or a GM region (npuk.gm); run npuk-alloc-onchip first}}
  npuk.i.vrelu f16 %a[%c0], %a[%c0], repeat = 1, dstblk = 1, ablk = 1, dstrep = 8, arep = 8 : memref<?xi8, #aicore.space<ub>>, memref<?xi8, #aicore.space<ub>>
  return
}

// -----

func.func @while() attributes {npuk.cores = 1 : i64} {
  %c0 = arith.constant 0 : index
  // expected-error @below {{'scf.while' op is not supported in a tile kernel (control flow must be scf.for and scf.if)}}
  scf.while (%i = %c0) : (index) -> index {
    %t = arith.constant true
    scf.condition(%t) %i : index
  } do {
  ^bb0(%j: index):
    scf.yield %j : index
  }
  return
}

