//===- FootprintTest.cpp - isa::footprint and span overlap ----------------===//
#include "npu/Target/ISA/Footprint.h"
#include "npu/Target/ISA/Program.h"
#include "gtest/gtest.h"

using namespace npu::isa;
using namespace llvm;

namespace {

/// Parse one instruction (after `li` lines setting registers) and return
/// its footprint with registers resolved as the simulator does at issue.
AccessList footprintOf(StringRef text, const FmapState &fmap = {}) {
  Expected<Program> p = parseAssembly(text);
  AccessList out;
  if (!p) {
    ADD_FAILURE() << toString(p.takeError());
    return out;
  }
  std::vector<uint64_t> regs(32, 0);
  for (const Instruction &inst : p->code) {
    if (inst.op == Opcode::LI) {
      regs[inst.f[fmt::RI64::d]] = inst.f[fmt::RI64::imm];
      continue;
    }
    uint64_t v[kMaxOperands];
    resolveOperands(inst, regs, v);
    footprint(inst, v, fmap, out);
  }
  return out;
}

TEST(Footprint, CopyBurstsAreExactRuns) {
  AccessList a = footprintOf(R"(
.gm A, 8192 @0x1000
  li x1, 0x1000
  copy ub[0x100], gm[x1 + 0x40], 3, 2, 4, 2
  end
)");
  ASSERT_EQ(a.n, 2u);
  EXPECT_EQ(a.a[0].buf, Buffer::GM);
  EXPECT_FALSE(a.a[0].write);
  EXPECT_EQ(a.a[0].span.lo, 0x1040u);
  EXPECT_EQ(a.a[0].span.hi, 0x1040u + 2 * 128 + 64);
  EXPECT_TRUE(a.a[0].span.strided());
  EXPECT_EQ(a.a[1].buf, Buffer::UB);
  EXPECT_TRUE(a.a[1].write);
  // dststride == burstlen: one contiguous run.
  EXPECT_EQ(a.a[1].span.lo, 0x100u);
  EXPECT_EQ(a.a[1].span.hi, 0x100u + 3 * 64);
  EXPECT_FALSE(a.a[1].span.strided());
  EXPECT_STREQ(a.a[1].what, "dst");
}

TEST(Footprint, Load3dReadsTheWholeFeatureMap) {
  FmapState fm;
  fm.h = 4, fm.w = 5, fm.c1 = 2;
  AccessList a = footprintOf(
      "  load3d.f16 l0a[0x400], l1[0x200], x0, x0, 3, 3, 1, 1, 1, 1, 2, 3\n"
      "  end\n",
      fm);
  ASSERT_EQ(a.n, 2u);
  EXPECT_EQ(a.a[0].buf, Buffer::L1);
  EXPECT_EQ(a.a[0].span.lo, 0x200u);
  EXPECT_EQ(a.a[0].span.hi, 0x200u + 2 * 4 * 5 * 32);
  EXPECT_EQ(a.a[1].buf, Buffer::L0A);
  EXPECT_EQ(a.a[1].span.hi - a.a[1].span.lo, 2u * 3 * 512);
  EXPECT_EQ(a.a[1].align, 512u);
}

TEST(Footprint, MmadBiasTouchesFourBuffers) {
  AccessList a = footprintOf(
      "  mmad_bias.f16 l0c[0], l0a[0], l0b[0], l1[0x40], 20, 33, 16\n  end\n");
  ASSERT_EQ(a.n, 4u);
  // mf = 2, nf = 3, kf = 1.
  EXPECT_EQ(a.a[0].span.hi, 2u * 512);      // A
  EXPECT_EQ(a.a[1].span.hi, 3u * 512);      // B
  EXPECT_EQ(a.a[2].span.hi, 3u * 2 * 1024); // C, written
  EXPECT_TRUE(a.a[2].write);
  EXPECT_EQ(a.a[3].span.hi, 0x40u + 33 * 4); // bias
}

TEST(Footprint, VectorOperandsUseTheirBoundingRange) {
  AccessList a = footprintOf(
      "  vadd.f16 ub[0x1000], ub[0], ub[0x800], 2, 1, 2, 1, 8, 16, 8\n  end\n");
  ASSERT_EQ(a.n, 3u);
  // a: 2 repeats, block stride 2, repeat stride 16 blocks.
  EXPECT_EQ(a.a[0].span.hi, (16 * 32) + 7 * 2 * 32 + 32u);
  EXPECT_EQ(a.a[2].span.lo, 0x1000u);
  EXPECT_EQ(a.a[2].span.hi, 0x1000u + 8 * 32 + 256);
  EXPECT_TRUE(a.a[2].write);
}

TEST(Footprint, ScalarAndSyncInstructionsTouchNothing) {
  AccessList a = footprintOf("  set_flag MTE2, V, 0\n  add x1, x2, x3\n"
                             "  set_fmap 1, 1, 1, 0, 0, 0, 0\n  end\n");
  EXPECT_EQ(a.n, 0u);
}

TEST(Footprint, StridedSpansOverlapOnlyWhereRunsMeet) {
  Span rows{0, 3 * 128 + 64, 4, 64, 128}; // [0,64) [128,192) ...
  Span gap{64, 128};
  Span hit{100, 140};
  EXPECT_FALSE(spansOverlap(rows, gap));
  EXPECT_TRUE(spansOverlap(rows, hit));
  Span other{64, 3 * 128 + 128, 4, 64, 128}; // Interleaved runs.
  EXPECT_FALSE(spansOverlap(rows, other));
  EXPECT_TRUE(spanCovers(Span{0, 512}, rows));
  EXPECT_FALSE(spanCovers(rows, Span{0, 512}));
}

} // namespace
