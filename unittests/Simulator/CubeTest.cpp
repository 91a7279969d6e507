//===- CubeTest.cpp - mmad (f16/bf16/s8, tails, bias) and FIX conversions -===//
#include "SimTestUtil.h"
#include <cmath>
#include <random>

using namespace npu;
using namespace npu::sim;
using namespace npu::sim::test;

namespace {

/// Packs logical A (M x K) / B (K x N) into the L0A / L0B fractal layouts of
/// docs/isa.md, runs one mmad plus a FIX to GM, and returns the simulator.
struct CubeCase {
  unsigned M, N, K, es, k0;
  std::vector<uint8_t> a, b; // Packed bytes.
  unsigned mf() const { return (M + 15) / 16; }
  unsigned nf() const { return (N + 15) / 16; }
  unsigned kf() const { return (K + k0 - 1) / k0; }
  CubeCase(unsigned M, unsigned N, unsigned K, unsigned es)
      : M(M), N(N), K(K), es(es), k0(es == 1 ? 32 : 16) {
    a.assign(size_t(mf()) * kf() * 512, 0);
    b.assign(size_t(kf()) * nf() * 512, 0);
  }
  void setA(unsigned m, unsigned k, const void *v) {
    size_t off = ((size_t(m / 16) * kf() + k / k0) * 16 * k0 + (m % 16) * k0 +
                  k % k0) * es;
    std::memcpy(&a[off], v, es);
  }
  void setB(unsigned k, unsigned n, const void *v) {
    size_t off = ((size_t(k / k0) * nf() + n / 16) * 16 * k0 + (n % 16) * k0 +
                  k % k0) * es;
    std::memcpy(&b[off], v, es);
  }
  std::unique_ptr<Simulator> run(const std::string &mmad,
                                 const std::string &fix,
                                 const std::vector<uint8_t> &bias = {},
                                 uint32_t scaleBits = 0) {
    std::string src =
        ".gm A, " + std::to_string(a.size()) + "\n.gm B, " +
        std::to_string(b.size()) + "\n.gm BIAS, 4096\n.gm C, 65536\n"
        "  li x1, A\n  li x2, B\n  li x3, BIAS\n  li x4, C\n"
        "  li x5, " + std::to_string(scaleBits) + "\n"
        "  copy l1[0], gm[x1], 1, " + std::to_string(a.size() / 32) + ", 0, 0\n"
        "  copy l1[0x20000], gm[x2], 1, " + std::to_string(b.size() / 32) +
        ", 0, 0\n"
        "  copy l1[0x40000], gm[x3], 1, 128, 0, 0\n"
        "  barrier\n"
        "  load2d l0a[0], l1[0], " + std::to_string(a.size() / 512) + ", 1, 1, 0\n"
        "  load2d l0b[0], l1[0x20000], " + std::to_string(b.size() / 512) +
        ", 1, 1, 0\n"
        "  barrier\n" + mmad + "\n  barrier\n" + fix + "\n  end\n";
    auto sim = makeSim(src);
    if (!sim)
      return nullptr;
    std::copy(a.begin(), a.end(), sim->gm("A").begin());
    std::copy(b.begin(), b.end(), sim->gm("B").begin());
    std::copy(bias.begin(), bias.end(), sim->gm("BIAS").begin());
    std::string err = runError(*sim);
    EXPECT_EQ(err, "");
    return err.empty() ? std::move(sim) : nullptr;
  }
};

} // namespace

TEST(Cube, Int8AccumulatesInInt32AndRequantizes) {
  const unsigned M = 33, N = 20, K = 70;
  CubeCase cc(M, N, K, 1);
  std::mt19937 rng(5);
  std::vector<int8_t> A(M * K), B(K * N);
  for (unsigned m = 0; m < M; ++m)
    for (unsigned k = 0; k < K; ++k) {
      A[m * K + k] = int8_t(rng() % 256 - 128);
      cc.setA(m, k, &A[m * K + k]);
    }
  for (unsigned k = 0; k < K; ++k)
    for (unsigned n = 0; n < N; ++n) {
      B[k * N + n] = int8_t(rng() % 256 - 128);
      cc.setB(k, n, &B[k * N + n]);
    }
  float scale = 0.01f;
  uint32_t scaleBits;
  std::memcpy(&scaleBits, &scale, 4);
  auto sim = cc.run("  mmad.s8.zero l0c[0], l0a[0], l0b[0], 33, 20, 70",
                    "  fix.s32.s32 gm[x4], l0c[0], 33, 20, 20, 0, 1, x0\n"
                    "  addi x6, x4, 8192\n"
                    "  fix.s8.s32 gm[x6], l0c[0], 33, 20, 20, 1, 1, x5",
                    {}, scaleBits);
  ASSERT_TRUE(sim);
  llvm::ArrayRef<uint8_t> c = sim->gm("C");
  for (unsigned m = 0; m < M; ++m)
    for (unsigned n = 0; n < N; ++n) {
      int32_t acc = 0;
      for (unsigned k = 0; k < K; ++k)
        acc += int32_t(A[m * K + k]) * B[k * N + n];
      ASSERT_EQ(elem<int32_t>(c, m * N + n), acc) << m << " " << n;
      float f = float(acc) * scale;
      f = f < 0 ? 0 : f;
      int8_t q = int8_t(std::min(127.0f, std::nearbyint(f)));
      ASSERT_EQ(int8_t(c[8192 + m * N + n]), q) << m << " " << n;
    }
}

TEST(Cube, Bf16WithBiasAndTails) {
  const unsigned M = 20, N = 24, K = 40;
  CubeCase cc(M, N, K, 2);
  std::mt19937 rng(6);
  std::vector<float> A(M * K), B(K * N), bias(N);
  auto rnd = [&] { return bf16ToFloat(floatToBf16(float(rng() % 2001) / 1000 - 1)); };
  for (unsigned m = 0; m < M; ++m)
    for (unsigned k = 0; k < K; ++k) {
      A[m * K + k] = rnd();
      uint16_t h = floatToBf16(A[m * K + k]);
      cc.setA(m, k, &h);
    }
  for (unsigned k = 0; k < K; ++k)
    for (unsigned n = 0; n < N; ++n) {
      B[k * N + n] = rnd();
      uint16_t h = floatToBf16(B[k * N + n]);
      cc.setB(k, n, &h);
    }
  std::vector<uint8_t> biasBytes(N * 4);
  for (unsigned n = 0; n < N; ++n) {
    bias[n] = float(n) - 10.5f;
    std::memcpy(&biasBytes[n * 4], &bias[n], 4);
  }
  auto sim = cc.run(
      "  mmad_bias.bf16 l0c[0], l0a[0], l0b[0], l1[0x40000], 20, 24, 40",
      "  fix.f32.f32 gm[x4], l0c[0], 20, 24, 24, 0, 1, x0\n"
      "  addi x6, x4, 8192\n"
      "  fix.bf16.f32 gm[x6], l0c[0], 20, 24, 24, 1, 1, x0",
      biasBytes);
  ASSERT_TRUE(sim);
  llvm::ArrayRef<uint8_t> c = sim->gm("C");
  for (unsigned m = 0; m < M; ++m)
    for (unsigned n = 0; n < N; ++n) {
      float acc = bias[n];
      for (unsigned k = 0; k < K; ++k)
        acc = acc + A[m * K + k] * B[k * N + n];
      ASSERT_EQ(elem<float>(c, m * N + n), acc) << m << " " << n;
      ASSERT_EQ(elem<uint16_t>(c, 4096 + m * N + n),
                floatToBf16(acc < 0 ? 0.0f : acc));
    }
}

TEST(Cube, AccumulateAddsToL0CAndLeavesPaddingAlone) {
  const unsigned M = 16, N = 16, K = 16;
  CubeCase cc(M, N, K, 2);
  uint16_t one = floatToHalf(1.0f);
  for (unsigned i = 0; i < 16; ++i)
    for (unsigned j = 0; j < 16; ++j) {
      cc.setA(i, j, &one);
      cc.setB(i, j, &one);
    }
  // Two mmads into the same tile: the second accumulates; a 15x15 one
  // must not touch row 15 / column 15.
  auto sim = cc.run("  mmad.f16.zero l0c[0], l0a[0], l0b[0], 16, 16, 16\n"
                    "  mmad.f16.acc l0c[0], l0a[0], l0b[0], 15, 15, 16",
                    "  fix.f32.f32 gm[x4], l0c[0], 16, 16, 16, 0, 1, x0");
  ASSERT_TRUE(sim);
  llvm::ArrayRef<uint8_t> c = sim->gm("C");
  for (unsigned m = 0; m < 16; ++m)
    for (unsigned n = 0; n < 16; ++n)
      EXPECT_EQ(elem<float>(c, m * 16 + n), (m < 15 && n < 15) ? 32.0f : 16.0f);
}

TEST(Cube, NpyInputsAndOutputs) {
  llvm::SmallString<128> dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("npu-sim-test", dir));
  std::vector<float> data = {1.5f, -2.0f, 3.25f, 0.0f, 8.0f, 9.0f, 10.0f, 11.0f};
  std::string in = (dir + "/in.npy").str();
  ASSERT_FALSE(writeNpy(in, llvm::ArrayRef<uint8_t>(
                                reinterpret_cast<uint8_t *>(data.data()), 32),
                        isa::DType::F32, {2, 4}));
  auto back = readNpy(in);
  ASSERT_TRUE(bool(back));
  EXPECT_EQ(back->size(), 32u);
  auto prog = isa::parseAssembly(".gm X, 64, file \"in.npy\"\n.gm Y, 64\n"
                                 ".output Y, \"out.npy\", f32, 2, 4\n"
                                 "  li x1, X\n  li x2, Y\n"
                                 "  copy ub[0], gm[x1], 1, 1, 0, 0\n  barrier\n"
                                 "  copy gm[x2], ub[0], 1, 1, 0, 0\n  end\n");
  ASSERT_TRUE(bool(prog));
  auto sim = Simulator::create(*prog, dv910());
  ASSERT_TRUE(bool(sim));
  ASSERT_FALSE((*sim)->initInputs(dir));
  ASSERT_EQ(runError(**sim), "");
  ASSERT_FALSE((*sim)->writeOutputs(dir));
  auto out = readNpy((dir + "/out.npy").str());
  ASSERT_TRUE(bool(out));
  ASSERT_EQ(out->size(), 32u);
  EXPECT_EQ(std::memcmp(out->data(), data.data(), 32), 0);
  llvm::sys::fs::remove_directories(dir);
}
