//===- DeviceTest.cpp - Launches back to back on one persistent GM --------===//
#include "npu/Simulator/Device.h"
#include "SimTestUtil.h"
#include "llvm/Support/JSON.h"
#include <map>
#include <random>

using namespace npu;
using namespace npu::sim;
using namespace npu::sim::test;
namespace json = llvm::json;

namespace {

// Three f32 regions of NB blocks of 64 elements (256 bytes) each.
constexpr unsigned NB = 64, BLK = 256, N = NB * BLK / 4;
constexpr uint64_t A = 0x1000, B = 0x5000, C = 0x9000, GMBytes = 0x10000;

isa::Program parse(llvm::StringRef text) {
  llvm::Expected<isa::Program> p = isa::parseAssembly(text, "test.s");
  if (!p) {
    ADD_FAILURE() << toString(p.takeError());
    return {};
  }
  return std::move(*p);
}

/// A kernel over blocks `for (blk = coreid; blk < NB; blk += corenum)`:
/// load block blk of A into ub[0] (and of `in2` into ub[0x100] if given),
/// run `body` on the vector unit (result in ub[0x200]) and store it to
/// block blk of `out`.
isa::Program blockKernel(uint64_t in, uint64_t in2, uint64_t out,
                         llvm::StringRef body, unsigned cores = 4) {
  std::string s = ".cores " + std::to_string(cores) + "\n";
  s += ".gm A, 0x4000 @0x1000\n.gm B, 0x4000 @0x5000\n"
       ".gm C, 0x4000 @0x9000\n";
  s += "  coreid x1\n  corenum x2\n  li x3, " + std::to_string(NB) + "\n";
  s += "  li x4, " + std::to_string(in) + "\n  li x5, " + std::to_string(in2) +
       "\n  li x6, " + std::to_string(out) + "\n";
  s += "loop:\n  bge x1, x3, done\n  shli x7, x1, 8\n"
       "  add x8, x4, x7\n  copy ub[0], gm[x8], 1, 8, 0, 0\n";
  if (in2)
    s += "  add x8, x5, x7\n  copy ub[0x100], gm[x8], 1, 8, 0, 0\n";
  s += "  set_flag MTE2, V, 0\n  wait_flag MTE2, V, 0\n";
  s += body.str();
  s += "  set_flag V, MTE3, 0\n  wait_flag V, MTE3, 0\n"
       "  add x8, x6, x7\n  copy gm[x8], ub[0x200], 1, 8, 0, 0\n"
       "  barrier\n  add x1, x1, x2\n  j loop\ndone:\n  end\n";
  return parse(s);
}

// B = A + A; C = B * A + 1.5.
const char *kDouble =
    "  vadd.f32 ub[0x200], ub[0], ub[0], 1, 1, 1, 1, 8, 8, 8\n";
const char *kMulAdd =
    "  vmul.f32 ub[0x200], ub[0], ub[0x100], 1, 1, 1, 1, 8, 8, 8\n"
    "  vadds.f32 ub[0x200], ub[0x200], 1.5, 1, 1, 1, 8, 8\n";

std::unique_ptr<Device> makeDevice(SimOptions opts = {}, Config cfg = dv910(),
                                   uint64_t gmBytes = GMBytes) {
  auto dev = Device::create(cfg, gmBytes, opts);
  if (!dev) {
    ADD_FAILURE() << toString(dev.takeError());
    return nullptr;
  }
  return std::move(*dev);
}

std::vector<float> randomFloats(unsigned n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(-4, 4);
  std::vector<float> v(n);
  for (float &x : v)
    x = d(rng);
  return v;
}

/// A host write that bypasses the L2 (its lines are invalidated).
void writeFloats(Device &dev, uint64_t addr, const std::vector<float> &v) {
  auto g = dev.gm(addr, v.size() * 4);
  ASSERT_TRUE(bool(g)) << toString(g.takeError());
  std::memcpy(g->data(), v.data(), v.size() * 4);
  ASSERT_FALSE(bool(dev.hostWrote(addr, v.size() * 4)));
}

std::vector<float> readFloats(Device &dev, uint64_t addr, unsigned n) {
  std::vector<float> v(n);
  auto g = dev.gm(addr, n * 4);
  if (!g) {
    ADD_FAILURE() << toString(g.takeError());
    return v;
  }
  std::memcpy(v.data(), g->data(), n * 4);
  return v;
}

/// Launch and fail the test on error.
LaunchStats run(Device &dev, const isa::Program &p, unsigned cores,
                llvm::StringRef name) {
  auto ls = dev.launch(p, cores, name);
  if (!ls) {
    ADD_FAILURE() << toString(ls.takeError());
    return {};
  }
  return std::move(*ls);
}

std::string launchError(Device &dev, const isa::Program &p, unsigned cores,
                        llvm::StringRef name) {
  auto ls = dev.launch(p, cores, name);
  return ls ? std::string() : toString(ls.takeError());
}

bool contains(const std::string &s, llvm::StringRef needle) {
  return llvm::StringRef(s).contains(needle);
}

TEST(Device, GMPersistsBetweenLaunches) {
  auto dev = makeDevice();
  ASSERT_TRUE(dev);
  std::vector<float> a = randomFloats(N, 1);
  writeFloats(*dev, A, a);
  run(*dev, blockKernel(A, 0, B, kDouble), 0, "double");
  run(*dev, blockKernel(B, A, C, kMulAdd), 0, "muladd");
  std::vector<float> b = readFloats(*dev, B, N), c = readFloats(*dev, C, N);
  for (unsigned i = 0; i < N; ++i) {
    float wantB = a[i] + a[i];
    float wantC = wantB * a[i];
    wantC = wantC + 1.5f;
    ASSERT_EQ(b[i], wantB) << i;
    ASSERT_EQ(c[i], wantC) << i;
  }
  EXPECT_EQ(readFloats(*dev, A, N), a); // Inputs untouched.
}

TEST(Device, LaunchMatchesASimulatorRunOfTheSameProgram) {
  isa::Program p = blockKernel(A, 0, B, kDouble);
  std::vector<float> a = randomFloats(N, 2);
  auto sim = Simulator::create(p, dv910());
  ASSERT_TRUE(bool(sim)) << toString(sim.takeError());
  std::memcpy((*sim)->gm("A").data(), a.data(), N * 4);
  auto simRes = (*sim)->run();
  ASSERT_TRUE(bool(simRes)) << toString(simRes.takeError());
  auto dev = makeDevice();
  ASSERT_TRUE(dev);
  // A first launch leaves state behind; the second must still match.
  run(*dev, blockKernel(A, 0, C, kDouble), 0, "warmup");
  writeFloats(*dev, A, a);
  LaunchStats ls = run(*dev, p, 0, "double");
  EXPECT_EQ(ls.result.totalCycles, simRes->totalCycles);
  ASSERT_EQ(ls.result.cores.size(), simRes->cores.size());
  for (size_t i = 0; i < simRes->cores.size(); ++i) {
    EXPECT_EQ(ls.result.cores[i].cycles, simRes->cores[i].cycles);
    EXPECT_EQ(ls.result.cores[i].instructions, simRes->cores[i].instructions);
  }
  llvm::ArrayRef<uint8_t> simB = (*sim)->gm("B");
  auto devB = dev->gm(B, simB.size());
  ASSERT_TRUE(bool(devB));
  EXPECT_TRUE(std::equal(simB.begin(), simB.end(), devB->begin()));
}

TEST(Device, FewerCoresGiveTheSameResult) {
  std::vector<float> a = randomFloats(N, 3);
  std::vector<float> want;
  std::map<unsigned, uint64_t> cycles;
  for (unsigned cores : {1u, 3u, 4u, 0u}) {
    auto dev = makeDevice();
    ASSERT_TRUE(dev);
    writeFloats(*dev, A, a);
    LaunchStats ls = run(*dev, blockKernel(A, 0, B, kDouble), cores, "double");
    EXPECT_EQ(ls.result.cores.size(), cores ? cores : 4u);
    cycles[cores] = ls.result.totalCycles;
    std::vector<float> b = readFloats(*dev, B, N);
    if (want.empty()) {
      for (float x : a)
        want.push_back(x + x);
    }
    EXPECT_EQ(b, want) << cores << " cores";
  }
  EXPECT_GT(cycles[1], cycles[3]);
  EXPECT_GT(cycles[3], cycles[4]);
  EXPECT_EQ(cycles[0], cycles[4]); // 0 = the program's .cores.
}

TEST(Device, ManyLaunchesOnChangingCoreCounts) {
  // Cores are allocated on first use and reused; every launch still
  // computes the right thing (A -> B -> A ... doubling each time).
  auto dev = makeDevice();
  ASSERT_TRUE(dev);
  std::vector<float> a = randomFloats(N, 7);
  writeFloats(*dev, A, a);
  isa::Program ab = blockKernel(A, 0, B, kDouble, 32);
  isa::Program ba = blockKernel(B, 0, A, kDouble, 32);
  const unsigned coreCounts[] = {1, 32, 4, 17, 2};
  for (unsigned i = 0; i < 60; ++i) {
    run(*dev, i % 2 ? ba : ab, coreCounts[i % 5], "k" + std::to_string(i));
    for (float &x : a)
      x = x + x;
  }
  EXPECT_EQ(dev->launchCount(), 60u);
  EXPECT_EQ(readFloats(*dev, A, N), a);
}

TEST(Device, CoresAreCappedByTheConfig) {
  Config cfg = dv910();
  cfg.cores = 2;
  auto dev = makeDevice({}, cfg);
  ASSERT_TRUE(dev);
  std::vector<float> a = randomFloats(N, 4);
  writeFloats(*dev, A, a);
  LaunchStats ls = run(*dev, blockKernel(A, 0, B, kDouble, 8), 0, "double");
  EXPECT_EQ(ls.result.cores.size(), 2u);
  std::vector<float> b = readFloats(*dev, B, N);
  for (unsigned i = 0; i < N; ++i)
    ASSERT_EQ(b[i], a[i] + a[i]);
}

TEST(Device, StartCyclesAndTraceTimesAddUp) {
  SimOptions opts;
  opts.recordTrace = true;
  auto dev = makeDevice(opts);
  ASSERT_TRUE(dev);
  std::vector<LaunchStats> ls;
  ls.push_back(run(*dev, blockKernel(A, 0, B, kDouble), 0, "k0"));
  ls.push_back(run(*dev, blockKernel(B, A, C, kMulAdd), 2, "k1"));
  ls.push_back(run(*dev, blockKernel(A, 0, B, kDouble), 1, "k2"));
  uint64_t t = 0;
  for (unsigned i = 0; i < ls.size(); ++i) {
    EXPECT_EQ(ls[i].index, i);
    EXPECT_EQ(ls[i].name, "k" + std::to_string(i));
    EXPECT_EQ(ls[i].startCycle, t);
    EXPECT_GT(ls[i].result.totalCycles, 0u);
    for (const CoreStats &c : ls[i].result.cores)
      EXPECT_LE(c.cycles, ls[i].result.totalCycles);
    t += ls[i].result.totalCycles;
  }
  EXPECT_EQ(dev->now(), t);
  EXPECT_EQ(dev->launchCount(), 3u);
  std::vector<size_t> perLaunch(3);
  for (const TraceEvent &e : dev->trace()) {
    ASSERT_LT(e.launch, 3u);
    const LaunchStats &l = ls[e.launch];
    EXPECT_GE(e.start, l.startCycle);
    EXPECT_LE(e.end, l.startCycle + l.result.totalCycles);
    EXPECT_LT(e.core, l.result.cores.size());
    ++perLaunch[e.launch];
  }
  for (unsigned i = 0; i < 3; ++i) {
    EXPECT_GT(perLaunch[i], 0u) << i;
    ASSERT_TRUE(dev->launchedProgram(i));
  }
  EXPECT_EQ(dev->launchedProgram(3), nullptr);
  // The same kernel takes the same time whenever it runs from the same L2
  // state (the arbiters and all other timing state start fresh). Here the
  // host rewrites all of GM, which empties the L2 as it was before k0.
  ASSERT_FALSE(bool(dev->hostWrote(0, GMBytes)));
  EXPECT_EQ(
      run(*dev, blockKernel(A, 0, B, kDouble), 0, "k3").result.totalCycles,
      ls[0].result.totalCycles);
}

TEST(Device, RaceLogsResetBetweenLaunches) {
  // Core-local: MTE2 writes ub[0, 256) in one launch, V in the next.
  const char *gm = ".gm A, 0x4000 @0x1000\n";
  std::string load = std::string(gm) + "  li x1, A\n"
                                       "  copy ub[0], gm[x1], 1, 8, 0, 0\n";
  std::string dup = "  vdup.f32 ub[0], 1.0, 1, 1, 8\n";
  // Cross-core: core c writes block c of A, then reads block 1 - c.
  std::string cross = std::string(".cores 2\n") + gm +
                      "  coreid x1\n  shli x2, x1, 8\n  li x3, A\n"
                      "  add x4, x3, x2\n";
  std::string write = "  copy gm[x4], ub[0], 1, 8, 0, 0\n";
  std::string read = "  li x5, 0x100\n  sub x6, x5, x2\n  add x6, x6, x3\n"
                     "  copy ub[0x100], gm[x6], 1, 8, 0, 0\n";
  // Within one launch both pairs race: the checks do fire.
  auto dev = makeDevice();
  ASSERT_TRUE(dev);
  EXPECT_TRUE(contains(
      launchError(*dev, parse(load + dup + "  end\n"), 0, "one"), "data race"));
  std::string err =
      launchError(*dev, parse(cross + write + read + "  end\n"), 0, "both");
  EXPECT_TRUE(contains(err, "kernel 'both': ")) << err;
  EXPECT_TRUE(contains(err, "data race between cores")) << err;
  // Across launches they are ordered by the kernel boundary.
  EXPECT_EQ(launchError(*dev, parse(load + "  end\n"), 0, "load"), "");
  EXPECT_EQ(
      launchError(*dev, parse(std::string(gm) + dup + "  end\n"), 0, "dup"),
      "");
  EXPECT_EQ(launchError(*dev, parse(cross + write + "  end\n"), 0, "write"),
            "");
  EXPECT_EQ(launchError(*dev, parse(cross + read + "  end\n"), 0, "read"), "");
}

TEST(Device, RegistersAndMaskResetBetweenLaunches) {
  auto dev = makeDevice();
  ASSERT_TRUE(dev);
  run(*dev,
      parse(".gm A, 0x4000 @0x1000\n  li x9, 0x100\n  li x1, 1\n"
            "  set_mask x0, x1\n  end\n"),
      0, "dirty");
  // x9 must be 0 again and the mask full: all 64 elements land at A.
  run(*dev,
      parse(".gm A, 0x4000 @0x1000\n  li x10, A\n  add x9, x9, x10\n"
            "  vdup.f32 ub[0], 2.0, 1, 1, 8\n  set_flag V, MTE3, 0\n"
            "  wait_flag V, MTE3, 0\n  copy gm[x9], ub[0], 1, 8, 0, 0\n"
            "  end\n"),
      0, "clean");
  EXPECT_EQ(readFloats(*dev, A, 64), std::vector<float>(64, 2.0f));
}

TEST(Device, LeftoverFlagIsAnErrorNamingTheKernel) {
  auto dev = makeDevice();
  ASSERT_TRUE(dev);
  std::string err = launchError(
      *dev, parse("  nop\n  set_flag MTE2, V, 1\n  end\n"), 0, "leaky");
  EXPECT_TRUE(contains(err, "kernel 'leaky': core 0, pipe MTE2, pc 1")) << err;
  EXPECT_TRUE(contains(err, "flag MTE2->V event 1 is still set")) << err;
  EXPECT_EQ(dev->now(), 0u);
  EXPECT_EQ(dev->launchCount(), 0u);
  // The device stays usable; the flag does not leak into the next launch.
  EXPECT_EQ(launchError(*dev,
                        parse("  set_flag MTE2, V, 1\n  wait_flag MTE2, V, 1\n"
                              "  end\n"),
                        0, "ok"),
            "");
  EXPECT_GT(dev->now(), 0u);
}

TEST(Device, BadProgramsAndRangesAreErrors) {
  auto dev = makeDevice();
  ASSERT_TRUE(dev);
  std::string err =
      launchError(*dev, parse(".gm A, 4096 @0x10000\n  end\n"), 0, "far");
  EXPECT_EQ(err, "kernel 'far': GM buffer 'A' [0x10000, 0x11000) lies outside "
                 "the device's 65536 bytes of GM");
  err = launchError(*dev, parse("  set_flag MTE2, V, 7\n  end\n"), 0, "ev");
  EXPECT_TRUE(contains(err, "kernel 'ev': pc 0")) << err;
  EXPECT_TRUE(contains(err, "event 7 out of range")) << err;
  // A GM access outside the kernel's own .gm buffers is still caught.
  err = launchError(*dev,
                    parse(".gm A, 4096 @0x1000\n  li x1, 0x2000\n"
                          "  copy ub[0], gm[x1], 1, 8, 0, 0\n  end\n"),
                    0, "oob");
  EXPECT_TRUE(contains(err, "kernel 'oob': core 0, pipe MTE2")) << err;
  EXPECT_TRUE(contains(err, "out-of-bounds")) << err;
  EXPECT_TRUE(bool(dev->gm(0, GMBytes)));
  auto g = dev->gm(GMBytes - 4, 8);
  ASSERT_FALSE(bool(g));
  EXPECT_EQ(toString(g.takeError()),
            "GM range [0xfffc, 0x10004) is outside the device's 65536 bytes "
            "of GM");
  g = dev->gm(~0ull, 2);
  EXPECT_FALSE(bool(g));
  consumeError(g.takeError());
  auto big = Device::create(dv910(), uint64_t(17) << 30);
  ASSERT_FALSE(bool(big));
  EXPECT_TRUE(contains(toString(big.takeError()), "allows 16 GiB"));
}

TEST(Device, TimingOnlyLeavesGMAlone) {
  SimOptions opts;
  opts.functional = false;
  auto dev = makeDevice(opts);
  ASSERT_TRUE(dev);
  writeFloats(*dev, A, randomFloats(N, 5));
  LaunchStats ls = run(*dev, blockKernel(A, 0, B, kDouble), 0, "double");
  EXPECT_FALSE(ls.result.functional);
  EXPECT_GT(ls.result.totalCycles, 0u);
  EXPECT_EQ(readFloats(*dev, B, N), std::vector<float>(N, 0.0f));
}

/// Two launches plus a CPU part, as a runtime would record them.
struct Recorded {
  std::unique_ptr<Device> dev;
  std::vector<KernelRecord> kernels;
  std::vector<CPUPartRecord> cpu;
};

Recorded record(SimOptions opts) {
  Recorded r;
  r.dev = makeDevice(opts);
  if (!r.dev)
    return r;
  writeFloats(*r.dev, A, randomFloats(N, 6));
  r.cpu.push_back({"cpu000", {"<input conversion>"}, 12.5, 0});
  KernelRecord k0;
  k0.name = "k000_double";
  k0.onnxNodes = {"/add"};
  k0.kind = "vector";
  k0.displayName = "Add /add";
  k0.launch = run(*r.dev, blockKernel(A, 0, B, kDouble), 0, k0.name);
  KernelRecord k1;
  k1.name = "k001_muladd";
  k1.onnxNodes = {"/mul", "/add_1"};
  k1.kind = "vector";
  k1.launch = run(*r.dev, blockKernel(B, A, C, kMulAdd), 2, k1.name);
  k1.estimateCycles = 1000;
  k1.rooflineCompute = 400;
  k1.rooflineGM = 800;
  r.kernels = {k0, k1};
  r.cpu.push_back({"cpu001", {"<output conversion>"}, 3, r.dev->now()});
  return r;
}

TEST(Device, StatsJsonFollowsTheSchema) {
  Recorded r = record({});
  ASSERT_TRUE(r.dev);
  std::string text;
  llvm::raw_string_ostream os(text);
  writeDeviceStatsJSON(os, r.kernels, r.dev->config(), r.dev->options(), r.cpu,
                       0.25, {"a warning"});
  llvm::Expected<json::Value> v = json::parse(text);
  ASSERT_TRUE(bool(v)) << toString(v.takeError());
  const json::Object *root = v->getAsObject();
  ASSERT_TRUE(root);
  EXPECT_EQ(root->getString("schema"), llvm::StringRef("npu-run-stats/1"));
  EXPECT_EQ(root->getString("config"), llvm::StringRef("dv-910"));
  EXPECT_EQ(root->getString("mode"), llvm::StringRef("functional"));
  EXPECT_EQ(root->getBoolean("race_check"), true);
  EXPECT_EQ(root->getInteger("total_cycles"), int64_t(r.dev->now()));
  EXPECT_EQ(root->getNumber("time_us"), double(r.dev->now()) / 1000);
  EXPECT_EQ(root->getNumber("host_seconds"), 0.25);
  EXPECT_EQ(root->getInteger("kernel_count"), 2);
  const json::Array *ks = root->getArray("kernels");
  ASSERT_TRUE(ks && ks->size() == 2);
  for (size_t i = 0; i < 2; ++i) {
    const json::Object *k = (*ks)[i].getAsObject();
    const KernelRecord &rec = r.kernels[i];
    const SimResult &res = rec.launch.result;
    ASSERT_TRUE(k);
    EXPECT_EQ(k->getString("name"), llvm::StringRef(rec.name));
    EXPECT_EQ(k->getString("kind"), llvm::StringRef("vector"));
    const json::Array *nodes = k->getArray("onnx_nodes");
    ASSERT_TRUE(nodes && nodes->size() == rec.onnxNodes.size());
    EXPECT_EQ((*nodes)[0].getAsString(), llvm::StringRef(rec.onnxNodes[0]));
    EXPECT_EQ(k->getInteger("cores"), int64_t(res.cores.size()));
    EXPECT_EQ(k->getInteger("start_cycle"), int64_t(rec.launch.startCycle));
    EXPECT_EQ(k->getInteger("cycles"), int64_t(res.totalCycles));
    uint64_t insts = 0, rd = 0, wr = 0, vBusy = 0;
    for (const CoreStats &c : res.cores)
      insts += c.instructions, rd += c.gmReadBytes, wr += c.gmWriteBytes,
          vBusy += c.pipes[unsigned(isa::Pipe::V)].busy;
    EXPECT_EQ(k->getInteger("instructions"), int64_t(insts));
    EXPECT_EQ(k->getInteger("cube_macs"), 0);
    EXPECT_EQ(k->getInteger("gm_read_bytes"), int64_t(rd));
    EXPECT_EQ(k->getInteger("gm_write_bytes"), int64_t(wr));
    EXPECT_EQ(rd, (i == 0 ? 1 : 2) * uint64_t(NB) * BLK);
    EXPECT_EQ(wr, uint64_t(NB) * BLK);
    const json::Object *pipes = k->getObject("pipes");
    ASSERT_TRUE(pipes);
    EXPECT_EQ(pipes->size(), size_t(isa::kNumPipes));
    std::string best;
    double bestU = -1;
    for (unsigned p = 0; p < isa::kNumPipes; ++p) {
      llvm::StringRef pn = isa::pipeName(isa::Pipe(p));
      const json::Object *po = pipes->getObject(pn);
      ASSERT_TRUE(po && po->getInteger("busy") && po->getNumber("utilization"))
          << pn.str();
      double u = *po->getNumber("utilization");
      EXPECT_GE(u, 0);
      EXPECT_LE(u, 1);
      if (u > bestU)
        bestU = u, best = pn.str();
    }
    // V utilization is the mean over the kernel's cores.
    double meanV = double(vBusy) / res.cores.size();
    EXPECT_DOUBLE_EQ(*pipes->getObject("V")->getNumber("utilization"),
                     meanV / double(res.totalCycles));
    EXPECT_EQ(k->getString("bound"),
              llvm::StringRef(bestU < 0.5 ? "latency" : best));
  }
  const json::Object *k1 = (*ks)[1].getAsObject();
  EXPECT_FALSE((*ks)[0].getAsObject()->get("roofline_cycles"));
  EXPECT_EQ(k1->getInteger("estimate_cycles"), 1000);
  EXPECT_EQ(k1->getInteger("roofline_cycles"), 800);
  EXPECT_EQ(k1->getString("roofline_bound"), llvm::StringRef("gm"));
  EXPECT_DOUBLE_EQ(*k1->getNumber("ratio_to_roofline"),
                   double(r.kernels[1].launch.result.totalCycles) / 800);
  const json::Array *cpu = root->getArray("cpu_parts");
  ASSERT_TRUE(cpu && cpu->size() == 2);
  EXPECT_EQ((*cpu)[0].getAsObject()->getString("name"),
            llvm::StringRef("cpu000"));
  EXPECT_EQ((*cpu)[0].getAsObject()->getNumber("host_us"), 12.5);
  EXPECT_TRUE((*cpu)[1].getAsObject()->getArray("onnx_nodes"));
  const json::Array *warn = root->getArray("warnings");
  ASSERT_TRUE(warn && warn->size() == 1);
  EXPECT_EQ((*warn)[0].getAsString(), llvm::StringRef("a warning"));
}

TEST(Device, TraceHasAScheduleProcessAndPipeLanes) {
  SimOptions opts;
  opts.recordTrace = true;
  Recorded r = record(opts);
  ASSERT_TRUE(r.dev);
  std::string text;
  llvm::raw_string_ostream os(text);
  writeDeviceTraceJSON(os, *r.dev, r.kernels, r.cpu);
  llvm::Expected<json::Value> v = json::parse(text);
  ASSERT_TRUE(bool(v)) << toString(v.takeError());
  const json::Array *events = v->getAsObject()->getArray("traceEvents");
  ASSERT_TRUE(events);
  std::map<int64_t, std::string> processes;
  std::vector<const json::Object *> spans, instants;
  size_t pipeEvents = 0;
  for (const json::Value &ev : *events) {
    const json::Object *e = ev.getAsObject();
    ASSERT_TRUE(e);
    llvm::StringRef ph = *e->getString("ph");
    int64_t pid = *e->getInteger("pid");
    if (ph == "M" && e->getString("name") == llvm::StringRef("process_name"))
      processes[pid] = e->getObject("args")->getString("name")->str();
    else if (ph == "X" && e->getString("cat") == llvm::StringRef("kernel"))
      spans.push_back(e);
    else if (ph == "X")
      ++pipeEvents;
    else if (ph == "i")
      instants.push_back(e);
  }
  // Cores 0..3 (the first kernel ran on 4), then the schedule.
  ASSERT_EQ(processes.size(), 5u);
  EXPECT_EQ(processes[0], "core 0");
  EXPECT_EQ(processes[4], "schedule");
  EXPECT_EQ(pipeEvents, r.dev->trace().size());
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0]->getString("name"), llvm::StringRef("Add /add"));
  EXPECT_EQ(spans[1]->getString("name"), llvm::StringRef("k001_muladd"));
  for (unsigned i = 0; i < 2; ++i) {
    const LaunchStats &l = r.kernels[i].launch;
    EXPECT_EQ(spans[i]->getInteger("pid"), 4);
    EXPECT_DOUBLE_EQ(*spans[i]->getNumber("ts"), l.startCycle / 1000.0);
    EXPECT_DOUBLE_EQ(*spans[i]->getNumber("dur"),
                     l.result.totalCycles / 1000.0);
  }
  ASSERT_EQ(instants.size(), 2u);
  EXPECT_EQ(instants[1]->getString("name"), llvm::StringRef("cpu001"));
  EXPECT_DOUBLE_EQ(*instants[1]->getNumber("ts"), r.dev->now() / 1000.0);
}

} // namespace
