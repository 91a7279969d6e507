; 3x3 convolution through load3d (img2col on the fly), fp16 in, fp32
; accumulation, fp16 out:
;   X  NC1HWC0 = [1][C1=2][16][16][16] f16  (C = 32 input channels)
;   W  [COUT=32][K=288] f16, K ordered (c1, ky, kx, c0)  (= B transposed)
;   Y  NHWC [256 pixels][32] f16, stride 1, padding 1
; MTE2 loads X and W into L1 (W through nd2nz, which makes the nZ fractals
; L0B wants); MTE1 load2d's W into L0B once and load3d's 64-pixel blocks of
; the img2col matrix into L0A; M runs 64x32x288 per block; FIX writes Y rows
; with NZ->ND conversion and fp16 rounding.
.equ H, 16
.equ W, 16
.equ C1, 2
.equ COUT, 32
.equ KK, C1*9*16                 ; 288
.equ MB, 64                      ; pixels per block
.equ L1X, 0
.equ L1W, C1*H*W*32

.cores 1
.gm X, C1*H*W*16*2, random f16 21
.gm WT, COUT*KK*2, random f16 22
.gm Y, H*W*COUT*2
.output Y, "conv_y.npy", f16, H*W, COUT

  li x1, X
  li x2, WT
  li x3, Y
  copy l1[L1X], gm[x1], 1, C1*H*W, 0, 0
  nd2nz.f16 l1[L1W], gm[x2], COUT, KK, KK, 0
  set_flag MTE2, MTE1, 0
  wait_flag MTE2, MTE1, 0
  set_fmap H, W, C1, 1, 1, 1, 1
  load2d l0b[0], l1[L1W], (KK/16)*(COUT/16), 1, 1, 0
  set_flag M, MTE1, 0            ; L0A starts free
  li x4, 0                       ; first pixel of the block
  li x5, 0                       ; L0C offset of the block
  li x6, H*W
  li x7, 0                       ; Y offset of the block
loop:
  wait_flag M, MTE1, 0
  load3d.f16 l0a[0], l1[L1X], x4, x0, 3, 3, 1, 1, 1, 1, MB/16, KK/16
  set_flag MTE1, M, 0
  wait_flag MTE1, M, 0
  mmad.f16.zero l0c[x5], l0a[0], l0b[0], MB, COUT, KK
  set_flag M, MTE1, 0
  set_flag M, FIX, 0
  wait_flag M, FIX, 0
  add x8, x3, x7
  fix.f16.f32 gm[x8], l0c[x5], MB, COUT, COUT, 0, 1, x0
  addi x4, x4, MB
  addi x5, x5, MB*COUT*4
  addi x7, x7, MB*COUT*2
  blt x4, x6, loop
  wait_flag M, MTE1, 0
  end
