// RUN: npu-opt %s -split-input-file -npuk-to-aicore -verify-diagnostics

!gm = memref<?xi8, #aicore.space<gm>>
!ub = memref<?xi8, #aicore.space<ub>>

// 33 offsets live at once (each defined before any is used), plus the core
// index they come from: more than x1..x31, even with every constant loaded
// next to its use. The error points where a 32nd register is needed.
func.func @pressure() attributes {npuk.cores = 1 : i64} {
  %c0 = arith.constant 0 : index
  %g = npuk.gm "G" size 65536 at 4096 : !gm
  %a = npuk.slot_at "a"[0] offset 0 bytes 256 : !ub
  %id = npuk.core_id
  %c1 = arith.constant 32 : index
  %v1 = arith.muli %id, %c1 : index
  %c2 = arith.constant 64 : index
  %v2 = arith.muli %id, %c2 : index
  %c3 = arith.constant 96 : index
  %v3 = arith.muli %id, %c3 : index
  %c4 = arith.constant 128 : index
  %v4 = arith.muli %id, %c4 : index
  %c5 = arith.constant 160 : index
  %v5 = arith.muli %id, %c5 : index
  %c6 = arith.constant 192 : index
  %v6 = arith.muli %id, %c6 : index
  %c7 = arith.constant 224 : index
  %v7 = arith.muli %id, %c7 : index
  %c8 = arith.constant 256 : index
  %v8 = arith.muli %id, %c8 : index
  %c9 = arith.constant 288 : index
  %v9 = arith.muli %id, %c9 : index
  %c10 = arith.constant 320 : index
  %v10 = arith.muli %id, %c10 : index
  %c11 = arith.constant 352 : index
  %v11 = arith.muli %id, %c11 : index
  %c12 = arith.constant 384 : index
  %v12 = arith.muli %id, %c12 : index
  %c13 = arith.constant 416 : index
  %v13 = arith.muli %id, %c13 : index
  %c14 = arith.constant 448 : index
  %v14 = arith.muli %id, %c14 : index
  %c15 = arith.constant 480 : index
  %v15 = arith.muli %id, %c15 : index
  %c16 = arith.constant 512 : index
  %v16 = arith.muli %id, %c16 : index
  %c17 = arith.constant 544 : index
  %v17 = arith.muli %id, %c17 : index
  %c18 = arith.constant 576 : index
  %v18 = arith.muli %id, %c18 : index
  %c19 = arith.constant 608 : index
  %v19 = arith.muli %id, %c19 : index
  %c20 = arith.constant 640 : index
  %v20 = arith.muli %id, %c20 : index
  %c21 = arith.constant 672 : index
  %v21 = arith.muli %id, %c21 : index
  %c22 = arith.constant 704 : index
  %v22 = arith.muli %id, %c22 : index
  %c23 = arith.constant 736 : index
  %v23 = arith.muli %id, %c23 : index
  %c24 = arith.constant 768 : index
  %v24 = arith.muli %id, %c24 : index
  %c25 = arith.constant 800 : index
  %v25 = arith.muli %id, %c25 : index
  %c26 = arith.constant 832 : index
  %v26 = arith.muli %id, %c26 : index
  %c27 = arith.constant 864 : index
  %v27 = arith.muli %id, %c27 : index
  %c28 = arith.constant 896 : index
  %v28 = arith.muli %id, %c28 : index
  %c29 = arith.constant 928 : index
  %v29 = arith.muli %id, %c29 : index
  %c30 = arith.constant 960 : index
  %v30 = arith.muli %id, %c30 : index
  %c31 = arith.constant 992 : index
  // expected-error @below {{kernel 'pressure' needs 32 scalar registers here, more than the 31 the NPU has (x1..x31; there is no spill memory): split the kernel or keep fewer index values live}}
  %v31 = arith.muli %id, %c31 : index
  %c32 = arith.constant 1024 : index
  %v32 = arith.muli %id, %c32 : index
  %c33 = arith.constant 1056 : index
  %v33 = arith.muli %id, %c33 : index
  npuk.i.copy_gm_ub %a[%c0], %g[%v1], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : !ub, !gm
  npuk.i.copy_gm_ub %a[%c0], %g[%v2], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : !ub, !gm
  npuk.i.copy_gm_ub %a[%c0], %g[%v3], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : !ub, !gm
  npuk.i.copy_gm_ub %a[%c0], %g[%v4], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : !ub, !gm
  npuk.i.copy_gm_ub %a[%c0], %g[%v5], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : !ub, !gm
  npuk.i.copy_gm_ub %a[%c0], %g[%v6], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : !ub, !gm
  npuk.i.copy_gm_ub %a[%c0], %g[%v7], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : !ub, !gm
  npuk.i.copy_gm_ub %a[%c0], %g[%v8], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : !ub, !gm
  npuk.i.copy_gm_ub %a[%c0], %g[%v9], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : !ub, !gm
  npuk.i.copy_gm_ub %a[%c0], %g[%v10], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : !ub, !gm
  npuk.i.copy_gm_ub %a[%c0], %g[%v11], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : !ub, !gm
  npuk.i.copy_gm_ub %a[%c0], %g[%v12], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : !ub, !gm
  npuk.i.copy_gm_ub %a[%c0], %g[%v13], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : !ub, !gm
  npuk.i.copy_gm_ub %a[%c0], %g[%v14], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : !ub, !gm
  npuk.i.copy_gm_ub %a[%c0], %g[%v15], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : !ub, !gm
  npuk.i.copy_gm_ub %a[%c0], %g[%v16], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : !ub, !gm
  npuk.i.copy_gm_ub %a[%c0], %g[%v17], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : !ub, !gm
  npuk.i.copy_gm_ub %a[%c0], %g[%v18], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : !ub, !gm
  npuk.i.copy_gm_ub %a[%c0], %g[%v19], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : !ub, !gm
  npuk.i.copy_gm_ub %a[%c0], %g[%v20], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : !ub, !gm
  npuk.i.copy_gm_ub %a[%c0], %g[%v21], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : !ub, !gm
  npuk.i.copy_gm_ub %a[%c0], %g[%v22], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : !ub, !gm
  npuk.i.copy_gm_ub %a[%c0], %g[%v23], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : !ub, !gm
  npuk.i.copy_gm_ub %a[%c0], %g[%v24], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : !ub, !gm
  npuk.i.copy_gm_ub %a[%c0], %g[%v25], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : !ub, !gm
  npuk.i.copy_gm_ub %a[%c0], %g[%v26], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : !ub, !gm
  npuk.i.copy_gm_ub %a[%c0], %g[%v27], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : !ub, !gm
  npuk.i.copy_gm_ub %a[%c0], %g[%v28], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : !ub, !gm
  npuk.i.copy_gm_ub %a[%c0], %g[%v29], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : !ub, !gm
  npuk.i.copy_gm_ub %a[%c0], %g[%v30], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : !ub, !gm
  npuk.i.copy_gm_ub %a[%c0], %g[%v31], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : !ub, !gm
  npuk.i.copy_gm_ub %a[%c0], %g[%v32], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : !ub, !gm
  npuk.i.copy_gm_ub %a[%c0], %g[%v33], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : !ub, !gm
  return
}

// -----

// 31 live values fit.
func.func @pressure_ok() attributes {npuk.cores = 1 : i64} {
  %c0 = arith.constant 0 : index
  %g = npuk.gm "G" size 65536 at 4096 : memref<?xi8, #aicore.space<gm>>
  %a = npuk.slot_at "a"[0] offset 0 bytes 256 : memref<?xi8, #aicore.space<ub>>
  %id = npuk.core_id
  %c1 = arith.constant 32 : index
  %v1 = arith.muli %id, %c1 : index
  %c2 = arith.constant 64 : index
  %v2 = arith.muli %id, %c2 : index
  %c3 = arith.constant 96 : index
  %v3 = arith.muli %id, %c3 : index
  %c4 = arith.constant 128 : index
  %v4 = arith.muli %id, %c4 : index
  %c5 = arith.constant 160 : index
  %v5 = arith.muli %id, %c5 : index
  %c6 = arith.constant 192 : index
  %v6 = arith.muli %id, %c6 : index
  %c7 = arith.constant 224 : index
  %v7 = arith.muli %id, %c7 : index
  %c8 = arith.constant 256 : index
  %v8 = arith.muli %id, %c8 : index
  %c9 = arith.constant 288 : index
  %v9 = arith.muli %id, %c9 : index
  %c10 = arith.constant 320 : index
  %v10 = arith.muli %id, %c10 : index
  %c11 = arith.constant 352 : index
  %v11 = arith.muli %id, %c11 : index
  %c12 = arith.constant 384 : index
  %v12 = arith.muli %id, %c12 : index
  %c13 = arith.constant 416 : index
  %v13 = arith.muli %id, %c13 : index
  %c14 = arith.constant 448 : index
  %v14 = arith.muli %id, %c14 : index
  %c15 = arith.constant 480 : index
  %v15 = arith.muli %id, %c15 : index
  %c16 = arith.constant 512 : index
  %v16 = arith.muli %id, %c16 : index
  %c17 = arith.constant 544 : index
  %v17 = arith.muli %id, %c17 : index
  %c18 = arith.constant 576 : index
  %v18 = arith.muli %id, %c18 : index
  %c19 = arith.constant 608 : index
  %v19 = arith.muli %id, %c19 : index
  %c20 = arith.constant 640 : index
  %v20 = arith.muli %id, %c20 : index
  %c21 = arith.constant 672 : index
  %v21 = arith.muli %id, %c21 : index
  %c22 = arith.constant 704 : index
  %v22 = arith.muli %id, %c22 : index
  %c23 = arith.constant 736 : index
  %v23 = arith.muli %id, %c23 : index
  %c24 = arith.constant 768 : index
  %v24 = arith.muli %id, %c24 : index
  %c25 = arith.constant 800 : index
  %v25 = arith.muli %id, %c25 : index
  %c26 = arith.constant 832 : index
  %v26 = arith.muli %id, %c26 : index
  %c27 = arith.constant 864 : index
  %v27 = arith.muli %id, %c27 : index
  %c28 = arith.constant 896 : index
  %v28 = arith.muli %id, %c28 : index
  %c29 = arith.constant 928 : index
  %v29 = arith.muli %id, %c29 : index
  %c30 = arith.constant 960 : index
  %v30 = arith.muli %id, %c30 : index
  npuk.i.copy_gm_ub %a[%c0], %g[%v1], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : memref<?xi8, #aicore.space<ub>>, memref<?xi8, #aicore.space<gm>>
  npuk.i.copy_gm_ub %a[%c0], %g[%v2], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : memref<?xi8, #aicore.space<ub>>, memref<?xi8, #aicore.space<gm>>
  npuk.i.copy_gm_ub %a[%c0], %g[%v3], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : memref<?xi8, #aicore.space<ub>>, memref<?xi8, #aicore.space<gm>>
  npuk.i.copy_gm_ub %a[%c0], %g[%v4], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : memref<?xi8, #aicore.space<ub>>, memref<?xi8, #aicore.space<gm>>
  npuk.i.copy_gm_ub %a[%c0], %g[%v5], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : memref<?xi8, #aicore.space<ub>>, memref<?xi8, #aicore.space<gm>>
  npuk.i.copy_gm_ub %a[%c0], %g[%v6], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : memref<?xi8, #aicore.space<ub>>, memref<?xi8, #aicore.space<gm>>
  npuk.i.copy_gm_ub %a[%c0], %g[%v7], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : memref<?xi8, #aicore.space<ub>>, memref<?xi8, #aicore.space<gm>>
  npuk.i.copy_gm_ub %a[%c0], %g[%v8], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : memref<?xi8, #aicore.space<ub>>, memref<?xi8, #aicore.space<gm>>
  npuk.i.copy_gm_ub %a[%c0], %g[%v9], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : memref<?xi8, #aicore.space<ub>>, memref<?xi8, #aicore.space<gm>>
  npuk.i.copy_gm_ub %a[%c0], %g[%v10], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : memref<?xi8, #aicore.space<ub>>, memref<?xi8, #aicore.space<gm>>
  npuk.i.copy_gm_ub %a[%c0], %g[%v11], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : memref<?xi8, #aicore.space<ub>>, memref<?xi8, #aicore.space<gm>>
  npuk.i.copy_gm_ub %a[%c0], %g[%v12], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : memref<?xi8, #aicore.space<ub>>, memref<?xi8, #aicore.space<gm>>
  npuk.i.copy_gm_ub %a[%c0], %g[%v13], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : memref<?xi8, #aicore.space<ub>>, memref<?xi8, #aicore.space<gm>>
  npuk.i.copy_gm_ub %a[%c0], %g[%v14], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : memref<?xi8, #aicore.space<ub>>, memref<?xi8, #aicore.space<gm>>
  npuk.i.copy_gm_ub %a[%c0], %g[%v15], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : memref<?xi8, #aicore.space<ub>>, memref<?xi8, #aicore.space<gm>>
  npuk.i.copy_gm_ub %a[%c0], %g[%v16], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : memref<?xi8, #aicore.space<ub>>, memref<?xi8, #aicore.space<gm>>
  npuk.i.copy_gm_ub %a[%c0], %g[%v17], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : memref<?xi8, #aicore.space<ub>>, memref<?xi8, #aicore.space<gm>>
  npuk.i.copy_gm_ub %a[%c0], %g[%v18], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : memref<?xi8, #aicore.space<ub>>, memref<?xi8, #aicore.space<gm>>
  npuk.i.copy_gm_ub %a[%c0], %g[%v19], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : memref<?xi8, #aicore.space<ub>>, memref<?xi8, #aicore.space<gm>>
  npuk.i.copy_gm_ub %a[%c0], %g[%v20], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : memref<?xi8, #aicore.space<ub>>, memref<?xi8, #aicore.space<gm>>
  npuk.i.copy_gm_ub %a[%c0], %g[%v21], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : memref<?xi8, #aicore.space<ub>>, memref<?xi8, #aicore.space<gm>>
  npuk.i.copy_gm_ub %a[%c0], %g[%v22], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : memref<?xi8, #aicore.space<ub>>, memref<?xi8, #aicore.space<gm>>
  npuk.i.copy_gm_ub %a[%c0], %g[%v23], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : memref<?xi8, #aicore.space<ub>>, memref<?xi8, #aicore.space<gm>>
  npuk.i.copy_gm_ub %a[%c0], %g[%v24], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : memref<?xi8, #aicore.space<ub>>, memref<?xi8, #aicore.space<gm>>
  npuk.i.copy_gm_ub %a[%c0], %g[%v25], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : memref<?xi8, #aicore.space<ub>>, memref<?xi8, #aicore.space<gm>>
  npuk.i.copy_gm_ub %a[%c0], %g[%v26], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : memref<?xi8, #aicore.space<ub>>, memref<?xi8, #aicore.space<gm>>
  npuk.i.copy_gm_ub %a[%c0], %g[%v27], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : memref<?xi8, #aicore.space<ub>>, memref<?xi8, #aicore.space<gm>>
  npuk.i.copy_gm_ub %a[%c0], %g[%v28], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : memref<?xi8, #aicore.space<ub>>, memref<?xi8, #aicore.space<gm>>
  npuk.i.copy_gm_ub %a[%c0], %g[%v29], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : memref<?xi8, #aicore.space<ub>>, memref<?xi8, #aicore.space<gm>>
  npuk.i.copy_gm_ub %a[%c0], %g[%v30], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : memref<?xi8, #aicore.space<ub>>, memref<?xi8, #aicore.space<gm>>
  return
}

// -----

// expected-error @below {{'func.func' op is a tile kernel and must take no arguments and return nothing (GM is reached through npuk.gm)}}
func.func @args(%x: index) attributes {npuk.cores = 1 : i64} {
  return
}

// -----

// expected-error @below {{'func.func' op needs 'npuk.cores' = the number of cores (1..4096)}}
func.func @cores() attributes {npuk.cores = 0 : i64} {
  return
}

// -----

func.func @xor() attributes {npuk.cores = 1 : i64} {
  %id = npuk.core_id
  // expected-error @below {{'arith.xori' op cannot be lowered to NPU scalar instructions}}
  %x = arith.xori %id, %id : index
  npuk.i.set_mask %x, %x
  return
}

// -----

func.func @shift() attributes {npuk.cores = 1 : i64} {
  %id = npuk.core_id
  // expected-error @below {{'arith.shli' op needs a constant shift in 0..63 (the scalar unit shifts by immediates only)}}
  %x = arith.shli %id, %id : index
  npuk.i.set_mask %x, %x
  return
}

// -----

func.func @signed_div() attributes {npuk.cores = 1 : i64} {
  %id = npuk.core_id
  %c3 = arith.constant 3 : index
  %m = arith.subi %c3, %id : index
  // expected-error @below {{'arith.divsi' op has operands not provably non-negative; the scalar unit only divides unsigned (use divui/remui)}}
  %x = arith.divsi %m, %c3 : index
  npuk.i.set_mask %x, %x
  return
}

// -----

func.func @unallocated() attributes {npuk.cores = 1 : i64} {
  // expected-error @below {{'npuk.slot' op is not allocated; run npuk-alloc-onchip first}}
  %a = npuk.slot "a" bytes 256 : memref<?xi8, #aicore.space<ub>>
  return
}

// -----

func.func @output() attributes {npuk.cores = 1 : i64} {
  // expected-error @below {{'npuk.output' op names GM region 'C', which the kernel does not declare}}
  npuk.output "C", "c.npy", f32, [4]
  return
}

// -----

func.func @regions() attributes {npuk.cores = 1 : i64} {
  %g = npuk.gm "G" size 4096 at 4096 : memref<?xi8, #aicore.space<gm>>
  %c0 = arith.constant 0 : index
  %a = npuk.slot_at "a"[0] offset 0 bytes 256 : memref<?xi8, #aicore.space<ub>>
  npuk.i.copy_gm_ub %a[%c0], %g[%c0], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : memref<?xi8, #aicore.space<ub>>, memref<?xi8, #aicore.space<gm>>
  // expected-error @below {{'npuk.gm' op redeclares GM region 'G' differently}}
  %h = npuk.gm "G" size 8192 at 4096 : memref<?xi8, #aicore.space<gm>>
  npuk.i.copy_gm_ub %a[%c0], %h[%c0], nburst = 1, burstlen = 1, srcstride = 0, dststride = 0 : memref<?xi8, #aicore.space<ub>>, memref<?xi8, #aicore.space<gm>>
  return
}

