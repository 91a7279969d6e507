//===- L2Test.cpp - The shared L2: hits, capacity, persistence, no-L2 -----===//
#include "SimTestUtil.h"
#include "npu/Simulator/Device.h"

using namespace npu;
using namespace npu::sim;
using namespace npu::sim::test;
using isa::Opcode;

namespace {

Config withL2(uint64_t bytes) {
  Config c = dv910();
  c.l2Size = bytes;
  return c;
}

SimResult runOrFail(Simulator &sim) {
  auto r = sim.run();
  if (!r) {
    ADD_FAILURE() << toString(r.takeError());
    return {};
  }
  return std::move(*r);
}

struct L2Bytes {
  uint64_t hit = 0, miss = 0, writeback = 0;
};
L2Bytes l2Bytes(const SimResult &r) {
  L2Bytes b;
  for (const CoreStats &c : r.cores)
    b.hit += c.l2HitBytes, b.miss += c.l2MissBytes,
        b.writeback += c.l2WritebackBytes;
  return b;
}

/// Reads `bytes` (a multiple of 4 KiB) of GM at A, twice in a row (the
/// second after the first is complete): into ub[0], then ub[0x20000].
std::string readTwice(unsigned bytes) {
  std::string copy =
      ", gm[x1], " + std::to_string(bytes / 4096) + ", 128, 128, 128\n";
  return ".gm A, 0x40000, random f16 1\n  li x1, A\n  copy ub[0]" + copy +
         "  pipe_barrier MTE2\n  copy ub[0x20000]" + copy + "  end\n";
}

/// `.cores 32`; every core reads the same 64 KiB of W in 16 copies.
const char *kReadWeights = R"(
.cores 32
.gm W, 65536, random f16 3
  li x1, W
  li x2, 0
  li x3, 16
loop:
  copy ub[0], gm[x1], 1, 128, 0, 0
  addi x1, x1, 4096
  addi x2, x2, 1
  blt x2, x3, loop
  end
)";

} // namespace

// The second read of the same 32 KiB finds it in the L2: it completes after
// l2_latency instead of gm_latency. Without an L2 both reads are alike.
TEST(L2, SecondReadOfTheSameBytesHits) {
  SimOptions o;
  o.recordTrace = true;
  for (uint64_t size : {uint64_t(0), uint64_t(32) << 20}) {
    Config cfg = withL2(size);
    auto sim = makeSim(readTwice(32768), o, cfg);
    ASSERT_TRUE(sim);
    SimResult r = runOrFail(*sim);
    const TraceEvent *c1 = findEvent(*sim, Opcode::COPY_GM_UB, 0);
    const TraceEvent *c2 = findEvent(*sim, Opcode::COPY_GM_UB, 1);
    ASSERT_TRUE(c1 && c2);
    EXPECT_EQ(c1->end - c1->start, 256u); // 32 KiB at the 128 B/cycle port.
    EXPECT_EQ(c2->end - c2->start, 256u);
    EXPECT_EQ(c2->start, c1->end + cfg.gmLatency); // pipe_barrier waits.
    unsigned lat2 = size ? cfg.l2Latency : cfg.gmLatency;
    EXPECT_EQ(r.totalCycles, c2->end + lat2) << size;
    L2Bytes b = l2Bytes(r);
    EXPECT_EQ(b.miss, size ? 32768u : 0u);
    EXPECT_EQ(b.hit, size ? 32768u : 0u);
    EXPECT_EQ(r.cores[0].gmReadBytes, 65536u);
  }
  // With a port wider than HBM, a miss is HBM-bound and a hit L2-bound (to
  // within one arbiter bin: the arbiters enforce rates per bin).
  Config wide = withL2(32 << 20);
  wide.gmReadPort = 1 << 16;
  auto sim = makeSim(R"(
.gm A, 0x80000, random f16 1
  li x1, A
  copy l1[0], gm[x1], 128, 128, 128, 128          ; 512 KiB
  pipe_barrier MTE2
  copy l1[0x80000], gm[x1], 128, 128, 128, 128
  end
)",
                     o, wide);
  ASSERT_TRUE(sim);
  runOrFail(*sim);
  const TraceEvent *c1 = findEvent(*sim, Opcode::COPY_GM_L1, 0);
  const TraceEvent *c2 = findEvent(*sim, Opcode::COPY_GM_L1, 1);
  ASSERT_TRUE(c1 && c2);
  const double bin = wide.gmBinCycles, bytes = 512 << 10;
  EXPECT_NEAR(double(c1->end - c1->start), bytes / wide.gmBandwidth, bin);
  EXPECT_NEAR(double(c2->end - c2->start), bytes / wide.l2Bandwidth, bin);
}

// 32 cores read the same 64 KiB of weights (warmed into the L2 by a first
// launch). Their aggregate time is bounded by the L2 hit bandwidth (3600
// B/cycle, below the 32 ports' 4096), not by HBM's: 2 MiB take >= 582 cycles
// plus the hit latency. The arbiter is first come, first served, so the
// cores served last end a few bins later (a tail of < 25%). With an L2 as
// fast as the ports they are port-bound (16 copies of 32 cycles).
TEST(L2, ThirtyTwoCoresReadingTheSameWeightsAreBoundByL2Bandwidth) {
  auto prog = isa::parseAssembly(kReadWeights, "w.s");
  ASSERT_TRUE(bool(prog)) << toString(prog.takeError());
  auto runAll = [&](const Config &cfg) {
    auto dev = Device::create(cfg, 1 << 20);
    if (!dev) {
      ADD_FAILURE() << toString(dev.takeError());
      return SimResult();
    }
    auto warm = (*dev)->launch(*prog, 1, "warm"); // One core fetches W.
    auto all = warm ? (*dev)->launch(*prog, 32, "all") : warm.takeError();
    if (!all) {
      ADD_FAILURE() << toString(all.takeError());
      return SimResult();
    }
    return all->result;
  };
  const double bytes = 32.0 * 65536;
  Config noL2 = withL2(0);
  SimResult hbm = runAll(noL2);
  EXPECT_GE(double(hbm.totalCycles), bytes / noL2.gmBandwidth);
  EXPECT_EQ(l2Bytes(hbm).hit + l2Bytes(hbm).miss, 0u);

  Config cfg = dv910();
  SimResult r = runAll(cfg);
  EXPECT_EQ(l2Bytes(r).hit, uint64_t(bytes));
  EXPECT_EQ(l2Bytes(r).miss, 0u);
  EXPECT_GE(double(r.totalCycles), bytes / cfg.l2Bandwidth + cfg.l2Latency);
  EXPECT_LE(double(r.totalCycles),
            1.25 * bytes / cfg.l2Bandwidth + cfg.l2Latency);
  EXPECT_LT(r.totalCycles * 2, hbm.totalCycles);

  Config fast = dv910();
  fast.l2Bandwidth = 32 * fast.gmReadPort;
  SimResult p = runAll(fast);
  // The first copy starts in cycle 4, after three `li`s.
  EXPECT_EQ(p.totalCycles, 4 + 16 * 32 + uint64_t(cfg.l2Latency));
  EXPECT_LT(p.totalCycles, r.totalCycles);
}

// Cold: all 32 cores read the same 64 KiB at once. The first transfer to
// start fetches it; the others hit lines still being fetched, so they end
// no earlier than the fetch (starts in cycle 2, 512 port cycles, latency).
TEST(L2, HitsOnALineBeingFetchedWaitForIt) {
  auto sim = makeSim(R"(
.cores 32
.gm W, 65536, random f16 3
  li x1, W
  copy ub[0], gm[x1], 1, 2048, 0, 0
  end
)");
  ASSERT_TRUE(sim);
  SimResult r = runOrFail(*sim);
  L2Bytes b = l2Bytes(r);
  EXPECT_EQ(b.miss, 65536u);
  EXPECT_EQ(b.hit, 31u * 65536);
  uint64_t fetched = 2 + 512 + dv910().gmLatency;
  EXPECT_EQ(r.cores[0].cycles, fetched);
  // Core 1's own transfer (an L2 hit) would end 150 cycles earlier.
  EXPECT_EQ(r.cores[1].cycles, fetched);
  for (const CoreStats &c : r.cores)
    EXPECT_GE(c.cycles, fetched);
}

// A working set larger than the L2 misses on every pass (LRU); a smaller one
// hits on the second pass.
TEST(L2, WorkingSetLargerThanTheL2Misses) {
  Config cfg = withL2(64 << 10);
  auto big = makeSim(readTwice(128 << 10), {}, cfg);
  ASSERT_TRUE(big);
  L2Bytes b = l2Bytes(runOrFail(*big));
  EXPECT_EQ(b.hit, 0u);
  EXPECT_EQ(b.miss, 256u << 10);
  auto small = makeSim(readTwice(32 << 10), {}, cfg);
  ASSERT_TRUE(small);
  b = l2Bytes(runOrFail(*small));
  EXPECT_EQ(b.hit, 32u << 10);
  EXPECT_EQ(b.miss, 32u << 10);
}

// Writes allocate dirty lines without fetching; evicting them writes them
// back to HBM, charged to the transfer that evicts.
TEST(L2, DirtyLinesAreWrittenBackWhenEvicted) {
  const char *src = R"(
.gm O, 0x20000
  li x1, O
  copy gm[x1], ub[0], 1, 2048, 0, 0            ; 64 KiB: fills the L2
  copy gm[x1 + 0x10000], ub[0], 1, 2048, 0, 0  ; 64 KiB more: evicts the first
  end
)";
  Config cfg = withL2(64 << 10);
  auto sim = makeSim(src, {}, cfg);
  ASSERT_TRUE(sim);
  SimResult r = runOrFail(*sim);
  L2Bytes b = l2Bytes(r);
  EXPECT_EQ(b.writeback, 64u << 10);
  EXPECT_EQ(b.hit + b.miss, 0u);
  EXPECT_EQ(r.cores[0].gmWriteBytes, 128u << 10);
  // Without evictions a write completes at l2_latency.
  auto one = makeSim(".gm O, 0x10000\n  li x1, O\n"
                     "  copy gm[x1], ub[0], 1, 64, 0, 0\n  end\n",
                     {}, cfg);
  ASSERT_TRUE(one);
  EXPECT_EQ(runOrFail(*one).totalCycles, 2 + 16 + uint64_t(cfg.l2Latency));
}

// The L2 persists across a Device's launches (what one kernel read or wrote
// is there for the next), starts empty for a new Device, and host writes
// announced with hostWrote invalidate exactly their sectors.
TEST(L2, PersistsAcrossLaunchesAndHostWritesInvalidate) {
  const char *readA = ".gm A, 0x8000 @0x1000\n  li x1, A\n"
                      "  copy ub[0], gm[x1], 1, 1024, 0, 0\n  end\n";
  const char *writeB = ".gm B, 0x8000 @0x9000\n  li x1, B\n"
                       "  copy gm[x1], ub[0], 1, 1024, 0, 0\n  end\n";
  const char *readB = ".gm B, 0x8000 @0x9000\n  li x1, B\n"
                      "  copy ub[0], gm[x1], 1, 1024, 0, 0\n  end\n";
  auto pa = isa::parseAssembly(readA, "a.s"),
       pw = isa::parseAssembly(writeB, "w.s"),
       pb = isa::parseAssembly(readB, "b.s");
  ASSERT_TRUE(pa && pw && pb);
  // (A at 0x1000 and B at 0x9000, 32 KiB each.)
  auto launch = [](Device &d, const isa::Program &p) {
    auto ls = d.launch(p, 1, "k");
    if (!ls) {
      ADD_FAILURE() << toString(ls.takeError());
      return SimResult();
    }
    return ls->result;
  };
  auto dev = Device::create(dv910(), 1 << 17);
  ASSERT_TRUE(bool(dev));
  Device &d = **dev;
  SimResult cold = launch(d, *pa);
  EXPECT_EQ(l2Bytes(cold).miss, 32768u);
  EXPECT_EQ(d.l2ResidentBytes(), 32768u);
  SimResult warm = launch(d, *pa);
  EXPECT_EQ(l2Bytes(warm).hit, 32768u);
  EXPECT_EQ(cold.totalCycles - warm.totalCycles,
            dv910().gmLatency - dv910().l2Latency);
  // A kernel's writes stay in the L2 for the next kernel.
  launch(d, *pw);
  EXPECT_EQ(l2Bytes(launch(d, *pb)).hit, 32768u);
  // The host rewrites the second half of A: only that half misses.
  ASSERT_FALSE(bool(d.hostWrote(0x5000, 0x4000)));
  SimResult half = launch(d, *pa);
  EXPECT_EQ(l2Bytes(half).miss, 16384u);
  EXPECT_EQ(l2Bytes(half).hit, 16384u);
  // Partial sectors count whole: 0x1010..0x1030 touches two sectors.
  ASSERT_FALSE(bool(d.hostWrote(0x1010, 0x20)));
  EXPECT_EQ(l2Bytes(launch(d, *pa)).miss, 64u);
  // Plain gm() access leaves the L2 alone.
  ASSERT_TRUE(bool(d.gm(0x1000, 0x8000)));
  EXPECT_EQ(l2Bytes(launch(d, *pa)).hit, 32768u);
  std::string err = toString(d.hostWrote(0x1fff0, 0x20));
  EXPECT_NE(err.find("outside the device's 131072 bytes of GM"),
            std::string::npos)
      << err;
  // A new device starts with an empty L2.
  auto fresh = Device::create(dv910(), 1 << 17);
  ASSERT_TRUE(bool(fresh));
  EXPECT_EQ((*fresh)->l2ResidentBytes(), 0u);
  EXPECT_EQ(launch(**fresh, *pa).totalCycles, cold.totalCycles);
}

// The L2 only changes timing: results are bit-identical with and without.
TEST(L2, FunctionalResultsDoNotDependOnIt) {
  std::vector<uint8_t> outs[2];
  for (int i = 0; i < 2; ++i) {
    isa::AsmOptions a;
    a.defines = {{"M", 256}, {"N", 256}, {"K", 256}};
    SimOptions o;
    o.cores = 4;
    // A 64 KiB L2: the 512 KiB of A, B and C also cause evictions.
    auto sim =
        makeSim(readKernel("gemm_f16.s"), o, withL2(i ? 64 << 10 : 0), a);
    ASSERT_TRUE(sim);
    runOrFail(*sim);
    llvm::ArrayRef<uint8_t> c = sim->gm("C");
    outs[i].assign(c.begin(), c.end());
  }
  EXPECT_EQ(outs[0], outs[1]);
}

// l2_size = 0 reproduces the cycle counts recorded before the L2 was
// modelled (bench/npu/README.md, commit f979c95): dv-a2 as it is, and dv-910
// with its L2 switched off.
TEST(L2, NoL2ReproducesEarlierCycleCounts) {
  struct Case {
    const char *kernel, *config;
    std::vector<std::pair<std::string, int64_t>> defines;
    unsigned cores;
    uint64_t cycles;
  } cases[] = {
      {"gemm_f16.s", "dv-a2", {{"BM", 128}}, 1, 458306},
      {"gemm_f16.s", "dv-a2", {{"BM", 128}}, 4, 115904},
      {"gemm_f16.s", "dv-a2", {{"BM", 128}}, 24, 44057},
      {"elementwise_f16.s", "dv-a2", {}, 1, 4897},
      {"elementwise_f16.s", "dv-a2", {{"N", 49152}}, 3, 1933},
      {"conv_load3d_f16.s", "dv-a2", {}, 1, 2325},
      {"gemm_f16.s", "dv-910", {}, 1, 264318},
      {"gemm_f16.s", "dv-910", {}, 32, 25772},
      {"elementwise_f16.s", "dv-910", {}, 1, 3697},
      {"conv_load3d_f16.s", "dv-910", {}, 1, 1845},
  };
  for (const Case &c : cases) {
    Config cfg = llvm::cantFail(presetConfig(c.config));
    cfg.l2Size = 0;
    isa::AsmOptions a;
    for (auto &[k, v] : c.defines)
      a.defines[k] = v;
    SimOptions o;
    o.functional = false;
    o.cores = c.cores;
    auto sim = makeSim(readKernel(c.kernel), o, cfg, a);
    ASSERT_TRUE(sim);
    EXPECT_EQ(runOrFail(*sim).totalCycles, c.cycles)
        << c.kernel << " " << c.config << " " << c.cores << " cores";
  }
}

TEST(L2, BadL2ConfigsAreRejected) {
  Config c = dv910();
  c.l2LineBytes = 96;
  auto sim = Simulator::create(isa::Program(), c);
  ASSERT_FALSE(bool(sim));
  EXPECT_EQ(toString(sim.takeError()),
            "config 'dv-910': l2_line_bytes = 96 must be a power of two in "
            "[32, 2048]");
  c = dv910();
  c.l2Size = 100;
  auto dev = Device::create(c, 4096);
  ASSERT_FALSE(bool(dev));
  EXPECT_NE(toString(dev.takeError()).find("smaller than one line"),
            std::string::npos);
}

// `prefetch` fetches into the L2 in the background: the copy after it hits
// (l2_latency), though the prefetch held MTE2 for one cycle only; `end`
// waits until the prefetched lines have landed; without an L2 it is a
// one-cycle no-op. Results never change.
TEST(L2, PrefetchWarmsTheL2InTheBackground) {
  SimOptions o;
  o.recordTrace = true;
  const char *src = R"(
.gm A, 0x40000, random f16 1
  li x1, A
  prefetch gm[x1], 1, 1024, 0                     ; 32 KiB
  copy ub[0], gm[x1], 1, 1024, 0, 0
  end
)";
  for (uint64_t size : {uint64_t(0), uint64_t(32) << 20}) {
    Config cfg = withL2(size);
    auto sim = makeSim(src, o, cfg);
    ASSERT_TRUE(sim);
    SimResult r = runOrFail(*sim);
    const TraceEvent *p = findEvent(*sim, Opcode::PREFETCH, 0);
    const TraceEvent *c = findEvent(*sim, Opcode::COPY_GM_UB, 0);
    ASSERT_TRUE(p && c);
    EXPECT_EQ(p->end - p->start, 1u);
    EXPECT_EQ(c->start, p->end); // MTE2 is free after one cycle.
    L2Bytes b = l2Bytes(r);
    EXPECT_EQ(b.hit, size ? 32768u : 0u);
    EXPECT_EQ(b.miss, 0u);
    EXPECT_EQ(r.cores[0].l2PrefetchBytes, size ? 32768u : 0u);
    EXPECT_EQ(r.cores[0].gmReadBytes, 32768u); // The prefetch is no read.
    if (size) {
      // The copy's data arrives with the prefetch's fetch: 256 cycles at the
      // port from the prefetch's start, plus gm_latency.
      uint64_t fill = p->start + 256 + cfg.gmLatency;
      EXPECT_EQ(r.totalCycles, std::max(fill, c->end + cfg.l2Latency));
    } else {
      EXPECT_EQ(r.totalCycles, c->end + cfg.gmLatency);
    }
  }
}

// The L2 bandwidth is what the L2 delivers to cores: a prefetch fill comes
// from HBM and delivers nothing to a core, so a hit read next to it still
// runs at its port rate even when one port fills the L2 bandwidth.
TEST(L2, PrefetchFillsDoNotTakeTheCoresL2Bandwidth) {
  SimOptions o;
  o.recordTrace = true;
  Config cfg = dv910();
  cfg.l2Bandwidth = cfg.gmReadPort;
  auto sim = makeSim(R"(
.gm A, 0x8000, random f16 1
.gm B, 0x8000, random f16 2
  li x1, A
  li x2, B
  copy ub[0], gm[x1], 1, 1024, 0, 0               ; 32 KiB: A now in the L2
  pipe_barrier MTE2
  prefetch gm[x2], 1, 1024, 0
  copy ub[0x10000], gm[x1], 1, 1024, 0, 0         ; hits
  end
)",
                     o, cfg);
  ASSERT_TRUE(sim);
  SimResult r = runOrFail(*sim);
  const TraceEvent *hit = findEvent(*sim, Opcode::COPY_GM_UB, 1);
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->end - hit->start, uint64_t(32768 / cfg.gmReadPort));
  EXPECT_EQ(r.cores[0].l2PrefetchBytes, 32768u);
}

// A kernel whose only work is a prefetch still ends after the fetch; the
// next launch then hits. A prefetch outside every GM buffer is an error.
TEST(L2, PrefetchEndsBeforeTheKernelAndIsBoundsChecked) {
  Config cfg = withL2(32 << 20);
  auto sim = makeSim(R"(
.gm A, 0x8000, random f16 1
  li x1, A
  prefetch gm[x1], 2, 512, 512                    ; 2 x 16 KiB
  end
)",
                     {}, cfg);
  ASSERT_TRUE(sim);
  SimResult r = runOrFail(*sim);
  // li, issue to MTE2, 32 KiB at the port, the latency.
  EXPECT_EQ(r.totalCycles, 1u + 1u + 256u + cfg.gmLatency);
  auto bad = makeSim(R"(
.gm A, 0x8000, random f16 1
  li x1, A
  prefetch gm[x1], 3, 512, 512
  end
)",
                     {}, cfg);
  ASSERT_TRUE(bad);
  auto res = bad->run();
  ASSERT_FALSE(bool(res));
  std::string msg = toString(res.takeError());
  EXPECT_NE(msg.find("out-of-bounds access: operand 'src'"), std::string::npos)
      << msg;
}
