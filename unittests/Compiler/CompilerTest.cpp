//===- CompilerTest.cpp - compile API end to end against naive loops ------===//
#include "npu/Compiler/Compiler.h"

#include "onnx/onnx_pb.h"
#include "llvm/Support/FileSystem.h"
#include "gtest/gtest.h"

#include <cmath>
#include <random>

using namespace npu;

namespace {
/// Y = relu(X * W^T + B) as an ONNX Gemm(transB=1) + Relu graph.
onnx::ModelProto makeGemmRelu(int m, int k, int n, std::vector<float> &w,
                              std::vector<float> &b) {
  onnx::ModelProto model;
  model.set_ir_version(8);
  model.add_opset_import()->set_version(13);
  onnx::GraphProto *g = model.mutable_graph();
  g->set_name("gemm_relu");
  auto addInfo = [](onnx::ValueInfoProto *v, const char *name,
                    std::vector<int64_t> dims) {
    v->set_name(name);
    auto *t = v->mutable_type()->mutable_tensor_type();
    t->set_elem_type(onnx::TensorProto::FLOAT);
    for (int64_t d : dims)
      t->mutable_shape()->add_dim()->set_dim_value(d);
  };
  addInfo(g->add_input(), "X", {m, k});
  addInfo(g->add_output(), "Y", {m, n});
  auto addInit = [&](const char *name, std::vector<int64_t> dims,
                     const std::vector<float> &data) {
    onnx::TensorProto *t = g->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::FLOAT);
    for (int64_t d : dims)
      t->add_dims(d);
    t->set_raw_data(data.data(), data.size() * sizeof(float));
  };
  addInit("W", {n, k}, w);
  addInit("B", {n}, b);
  onnx::NodeProto *gemm = g->add_node();
  gemm->set_name("fc");
  gemm->set_op_type("Gemm");
  gemm->add_input("X");
  gemm->add_input("W");
  gemm->add_input("B");
  gemm->add_output("H");
  onnx::AttributeProto *transB = gemm->add_attribute();
  transB->set_name("transB");
  transB->set_type(onnx::AttributeProto::INT);
  transB->set_i(1);
  onnx::NodeProto *relu = g->add_node();
  relu->set_name("act");
  relu->set_op_type("Relu");
  relu->add_input("H");
  relu->add_output("Y");
  return model;
}

TEST(Compiler, GemmReluMatchesNaiveLoops) {
  const int m = 3, k = 70, n = 33;
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> dist(-1, 1);
  std::vector<float> w(n * k), b(n);
  for (float &v : w) v = dist(rng);
  for (float &v : b) v = dist(rng);
  onnx::ModelProto model = makeGemmRelu(m, k, n, w, b);

  llvm::SmallString<128> dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("npu-compiler-test", dir));
  std::string so = (dir + "/gemm.so").str();
  Compiler compiler;
  llvm::Error err = compiler.compileToFile(model, dir, so);
  ASSERT_FALSE(bool(err)) << llvm::toString(std::move(err));
  auto loaded = loadArtifact(so);
  ASSERT_TRUE(bool(loaded)) << llvm::toString(loaded.takeError());
  ASSERT_EQ(loaded->signature().inputs.size(), 1u);
  EXPECT_EQ(loaded->signature().inputs[0].str(), "X: float32[3,70]");
  EXPECT_EQ(loaded->signature().outputs[0].str(), "Y: float32[3,33]");

  rt::Tensor x(rt::DType::F32, {m, k});
  for (int i = 0; i < m * k; ++i)
    x.as<float>()[i] = dist(rng);
  auto out = loaded->run(llvm::ArrayRef<rt::Tensor>(x));
  ASSERT_TRUE(bool(out)) << llvm::toString(out.takeError());
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < n; ++j) {
      double acc = b[j];
      for (int p = 0; p < k; ++p)
        acc += (double)x.as<float>()[i * k + p] * w[j * k + p];
      EXPECT_NEAR((*out)[0].template as<float>()[i * n + j], std::max(acc, 0.0), 1e-5)
          << i << "," << j;
    }
  llvm::sys::fs::remove_directories(dir);
}

TEST(Compiler, RunRejectsWrongInputs) {
  std::vector<float> w(4 * 2, 0.5f), b(4, 0.f);
  onnx::ModelProto model = makeGemmRelu(1, 2, 4, w, b);
  llvm::SmallString<128> dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("npu-compiler-test", dir));
  std::string so = (dir + "/m.so").str();
  Compiler compiler;
  ASSERT_FALSE(llvm::errorToBool(compiler.compileToFile(model, dir, so)));
  auto loaded = loadArtifact(so);
  ASSERT_TRUE(bool(loaded));
  rt::Tensor wrong(rt::DType::F32, {2, 2});
  auto out = loaded->run(llvm::ArrayRef<rt::Tensor>(wrong));
  ASSERT_FALSE(bool(out));
  EXPECT_EQ(llvm::toString(out.takeError()),
            "input 'X' must be X: float32[1,2], got X: float32[2,2]");
  llvm::sys::fs::remove_directories(dir);
}

TEST(Compiler, ReportsTheNodeOfAnError) {
  std::vector<float> w(4 * 2, 0.5f), b(4, 0.f);
  onnx::ModelProto model = makeGemmRelu(1, 2, 4, w, b);
  model.mutable_graph()->mutable_node(1)->set_op_type("NoSuchOp");
  Compiler compiler;
  llvm::Error err = compiler.compileToFile(model, ".", "/dev/null");
  ASSERT_TRUE(bool(err));
  std::string msg = llvm::toString(std::move(err));
  EXPECT_NE(msg.find("node 'act'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("NoSuchOp"), std::string::npos) << msg;
}
} // namespace
