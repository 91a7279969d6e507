// The GEMM of bench/npu/gemm_f16.s written as tile IR without any flag:
// allocation, automatic sync and the lowering to aicore must give a kernel
// that runs race-free in npu-sim, writes the same C bit for bit, takes at
// most 2% more cycles and uses no more flags (pipe pair, event) than the
// hand-written one (measured with the L2 model: 264161 vs 264168 cycles on one dv-910 core).
//
// DEFINE: %{bench} = %S/../../../../bench/npu
// RUN: npu-opt %s -npuk-alloc-onchip -npuk-insert-sync -npuk-verify-sync -o %t.sync.mlir
// RUN: FileCheck %s --input-file %t.sync.mlir
// RUN: npu-opt %t.sync.mlir -npuk-to-aicore -o %t.aicore.mlir
// RUN: npu-translate --aicore-to-bin %t.aicore.mlir -o %t.bin
// RUN: npu-translate --aicore-to-asm %t.aicore.mlir -o %t.s
// RUN: npu-sim %{bench}/gemm_f16.s --emit-asm %t.ref.s
// RUN: rm -rf %t.ours %t.ref && mkdir -p %t.ours %t.ref
// RUN: npu-sim %t.bin --output-dir %t.ours --quiet --stats %t.ours.json
// RUN: npu-sim %{bench}/gemm_f16.s --output-dir %t.ref --quiet --stats %t.ref.json
// RUN: cmp %t.ours/gemm_c.npy %t.ref/gemm_c.npy
// RUN: %python %S/Inputs/compare_runs.py %t.ours.json %t.ref.json %t.s %t.ref.s 0.02 | FileCheck %s --check-prefix=RUN1
// RUN1: cycles: tile IR {{[0-9]+}}, hand-written 264168
// RUN1: OK
//
// Four and three cores (an odd share per core takes the tile loop's tail).
// RUN: npu-sim %t.bin --cores 4 --output-dir %t.ours --quiet --stats %t.ours4.json
// RUN: npu-sim %{bench}/gemm_f16.s --cores 4 --output-dir %t.ref --quiet --stats %t.ref4.json
// RUN: cmp %t.ours/gemm_c.npy %t.ref/gemm_c.npy
// RUN: %python %S/Inputs/compare_runs.py %t.ours4.json %t.ref4.json %t.s %t.ref.s 0.02 | FileCheck %s --check-prefix=RUN4
// RUN4: OK
// RUN: npu-sim %t.bin --cores 3 --output-dir %t.ours --quiet
// RUN: npu-sim %{bench}/gemm_f16.s --cores 3 --output-dir %t.ref --quiet
// RUN: cmp %t.ours/gemm_c.npy %t.ref/gemm_c.npy

// The flags of the hand-written kernel: one primed token per buffer pair,
// one flag per filled buffer.
// CHECK-LABEL: func.func @gemm()
// CHECK-SAME: npuk.sync = {barrier_fallbacks = 0 : i64, barriers = 0 : i64, events = 12 : i64
// CHECK-COUNT-6: npuk.i.set_flag
// CHECK: scf.for
// CHECK: npuk.i.wait_flag FIX, M, [[C0:[0-9]]]
// CHECK: scf.for
// CHECK: npuk.i.wait_flag MTE1, MTE2, [[L1:[0-9]]]
// CHECK: npuk.i.nd2nz
// CHECK: npuk.i.nd2nz
// CHECK: npuk.i.set_flag MTE2, MTE1, [[F:[0-9]]]
// CHECK: npuk.i.wait_flag MTE2, MTE1, [[F]]
// CHECK: npuk.i.wait_flag M, MTE1, [[L0:[0-9]]]
// CHECK: npuk.i.load2d_a
// CHECK: npuk.i.load2d_b
// CHECK: npuk.i.load2d_b
// CHECK: npuk.i.set_flag MTE1, MTE2, [[L1]]
// CHECK: npuk.i.set_flag MTE1, M, [[G:[0-9]]]
// CHECK: npuk.i.wait_flag MTE1, M, [[G]]
// CHECK: npuk.i.mmad f16 zero
// CHECK: npuk.i.mmad f16 acc
// CHECK: npuk.i.set_flag M, MTE1, [[L0]]
// CHECK: npuk.i.wait_flag MTE1, MTE2
// CHECK: }
// CHECK: npuk.i.set_flag M, FIX, [[H:[0-9]]]
// CHECK: npuk.i.wait_flag M, FIX, [[H]]
// CHECK: npuk.i.fix_gm
// CHECK: npuk.i.set_flag FIX, M, [[C0]]
// CHECK: scf.if
// CHECK: npuk.i.fix_gm
// CHECK-NEXT: npuk.i.set_flag FIX, M
// CHECK-NEXT: }
// CHECK-NEXT: }
// CHECK-COUNT-6: npuk.i.wait_flag
// CHECK-NEXT: return

// bench/npu/gemm_f16.s as tile IR without flags: C[M][N] (f32) = A[M][K] (f16)
// x B[K][N] (f16), row-major in GM, 256x128 C tiles spread over the cores,
// K in chunks of 64 double-buffered in L1 and L0A/L0B, two L0C tiles. The
// K loop and the tile loop are unrolled by two so every buffer copy is named
// statically; npuk-insert-sync adds every flag.
!gm = memref<?xi8, #aicore.space<gm>>
!l1 = memref<?xi8, #aicore.space<l1>>
!l0a = memref<?xi8, #aicore.space<l0a>>
!l0b = memref<?xi8, #aicore.space<l0b>>
!l0c = memref<?xi8, #aicore.space<l0c>>
func.func @gemm() attributes {npuk.cores = 1 : i64} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c8 = arith.constant 8 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  %c128 = arith.constant 128 : index
  %c256 = arith.constant 256 : index
  %c512 = arith.constant 512 : index
  %c1024 = arith.constant 1024 : index
  %c1536 = arith.constant 1536 : index
  %c4096 = arith.constant 4096 : index
  %c8192 = arith.constant 8192 : index
  %c12288 = arith.constant 12288 : index
  %c16384 = arith.constant 16384 : index
  %c24576 = arith.constant 24576 : index
  %c131072 = arith.constant 131072 : index
  %c524288 = arith.constant 524288 : index
  %c1048576 = arith.constant 1048576 : index
  %A = npuk.gm "A" size 2097152 at 4096 random f16 1.0 : !gm
  %B = npuk.gm "B" size 2097152 at 2101248 random f16 2.0 : !gm
  %C = npuk.gm "C" size 4194304 at 4198400 : !gm
  npuk.output "C", "gemm_c.npy", f32, [1024, 1024]
  %l1a:2 = npuk.slot "l1a" bytes 32768 copies 2 : !l1
  %l1b:2 = npuk.slot "l1b" bytes 16384 copies 2 : !l1
  %l0a:2 = npuk.slot "l0a" bytes 32768 copies 2 : !l0a
  %l0b:2 = npuk.slot "l0b" bytes 16384 copies 2 : !l0b
  %l0c:2 = npuk.slot "l0c" bytes 131072 copies 2 : !l0c
  %id = npuk.core_id
  %n = npuk.core_num
  %step = arith.muli %n, %c2 : index
  scf.for %t = %id to %c32 step %step {
    %mb = arith.divui %t, %c8 : index
    %nb = arith.remui %t, %c8 : index
    %aoff = arith.muli %mb, %c524288 : index
    %boff = arith.muli %nb, %c256 : index
    %crow = arith.muli %mb, %c1048576 : index
    %ccol = arith.muli %nb, %c512 : index
    %coff = arith.addi %crow, %ccol : index
    scf.for %kc = %c0 to %c16 step %c2 {
      %kc1 = arith.addi %kc, %c1 : index
      %ka0 = arith.muli %kc, %c128 : index
      %kb0 = arith.muli %kc, %c131072 : index
      %ka1 = arith.muli %kc1, %c128 : index
      %kb1 = arith.muli %kc1, %c131072 : index
      %ao0 = arith.addi %aoff, %ka0 : index
      %bo0 = arith.addi %boff, %kb0 : index
      npuk.i.nd2nz f16 %l1a#0[%c0], %A[%ao0], rows = 256, cols = 64, srcstride = 1024, dstrows = 0 : !l1, !gm
      npuk.i.nd2nz f16 %l1b#0[%c0], %B[%bo0], rows = 64, cols = 128, srcstride = 1024, dstrows = 0 : !l1, !gm
      npuk.i.load2d_a %l0a#0[%c0], %l1a#0[%c0], repeat = 16, srcstride = 1, dststride = 4, transpose = 0 : !l0a, !l1
      npuk.i.load2d_a %l0a#0[%c512], %l1a#0[%c8192], repeat = 16, srcstride = 1, dststride = 4, transpose = 0 : !l0a, !l1
      npuk.i.load2d_a %l0a#0[%c1024], %l1a#0[%c16384], repeat = 16, srcstride = 1, dststride = 4, transpose = 0 : !l0a, !l1
      npuk.i.load2d_a %l0a#0[%c1536], %l1a#0[%c24576], repeat = 16, srcstride = 1, dststride = 4, transpose = 0 : !l0a, !l1
      npuk.i.load2d_b %l0b#0[%c0], %l1b#0[%c0], repeat = 8, srcstride = 4, dststride = 1, transpose = 1 : !l0b, !l1
      npuk.i.load2d_b %l0b#0[%c4096], %l1b#0[%c512], repeat = 8, srcstride = 4, dststride = 1, transpose = 1 : !l0b, !l1
      npuk.i.load2d_b %l0b#0[%c8192], %l1b#0[%c1024], repeat = 8, srcstride = 4, dststride = 1, transpose = 1 : !l0b, !l1
      npuk.i.load2d_b %l0b#0[%c12288], %l1b#0[%c1536], repeat = 8, srcstride = 4, dststride = 1, transpose = 1 : !l0b, !l1
      %first = arith.cmpi eq, %kc, %c0 : index
      scf.if %first {
        npuk.i.mmad f16 zero %l0c#0[%c0], %l0a#0[%c0], %l0b#0[%c0], m = 256, n = 128, k = 64 : !l0c, !l0a, !l0b
      } else {
        npuk.i.mmad f16 acc %l0c#0[%c0], %l0a#0[%c0], %l0b#0[%c0], m = 256, n = 128, k = 64 : !l0c, !l0a, !l0b
      }
      %ao1 = arith.addi %aoff, %ka1 : index
      %bo1 = arith.addi %boff, %kb1 : index
      npuk.i.nd2nz f16 %l1a#1[%c0], %A[%ao1], rows = 256, cols = 64, srcstride = 1024, dstrows = 0 : !l1, !gm
      npuk.i.nd2nz f16 %l1b#1[%c0], %B[%bo1], rows = 64, cols = 128, srcstride = 1024, dstrows = 0 : !l1, !gm
      npuk.i.load2d_a %l0a#1[%c0], %l1a#1[%c0], repeat = 16, srcstride = 1, dststride = 4, transpose = 0 : !l0a, !l1
      npuk.i.load2d_a %l0a#1[%c512], %l1a#1[%c8192], repeat = 16, srcstride = 1, dststride = 4, transpose = 0 : !l0a, !l1
      npuk.i.load2d_a %l0a#1[%c1024], %l1a#1[%c16384], repeat = 16, srcstride = 1, dststride = 4, transpose = 0 : !l0a, !l1
      npuk.i.load2d_a %l0a#1[%c1536], %l1a#1[%c24576], repeat = 16, srcstride = 1, dststride = 4, transpose = 0 : !l0a, !l1
      npuk.i.load2d_b %l0b#1[%c0], %l1b#1[%c0], repeat = 8, srcstride = 4, dststride = 1, transpose = 1 : !l0b, !l1
      npuk.i.load2d_b %l0b#1[%c4096], %l1b#1[%c512], repeat = 8, srcstride = 4, dststride = 1, transpose = 1 : !l0b, !l1
      npuk.i.load2d_b %l0b#1[%c8192], %l1b#1[%c1024], repeat = 8, srcstride = 4, dststride = 1, transpose = 1 : !l0b, !l1
      npuk.i.load2d_b %l0b#1[%c12288], %l1b#1[%c1536], repeat = 8, srcstride = 4, dststride = 1, transpose = 1 : !l0b, !l1
      npuk.i.mmad f16 acc %l0c#0[%c0], %l0a#1[%c0], %l0b#1[%c0], m = 256, n = 128, k = 64 : !l0c, !l0a, !l0b
    }
    npuk.i.fix_gm f32 f32 %C[%coff], %l0c#0[%c0], m = 256, n = 128, dststride = 1024, relu = 0, nz2nd = 1, %c0 : !gm, !l0c
    %t1 = arith.addi %t, %n : index
    %more = arith.cmpi slt, %t1, %c32 : index
    scf.if %more {
      %mb_b = arith.divui %t1, %c8 : index
      %nb_b = arith.remui %t1, %c8 : index
      %aoff_b = arith.muli %mb_b, %c524288 : index
      %boff_b = arith.muli %nb_b, %c256 : index
      %crow_b = arith.muli %mb_b, %c1048576 : index
      %ccol_b = arith.muli %nb_b, %c512 : index
      %coff_b = arith.addi %crow_b, %ccol_b : index
      scf.for %kc_b = %c0 to %c16 step %c2 {
        %kc1_b = arith.addi %kc_b, %c1 : index
        %ka0_b = arith.muli %kc_b, %c128 : index
        %kb0_b = arith.muli %kc_b, %c131072 : index
        %ka1_b = arith.muli %kc1_b, %c128 : index
        %kb1_b = arith.muli %kc1_b, %c131072 : index
        %ao0_b = arith.addi %aoff_b, %ka0_b : index
        %bo0_b = arith.addi %boff_b, %kb0_b : index
        npuk.i.nd2nz f16 %l1a#0[%c0], %A[%ao0_b], rows = 256, cols = 64, srcstride = 1024, dstrows = 0 : !l1, !gm
        npuk.i.nd2nz f16 %l1b#0[%c0], %B[%bo0_b], rows = 64, cols = 128, srcstride = 1024, dstrows = 0 : !l1, !gm
        npuk.i.load2d_a %l0a#0[%c0], %l1a#0[%c0], repeat = 16, srcstride = 1, dststride = 4, transpose = 0 : !l0a, !l1
        npuk.i.load2d_a %l0a#0[%c512], %l1a#0[%c8192], repeat = 16, srcstride = 1, dststride = 4, transpose = 0 : !l0a, !l1
        npuk.i.load2d_a %l0a#0[%c1024], %l1a#0[%c16384], repeat = 16, srcstride = 1, dststride = 4, transpose = 0 : !l0a, !l1
        npuk.i.load2d_a %l0a#0[%c1536], %l1a#0[%c24576], repeat = 16, srcstride = 1, dststride = 4, transpose = 0 : !l0a, !l1
        npuk.i.load2d_b %l0b#0[%c0], %l1b#0[%c0], repeat = 8, srcstride = 4, dststride = 1, transpose = 1 : !l0b, !l1
        npuk.i.load2d_b %l0b#0[%c4096], %l1b#0[%c512], repeat = 8, srcstride = 4, dststride = 1, transpose = 1 : !l0b, !l1
        npuk.i.load2d_b %l0b#0[%c8192], %l1b#0[%c1024], repeat = 8, srcstride = 4, dststride = 1, transpose = 1 : !l0b, !l1
        npuk.i.load2d_b %l0b#0[%c12288], %l1b#0[%c1536], repeat = 8, srcstride = 4, dststride = 1, transpose = 1 : !l0b, !l1
        %first_b = arith.cmpi eq, %kc_b, %c0 : index
        scf.if %first_b {
          npuk.i.mmad f16 zero %l0c#1[%c0], %l0a#0[%c0], %l0b#0[%c0], m = 256, n = 128, k = 64 : !l0c, !l0a, !l0b
        } else {
          npuk.i.mmad f16 acc %l0c#1[%c0], %l0a#0[%c0], %l0b#0[%c0], m = 256, n = 128, k = 64 : !l0c, !l0a, !l0b
        }
        %ao1_b = arith.addi %aoff_b, %ka1_b : index
        %bo1_b = arith.addi %boff_b, %kb1_b : index
        npuk.i.nd2nz f16 %l1a#1[%c0], %A[%ao1_b], rows = 256, cols = 64, srcstride = 1024, dstrows = 0 : !l1, !gm
        npuk.i.nd2nz f16 %l1b#1[%c0], %B[%bo1_b], rows = 64, cols = 128, srcstride = 1024, dstrows = 0 : !l1, !gm
        npuk.i.load2d_a %l0a#1[%c0], %l1a#1[%c0], repeat = 16, srcstride = 1, dststride = 4, transpose = 0 : !l0a, !l1
        npuk.i.load2d_a %l0a#1[%c512], %l1a#1[%c8192], repeat = 16, srcstride = 1, dststride = 4, transpose = 0 : !l0a, !l1
        npuk.i.load2d_a %l0a#1[%c1024], %l1a#1[%c16384], repeat = 16, srcstride = 1, dststride = 4, transpose = 0 : !l0a, !l1
        npuk.i.load2d_a %l0a#1[%c1536], %l1a#1[%c24576], repeat = 16, srcstride = 1, dststride = 4, transpose = 0 : !l0a, !l1
        npuk.i.load2d_b %l0b#1[%c0], %l1b#1[%c0], repeat = 8, srcstride = 4, dststride = 1, transpose = 1 : !l0b, !l1
        npuk.i.load2d_b %l0b#1[%c4096], %l1b#1[%c512], repeat = 8, srcstride = 4, dststride = 1, transpose = 1 : !l0b, !l1
        npuk.i.load2d_b %l0b#1[%c8192], %l1b#1[%c1024], repeat = 8, srcstride = 4, dststride = 1, transpose = 1 : !l0b, !l1
        npuk.i.load2d_b %l0b#1[%c12288], %l1b#1[%c1536], repeat = 8, srcstride = 4, dststride = 1, transpose = 1 : !l0b, !l1
        npuk.i.mmad f16 acc %l0c#1[%c0], %l0a#1[%c0], %l0b#1[%c0], m = 256, n = 128, k = 64 : !l0c, !l0a, !l0b
      }
      npuk.i.fix_gm f32 f32 %C[%coff_b], %l0c#1[%c0], m = 256, n = 128, dststride = 1024, relu = 0, nz2nd = 1, %c0 : !gm, !l0c
    }
  }
  return
}
