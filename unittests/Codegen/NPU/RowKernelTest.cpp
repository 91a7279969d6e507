//===- RowKernelTest.cpp - softmax / layer norm kernels on the simulator --===//
//
// buildRowKernel -> the tile passes -> sim::Device, against a naive
// double-precision reference on the stored inputs. Tolerance per output:
// |got - want| <= atol + rtol * |want|, with rtol = 2 ulp of the storage
// type (the final rounding plus fp32 math) and atol for values near 0
// (layer norm: cancellation in x - mean, scaled by 1/stddev). The device
// rejects races and flags left set, so every run also checks the sync.
//
//===----------------------------------------------------------------------===//
#include "npu/Codegen/NPU/RowKernel.h"
#include "KernelTestUtil.h"
#include "npu/InitAll.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include <cmath>
#include <random>

using namespace mlir;
using namespace npu;
using namespace npu::npuk;
using namespace npu::npuk::testing;

namespace {

float roundTo(float f, isa::DType t) {
  return t == isa::DType::F32 ? f : fromIn(toIn(f, t), t);
}
uint32_t bitsOf(float f, isa::DType t) {
  return t == isa::DType::F32 ? sim::floatBits(f) : toIn(f, t);
}
float valueOf(const uint8_t *p, isa::DType t) {
  if (t == isa::DType::F32) {
    float f;
    std::memcpy(&f, p, 4);
    return f;
  }
  uint16_t v;
  std::memcpy(&v, p, 2);
  return fromIn(v, t);
}

struct Case {
  const char *name;
  RowKind kind;
  isa::DType type;
  int64_t rows, cols;
  unsigned cores;
  bool residual = false, beta = true;
  int64_t tileRows = 0;
};

std::ostream &operator<<(std::ostream &os, const Case &c) {
  return os << c.name;
}

RowKernelSpec specOf(const Case &p, GMPlanner &region) {
  RowKernelSpec s;
  s.name = p.name;
  s.kind = p.kind;
  s.type = p.type;
  s.rows = p.rows;
  s.cols = p.cols;
  s.cores = p.cores;
  s.tileRows = p.tileRows;
  s.epsilon = 1e-5;
  int64_t es = isa::dtypeSize(p.type);
  int64_t bytes = llvm::alignTo(p.rows * p.cols * es, 32);
  int64_t pbytes = llvm::alignTo(rowPeriod(p.cols, p.type) * p.cols * es, 32);
  s.input = region("X", bytes);
  s.output = region("Y", bytes);
  if (p.kind == RowKind::LayerNorm) {
    if (p.residual)
      s.residual = region("R", bytes);
    s.gamma = region("G", pbytes);
    if (p.beta)
      s.beta = region("B", pbytes);
  }
  return s;
}

/// Random values rounded to the storage type, and their GM image
/// (`copies` times over, for gamma and beta).
std::vector<float> fill(sim::Device &dev, const GMRegion &r, int64_t n,
                        isa::DType t, std::mt19937 &rng, float lo, float hi,
                        int64_t copies = 1) {
  std::uniform_real_distribution<float> dist(lo, hi);
  int64_t es = isa::dtypeSize(t);
  std::vector<float> v(n);
  std::vector<uint8_t> bytes(r.size, 0);
  for (int64_t i = 0; i < n; ++i)
    v[i] = roundTo(dist(rng), t);
  for (int64_t c = 0; c < copies; ++c)
    for (int64_t i = 0; i < n; ++i) {
      uint32_t bits = bitsOf(v[i], t);
      std::memcpy(bytes.data() + (c * n + i) * es, &bits, es);
    }
  writeGM(dev, r, bytes);
  return v;
}

void runCase(const Case &p) {
  auto ctx = makeKernelContext();
  GMPlanner region;
  RowKernelSpec spec = specOf(p, region);
  std::string err;
  FailureOr<RowPlan> plan = planRows(spec, err);
  ASSERT_TRUE(succeeded(plan)) << err;
  std::optional<isa::Program> prog = lowerKernel(
      *ctx, [&](ModuleOp m, Location l) { return buildRowKernel(m, l, spec); });
  ASSERT_TRUE(prog.has_value());
  std::unique_ptr<sim::Device> dev = makeDevice(uint64_t(region.at), true);
  ASSERT_TRUE(dev);

  int64_t n = p.rows * p.cols, L = p.cols;
  std::mt19937 rng(unsigned(n * 31 + p.cores));
  std::vector<float> x = fill(*dev, spec.input, n, p.type, rng, -4, 4);
  std::vector<float> res, gamma, beta;
  int64_t period = rowPeriod(L, p.type);
  if (spec.residual)
    res = fill(*dev, *spec.residual, n, p.type, rng, -2, 2);
  if (spec.gamma)
    gamma = fill(*dev, *spec.gamma, L, p.type, rng, 0.5, 1.5, period);
  if (spec.beta)
    beta = fill(*dev, *spec.beta, L, p.type, rng, -1, 1, period);

  auto stats = dev->launch(*prog, plan->cores, p.name);
  ASSERT_TRUE(bool(stats)) << llvm::toString(stats.takeError());
  EXPECT_TRUE(stats->result.warnings.empty());
  std::printf("[ %s ] %lld x %lld, tile %lld rows, %u core(s): %llu cycles\n",
              p.name, (long long)p.rows, (long long)L,
              (long long)plan->tileRows, plan->cores,
              (unsigned long long)stats->result.totalCycles);

  double rtol = p.type == isa::DType::F32   ? 1e-5
                : p.type == isa::DType::F16 ? 2e-3
                                            : 1.6e-2;
  double atol = p.kind == RowKind::Softmax ? rtol * 1e-2 : rtol;
  int64_t es = isa::dtypeSize(p.type);
  auto out = llvm::cantFail(dev->gm(spec.output.addr, n * es));
  unsigned bad = 0;
  std::vector<double> want(L);
  for (int64_t r = 0; r < p.rows; ++r) {
    const float *xr = &x[r * L];
    if (p.kind == RowKind::Softmax) {
      double m = -INFINITY, sum = 0;
      for (int64_t c = 0; c < L; ++c)
        m = std::max(m, double(xr[c]));
      for (int64_t c = 0; c < L; ++c)
        sum += want[c] = std::exp(double(xr[c]) - m);
      for (double &w : want)
        w /= sum;
    } else {
      std::vector<double> v(L);
      double mean = 0, var = 0;
      for (int64_t c = 0; c < L; ++c)
        mean += v[c] = double(xr[c]) + (res.empty() ? 0 : res[r * L + c]);
      mean /= L;
      for (double e : v)
        var += (e - mean) * (e - mean);
      double rstd = 1 / std::sqrt(var / L + spec.epsilon);
      for (int64_t c = 0; c < L; ++c)
        want[c] =
            (v[c] - mean) * rstd * gamma[c] + (beta.empty() ? 0 : beta[c]);
    }
    for (int64_t c = 0; c < L; ++c) {
      double got = valueOf(out.data() + (r * L + c) * es, p.type);
      if (!(std::fabs(got - want[c]) <= atol + rtol * std::fabs(want[c])) &&
          bad++ < 5)
        ADD_FAILURE() << "y[" << r << "][" << c << "] = " << got << ", want "
                      << want[c];
    }
  }
  EXPECT_EQ(bad, 0u);
}

class RowKernelRun : public ::testing::TestWithParam<Case> {};

TEST_P(RowKernelRun, MatchesDoubleReference) { runCase(GetParam()); }

constexpr RowKind Softmax = RowKind::Softmax, LayerNorm = RowKind::LayerNorm;
constexpr auto f16 = isa::DType::F16, bf16 = isa::DType::BF16,
               f32 = isa::DType::F32;

INSTANTIATE_TEST_SUITE_P(
    Rows, RowKernelRun,
    ::testing::Values(
        Case{"softmax_1x128_f16", Softmax, f16, 1, 128, 1},
        Case{"softmax_7x100_f16", Softmax, f16, 7, 100, 1},
        Case{"softmax_7x100_f32_tiles", Softmax, f32, 7, 100, 1, false, true,
             2},
        Case{"softmax_7x256_bf16_2cores", Softmax, bf16, 7, 256, 2},
        Case{"softmax_512x128_f16_4cores", Softmax, f16, 512, 128, 4},
        Case{"softmax_512x768_f32_8cores", Softmax, f32, 512, 768, 8},
        Case{"softmax_3x1_f16", Softmax, f16, 3, 1, 1},
        Case{"layernorm_1x128_f16", LayerNorm, f16, 1, 128, 1},
        Case{"layernorm_7x100_f16_res", LayerNorm, f16, 7, 100, 3, true},
        Case{"layernorm_7x100_f32_nobeta", LayerNorm, f32, 7, 100, 1, false,
             false},
        Case{"layernorm_7x768_bf16", LayerNorm, bf16, 7, 768, 2},
        Case{"layernorm_512x256_f16_res", LayerNorm, f16, 512, 256, 1, true},
        Case{"layernorm_512x128_f32_8cores", LayerNorm, f32, 512, 128, 8, true},
        Case{"layernorm_33x37_f16_tiles", LayerNorm, f16, 33, 37, 2, true, true,
             16}),
    [](const ::testing::TestParamInfo<Case> &info) {
      return std::string(info.param.name);
    });

TEST(RowPlan, SplitsRowsAndKeepsGroupsAligned) {
  GMPlanner region;
  std::string err;
  // 512 rows over 4 cores: 32-row tiles (the cap), 16 blocks.
  auto plan = planRows(specOf({"a", Softmax, f16, 512, 128, 4}, region), err);
  ASSERT_TRUE(succeeded(plan)) << err;
  EXPECT_EQ(plan->tileRows, 32);
  EXPECT_EQ(plan->blocks, 16);
  // 100 f16 = 200 B per row: tiles are multiples of 4 rows.
  plan = planRows(specOf({"b", Softmax, f16, 30, 100, 4}, region), err);
  ASSERT_TRUE(succeeded(plan)) << err;
  EXPECT_EQ(plan->tileRows % 4, 0);
  EXPECT_EQ(rowPeriod(100, f16), 4);
  EXPECT_EQ(rowPeriod(100, f32), 2);
  EXPECT_EQ(rowPeriod(37, f16), 16);
  EXPECT_EQ(rowPeriod(128, f16), 1);
  // Long rows shrink the tile to fit the budget.
  plan =
      planRows(specOf({"c", LayerNorm, f32, 64, 4096, 1, true}, region), err);
  ASSERT_TRUE(succeeded(plan)) << err;
  EXPECT_LT(plan->tileRows, 32);
  EXPECT_LE(plan->ubBytes, 160 << 10);
}

TEST(RowKernelErrors, BadSpecs) {
  auto ctx = makeKernelContext();
  auto expectError = [&](RowKernelSpec spec, StringRef want) {
    std::string msg;
    ScopedDiagnosticHandler handler(ctx.get(), [&](Diagnostic &d) {
      msg = d.str();
      return success();
    });
    OwningOpRef<ModuleOp> m = ModuleOp::create(UnknownLoc::get(ctx.get()));
    EXPECT_TRUE(failed(buildRowKernel(*m, UnknownLoc::get(ctx.get()), spec)));
    EXPECT_NE(msg.find(want.str()), std::string::npos) << msg;
    EXPECT_TRUE(m->getBody()->empty());
  };
  GMPlanner region;
  RowKernelSpec ok = specOf({"bad", LayerNorm, f16, 7, 100, 1, true}, region);
  RowKernelSpec s = ok;
  s.type = isa::DType::S8;
  expectError(s, "storage type must be f16, bf16 or f32");
  s = ok;
  s.gamma.reset();
  expectError(s, "layer norm needs gamma");
  s = ok;
  s.kind = Softmax;
  expectError(s, "softmax takes no gamma");
  s = ok;
  s.gamma->size = 100;
  expectError(s, "'G' has 100 bytes, the kernel touches 800");
  s = ok;
  s.output.addr = s.input.addr;
  expectError(s, "overlap");
  s = ok;
  s.tileRows = 6;
  expectError(s, "multiple of 4");
  s = ok;
  s.epsilon = -1;
  expectError(s, "epsilon");
  // A row that does not fit: every slot and the shortfall.
  s = specOf({"bad", LayerNorm, f16, 1, 20000, 1, true}, region);
  expectError(s, "1 row(s) of 20000 elements need 601504 bytes of UB (in 2 x "
                 "40064, res 2 x 40064, out 2 x 40064, x 80128, y 80128, acc "
                 "256, stat 256, bcast 32, gstage 40064, gamma 80128, beta "
                 "80128), 437664 over the budget of 163840");
}

} // namespace
