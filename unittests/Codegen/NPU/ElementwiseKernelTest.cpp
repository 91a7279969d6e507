//===- ElementwiseKernelTest.cpp - vector chains on the simulator ---------===//
//
// buildElementwiseKernel -> the tile passes -> sim::Device, bit for bit
// against a naive chain with the documented numerics (each op computed in
// fp32 on the stored values and rounded once to the storage type; scalars
// rounded to the storage type first). The device rejects races and flags
// left set, so every run also checks the inserted sync.
//
//===----------------------------------------------------------------------===//
#include "npu/Codegen/NPU/ElementwiseKernel.h"
#include "KernelTestUtil.h"
#include "npu/InitAll.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include <algorithm>
#include <random>

using namespace mlir;
using namespace npu;
using namespace npu::npuk;
using namespace npu::npuk::testing;
using K = EltwiseKind;

namespace {

/// Rounds `f` to `t` and back.
float roundTo(float f, isa::DType t) {
  return t == isa::DType::F32 ? f : fromIn(toIn(f, t), t);
}

uint32_t bitsOf(float f, isa::DType t) {
  return t == isa::DType::F32 ? sim::floatBits(f) : toIn(f, t);
}

float apply(const EltwiseStep &st, float a, float b, isa::DType t) {
  auto s = [&](double v) { return roundTo(float(v), t); };
  switch (st.kind) {
  case K::Add:
    return a + b;
  case K::Sub:
    return a - b;
  case K::Mul:
    return a * b;
  case K::Div:
    return a / b;
  case K::Max:
    return std::max(a, b);
  case K::Min:
    return std::min(a, b);
  case K::Relu:
    return a < 0 ? 0.f : a;
  case K::AddS:
    return a + s(st.s);
  case K::MulS:
    return a * s(st.s);
  case K::MaxS:
    return std::max(a, s(st.s));
  case K::MinS:
    return std::min(a, s(st.s));
  case K::Clip:
    return std::min(roundTo(std::max(a, s(st.lo)), t), s(st.hi));
  case K::Erf: // Not bit-exact: ElementwiseErf checks it with tolerances.
    return std::erf(a);
  }
  return 0;
}

struct Case {
  const char *name;
  isa::DType type;
  int64_t elements;
  unsigned inputs;
  std::vector<EltwiseStep> steps;
  std::vector<unsigned> results;
  int64_t tileBytes;
  unsigned cores;
};

std::ostream &operator<<(std::ostream &os, const Case &c) {
  return os << c.name;
}

ElementwiseKernelSpec specOf(const Case &p, GMPlanner &region) {
  ElementwiseKernelSpec spec;
  spec.name = p.name;
  spec.type = p.type;
  spec.elements = p.elements;
  spec.steps = p.steps;
  spec.results = p.results;
  spec.tileBytes = p.tileBytes;
  spec.cores = p.cores;
  int64_t bytes = llvm::alignTo(p.elements * isa::dtypeSize(p.type), 32);
  static const char *names[] = {"X0", "X1", "X2", "X3", "Y0", "Y1"};
  for (unsigned i = 0; i < p.inputs; ++i)
    spec.inputs.push_back(region(names[i], bytes));
  for (unsigned j = 0; j < p.results.size(); ++j)
    spec.outputs.push_back(region(names[4 + j], bytes));
  return spec;
}

/// Builds, lowers and runs the case; checks every output bit for bit.
/// Builds, lowers and runs the chain on inputs uniform in [lo, hi)
/// (rounded to the type, kept in `inputs`); the outputs as floats, or
/// nullopt after a test failure.
std::optional<std::vector<std::vector<float>>>
runChain(const Case &p, std::vector<std::vector<float>> &inputs, float lo,
         float hi) {
  auto ctx = makeKernelContext();
  GMPlanner region;
  ElementwiseKernelSpec spec = specOf(p, region);
  std::string err;
  FailureOr<ElementwisePlan> plan = planElementwise(spec, err);
  if (failed(plan)) {
    ADD_FAILURE() << err;
    return std::nullopt;
  }
  std::optional<isa::Program> prog =
      lowerKernel(*ctx, [&](ModuleOp m, Location l) {
        return buildElementwiseKernel(m, l, spec);
      });
  std::unique_ptr<sim::Device> dev = makeDevice(uint64_t(region.at), true);
  if (!prog || !dev)
    return std::nullopt;
  int64_t es = isa::dtypeSize(p.type);
  std::mt19937 rng(unsigned(p.elements * 7 + p.inputs));
  std::uniform_real_distribution<float> dist(lo, hi);
  inputs.assign(p.inputs, std::vector<float>(p.elements));
  for (unsigned i = 0; i < p.inputs; ++i) {
    std::vector<uint8_t> bytes(spec.inputs[i].size, 0);
    for (int64_t e = 0; e < p.elements; ++e) {
      inputs[i][e] = roundTo(dist(rng), p.type);
      uint32_t bits = bitsOf(inputs[i][e], p.type);
      std::memcpy(bytes.data() + e * es, &bits, es);
    }
    writeGM(*dev, spec.inputs[i], bytes);
  }
  auto stats = dev->launch(*prog, plan->cores, p.name);
  if (!stats) {
    ADD_FAILURE() << llvm::toString(stats.takeError());
    return std::nullopt;
  }
  EXPECT_TRUE(stats->result.warnings.empty());
  std::vector<std::vector<float>> outs;
  for (const GMRegion &r : spec.outputs) {
    auto out = llvm::cantFail(dev->gm(r.addr, p.elements * es));
    std::vector<float> &o = outs.emplace_back(p.elements);
    for (int64_t e = 0; e < p.elements; ++e) {
      uint32_t bits = 0;
      std::memcpy(&bits, out.data() + e * es, es);
      o[e] = p.type == isa::DType::F32 ? sim::bitsFloat(bits)
                                       : fromIn(uint16_t(bits), p.type);
    }
  }
  return outs;
}

void runCase(const Case &p) {
  std::vector<std::vector<float>> values;
  auto outs = runChain(p, values, -2.f, 2.f);
  ASSERT_TRUE(outs.has_value());
  for (auto [i, st] : llvm::enumerate(p.steps)) {
    std::vector<float> &r = values.emplace_back(p.elements);
    for (int64_t e = 0; e < p.elements; ++e)
      r[e] = roundTo(apply(st, values[st.a][e],
                           isBinary(st.kind) ? values[st.b][e] : 0, p.type),
                     p.type);
  }
  for (auto [j, v] : llvm::enumerate(p.results)) {
    unsigned bad = 0;
    for (int64_t e = 0; e < p.elements; ++e) {
      uint32_t got = bitsOf((*outs)[j][e], p.type),
               want = bitsOf(values[v][e], p.type);
      if (got != want && bad++ < 5)
        ADD_FAILURE() << "output " << j << "[" << e << "] = 0x" << std::hex
                      << got << ", want 0x" << want << std::dec;
    }
    EXPECT_EQ(bad, 0u) << "output " << j;
  }
}

class ElementwiseKernel : public ::testing::TestWithParam<Case> {};

TEST_P(ElementwiseKernel, MatchesNaiveChain) { runCase(GetParam()); }

// relu(x + y): ResNet's residual block tail.
const std::vector<EltwiseStep> kAddRelu = {{K::Add, 0, 1}, {K::Relu, 2}};
// Every op kind over three inputs, two outputs (one read again later).
const std::vector<EltwiseStep> kAll = {{K::Mul, 0, 1},
                                       {K::Sub, 3, 2},
                                       {K::Max, 4, 0},
                                       {K::Min, 5, 1},
                                       {K::Clip, 6, 0, 0, -1, 1.5},
                                       {K::AddS, 7, 0, 0.25},
                                       {K::MulS, 8, 0, 3},
                                       {K::MaxS, 9, 0, -0.5},
                                       {K::MinS, 10, 0, 2.1},
                                       {K::Relu, 11},
                                       {K::Add, 12, 6},
                                       {K::Div, 13, 1}};

INSTANTIATE_TEST_SUITE_P(
    Chains, ElementwiseKernel,
    ::testing::Values(
        // One tile, ragged (not a multiple of 16 elements).
        Case{"add_relu_small", isa::DType::F16, 1000, 2, kAddRelu, {3}, 0, 1},
        // Many 1 KiB tiles with a ragged last one, on 1 and 3 cores.
        Case{
            "add_relu_tiles", isa::DType::F16, 5000, 2, kAddRelu, {3}, 1024, 1},
        Case{"add_relu_3cores",
             isa::DType::F16,
             5000,
             2,
             kAddRelu,
             {3},
             1024,
             3},
        // Tiles larger than 255 repeats (several instructions per op).
        Case{"add_relu_big", isa::DType::BF16, 200000, 2, kAddRelu, {3}, 0, 1},
        // nc1hwc0-sized: 1x4x56x56x16 over 8 cores, no tail.
        Case{"add_relu_8cores",
             isa::DType::F16,
             4 * 56 * 56 * 16,
             2,
             kAddRelu,
             {3},
             0,
             8},
        Case{"all_ops_f16", isa::DType::F16, 3001, 3, kAll, {6, 14}, 2048, 2},
        Case{"all_ops_bf16", isa::DType::BF16, 777, 3, kAll, {14, 9}, 512, 4},
        Case{"all_ops_f32", isa::DType::F32, 10000, 3, kAll, {14, 6}, 0, 5},
        // A single unary op.
        Case{"relu_only", isa::DType::F32, 64, 1, {{K::Relu, 0}}, {1}, 0, 32}),
    [](const ::testing::TestParamInfo<Case> &info) {
      return std::string(info.param.name);
    });

// Temporaries are reused: a long chain of unary ops needs none (it runs in
// the output slot), and a chain with one value alive across needs one.
TEST(ElementwisePlan, ReusesBuffers) {
  GMPlanner region;
  Case chain{
      "chain",
      isa::DType::F16,
      4096,
      1,
      {{K::Relu, 0}, {K::MulS, 1, 0, 2}, {K::AddS, 2, 0, 1}, {K::Relu, 3}},
      {4},
      0,
      1};
  std::string err;
  auto plan = planElementwise(specOf(chain, region), err);
  ASSERT_TRUE(succeeded(plan)) << err;
  EXPECT_EQ(plan->temps, 0u);
  Case kept{"kept",
            isa::DType::F16,
            4096,
            1,
            {{K::Relu, 0}, {K::MulS, 1, 0, 2}, {K::Add, 2, 1}},
            {3},
            0,
            1};
  plan = planElementwise(specOf(kept, region), err);
  ASSERT_TRUE(succeeded(plan)) << err;
  EXPECT_EQ(plan->temps, 1u);
  // Small data is spread over the cores: 16 KiB on 8 cores = 8 tiles.
  Case small{"small", isa::DType::F16, 8192, 2, kAddRelu, {3}, 0, 8};
  plan = planElementwise(specOf(small, region), err);
  ASSERT_TRUE(succeeded(plan)) << err;
  EXPECT_EQ(plan->blocks, 8);
  EXPECT_EQ(plan->cores, 8u);
}

// Erf (A&S 7.1.26 in vector instructions, each rounding to the type)
// against std::erf on [-4, 4), plus GELU's chain x * 0.5 * (1 + erf(x /
// sqrt 2)). Bounds: the formula's 1.5e-7 plus the rounding of ~20 ops in
// the storage type (f32 2^-24, f16 2^-11, bf16 2^-8 relative).
TEST(ElementwiseErf, MatchesStdErf) {
  struct T {
    isa::DType type;
    double tol;
  } types[] = {{isa::DType::F32, 2e-6},
               {isa::DType::F16, 4e-3},
               {isa::DType::BF16, 3e-2}};
  for (auto [type, tol] : types) {
    // 3001 elements: several tiles with a ragged last one, on 3 cores.
    Case c{"erf", type, 3001, 1, {{K::Erf, 0}}, {1}, 1024, 3};
    std::vector<std::vector<float>> in;
    auto outs = runChain(c, in, -4.f, 4.f);
    ASSERT_TRUE(outs.has_value());
    double worst = 0;
    for (int64_t e = 0; e < c.elements; ++e)
      worst = std::max(
          worst, std::abs(double((*outs)[0][e]) - std::erf(double(in[0][e]))));
    std::cout << isa::dtypeName(type).str() << " erf: max |error| " << worst
              << "\n";
    EXPECT_LE(worst, tol) << isa::dtypeName(type).str();
    EXPECT_GT(worst, 0.0); // Not the reference itself.
  }
  const double r2 = 1 / std::sqrt(2.0);
  Case gelu{"gelu",
            isa::DType::F16,
            5000,
            1,
            {{K::MulS, 0, 0, r2},
             {K::Erf, 1},
             {K::AddS, 2, 0, 1},
             {K::Mul, 3, 0},
             {K::MulS, 4, 0, 0.5}},
            {5},
            0,
            4};
  std::vector<std::vector<float>> in;
  auto outs = runChain(gelu, in, -4.f, 4.f);
  ASSERT_TRUE(outs.has_value());
  double worst = 0;
  for (int64_t e = 0; e < gelu.elements; ++e) {
    double x = in[0][e], want = 0.5 * x * (1 + std::erf(x * r2));
    worst = std::max(worst, std::abs((*outs)[0][e] - want));
  }
  std::cout << "f16 gelu: max |error| " << worst << "\n";
  EXPECT_LE(worst, 2e-2); // |x| < 4: four f16 roundings of values < 4.
}

// Specs the kernel cannot run are errors with a reason, not crashes.
TEST(ElementwiseKernelErrors, BadSpecs) {
  auto ctx = makeKernelContext();
  auto expectError = [&](ElementwiseKernelSpec spec, StringRef want) {
    std::string msg;
    ScopedDiagnosticHandler handler(ctx.get(), [&](Diagnostic &d) {
      msg = d.str();
      return success();
    });
    OwningOpRef<ModuleOp> m = ModuleOp::create(UnknownLoc::get(ctx.get()));
    EXPECT_TRUE(
        failed(buildElementwiseKernel(*m, UnknownLoc::get(ctx.get()), spec)));
    EXPECT_NE(msg.find(want.str()), std::string::npos) << msg;
    EXPECT_TRUE(m->getBody()->empty());
  };
  GMPlanner region;
  Case base{"bad", isa::DType::F16, 1000, 2, kAddRelu, {3}, 0, 1};
  ElementwiseKernelSpec ok = specOf(base, region);
  ElementwiseKernelSpec s = ok;
  s.type = isa::DType::S8;
  expectError(s, "storage type must be f16, bf16 or f32");
  s = ok;
  s.steps[1].a = 5;
  expectError(s, "op 1 reads a value that is not computed before it");
  s = ok;
  s.results = {0};
  expectError(s, "output 0 must store the result of an op");
  s = ok;
  s.outputs[0].size = 100;
  expectError(s, "has 100 bytes, the kernel touches 2016");
  s = ok;
  s.outputs[0].addr = s.inputs[0].addr;
  expectError(s, "overlap");
  s = ok;
  s.tileBytes = 1000;
  expectError(s, "multiple of 256");
  s = ok;
  s.steps[1] = {K::Clip, 2, 0, 0, 1, -1};
  expectError(s, "empty range");
}

} // namespace
