//===- NPUModelTest.cpp - .npu artifacts with kernels on sim::Device ------===//
#include "npu/Runtime/NPUModel.h"
#include "npu/Artifact/Artifact.h"

#include "llvm/Support/JSON.h"
#include "gtest/gtest.h"

#include <random>

using namespace npu;
using namespace npu::rt;

namespace {

// N f32 elements per region = NB blocks of 64 (one vector repeat each).
constexpr unsigned NB = 8, N = NB * 64;
constexpr uint64_t X = 0x1000, C = 0x2000, Y = 0x3000;

/// Y = X * C + X on `cores` cores, block b on core b % corenum. `extra` is
/// appended before `end` (to break the kernel).
std::string kernel(unsigned cores, const std::string &extra = "") {
  std::string s = ".cores " + std::to_string(cores) + "\n";
  s += ".gm X, 0x800 @0x1000\n.gm C, 0x800 @0x2000\n.gm Y, 0x800 @0x3000\n";
  s += "  coreid x1\n  corenum x2\n  li x3, " + std::to_string(NB) + "\n";
  s += "loop:\n  bge x1, x3, done\n  shli x7, x1, 8\n"
       "  addi x8, x7, 0x1000\n  copy ub[0], gm[x8], 1, 8, 0, 0\n"
       "  addi x8, x7, 0x2000\n  copy ub[0x100], gm[x8], 1, 8, 0, 0\n"
       "  set_flag MTE2, V, 0\n  wait_flag MTE2, V, 0\n"
       "  vmul.f32 ub[0x200], ub[0], ub[0x100], 1, 1, 1, 1, 8, 8, 8\n"
       "  vadd.f32 ub[0x200], ub[0x200], ub[0], 1, 1, 1, 1, 8, 8, 8\n"
       "  set_flag V, MTE3, 0\n  wait_flag V, MTE3, 0\n"
       "  addi x8, x7, 0x3000\n  copy gm[x8], ub[0x200], 1, 8, 0, 0\n"
       "  barrier\n  add x1, x1, x2\n  j loop\ndone:\n";
  return s + extra + "  end\n";
}

std::vector<float> constant() {
  std::vector<float> c(N);
  for (unsigned i = 0; i < N; ++i)
    c[i] = 0.25f * float(int(i % 13) - 6);
  return c;
}

std::string artifactBytes(const std::string &asmText, unsigned cores) {
  llvm::Expected<isa::Program> p = isa::parseAssembly(asmText, "k.s");
  EXPECT_TRUE(bool(p)) << (p ? "" : llvm::toString(p.takeError()));
  std::vector<uint8_t> bin = isa::writeBinary(*p);
  artifact::Artifact a;
  a.set_magic(kArtifactMagic.str());
  a.set_format_version(kArtifactFormatVersion);
  a.set_isa_binary_version(isa::kBinaryVersion);
  a.set_gm_bytes(0x4000);
  const std::pair<const char *, uint64_t> regions[] = {
      {"x", X}, {"c", C}, {"y", Y}};
  const artifact::GMRegion::Kind kinds[] = {artifact::GMRegion::INPUT,
                                            artifact::GMRegion::CONST,
                                            artifact::GMRegion::OUTPUT};
  for (int i = 0; i < 3; ++i) {
    artifact::GMRegion *r = a.add_gm();
    r->set_name(regions[i].first);
    r->set_offset(regions[i].second);
    r->set_size(N * 4);
    r->set_kind(kinds[i]);
  }
  for (auto [list, name, region] :
       {std::make_tuple(a.mutable_inputs(), "X", 0),
        std::make_tuple(a.mutable_outputs(), "Y", 2)}) {
    artifact::Tensor *t = list->Add();
    t->set_name(name);
    t->set_dtype("float32");
    t->add_shape(NB);
    t->add_shape(64);
    t->set_gm_region(region);
  }
  std::vector<float> c = constant();
  artifact::Constant *k = a.add_constants();
  k->set_gm_region(1);
  k->set_data(std::string(reinterpret_cast<const char *>(c.data()), N * 4));
  artifact::Kernel *kern = a.add_kernels();
  kern->set_name("k0");
  kern->add_onnx_nodes("mul");
  kern->add_onnx_nodes("add");
  kern->set_kind("vector");
  kern->set_cores(cores);
  kern->set_binary(std::string(bin.begin(), bin.end()));
  a.add_schedule()->set_kernel(0);
  return a.SerializeAsString();
}

std::unique_ptr<NPUModel> load(const std::string &bytes) {
  llvm::Expected<std::unique_ptr<NPUModel>> m =
      NPUModel::loadBytes(bytes, "t.npu");
  EXPECT_TRUE(bool(m)) << (m ? "" : llvm::toString(m.takeError()));
  return m ? std::move(*m) : nullptr;
}

Tensor randomInput(unsigned seed) {
  Tensor t(DType::F32, {NB, 64});
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(-4, 4);
  for (unsigned i = 0; i < N; ++i)
    t.as<float>()[i] = d(rng);
  return t;
}

/// Runs and compares with the naive reference x * c + x (exact in f32:
/// both round once per operation, as the simulator does).
void runAndCheck(NPUModel &m, unsigned seed, const NPURunOptions &opts,
                 NPURunStats *stats = nullptr) {
  std::vector<Tensor> in;
  in.push_back(randomInput(seed));
  llvm::Expected<std::vector<Tensor>> out = m.run(in, opts, stats);
  ASSERT_TRUE(bool(out)) << llvm::toString(out.takeError());
  ASSERT_EQ(out->size(), 1u);
  std::vector<float> c = constant();
  const float *x = in[0].as<float>(), *y = (*out)[0].as<float>();
  for (unsigned i = 0; i < N; ++i) {
    float ref = x[i] * c[i];
    ref = ref + x[i];
    ASSERT_EQ(y[i], ref) << "element " << i << " seed " << seed;
  }
}

TEST(NPUModel, RunsAKernelAgainstTheReference) {
  std::unique_ptr<NPUModel> m = load(artifactBytes(kernel(4), 4));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->signature().inputs.size(), 1u);
  EXPECT_EQ(m->signature().outputs[0].str(), "Y: float32[8,64]");
  NPURunStats s1, s2;
  runAndCheck(*m, 1, {}, &s1);
  // The device (and its constants) is reused; times stay run-relative.
  runAndCheck(*m, 2, {}, &s2);
  ASSERT_EQ(s1.kernels.size(), 1u);
  ASSERT_EQ(s2.kernels.size(), 1u);
  EXPECT_EQ(s1.kernels[0].name, "k0");
  EXPECT_EQ(s1.kernels[0].onnxNodes, (std::vector<std::string>{"mul", "add"}));
  EXPECT_EQ(s1.kernels[0].launch.result.cores.size(), 4u);
  EXPECT_GT(s1.totalCycles, 0u);
  EXPECT_EQ(s1.totalCycles, s1.kernels[0].launch.result.totalCycles);
  EXPECT_EQ(s2.kernels[0].launch.startCycle, 0u);
  // The second run finds the constant in dv-910's L2 (it stays from the
  // first run), while the new input X misses as before: faster, never slower.
  EXPECT_LT(s2.totalCycles, s1.totalCycles);
  EXPECT_FALSE(s1.device); // Not traced.
}

TEST(NPUModel, CoreCapAndConfigChanges) {
  std::unique_ptr<NPUModel> m = load(artifactBytes(kernel(4), 4));
  ASSERT_TRUE(m);
  NPURunOptions one;
  one.cores = 1;
  NPURunStats s1, s4, a2;
  runAndCheck(*m, 3, one, &s1);
  runAndCheck(*m, 4, {}, &s4);
  EXPECT_EQ(s1.kernels[0].launch.result.cores.size(), 1u);
  EXPECT_EQ(s4.kernels[0].launch.result.cores.size(), 4u);
  EXPECT_GT(s1.totalCycles, s4.totalCycles);
  NPURunOptions dva2;
  dva2.config = "dv-a2";
  runAndCheck(*m, 5, dva2, &a2); // A new device, constants copied again.
  EXPECT_EQ(a2.config.name, "dv-a2");
}

TEST(NPUModel, TracedRunsGetTheirOwnDevice) {
  std::unique_ptr<NPUModel> m = load(artifactBytes(kernel(2), 2));
  ASSERT_TRUE(m);
  runAndCheck(*m, 6, {});
  NPURunOptions traced;
  traced.trace = true;
  NPURunStats s;
  runAndCheck(*m, 7, traced, &s);
  ASSERT_TRUE(s.device);
  EXPECT_EQ(s.device->now(), s.totalCycles);
  std::string text;
  llvm::raw_string_ostream os(text);
  ASSERT_FALSE(bool(writeNPURunTraceJSON(os, s)));
  llvm::Expected<llvm::json::Value> v = llvm::json::parse(text);
  ASSERT_TRUE(bool(v)) << llvm::toString(v.takeError());
  NPURunStats untraced;
  runAndCheck(*m, 8, {}, &untraced);
  llvm::Error e = writeNPURunTraceJSON(os, untraced);
  ASSERT_TRUE(bool(e));
  llvm::consumeError(std::move(e));
}

TEST(NPUModel, Errors) {
  std::unique_ptr<NPUModel> m = load(artifactBytes(kernel(1), 1));
  ASSERT_TRUE(m);
  auto runError = [&](std::vector<Tensor> in, const NPURunOptions &o) {
    llvm::Expected<std::vector<Tensor>> out = m->run(in, o);
    return out ? std::string() : llvm::toString(out.takeError());
  };
  std::vector<Tensor> good;
  good.push_back(randomInput(1));
  NPURunOptions bad;
  bad.config = "dv-911";
  EXPECT_EQ(runError({}, {}), "model takes 1 inputs, got 0");
  std::vector<Tensor> wrong;
  wrong.emplace_back(DType::F32, llvm::ArrayRef<int64_t>{64, NB});
  EXPECT_EQ(runError(std::move(wrong), {}),
            "input 'X' must be X: float32[8,64], got X: float32[64,8]");
  EXPECT_EQ(runError(std::move(good), bad),
            "unknown preset 'dv-911' (expected dv-910 or dv-a2)");

  // A launch error names the kernel and its nodes.
  std::unique_ptr<NPUModel> left =
      load(artifactBytes(kernel(1, "  set_flag V, MTE3, 1\n"), 1));
  ASSERT_TRUE(left);
  std::vector<Tensor> in;
  in.push_back(randomInput(1));
  llvm::Expected<std::vector<Tensor>> out = left->run(in);
  ASSERT_FALSE(bool(out));
  std::string msg = llvm::toString(out.takeError());
  EXPECT_EQ(msg.rfind("kernel 'k0' ('mul', 'add'): core 0, pipe V", 0), 0u)
      << msg;
  EXPECT_NE(msg.find("still set at 'end'"), std::string::npos) << msg;

  llvm::Expected<std::unique_ptr<NPUModel>> none =
      NPUModel::load("/nonexistent/m.npu");
  ASSERT_FALSE(bool(none));
  EXPECT_EQ(llvm::toString(none.takeError()).rfind("cannot read", 0), 0u);
}

} // namespace
