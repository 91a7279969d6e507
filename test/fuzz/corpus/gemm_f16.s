; Double-buffered fp16 GEMM: C[M][N] (f32) = A[M][K] (f16) x B[K][N] (f16).
;
; Row-major A, B and C in GM. The C matrix is cut into BM x BN = 256 x 128
; tiles; core `coreid` computes tiles coreid, coreid + corenum, ... Each tile
; streams K in chunks of BK = 64:
;   MTE2  nd2nz   GM -> L1 (NZ)       double-buffered (L1A0/1, L1B0/1)
;   MTE1  load2d  L1 -> L0A, L0B      double-buffered (L0A0/1, L0B0/1)
;   M     mmad    256x128x64 -> L0C   (512 cube cycles per chunk)
;   FIX   fix     L0C -> GM, NZ->ND   L0C double-buffered per tile
; Flags: MTE2<->MTE1 guard L1 buffers, MTE1<->M guard L0A/L0B buffers,
; M<->FIX guard the two L0C tiles. Every buffer starts "free" (primed flags).
;
; M, N, K must be multiples of 256, 128 and 64 (override with -DM=... etc.).
.equ M, 1024
.equ N, 1024
.equ K, 1024
.equ BM, 256
.equ BN, 128
.equ BK, 64
.equ L1A0, 0
.equ L1A1, BM*BK*2
.equ L1B0, 2*BM*BK*2
.equ L1B1, 2*BM*BK*2 + BK*BN*2
.equ L0A0, 0
.equ L0A1, BM*BK*2
.equ L0B0, 0
.equ L0B1, BK*BN*2

.cores 1
.gm A, M*K*2, random f16 1
.gm B, K*N*2, random f16 2
.gm C, M*N*4
.output C, "gemm_c.npy", f32, M, N

  li x1, A
  li x2, B
  li x3, C
  coreid x4                      ; first tile of this core
  corenum x5                     ; tile step
  li x6, (M/BM)*(N/BN)           ; number of tiles
  li x10, K/BK                   ; chunks per tile (even)
  li x14, N/BN                   ; tiles per row
  li x12, 0                      ; tiles done by this core (L0C parity)
  set_flag MTE1, MTE2, 0
  set_flag MTE1, MTE2, 1
  set_flag M, MTE1, 0
  set_flag M, MTE1, 1
  set_flag FIX, M, 0
  set_flag FIX, M, 1
tile_loop:
  bge x4, x6, all_done
  divu x7, x4, x14               ; tile row mb
  remu x8, x4, x14               ; tile column nb
  muli x15, x7, BM*K*2
  add x15, x15, x1               ; A rows of this tile
  muli x16, x8, BN*2
  add x16, x16, x2               ; B columns of this tile
  muli x17, x7, BM*N*4
  muli x18, x8, BN*4
  add x17, x17, x18
  add x17, x17, x3               ; C tile origin
  andi x19, x12, 1
  muli x13, x19, BM*BN*4         ; L0C buffer of this tile
  bne x19, x0, wait_c1
  wait_flag FIX, M, 0
  j k_start
wait_c1:
  wait_flag FIX, M, 1
k_start:
  li x9, 0
k_loop:
  ; ---- k chunk into buffer 0 (x9 = chunk index)
  muli x20, x9, BK*2
  add x20, x20, x15              ; A + mb*BM*K*2 + kc*BK*2
  muli x21, x9, BK*N*2
  add x21, x21, x16              ; B + kc*BK*N*2 + nb*BN*2
  wait_flag MTE1, MTE2, 0      ; L1 buffer 0 free
  nd2nz.f16 l1[L1A0], gm[x20], BM, BK, K, 0
  nd2nz.f16 l1[L1B0], gm[x21], BK, BN, N, 0
  set_flag MTE2, MTE1, 0
  wait_flag MTE2, MTE1, 0      ; L1 buffer 0 filled
  wait_flag M, MTE1, 0         ; L0A/L0B buffer 0 free
  load2d l0a[L0A0 + 0*512], l1[L1A0 + 0*BM*32], BM/16, 1, BK/16, 0
  load2d l0a[L0A0 + 1*512], l1[L1A0 + 1*BM*32], BM/16, 1, BK/16, 0
  load2d l0a[L0A0 + 2*512], l1[L1A0 + 2*BM*32], BM/16, 1, BK/16, 0
  load2d l0a[L0A0 + 3*512], l1[L1A0 + 3*BM*32], BM/16, 1, BK/16, 0
  load2d l0b[L0B0 + 0*(BN/16)*512], l1[L1B0 + 0*512], BN/16, BK/16, 1, 1
  load2d l0b[L0B0 + 1*(BN/16)*512], l1[L1B0 + 1*512], BN/16, BK/16, 1, 1
  load2d l0b[L0B0 + 2*(BN/16)*512], l1[L1B0 + 2*512], BN/16, BK/16, 1, 1
  load2d l0b[L0B0 + 3*(BN/16)*512], l1[L1B0 + 3*512], BN/16, BK/16, 1, 1
  set_flag MTE1, MTE2, 0       ; L1 buffer 0 consumed
  set_flag MTE1, M, 0
  wait_flag MTE1, M, 0         ; L0 buffer 0 filled
  beq x9, x0, first_chunk
  mmad.f16.acc l0c[x13], l0a[L0A0], l0b[L0B0], BM, BN, BK
  j mmad_done
first_chunk:
  mmad.f16.zero l0c[x13], l0a[L0A0], l0b[L0B0], BM, BN, BK
mmad_done:
  set_flag M, MTE1, 0          ; L0 buffer 0 consumed
  addi x9, x9, 1
  ; ---- k chunk into buffer 1 (x9 = chunk index)
  muli x20, x9, BK*2
  add x20, x20, x15              ; A + mb*BM*K*2 + kc*BK*2
  muli x21, x9, BK*N*2
  add x21, x21, x16              ; B + kc*BK*N*2 + nb*BN*2
  wait_flag MTE1, MTE2, 1      ; L1 buffer 1 free
  nd2nz.f16 l1[L1A1], gm[x20], BM, BK, K, 0
  nd2nz.f16 l1[L1B1], gm[x21], BK, BN, N, 0
  set_flag MTE2, MTE1, 1
  wait_flag MTE2, MTE1, 1      ; L1 buffer 1 filled
  wait_flag M, MTE1, 1         ; L0A/L0B buffer 1 free
  load2d l0a[L0A1 + 0*512], l1[L1A1 + 0*BM*32], BM/16, 1, BK/16, 0
  load2d l0a[L0A1 + 1*512], l1[L1A1 + 1*BM*32], BM/16, 1, BK/16, 0
  load2d l0a[L0A1 + 2*512], l1[L1A1 + 2*BM*32], BM/16, 1, BK/16, 0
  load2d l0a[L0A1 + 3*512], l1[L1A1 + 3*BM*32], BM/16, 1, BK/16, 0
  load2d l0b[L0B1 + 0*(BN/16)*512], l1[L1B1 + 0*512], BN/16, BK/16, 1, 1
  load2d l0b[L0B1 + 1*(BN/16)*512], l1[L1B1 + 1*512], BN/16, BK/16, 1, 1
  load2d l0b[L0B1 + 2*(BN/16)*512], l1[L1B1 + 2*512], BN/16, BK/16, 1, 1
  load2d l0b[L0B1 + 3*(BN/16)*512], l1[L1B1 + 3*512], BN/16, BK/16, 1, 1
  set_flag MTE1, MTE2, 1       ; L1 buffer 1 consumed
  set_flag MTE1, M, 1
  wait_flag MTE1, M, 1         ; L0 buffer 1 filled
  mmad.f16.acc l0c[x13], l0a[L0A1], l0b[L0B1], BM, BN, BK
  set_flag M, MTE1, 1          ; L0 buffer 1 consumed
  addi x9, x9, 1
  blt x9, x10, k_loop
  bne x19, x0, drain_c1
  set_flag M, FIX, 0
  wait_flag M, FIX, 0          ; C tile complete in L0C buffer 0
  fix.f32.f32 gm[x17], l0c[x13], BM, BN, N, 0, 1, x0
  set_flag FIX, M, 0           ; L0C buffer 0 free again
  j tile_next
drain_c1:
  set_flag M, FIX, 1
  wait_flag M, FIX, 1          ; C tile complete in L0C buffer 1
  fix.f32.f32 gm[x17], l0c[x13], BM, BN, N, 0, 1, x0
  set_flag FIX, M, 1           ; L0C buffer 1 free again
tile_next:
  addi x12, x12, 1
  add x4, x4, x5
  j tile_loop
all_done:
  wait_flag MTE1, MTE2, 0
  wait_flag MTE1, MTE2, 1
  wait_flag M, MTE1, 0
  wait_flag M, MTE1, 1
  wait_flag FIX, M, 0
  wait_flag FIX, M, 1
  end
