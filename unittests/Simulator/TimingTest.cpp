//===- TimingTest.cpp - Cycle counts of the event-driven timing model -----===//
#include "SimTestUtil.h"

using namespace npu;
using namespace npu::sim;
using namespace npu::sim::test;
using isa::Opcode;

namespace {
SimOptions traced() {
  SimOptions o;
  o.recordTrace = true;
  return o;
}
} // namespace

// docs/isa.md: mmad occupies M for ceil(m/16)*ceil(n/16)*ceil(k/k0) cycles,
// k0 = 16 for f16/bf16 and 32 for s8.
TEST(Timing, MmadCyclesMatchTheFormula) {
  struct Case {
    const char *type;
    unsigned m, n, k, cycles;
  } cases[] = {{"f16", 48, 32, 80, 3 * 2 * 5},
               {"bf16", 17, 16, 16, 2 * 1 * 1},
               {"f16", 256, 128, 64, 16 * 8 * 4},
               {"s8", 16, 16, 64, 1 * 1 * 2},
               {"s8", 33, 40, 65, 3 * 3 * 3}};
  for (const Case &c : cases) {
    std::string src = std::string("  mmad.") + c.type + ".zero l0c[0], " +
                      "l0a[0], l0b[0], " + std::to_string(c.m) + ", " +
                      std::to_string(c.n) + ", " + std::to_string(c.k) +
                      "\n  end\n";
    auto sim = makeSim(src, traced());
    ASSERT_TRUE(sim);
    auto res = sim->run();
    ASSERT_TRUE(bool(res)) << toString(res.takeError());
    const TraceEvent *e = findEvent(*sim, Opcode::MMAD);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->end - e->start, c.cycles) << src;
    EXPECT_EQ(e->start, 1u); // Issued by the scalar unit in cycle 0.
    EXPECT_EQ(res->totalCycles, 1u + c.cycles);
    EXPECT_EQ(res->cores[0].pipes[unsigned(isa::Pipe::M)].busy, c.cycles);
    EXPECT_EQ(res->cores[0].cubeMacs, uint64_t(c.m) * c.n * c.k);
  }
}

TEST(Timing, IndependentPipesOverlap) {
  auto sim = makeSim(R"(
.gm A, 65536, random f16 1
  li x1, A
  copy ub[0], gm[x1], 1, 1024, 0, 0
  mmad.f16.zero l0c[0], l0a[0], l0b[0], 128, 128, 128
  vdup.f16 ub[0x10000], 1.0, 200, 1, 8
  end
)",
                     traced());
  ASSERT_TRUE(sim);
  auto res = sim->run();
  ASSERT_TRUE(bool(res)) << toString(res.takeError());
  Config cfg = dv910();
  const TraceEvent *copy = findEvent(*sim, Opcode::COPY_GM_UB);
  const TraceEvent *mmad = findEvent(*sim, Opcode::MMAD);
  const TraceEvent *dup = findEvent(*sim, Opcode::VDUP);
  ASSERT_TRUE(copy && mmad && dup);
  uint64_t copyCycles = uint64_t(32768 / cfg.gmReadPort);
  EXPECT_EQ(copy->end - copy->start, copyCycles);
  EXPECT_EQ(mmad->end - mmad->start, 512u);
  EXPECT_EQ(dup->end - dup->start, 200u);
  // One issue cycle apart, all three run at the same time.
  EXPECT_EQ(copy->start + 1, mmad->start);
  EXPECT_EQ(mmad->start + 1, dup->start);
  EXPECT_LT(dup->start, copy->end);
  // The run ends when the slowest (the GM copy plus latency) is done.
  EXPECT_EQ(res->totalCycles, copy->start + copyCycles + cfg.gmLatency);
  EXPECT_LT(res->totalCycles, copyCycles + 512 + 200);
}

TEST(Timing, WaitFlagDelaysItsQueueExactlyUntilSetFlag) {
  auto sim = makeSim(R"(
.gm A, 4096, random f16 1
  li x1, A
  vdup.f16 ub[0x2000], 0.0, 4, 1, 8      ; V, before the wait: not delayed
  copy ub[0], gm[x1], 1, 64, 0, 0        ; MTE2: 2 KiB
  set_flag MTE2, V, 0
  wait_flag MTE2, V, 0
  vadd.f16 ub[0x1000], ub[0], ub[0], 8, 1, 1, 1, 8, 8, 8
  end
)",
                     traced());
  ASSERT_TRUE(sim);
  auto res = sim->run();
  ASSERT_TRUE(bool(res)) << toString(res.takeError());
  Config cfg = dv910();
  const TraceEvent *dup = findEvent(*sim, Opcode::VDUP);
  const TraceEvent *copy = findEvent(*sim, Opcode::COPY_GM_UB);
  const TraceEvent *add = findEvent(*sim, Opcode::VADD);
  ASSERT_TRUE(dup && copy && add);
  EXPECT_EQ(dup->start, 2u);
  uint64_t copyDone =
      copy->start + uint64_t(2048 / cfg.gmReadPort) + cfg.gmLatency;
  EXPECT_EQ(add->start, copyDone); // Not a cycle earlier or later.
  EXPECT_EQ(res->totalCycles, copyDone + 8);
}

TEST(Timing, SetFlagWaitsForAllEarlierWorkOfItsPipe) {
  // Two MTE2 copies; the flag fires only when the second (later) is done.
  // Different GM bytes, so that both miss the L2.
  auto sim = makeSim(R"(
.gm A, 65536, random f16 1
  li x1, A
  copy ub[0], gm[x1], 1, 1024, 0, 0
  copy ub[0x8000], gm[x1 + 0x8000], 1, 16, 0, 0
  set_flag MTE2, V, 1
  wait_flag MTE2, V, 1
  vadd.f16 ub[0x10000], ub[0], ub[0x8000], 1, 1, 1, 1, 8, 8, 8
  end
)",
                     traced());
  ASSERT_TRUE(sim);
  ASSERT_EQ(runError(*sim), "");
  Config cfg = dv910();
  const TraceEvent *c2 = findEvent(*sim, Opcode::COPY_GM_UB, 1);
  const TraceEvent *add = findEvent(*sim, Opcode::VADD);
  ASSERT_TRUE(c2 && add);
  EXPECT_EQ(c2->start, 2u + 256u); // Pipelined after the first's occupancy.
  EXPECT_EQ(add->start, c2->end + cfg.gmLatency);
}

TEST(Timing, CoresShareGlobalMemoryBandwidth) {
  const char *src = R"(
.gm A, 65536 * 4, random f16 1
  li x1, A
  coreid x2
  muli x2, x2, 65536
  add x1, x1, x2
  copy ub[0], gm[x1], 1, 2048, 0, 0      ; 64 KiB per core
  end
)";
  Config cfg = dv910();
  cfg.gmBandwidth = 256; // Two ports' worth.
  uint64_t cycles[5];
  for (unsigned n : {1u, 2u, 4u}) {
    SimOptions o;
    o.cores = n;
    auto sim = makeSim(src, o, cfg);
    ASSERT_TRUE(sim);
    auto res = sim->run();
    ASSERT_TRUE(bool(res)) << toString(res.takeError());
    cycles[n] = res->totalCycles - cfg.gmLatency;
  }
  EXPECT_NEAR(double(cycles[1]), 65536 / 128.0, 8);
  EXPECT_NEAR(double(cycles[2]), 65536 / 128.0, 8);     // Within bandwidth.
  EXPECT_NEAR(double(cycles[4]), 4 * 65536 / 256.0, 40); // Bandwidth-bound.
}

TEST(Timing, QueueDepthStallsTheScalarUnit) {
  // 40 vector instructions into a 32-deep queue: the scalar unit stalls,
  // but the V pipe is never idle.
  std::string src;
  for (int i = 0; i < 40; ++i)
    src += "  vdup.f32 ub[0], 1.0, 10, 1, 8\n";
  src += "  end\n";
  auto sim = makeSim(src);
  ASSERT_TRUE(sim);
  auto res = sim->run();
  ASSERT_TRUE(bool(res)) << toString(res.takeError());
  EXPECT_EQ(res->totalCycles, 1u + 400u);
}
