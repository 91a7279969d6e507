//===- ChecksTest.cpp - Races, deadlocks, bounds, alignment, bad input ----===//
#include "SimTestUtil.h"

using namespace npu;
using namespace npu::sim;
using namespace npu::sim::test;

namespace {
bool contains(const std::string &s, const char *needle) {
  return s.find(needle) != std::string::npos;
}
} // namespace

TEST(Checks, MissingFlagIsReportedAsARace) {
  auto sim = makeSim(R"(
.gm A, 4096, random f16 1
  li x1, A
  copy ub[0], gm[x1], 1, 8, 0, 0
  vadd.f16 ub[0x1000], ub[0], ub[0], 1, 1, 1, 1, 8, 8, 8
  end
)");
  ASSERT_TRUE(sim);
  std::string err = runError(*sim);
  EXPECT_TRUE(contains(err, "data race")) << err;
  EXPECT_TRUE(contains(err, "core 0, pipe V, pc 2")) << err;
  EXPECT_TRUE(contains(err, "vadd.f16")) << err;
  EXPECT_TRUE(contains(err, "pipe MTE2 writes at pc 1")) << err;
  EXPECT_EQ(err.find('\n'), std::string::npos);
}

TEST(Checks, FlagsAndBarriersOrderAccesses) {
  for (const char *sync : {"  set_flag MTE2, V, 0\n  wait_flag MTE2, V, 0\n",
                           "  barrier\n"}) {
    std::string src = std::string(".gm A, 4096, random f16 1\n  li x1, A\n"
                                  "  copy ub[0], gm[x1], 1, 8, 0, 0\n") +
                      sync +
                      "  vadd.f16 ub[0x1000], ub[0], ub[0], 1, 1, 1, 1, 8, 8, "
                      "8\n  end\n";
    auto sim = makeSim(src);
    ASSERT_TRUE(sim);
    EXPECT_EQ(runError(*sim), "") << src;
  }
}

TEST(Checks, TransitiveOrderingThroughAThirdPipeIsNotARace) {
  // MTE2 -> MTE1 -> M: M may read what MTE2 wrote to L1 (bias) because the
  // flags chain orders them.
  auto sim = makeSim(R"(
.gm A, 4096, random f16 1
  li x1, A
  copy l1[0], gm[x1], 1, 4, 0, 0
  set_flag MTE2, MTE1, 0
  wait_flag MTE2, MTE1, 0
  load2d l0a[0], l1[0x200], 1, 0, 0, 0
  set_flag MTE1, M, 0
  wait_flag MTE1, M, 0
  mmad_bias.f16 l0c[0], l0a[0], l0b[0], l1[0], 16, 16, 16
  end
)");
  ASSERT_TRUE(sim);
  EXPECT_EQ(runError(*sim), "");
}

TEST(Checks, CircularWaitIsReportedAsDeadlock) {
  auto sim = makeSim(R"(
  wait_flag V, MTE2, 0
  set_flag MTE2, V, 0
  wait_flag MTE2, V, 0
  set_flag V, MTE2, 0
  end
)");
  ASSERT_TRUE(sim);
  std::string err = runError(*sim);
  EXPECT_TRUE(contains(err, "deadlock")) << err;
  EXPECT_TRUE(contains(err, "core 0, pipe MTE2, pc 0 'wait_flag V, MTE2, 0'"))
      << err;
  EXPECT_TRUE(contains(err, "pipe V waits at pc 2")) << err;
}

TEST(Checks, WaitWithoutSetIsADeadlockInMultiCoreRuns) {
  SimOptions o;
  o.cores = 3;
  auto sim = makeSim("  coreid x1\n  li x2, 2\n  bne x1, x2, ok\n"
                     "  wait_flag M, FIX, 3\nok:\n  end\n",
                     o);
  ASSERT_TRUE(sim);
  std::string err = runError(*sim);
  EXPECT_TRUE(contains(err, "core 2, pipe FIX")) << err;
  EXPECT_TRUE(contains(err, "deadlock")) << err;
}

TEST(Checks, OutOfBoundsAndMisaligned) {
  struct Case {
    const char *body, *msg;
  } cases[] = {
      {"  copy ub[0x3ffe0], gm[x1], 1, 2, 0, 0\n",
       "out-of-bounds access: operand 'dst' touches ub[0x3ffe0, 0x40020)"},
      {"  copy ub[0], gm[x1+0x1000], 1, 1, 0, 0\n",
       "outside every declared GM buffer"},
      {"  li x2, 16\n  vadd.f16 ub[x2], ub[0], ub[0], 1, 1, 1, 1, 8, 8, 8\n",
       "misaligned access: operand 'dst' at ub[0x10] is not 32-byte aligned"},
      {"  li x2, 32\n  load2d l0a[x2], l1[0], 1, 1, 1, 0\n",
       "is not 512-byte aligned"},
      {"  mmad.f16.zero l0c[0], l0a[0], l0b[0], 4095, 16, 16\n",
       "out-of-bounds access: operand 'a'"},
      {"  li x2, -64\n  vdup.f16 ub[x2], 1.0, 1, 1, 8\n", "out-of-bounds"},
  };
  for (const Case &c : cases) {
    auto sim = makeSim(std::string(".gm A, 4096\n  li x1, A\n") + c.body +
                       "  end\n");
    ASSERT_TRUE(sim);
    std::string err = runError(*sim);
    EXPECT_TRUE(contains(err, c.msg)) << err;
    EXPECT_TRUE(contains(err, "core 0, pipe ")) << err;
  }
}

TEST(Checks, DoubleSetFlagIsAnError) {
  auto sim = makeSim("  set_flag V, MTE3, 1\n  set_flag V, MTE3, 1\n"
                     "  wait_flag V, MTE3, 1\n  end\n");
  ASSERT_TRUE(sim);
  std::string err = runError(*sim);
  EXPECT_TRUE(contains(err, "flag already set by pc 0")) << err;
}

TEST(Checks, EventIdsAreCheckedAgainstTheConfig) {
  auto prog = isa::parseAssembly("  set_flag V, MTE3, 5\n  wait_flag V, "
                                 "MTE3, 5\n  end\n");
  ASSERT_TRUE(bool(prog));
  auto bad = Simulator::create(*prog, dv910());
  ASSERT_FALSE(bool(bad));
  EXPECT_TRUE(contains(toString(bad.takeError()), "event 5 out of range"));
  auto ok = Simulator::create(*prog, cantFail(presetConfig("dv-a2")));
  EXPECT_TRUE(bool(ok));
}

TEST(Checks, RunawayLoopsAndMissingEndStopCleanly) {
  SimOptions o;
  o.maxInstructions = 1000;
  auto loop = makeSim("spin:\n  j spin\n", o);
  ASSERT_TRUE(loop);
  EXPECT_TRUE(contains(runError(*loop), "instruction limit 1000 exceeded"));
  auto noEnd = makeSim("  nop\n");
  ASSERT_TRUE(noEnd);
  EXPECT_TRUE(contains(runError(*noEnd), "missing 'end'"));
  auto tooMany = isa::parseAssembly(".cores 33\n  end\n");
  ASSERT_TRUE(bool(tooMany));
  auto sim = Simulator::create(*tooMany, dv910());
  ASSERT_FALSE(bool(sim));
  EXPECT_TRUE(contains(toString(sim.takeError()), "has 32"));
}

TEST(Checks, OverlappingGMWritesOfTwoCoresAreARace) {
  // Every core writes the same 32 bytes: a cross-core race. Reading the same
  // input on all cores is fine.
  SimOptions o;
  o.cores = 2;
  auto sim = makeSim(R"(
.gm IN, 4096, random f16 1
.gm OUT, 4096
  li x1, IN
  li x2, OUT
  copy ub[0], gm[x1], 1, 1, 0, 0
  set_flag MTE2, MTE3, 0
  wait_flag MTE2, MTE3, 0
  copy gm[x2], ub[0], 1, 1, 0, 0
  end
)",
                     o);
  ASSERT_TRUE(sim);
  std::string err = runError(*sim);
  EXPECT_TRUE(contains(err, "data race between cores")) << err;
  EXPECT_TRUE(contains(err, "pipe MTE3, pc 5")) << err;
}
