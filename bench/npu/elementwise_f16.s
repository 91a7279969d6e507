; Elementwise fp16 kernel: out[i] = relu(a[i] * b[i] + a[i]), each op rounded
; to fp16 (RNE). Double-buffered in UB:
;   MTE2  copy    GM -> UB   a and b tiles (TILE elements each)
;   V     vmul, vadd, vrelu  (TILE/128 repeats each)
;   MTE3  copy    UB -> GM   result tile
; Flags: MTE2<->V guard the input buffers, V<->MTE3 the output buffers.
; Multi-core: core `coreid` handles tiles coreid, coreid + corenum, ...
.equ N, 65536                    ; elements, a multiple of 2*TILE
.equ TILE, 8192                  ; fp16 elements per tile (16 KiB)
.equ TB, TILE*2                  ; tile bytes
.equ REP, TILE/128               ; vector repeats per tile
.equ BLK, TB/32                  ; 32-byte blocks per tile
.equ A0, 0
.equ B0, TB
.equ A1, 2*TB
.equ B1, 3*TB
.equ O0, 4*TB
.equ O1, 5*TB

.cores 1
.gm A, N*2, random f16 11
.gm B, N*2, random f16 12
.gm OUT, N*2
.output OUT, "elementwise_out.npy", f16, N

  li x1, A
  li x2, B
  li x3, OUT
  coreid x4
  corenum x5
  li x6, N/TILE                  ; tiles
  li x7, TB
  set_flag V, MTE2, 0            ; input buffers start free
  set_flag V, MTE2, 1
  set_flag MTE3, V, 0            ; output buffers start free
  set_flag MTE3, V, 1
  li x12, 0                      ; tiles done by this core (buffer parity)
loop:
  bge x4, x6, done
  mul x8, x4, x7                 ; byte offset of tile
  add x9, x8, x1
  add x10, x8, x2
  add x11, x8, x3
  andi x13, x12, 1
  bne x13, x0, odd
  wait_flag V, MTE2, 0
  copy ub[A0], gm[x9], 1, BLK, 0, 0
  copy ub[B0], gm[x10], 1, BLK, 0, 0
  set_flag MTE2, V, 0
  wait_flag MTE2, V, 0
  wait_flag MTE3, V, 0
  vmul.f16 ub[O0], ub[A0], ub[B0], REP, 1, 1, 1, 8, 8, 8
  vadd.f16 ub[O0], ub[O0], ub[A0], REP, 1, 1, 1, 8, 8, 8
  vrelu.f16 ub[O0], ub[O0], REP, 1, 1, 8, 8
  set_flag V, MTE2, 0
  set_flag V, MTE3, 0
  wait_flag V, MTE3, 0
  copy gm[x11], ub[O0], 1, BLK, 0, 0
  set_flag MTE3, V, 0
  j next
odd:
  wait_flag V, MTE2, 1
  copy ub[A1], gm[x9], 1, BLK, 0, 0
  copy ub[B1], gm[x10], 1, BLK, 0, 0
  set_flag MTE2, V, 1
  wait_flag MTE2, V, 1
  wait_flag MTE3, V, 1
  vmul.f16 ub[O1], ub[A1], ub[B1], REP, 1, 1, 1, 8, 8, 8
  vadd.f16 ub[O1], ub[O1], ub[A1], REP, 1, 1, 1, 8, 8, 8
  vrelu.f16 ub[O1], ub[O1], REP, 1, 1, 8, 8
  set_flag V, MTE2, 1
  set_flag V, MTE3, 1
  wait_flag V, MTE3, 1
  copy gm[x11], ub[O1], 1, BLK, 0, 0
  set_flag MTE3, V, 1
next:
  addi x12, x12, 1
  add x4, x4, x5
  j loop
done:
  wait_flag V, MTE2, 0
  wait_flag V, MTE2, 1
  wait_flag MTE3, V, 0
  wait_flag MTE3, V, 1
  end
