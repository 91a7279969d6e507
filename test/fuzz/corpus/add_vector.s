.gm A, 512, iota f16
.gm B, 512, const f16 0.5
.gm C, 512
.output C, "c.npy", f16, 256
  li x1, A
  li x2, B
  li x3, C
  copy ub[0], gm[x1], 1, 16, 0, 0
  copy ub[0x200], gm[x2], 1, 16, 0, 0
  set_flag MTE2, V, 0
  wait_flag MTE2, V, 0
  vadd.f16 ub[0x400], ub[0], ub[0x200], 2, 1, 1, 1, 8, 8, 8

  wait_flag V, MTE3, 0
  copy gm[x3], ub[0x400], 1, 16, 0, 0
  end
