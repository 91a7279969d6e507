; Simulator-speed stress test: a loop of one-repeat vector instructions, so
; every simulated instruction covers only ~1 cycle (the worst case for an
; event-per-instruction simulator). Not a useful kernel.
.equ ITERS, 100000
  li x1, 0
  li x2, ITERS
loop:
  vadd.f32 ub[0x000], ub[0x100], ub[0x200], 1, 1, 1, 1, 8, 8, 8
  vmul.f32 ub[0x300], ub[0x100], ub[0x200], 1, 1, 1, 1, 8, 8, 8
  vmax.f32 ub[0x400], ub[0x100], ub[0x200], 1, 1, 1, 1, 8, 8, 8
  vadds.f32 ub[0x500], ub[0x100], 2.0, 1, 1, 1, 8, 8
  addi x1, x1, 1
  blt x1, x2, loop
  end
