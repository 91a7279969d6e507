//===- KernelTest.cpp - bench/npu kernels against naive C++ references ----===//
#include "SimTestUtil.h"
#include <cmath>

using namespace npu;
using namespace npu::sim;
using namespace npu::sim::test;

namespace {

/// Naive GEMM with the documented mmad semantics: fp32 accumulation in
/// ascending k, starting from +0.
std::vector<float> refGemm(llvm::ArrayRef<uint8_t> a, llvm::ArrayRef<uint8_t> b,
                           unsigned M, unsigned N, unsigned K) {
  std::vector<float> af(size_t(M) * K), bf(size_t(K) * N), c(size_t(M) * N);
  for (size_t i = 0; i < af.size(); ++i)
    af[i] = halfToFloat(elem<uint16_t>(a, i));
  for (size_t i = 0; i < bf.size(); ++i)
    bf[i] = halfToFloat(elem<uint16_t>(b, i));
  for (unsigned m = 0; m < M; ++m) {
    float *row = &c[size_t(m) * N];
    for (unsigned k = 0; k < K; ++k) {
      float x = af[size_t(m) * K + k];
      const float *brow = &bf[size_t(k) * N];
      for (unsigned n = 0; n < N; ++n)
        row[n] = row[n] + x * brow[n];
    }
  }
  return c;
}

struct GemmRun {
  SimResult res;
  bool ok = false;
};

GemmRun runGemm(unsigned M, unsigned N, unsigned K, unsigned cores,
                SimOptions opts = {}, Config cfg = dv910()) {
  isa::AsmOptions asmOpts;
  asmOpts.defines = {{"M", M}, {"N", N}, {"K", K}};
  opts.cores = cores;
  auto sim = makeSim(readKernel("gemm_f16.s"), opts, cfg, asmOpts);
  GemmRun r;
  if (!sim)
    return r;
  auto res = sim->run();
  if (!res) {
    ADD_FAILURE() << toString(res.takeError());
    return r;
  }
  r.res = *res;
  if (!opts.functional) {
    r.ok = true;
    return r;
  }
  std::vector<float> ref = refGemm(sim->gm("A"), sim->gm("B"), M, N, K);
  llvm::ArrayRef<uint8_t> c = sim->gm("C");
  size_t bad = 0;
  for (size_t i = 0; i < ref.size(); ++i) {
    float got = elem<float>(c, i);
    if (std::memcmp(&got, &ref[i], 4) != 0 && bad++ < 5)
      ADD_FAILURE() << "C[" << i / N << "][" << i % N << "] = " << got
                    << ", reference " << ref[i];
  }
  EXPECT_EQ(bad, 0u);
  r.ok = bad == 0;
  return r;
}

double cubeUtil(const SimResult &r, unsigned core = 0) {
  return double(r.cores[core].pipes[unsigned(isa::Pipe::M)].busy) /
         double(r.totalCycles);
}

} // namespace

TEST(Kernels, GemmSmallIsBitExact) {
  GemmRun r = runGemm(256, 256, 256, 1);
  EXPECT_TRUE(r.ok);
}

TEST(Kernels, GemmOnFourCoresIsBitExactAndFaster) {
  GemmRun one = runGemm(512, 256, 512, 1);
  GemmRun four = runGemm(512, 256, 512, 4);
  ASSERT_TRUE(one.ok && four.ok);
  // Four tiles on four cores: compute shrinks 4x, pipeline fill and drain do not.
  EXPECT_LT(four.res.totalCycles * 5, one.res.totalCycles * 2);
}

// Acceptance: M=N=K=1024 on one dv-910 core, bit-exact, >= 90% cube.
TEST(Kernels, Gemm1024OneCoreBitExactAndCubeBound) {
  GemmRun r = runGemm(1024, 1024, 1024, 1);
  ASSERT_TRUE(r.ok);
  double util = cubeUtil(r.res);
  EXPECT_GE(util, 0.90) << "cycles " << r.res.totalCycles;
  std::printf("gemm 1024^3, 1 core: %llu cycles, cube utilization %.1f%%\n",
              (unsigned long long)r.res.totalCycles, 100 * util);
}

// The same GEMM over 32 cores without an L2 is bound by the shared HBM
// bandwidth; with dv-910's L2 the re-reads of A and B hit, and only the
// unique bytes come from HBM.
TEST(Kernels, Gemm1024On32CoresIsBandwidthBound) {
  SimOptions o;
  o.functional = false;
  Config noL2 = dv910();
  noL2.l2Size = 0;
  GemmRun r = runGemm(1024, 1024, 1024, 32, o, noL2);
  ASSERT_TRUE(r.ok);
  uint64_t bytes = 0;
  for (const CoreStats &c : r.res.cores)
    bytes += c.gmReadBytes + c.gmWriteBytes;
  double floor = double(bytes) / dv910().gmBandwidth;
  EXPECT_GE(double(r.res.totalCycles), floor);
  EXPECT_LT(cubeUtil(r.res), 0.5);

  GemmRun l = runGemm(1024, 1024, 1024, 32, o);
  ASSERT_TRUE(l.ok);
  uint64_t hit = 0, miss = 0, writeback = 0;
  for (const CoreStats &c : l.res.cores)
    hit += c.l2HitBytes, miss += c.l2MissBytes, writeback += c.l2WritebackBytes;
  EXPECT_EQ(miss, 2u * 1024 * 1024 * 2);           // A and B once (f16).
  EXPECT_EQ(hit + miss, bytes - 1024u * 1024 * 4); // All reads (C is f32).
  EXPECT_EQ(writeback, 0u);                        // 8 MiB fits in 32 MiB.
  EXPECT_GE(double(l.res.totalCycles), double(bytes) / dv910().l2Bandwidth);
  EXPECT_LT(l.res.totalCycles * 2, r.res.totalCycles);
  EXPECT_GT(cubeUtil(l.res), 0.6);
}

TEST(Kernels, ElementwiseIsBitExact) {
  for (unsigned cores : {1u, 3u}) {
    SimOptions o;
    o.cores = cores;
    auto sim = makeSim(readKernel("elementwise_f16.s"), o);
    ASSERT_TRUE(sim);
    ASSERT_EQ(runError(*sim), "");
    llvm::ArrayRef<uint8_t> a = sim->gm("A"), b = sim->gm("B"),
                            out = sim->gm("OUT");
    for (size_t i = 0; i < out.size() / 2; ++i) {
      float x = halfToFloat(elem<uint16_t>(a, i));
      float y = halfToFloat(elem<uint16_t>(b, i));
      float t = halfToFloat(floatToHalf(x * y));
      t = halfToFloat(floatToHalf(t + x));
      uint16_t want = floatToHalf(t < 0 ? 0.0f : t);
      ASSERT_EQ(elem<uint16_t>(out, i), want) << i;
    }
  }
}

TEST(Kernels, ConvThroughLoad3dIsBitExact) {
  auto sim = makeSim(readKernel("conv_load3d_f16.s"));
  ASSERT_TRUE(sim);
  ASSERT_EQ(runError(*sim), "");
  const int H = 16, W = 16, C1 = 2, C0 = 16, COUT = 32, KK = C1 * 9 * C0;
  llvm::ArrayRef<uint8_t> x = sim->gm("X"), w = sim->gm("WT"), y = sim->gm("Y");
  for (int oy = 0; oy < H; ++oy)
    for (int ox = 0; ox < W; ++ox)
      for (int co = 0; co < COUT; ++co) {
        float acc = 0.0f;
        for (int c1 = 0; c1 < C1; ++c1)
          for (int ky = 0; ky < 3; ++ky)
            for (int kx = 0; kx < 3; ++kx)
              for (int c0 = 0; c0 < C0; ++c0) {
                int iy = oy + ky - 1, ix = ox + kx - 1;
                float xv = 0.0f;
                if (iy >= 0 && iy < H && ix >= 0 && ix < W)
                  xv = halfToFloat(elem<uint16_t>(
                      x, ((c1 * H + iy) * W + ix) * C0 + c0));
                int k = ((c1 * 3 + ky) * 3 + kx) * C0 + c0;
                acc = acc + xv * halfToFloat(elem<uint16_t>(w, co * KK + k));
              }
        ASSERT_EQ(elem<uint16_t>(y, (oy * W + ox) * COUT + co),
                  floatToHalf(acc))
            << oy << " " << ox << " " << co;
      }
}
