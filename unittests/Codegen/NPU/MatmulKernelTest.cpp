//===- MatmulKernelTest.cpp - TileBuilder matmuls on the simulator --------===//
//
// buildMatmulKernel -> npuk-alloc-onchip, npuk-insert-sync,
// npuk-verify-sync, npuk-to-aicore -> sim::Device, bit for bit against a
// naive matmul with the documented numerics (fp32 accumulation from the
// bias or +0 in ascending k, ReLU, RNE to the output type). The device
// rejects races and flags left set, so every run also checks the flags.
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
  int64_t m, n, k;
  isa::DType in, out;
  bool bias, relu;
  int64_t mf, nf, kf;
  unsigned stages, l0c, cores;
  int64_t aResidentBytes = 64 << 10; // 0: A copied per K chunk.
};

std::ostream &operator<<(std::ostream &os, const Case &c) {
  return os << c.name;
}

/// Builds, lowers and runs the case; checks C bit for bit (unless
/// `checkValues` is off) and returns the launch's result.
std::optional<sim::SimResult> runMatmul(const Case &p,
                                        bool checkValues = true) {
  std::unique_ptr<MLIRContext> owned = makeKernelContext();
  MLIRContext &ctx = *owned;

  // GM plan: A, B (fnz), bias, C at 4 KiB aligned addresses.
  int64_t es = isa::dtypeSize(p.in), outEs = isa::dtypeSize(p.out);
  int64_t nPad = llvm::alignTo(p.n, 16);
  MatmulKernelSpec spec;
  spec.name = p.name;
  spec.m = p.m, spec.n = p.n, spec.k = p.k;
  spec.inType = p.in, spec.outType = p.out, spec.relu = p.relu;
  spec.mf = p.mf, spec.nf = p.nf, spec.kf = p.kf;
  spec.stages = p.stages, spec.l0cCopies = p.l0c, spec.cores = p.cores;
  spec.aResidentBytes = p.aResidentBytes;
  GMPlanner region;
  spec.a = region("A", p.m * p.k * es);
  spec.b = region("B", fnzBytes(p.k, p.n));
  if (p.bias)
    spec.bias = region("BIAS", nPad * 4);
  spec.c = region("C", p.m * p.n * outEs);

  std::optional<isa::Program> prog =
      lowerKernel(ctx, [&](ModuleOp m, Location l) {
        return buildMatmulKernel(m, l, spec);
      });
  if (!prog)
    return std::nullopt;

  // Inputs: values in [-2, 2) rounded to the input type.
  std::mt19937 rng(unsigned(p.m * 131 + p.n * 17 + p.k));
  std::uniform_real_distribution<float> dist(-2.f, 2.f);
  std::vector<float> a(p.m * p.k), b(p.k * p.n), bias(nPad, 0.f);
  std::vector<uint8_t> aBytes(spec.a.size), bBytes(spec.b.size, 0),
      biasBytes(nPad * 4, 0);
  for (int64_t i = 0; i < p.m * p.k; ++i) {
    uint16_t v = toIn(dist(rng), p.in);
    a[i] = fromIn(v, p.in);
    put(aBytes, i, v);
  }
  // fnz: fractal (k/16, n/16) at (k/16 * NF + n/16) * 512, n-major inside.
  for (int64_t k = 0; k < p.k; ++k)
    for (int64_t n = 0; n < p.n; ++n) {
      uint16_t v = toIn(dist(rng), p.in);
      b[k * p.n + n] = fromIn(v, p.in);
      int64_t frac = (k / 16) * (nPad / 16) + n / 16;
      put(bBytes, frac * 256 + (n % 16) * 16 + k % 16, v);
    }
  for (int64_t n = 0; p.bias && n < p.n; ++n) {
    bias[n] = dist(rng);
    put(biasBytes, n, bias[n]);
  }

  std::unique_ptr<sim::Device> dev = makeDevice(uint64_t(region.at), checkValues);
  if (!dev)
    return std::nullopt;
  auto write = [&](const GMRegion &r, const std::vector<uint8_t> &bytes) {
    writeGM(*dev, r, bytes);
  };
  write(spec.a, aBytes);
  write(spec.b, bBytes);
  if (p.bias)
    write(*spec.bias, biasBytes);
  auto stats = dev->launch(*prog, p.cores, p.name);
  if (!stats) {
    ADD_FAILURE() << llvm::toString(stats.takeError());
    return std::nullopt;
  }
  if (!checkValues)
    return stats->result;
  auto c = llvm::cantFail(dev->gm(spec.c.addr, p.m * p.n * outEs));

  unsigned bad = 0;
  for (int64_t m = 0; m < p.m; ++m)
    for (int64_t n = 0; n < p.n; ++n) {
      float acc = p.bias ? bias[n] : 0.f;
      for (int64_t k = 0; k < p.k; ++k)
        acc = acc + a[m * p.k + k] * b[k * p.n + n];
      if (p.relu && acc < 0)
        acc = 0;
      uint32_t want = p.out == isa::DType::F32   ? sim::floatBits(acc)
                      : p.out == isa::DType::F16 ? sim::floatToHalf(acc)
                                                 : sim::floatToBf16(acc);
      uint32_t got = 0;
      std::memcpy(&got, c.data() + (m * p.n + n) * outEs, outEs);
      if (got != want && bad++ < 5)
        ADD_FAILURE() << "C[" << m << "][" << n << "] = 0x" << std::hex << got
                      << ", want 0x" << want << std::dec;
    }
  EXPECT_EQ(bad, 0u);
  return stats->result;
}

class MatmulKernel : public ::testing::TestWithParam<Case> {};

TEST_P(MatmulKernel, MatchesNaiveMatmul) { runMatmul(GetParam()); }

// The bench GEMM's shape and tiles (B in fnz here, so one copy and one
// load2d per chunk instead of nd2nz and a transposing load2d): the cube
// must stay busy, as in bench/npu/gemm_f16.s (99.2% there).
TEST(MatmulKernelPerf, Gemm1024IsCubeBound) {
  Case c{"gemm1024",
         1024,
         1024,
         1024,
         isa::DType::F16,
         isa::DType::F32,
         false,
         false,
         16,
         8,
         4,
         2,
         2,
         1};
  std::optional<sim::SimResult> r = runMatmul(c, /*checkValues=*/false);
  ASSERT_TRUE(r.has_value());
  double busy = double(r->cores[0].pipes[unsigned(isa::Pipe::M)].busy);
  std::cout << "gemm 1024^3, one dv-910 core: " << r->totalCycles
            << " cycles, cube busy " << busy / double(r->totalCycles) << "\n";
  EXPECT_EQ(busy, 1024.0 * 1024 * 1024 / 4096);
  EXPECT_GT(busy / double(r->totalCycles), 0.98);
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, MatmulKernel,
    ::testing::Values(
        // One exact tile, the bench GEMM's tile sizes.
        Case{"exact", 256, 128, 64, isa::DType::F16, isa::DType::F32, false,
             false, 16, 8, 4, 2, 2, 1},
        // Ragged M, N and K (a short last chunk) on 1 and 4 cores, with
        // bias and ReLU.
        Case{"ragged", 100, 70, 48, isa::DType::F16, isa::DType::F16, true,
             true, 2, 2, 2, 2, 2, 1},
        Case{"ragged_4cores", 100, 70, 48, isa::DType::F16, isa::DType::F16,
             true, true, 2, 2, 2, 2, 2, 4},
        // One row, N = 1000, a K loop of 3-stage groups plus leftovers.
        Case{"row", 1, 1000, 256, isa::DType::BF16, isa::DType::BF16, true,
             false, 1, 8, 2, 3, 2, 4},
        // Single L0C buffer, odd core count, K loop of full groups.
        Case{"single_l0c", 300, 200, 512, isa::DType::F16, isa::DType::F16,
             false, true, 4, 4, 4, 2, 1, 3},
        // One column of fractals, N = 1, stages 1.
        Case{"column", 64, 1, 32, isa::DType::F16, isa::DType::F32, true, false,
             4, 1, 1, 1, 2, 2},
        // Several tiles per core through both L0C copies.
        Case{"many_tiles", 512, 384, 256, isa::DType::BF16, isa::DType::F32,
             false, false, 8, 8, 4, 2, 2, 2},
        // exact, row and column (one row block) keep all of A in L1; these
        // copy it per K chunk instead.
        Case{"row_a_per_chunk", 1, 1000, 256, isa::DType::BF16,
             isa::DType::BF16, true, false, 1, 8, 2, 3, 2, 4, 0},
        Case{"exact_a_per_chunk", 256, 128, 64, isa::DType::F16,
             isa::DType::F32, false, false, 16, 8, 4, 2, 2, 1, 0}),
    [](const ::testing::TestParamInfo<Case> &info) {
      return std::string(info.param.name);
    });

TEST(MatmulKernelSpec, Errors) {
  MLIRContext ctx;
  ctx.loadDialect<func::FuncDialect, NPUKDialect>();
  Location loc = UnknownLoc::get(&ctx);
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  std::string diag;
  ScopedDiagnosticHandler handler(&ctx, [&](Diagnostic &d) {
    diag = d.str();
    return success();
  });
  MatmulKernelSpec spec;
  spec.m = 16, spec.n = 16, spec.k = 24;
  spec.a = {"A", 4096, 4096};
  spec.b = {"B", 8192, 4096};
  spec.c = {"C", 12288, 4096};
  EXPECT_TRUE(failed(buildMatmulKernel(*module, loc, spec)));
  EXPECT_EQ(diag, "matmul kernel 'matmul': K = 24 must be a multiple of 16: "
                  "nd2nz loads whole 16-element column blocks of the "
                  "row-major A (pad A's rows)");
  spec.k = 16;
  spec.c = {"C", 8192, 4096};
  EXPECT_TRUE(failed(buildMatmulKernel(*module, loc, spec)));
  EXPECT_EQ(diag, "matmul kernel 'matmul': GM regions 'B' and 'C' overlap");
  spec.c = {"C", 12288, 100};
  EXPECT_TRUE(failed(buildMatmulKernel(*module, loc, spec)));
  EXPECT_EQ(diag, "matmul kernel 'matmul': GM region 'C' has 100 bytes, the "
                  "kernel touches 1024");
  spec.c = {"C", 12288, 4096};
  spec.kf = 300;
  EXPECT_TRUE(failed(buildMatmulKernel(*module, loc, spec)));
  EXPECT_EQ(diag, "matmul kernel 'matmul': kf = 300 must be in 1..255 (mmad "
                  "m, n, k <= 4095)");
  EXPECT_TRUE(module->getBody()->empty());
}

} // namespace
