//===- ConvKernelTest.cpp - TileBuilder convolutions on the simulator -----===//
//
// buildConvKernel -> the tile passes -> sim::Device, bit for bit against a
// naive convolution with the documented numerics (fp32 accumulation from
// the bias or +0 in the im2col K order (c1, ky, kx, c0), ReLU, RNE to the
// output type) on nc1hwc0 / fz data packed here. Pad lanes must be +0; the
// device rejects races and flags left set.
//
//===----------------------------------------------------------------------===//
#include "KernelTestUtil.h"
#include "npu/Codegen/NPU/TileBuilder.h"
#include "npu/InitAll.h"
#include "npu/Simulator/Device.h"
#include "npu/Simulator/Float.h"
#include "npu/Target/Translations.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/MathExtras.h"
#include "gtest/gtest.h"

#include <cstring>
#include <iostream>
#include <random>

using namespace mlir;
using namespace npu;
using namespace npu::npuk;
using namespace npu::npuk::testing;

namespace {

struct Case {
  const char *name;
  int64_t n, c, h, w, o, kh, kw, stride, pad, dil;
  isa::DType in, out;
  bool bias, relu;
  int64_t mf, nf, kf;
  unsigned cores;
  int64_t l1BandBytes = 256 << 10;
  int64_t l1WeightBytes = 384 << 10; // 0: weights stream per chunk.
  int64_t nPerBlock = 1;
  unsigned stages = 2;
};

std::ostream &operator<<(std::ostream &os, const Case &c) {
  return os << c.name;
}

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

/// Builds, lowers and runs the case; checks Y bit for bit (unless
/// `checkValues` is off) and returns the launch's result.
std::optional<sim::SimResult> runConv(const Case &p, bool checkValues = true) {
  std::unique_ptr<MLIRContext> owned = makeKernelContext();
  MLIRContext &ctx = *owned;

  ConvKernelSpec spec;
  spec.name = p.name;
  spec.n = p.n, spec.c = p.c, spec.h = p.h, spec.w = p.w, spec.o = p.o;
  spec.kh = p.kh, spec.kw = p.kw;
  spec.strideH = spec.strideW = p.stride;
  spec.padTop = spec.padBottom = spec.padLeft = spec.padRight = p.pad;
  spec.dilH = spec.dilW = p.dil;
  spec.inType = p.in, spec.outType = p.out, spec.relu = p.relu;
  spec.mf = p.mf, spec.nf = p.nf, spec.kf = p.kf, spec.cores = p.cores;
  spec.l1BandBytes = p.l1BandBytes, spec.l1WeightBytes = p.l1WeightBytes;
  spec.nPerBlock = p.nPerBlock, spec.stages = p.stages;
  GMPlanner region;
  int64_t c1 = ceilDiv(p.c, 16), o1 = ceilDiv(p.o, 16);
  int64_t ho = spec.outH(), wo = spec.outW();
  spec.input = region("X", convInputBytes(spec));
  spec.weight = region("W", convWeightBytes(spec));
  if (p.bias)
    spec.bias = region("BIAS", o1 * 64);
  spec.output = region("Y", convOutputBytes(spec));

  std::optional<isa::Program> prog =
      lowerKernel(ctx, [&](ModuleOp m, Location l) {
        return buildConvKernel(m, l, spec);
      });
  if (!prog)
    return std::nullopt;

  // Inputs in [-2, 2) rounded to the input type, packed as nc1hwc0 / fz.
  std::mt19937 rng(unsigned(p.c * 131 + p.o * 17 + p.h + p.kh));
  std::uniform_real_distribution<float> dist(-2.f, 2.f);
  std::vector<float> x(p.n * p.c * p.h * p.w), wt(p.o * p.c * p.kh * p.kw),
      bias(o1 * 16, 0.f);
  std::vector<uint8_t> xBytes(spec.input.size, 0), wBytes(spec.weight.size, 0),
      biasBytes(o1 * 64, 0);
  for (int64_t n = 0; n < p.n; ++n)
    for (int64_t c = 0; c < p.c; ++c)
      for (int64_t i = 0; i < p.h * p.w; ++i) {
        uint16_t v = toIn(dist(rng), p.in);
        x[(n * p.c + c) * p.h * p.w + i] = fromIn(v, p.in);
        put(xBytes, ((n * c1 + c / 16) * p.h * p.w + i) * 16 + c % 16, v);
      }
  for (int64_t o = 0; o < p.o; ++o)
    for (int64_t c = 0; c < p.c; ++c)
      for (int64_t ky = 0; ky < p.kh; ++ky)
        for (int64_t kx = 0; kx < p.kw; ++kx) {
          uint16_t v = toIn(dist(rng), p.in);
          wt[((o * p.c + c) * p.kh + ky) * p.kw + kx] = fromIn(v, p.in);
          // fz: [C1][KH][KW][O1][16 o][16 c].
          int64_t frac = (((c / 16) * p.kh + ky) * p.kw + kx) * o1 + o / 16;
          put(wBytes, frac * 256 + (o % 16) * 16 + c % 16, v);
        }
  for (int64_t o = 0; p.bias && o < p.o; ++o) {
    bias[o] = dist(rng);
    put(biasBytes, o, bias[o]);
  }

  std::unique_ptr<sim::Device> dev = makeDevice(uint64_t(region.at), checkValues);
  if (!dev)
    return std::nullopt;
  auto write = [&](const GMRegion &r, const std::vector<uint8_t> &bytes) {
    writeGM(*dev, r, bytes);
  };
  write(spec.input, xBytes);
  write(spec.weight, wBytes);
  if (p.bias)
    write(*spec.bias, biasBytes);
  // Garbage in Y: every byte, pad lanes included, must be written.
  auto yGm = llvm::cantFail(dev->gm(spec.output.addr, spec.output.size));
  std::fill(yGm.begin(), yGm.end(), 0xff);
  auto stats = dev->launch(*prog, p.cores, p.name);
  if (!stats) {
    ADD_FAILURE() << llvm::toString(stats.takeError());
    return std::nullopt;
  }
  // The race checker is silent.
  for (const std::string &w : stats->result.warnings)
    ADD_FAILURE() << "simulator warning: " << w;
  if (!checkValues)
    return stats->result;
  int64_t outEs = isa::dtypeSize(p.out);
  auto y = llvm::cantFail(dev->gm(spec.output.addr, convOutputBytes(spec)));

  unsigned bad = 0;
  for (int64_t n = 0; n < p.n; ++n)
    for (int64_t o = 0; o < o1 * 16; ++o)
      for (int64_t oy = 0; oy < ho; ++oy)
        for (int64_t ox = 0; ox < wo; ++ox) {
          float acc = o < p.o && p.bias ? bias[o] : 0.f;
          for (int64_t c1i = 0; c1i < c1 && o < p.o; ++c1i)
            for (int64_t ky = 0; ky < p.kh; ++ky)
              for (int64_t kx = 0; kx < p.kw; ++kx)
                for (int64_t c = c1i * 16; c < std::min(p.c, c1i * 16 + 16);
                     ++c) {
                  int64_t iy = oy * p.stride - p.pad + ky * p.dil;
                  int64_t ix = ox * p.stride - p.pad + kx * p.dil;
                  if (iy < 0 || iy >= p.h || ix < 0 || ix >= p.w)
                    continue;
                  acc = acc + x[((n * p.c + c) * p.h + iy) * p.w + ix] *
                                  wt[((o * p.c + c) * p.kh + ky) * p.kw + kx];
                }
          if (p.relu && acc < 0)
            acc = 0;
          uint32_t want = p.out == isa::DType::F32   ? sim::floatBits(acc)
                          : p.out == isa::DType::F16 ? sim::floatToHalf(acc)
                                                     : sim::floatToBf16(acc);
          uint32_t got = 0;
          int64_t idx =
              ((n * o1 + o / 16) * ho * wo + oy * wo + ox) * 16 + o % 16;
          std::memcpy(&got, y.data() + idx * outEs, outEs);
          if (got != want && bad++ < 5)
            ADD_FAILURE() << "Y[" << n << "][" << o << "][" << oy << "][" << ox
                          << "] = 0x" << std::hex << got << ", want 0x" << want
                          << std::dec;
        }
  EXPECT_EQ(bad, 0u);
  return stats->result;
}

class ConvKernel : public ::testing::TestWithParam<Case> {};

TEST_P(ConvKernel, MatchesNaiveConv) { runConv(GetParam()); }

using isa::DType;
INSTANTIATE_TEST_SUITE_P(
    Shapes, ConvKernel,
    ::testing::Values(
        // name, n, c, h, w, o, kh, kw, stride, pad, dil, in, out, bias,
        // relu, mf, nf, kf, cores.
        // Weights streamed per chunk (no L1 budget for them).
        Case{"k3s1p1", 1, 32, 12, 12,         32,         3,
             3,        1, 1,  1,  DType::F16, DType::F32, false,
             false,    4, 2,  4,  1,          256 << 10,  0},
        Case{"k1", 1, 64, 9, 9, 48, 1, 1, 1, 0, 1, DType::F16, DType::F16, true,
             false, 4, 2, 3, 1},
        // The ResNet stem: C = 3 padded to 16, 7x7 stride 2 pad 3.
        Case{"k7s2p3_c3", 1, 3, 30, 30, 64, 7, 7, 2, 3, 1, DType::F16,
             DType::F16, true, true, 4, 4, 8, 4},
        Case{"k3s2", 2, 16, 15, 13, 16, 3, 3, 2, 1, 1, DType::BF16, DType::BF16,
             false, true, 2, 1, 4, 1},
        // C and O not multiples of 16, N = 2, ragged N tiles, 4 cores.
        Case{"c20_o33", 2, 20, 10, 11, 33, 3, 3, 1, 1, 1, DType::F16,
             DType::F32, true, true, 3, 2, 5, 4},
        // Dilation 2 with 3 cores; channel groups of one plane in L1
        // (a tiny band budget) so K spans several L1 bands; streamed weights.
        Case{"dil2_groups", 1,          48,   11,    9, 20, 3, 3, 1,    2, 2,
             DType::F16,    DType::F16, true, false, 2, 1,  4, 3, 1024, 0},
        // The same with resident weights over two N tiles.
        // More than 16 chunks: the K loop in groups of `stages`, one
        // leftover full chunk and a short tail chunk.
        Case{"k_loop_tail", 1, 112, 7, 7, 24, 3, 3, 1, 1, 1, DType::BF16,
             DType::F32, true, true, 2, 1, 2, 2},
        Case{"dil2_groups_resident",
             1,
             48,
             11,
             9,
             20,
             3,
             3,
             1,
             2,
             2,
             DType::F16,
             DType::F16,
             true,
             false,
             2,
             1,
             4,
             3,
             1024},
        // Several N tiles per block sharing one band copy: 5 N tiles in
        // blocks of 2 (a short last group), 3 stages, streamed weights.
        Case{"nper2_ragged",
             1,
             32,
             9,
             10,
             72,
             3,
             3,
             1,
             1,
             1,
             DType::F16,
             DType::F16,
             true,
             true,
             3,
             1,
             3,
             3,
             256 << 10,
             0,
             2,
             3},
        // Stride-2 1x1 (a ResNet downsample) with all 4 N tiles in one
        // block, resident weights, 2 cores, 4 stages.
        Case{"s2_1x1_nper4",
             2,
             64,
             14,
             14,
             64,
             1,
             1,
             2,
             0,
             1,
             DType::F16,
             DType::F32,
             true,
             false,
             4,
             1,
             2,
             2,
             256 << 10,
             384 << 10,
             4,
             4},
        // The same layer with the band split in channel groups (a tiny
        // band budget): every group copies only the rows it reads.
        Case{"s2_1x1_groups",
             1,
             64,
             14,
             13,
             32,
             1,
             1,
             2,
             0,
             1,
             DType::F16,
             DType::F16,
             true,
             true,
             3,
             2,
             2,
             3,
             1024,
             384 << 10,
             1,
             2},
        // Resident weights read per K row (N tiles at least as wide as a
        // chunk is deep); the cases above with kf > nf read per N column.
        Case{"resident_rows", 1, 32, 8, 8, 64, 3, 3, 1, 1, 1, DType::F16,
             DType::F16, true, false, 2, 3, 2, 2},
        // More N tiles per block than the unroll limit (an N loop) with an
        // odd count per block.
        Case{"nper_loop", 1, 16, 6,           6,          160,  3,    3,
             1,           1, 1,  DType::BF16, DType::F32, true, true, 2,
             1,           4, 1,  256 << 10,   384 << 10,  9}),
    [](const ::testing::TestParamInfo<Case> &info) {
      return std::string(info.param.name);
    });

// ResNet-50's 3x3 64 -> 64 layer at 56x56 on one dv-910 core.
TEST(ConvKernelPerf, ResNet3x3) {
  Case c{"resnet3x3", 1,          64,         56,   56,   64, 3, 3, 1, 1,
         1,           DType::F16, DType::F16, true, true, 16, 4, 4, 1};
  std::optional<sim::SimResult> r = runConv(c, /*checkValues=*/false);
  ASSERT_TRUE(r.has_value());
  double busy = double(r->cores[0].pipes[unsigned(isa::Pipe::M)].busy);
  std::cout << "conv 3x3 64->64 56x56, one dv-910 core: " << r->totalCycles
            << " cycles, cube busy " << busy / double(r->totalCycles) << "\n";
  // 3136 pixels = 196 row fractals x 4 N fractals x 36 K fractals. Seen:
  // 29865 cycles, 94.5% (the rest: the first weight and band copies, the
  // last FIX, a drain per block-loop iteration).
  EXPECT_EQ(busy, 196.0 * 4 * 36);
  EXPECT_GT(busy / double(r->totalCycles), 0.94);
}

TEST(ConvKernelSpec, Errors) {
  std::unique_ptr<MLIRContext> owned = makeKernelContext();
  MLIRContext &ctx = *owned;
  Location loc = UnknownLoc::get(&ctx);
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  std::string diag;
  ScopedDiagnosticHandler handler(&ctx, [&](Diagnostic &d) {
    diag = d.str();
    return success();
  });
  ConvKernelSpec spec;
  spec.c = 16, spec.h = 8, spec.w = 8, spec.o = 16, spec.kh = spec.kw = 3;
  spec.input = {"X", 4096, 4096};
  spec.weight = {"W", 8192, 8192};
  spec.output = {"Y", 16384, 8192};
  spec.strideH = 64;
  EXPECT_TRUE(failed(buildConvKernel(*module, loc, spec)));
  EXPECT_EQ(diag, "conv kernel 'conv': stride 64x1: load3d takes strides in "
                  "1..63");
  spec.strideH = 1;
  spec.dilW = 16;
  EXPECT_TRUE(failed(buildConvKernel(*module, loc, spec)));
  EXPECT_EQ(diag, "conv kernel 'conv': dilation 1x16: load3d takes "
                  "dilations in 1..15");
  spec.dilW = 1;
  spec.padLeft = 300;
  EXPECT_TRUE(failed(buildConvKernel(*module, loc, spec)));
  EXPECT_EQ(diag, "conv kernel 'conv': padding 300: set_fmap takes 0..255");
  spec.padLeft = 0;
  spec.kh = spec.kw = 1, spec.padTop = spec.padBottom = 1, spec.mf = 1;
  spec.w = 16; // One output row per tile: row 0 reads only padding.
  spec.output = {"Y", 16384, 16384};
  EXPECT_TRUE(failed(buildConvKernel(*module, loc, spec)));
  EXPECT_EQ(diag, "conv kernel 'conv': output rows 0.. read only padding "
                  "(padding >= kernel extent); set_fmap needs at least one "
                  "input row");
  spec.kh = spec.kw = 3, spec.padTop = spec.padBottom = 0, spec.mf = 16;
  spec.w = 8;
  spec.output = {"Y", 16384, 100};
  EXPECT_TRUE(failed(buildConvKernel(*module, loc, spec)));
  EXPECT_EQ(diag, "conv kernel 'conv': GM region 'Y' has 100 bytes, the "
                  "kernel touches 2304");
  spec.output = {"Y", 16384, 8192};
  spec.o = 48, spec.nf = 2, spec.l1WeightBytes = 0; // 3 N fractals, streamed.
  spec.weight = {"W", 32768, 32768};
  EXPECT_TRUE(failed(buildConvKernel(*module, loc, spec)));
  EXPECT_EQ(diag, "conv kernel 'conv': streamed weights need ceil(O/16) = 3 "
                  "to be a multiple of nf = 2 (a full-width copy of the last "
                  "N tile would read past the weights)");
  EXPECT_TRUE(module->getBody()->empty());
}

} // namespace
