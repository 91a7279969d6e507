//===- ONNXImporterTest.cpp - ONNX import from ModelProtos built in C++ ---===//
#include "npu/Import/ONNX/ONNXImporter.h"

#include "npu/Dialect/NPU/IR/NPUDialect.h"
#include "npu/Dialect/NPU/IR/NPUOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include "onnx/onnx_pb.h"

#include <gtest/gtest.h>

#include <fstream>

using namespace mlir;

namespace {

/// Builds small models: one Add of graph input X and a float initializer W.
class ImportTest : public ::testing::Test {
protected:
  void SetUp() override {
    ctx.loadDialect<npu::NPUDialect, func::FuncDialect>();
    handler = std::make_unique<ScopedDiagnosticHandler>(
        &ctx, [this](Diagnostic &d) {
          errors += d.str() + "\n";
          return success();
        });
    SmallString<128> dir;
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("npu-import", dir));
    tmp = std::string(dir);
    model.set_ir_version(8);
    model.set_producer_name("gtest");
    auto *opset = model.add_opset_import();
    opset->set_domain("");
    opset->set_version(13);
    model.mutable_graph()->set_name("g");
  }
  void TearDown() override { llvm::sys::fs::remove_directories(tmp); }

  static void setType(onnx::ValueInfoProto *vi, ArrayRef<int64_t> dims,
                      const char *param = nullptr) {
    auto *tt = vi->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(onnx::TensorProto::FLOAT);
    auto *shape = tt->mutable_shape();
    for (int64_t d : dims) {
      auto *dim = shape->add_dim();
      if (d < 0 && param)
        dim->set_dim_param(param);
      else
        dim->set_dim_value(d);
    }
  }
  onnx::ValueInfoProto *addInput(const char *name, ArrayRef<int64_t> dims,
                                 const char *param = nullptr) {
    auto *vi = model.mutable_graph()->add_input();
    vi->set_name(name);
    setType(vi, dims, param);
    return vi;
  }
  void addOutput(const char *name) {
    model.mutable_graph()->add_output()->set_name(name);
  }
  onnx::NodeProto *addNode(const char *op, ArrayRef<const char *> ins,
                           ArrayRef<const char *> outs,
                           const char *name = "") {
    auto *n = model.mutable_graph()->add_node();
    n->set_op_type(op);
    n->set_name(name);
    for (const char *i : ins)
      n->add_input(i);
    for (const char *o : outs)
      n->add_output(o);
    return n;
  }
  onnx::TensorProto *addInit(const char *name, int64_t n) {
    auto *t = model.mutable_graph()->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::FLOAT);
    t->add_dims(n);
    return t;
  }
  /// X[n] + W[n] -> Y with W stored externally in `location`.
  onnx::TensorProto *addExternalModel(int64_t n, const std::string &location,
                                      int64_t offset = 0) {
    addInput("X", {n});
    addNode("Add", {"X", "W"}, {"Y"}, "add");
    addOutput("Y");
    auto *w = addInit("W", n);
    w->set_data_location(onnx::TensorProto::EXTERNAL);
    auto *kv = w->add_external_data();
    kv->set_key("location");
    kv->set_value(location);
    kv = w->add_external_data();
    kv->set_key("offset");
    kv->set_value(std::to_string(offset));
    return w;
  }
  void writeFloats(const std::string &path, int64_t n, int64_t pad = 0) {
    std::ofstream f(path, std::ios::binary);
    std::string zeros(pad, '\0');
    f.write(zeros.data(), pad);
    for (int64_t i = 0; i < n; ++i) {
      float v = float(i);
      f.write(reinterpret_cast<const char *>(&v), sizeof(v));
    }
  }
  OwningOpRef<ModuleOp> import(const npu::ONNXImportOptions &opts = {}) {
    return npu::importONNXModel(model, tmp, "model.onnx", &ctx, opts);
  }
  /// The first npu.constant in the module.
  static npu::ConstantOp firstConstant(ModuleOp m) {
    npu::ConstantOp found;
    m.walk([&](npu::ConstantOp c) {
      if (!found)
        found = c;
    });
    return found;
  }

  MLIRContext ctx;
  std::unique_ptr<ScopedDiagnosticHandler> handler;
  std::string errors;
  std::string tmp;
  onnx::ModelProto model;
};

TEST_F(ImportTest, ExternalDataBecomesResourceBlob) {
  writeFloats(tmp + "/weights.bin", 100, /*pad=*/16);
  addExternalModel(100, "weights.bin", 16);
  auto module = import();
  ASSERT_TRUE(module) << errors;
  auto c = firstConstant(*module);
  ASSERT_TRUE(c);
  auto res = dyn_cast<DenseResourceElementsAttr>(c.getValue());
  ASSERT_TRUE(res);
  const AsmResourceBlob *blob = res.getRawHandle().getBlob();
  ASSERT_TRUE(blob);
  ArrayRef<char> data = blob->getData();
  ASSERT_EQ(data.size(), 400u);
  const float *f = reinterpret_cast<const float *>(data.data());
  EXPECT_EQ(f[0], 0.0f);
  EXPECT_EQ(f[99], 99.0f);
  EXPECT_TRUE(errors.empty()) << errors;
}

TEST_F(ImportTest, ExternalDataEscapingParentIsRejected) {
  writeFloats(tmp + "/../npu-import-outside.bin", 4);
  addExternalModel(4, "../npu-import-outside.bin");
  EXPECT_FALSE(import());
  EXPECT_NE(errors.find("initializer 'W': external data path "
                        "'../npu-import-outside.bin' escapes the model's "
                        "folder"),
            std::string::npos)
      << errors;
  llvm::sys::fs::remove(tmp + "/../npu-import-outside.bin");
}

TEST_F(ImportTest, ExternalDataAbsoluteAndSymlinkAreRejected) {
  SmallString<128> outside;
  ASSERT_FALSE(
      llvm::sys::fs::createUniqueDirectory("npu-import-outside", outside));
  std::string target = std::string(outside) + "/w.bin";
  writeFloats(target, 4);
  ASSERT_FALSE(llvm::sys::fs::create_link(target, tmp + "/link.bin"));
  addExternalModel(4, "link.bin");
  EXPECT_FALSE(import());
  EXPECT_NE(errors.find("outside the model's folder"), std::string::npos)
      << errors;

  errors.clear();
  model.mutable_graph()->mutable_initializer(0)->mutable_external_data(0)
      ->set_value(target);
  EXPECT_FALSE(import());
  EXPECT_NE(errors.find("is absolute"), std::string::npos) << errors;
  llvm::sys::fs::remove_directories(outside);
}

TEST_F(ImportTest, ExternalDataTooShort) {
  writeFloats(tmp + "/w.bin", 3);
  addExternalModel(4, "w.bin");
  EXPECT_FALSE(import());
  EXPECT_NE(errors.find("has 12 bytes, the tensor needs bytes 0 to 16"),
            std::string::npos)
      << errors;
}

TEST_F(ImportTest, SmallAndLargeInitializers) {
  addInput("X", {2});
  addNode("Add", {"X", "S"}, {"A"});
  addNode("Relu", {"L"}, {"B"});
  addOutput("A");
  addOutput("B");
  auto *s = addInit("S", 2);
  s->add_float_data(1.5f);
  s->add_float_data(2.5f);
  auto *l = addInit("L", 1000);
  std::string raw(4000, '\0');
  l->set_raw_data(raw);
  auto module = import();
  ASSERT_TRUE(module) << errors;
  int dense = 0, resource = 0;
  module->walk([&](npu::ConstantOp c) {
    dense += isa<DenseElementsAttr>(c.getValue());
    resource += isa<DenseResourceElementsAttr>(c.getValue());
  });
  EXPECT_EQ(dense, 1);
  EXPECT_EQ(resource, 1);
}

TEST_F(ImportTest, InitializerShadowsGraphInput) {
  addInput("X", {2});
  addInput("W", {2});
  addNode("Add", {"X", "W"}, {"Y"});
  addOutput("Y");
  auto *w = addInit("W", 2);
  w->add_float_data(1);
  w->add_float_data(2);
  auto module = import();
  ASSERT_TRUE(module) << errors;
  auto func = *module->getOps<func::FuncOp>().begin();
  EXPECT_EQ(func.getNumArguments(), 1u);
  EXPECT_EQ(func.getArgAttrOfType<StringAttr>(0, "npu.name").getValue(), "X");
  EXPECT_EQ(func.getResultAttrOfType<StringAttr>(0, "npu.name").getValue(),
            "Y");
  EXPECT_TRUE(firstConstant(*module));
}

TEST_F(ImportTest, SymbolicInputNeedsOverride) {
  addInput("X", {-1, 3}, "batch");
  addNode("Relu", {"X"}, {"Y"});
  addOutput("Y");
  EXPECT_FALSE(import());
  EXPECT_NE(errors.find("graph input 'X' has symbolic dimension 'batch'"),
            std::string::npos)
      << errors;
  errors.clear();
  npu::ONNXImportOptions opts;
  opts.inputShapes["X"] = {8, 3};
  opts.funcName = "entry";
  auto module = import(opts);
  ASSERT_TRUE(module) << errors;
  auto func = module->lookupSymbol<func::FuncOp>("entry");
  ASSERT_TRUE(func);
  EXPECT_EQ(func.getArgumentTypes()[0],
            RankedTensorType::get({8, 3}, Float32Type::get(&ctx)));
}

TEST_F(ImportTest, NodeLocationsNameNodeAndOp) {
  addInput("X", {2});
  addNode("Relu", {"X"}, {"Y"}, "act");
  addOutput("Y");
  auto module = import();
  ASSERT_TRUE(module) << errors;
  npu::ReluOp relu;
  module->walk([&](npu::ReluOp op) { relu = op; });
  ASSERT_TRUE(relu);
  auto fused = dyn_cast<FusedLoc>(relu.getLoc());
  ASSERT_TRUE(fused);
  EXPECT_EQ(cast<StringAttr>(fused.getMetadata()).getValue(), "Relu");
  auto name = dyn_cast<NameLoc>(fused.getLocations()[0]);
  ASSERT_TRUE(name);
  EXPECT_EQ(name.getName().getValue(), "act");
  auto file = dyn_cast<FileLineColLoc>(name.getChildLoc());
  ASSERT_TRUE(file);
  EXPECT_EQ(file.getFilename().getValue(), "model.onnx");
}

TEST_F(ImportTest, ErrorsNameNodeOpAndOpset) {
  addInput("X", {2});
  addNode("Foo", {"X"}, {"Y"}, "weird");
  addOutput("Y");
  EXPECT_FALSE(import());
  EXPECT_EQ(errors,
            "node 'weird' (Foo, opset 13): unsupported operator 'Foo'\n");
}

TEST_F(ImportTest, CycleIsReported) {
  addInput("X", {2});
  addNode("Add", {"X", "b"}, {"a"}, "n1");
  addNode("Relu", {"a"}, {"b"}, "n2");
  addOutput("b");
  EXPECT_FALSE(import());
  EXPECT_EQ(errors, "graph has a cycle: node 'n1' (Add) -> node 'n2' (Relu) "
                    "-> node 'n1' (Add)\n");
}

TEST_F(ImportTest, BinaryAndTextFiles) {
  addInput("X", {2});
  addNode("Relu", {"X"}, {"Y"});
  addOutput("Y");
  std::string path = tmp + "/m.onnx";
  {
    std::ofstream f(path, std::ios::binary);
    ASSERT_TRUE(model.SerializeToOstream(&f));
  }
  EXPECT_TRUE(npu::importONNXFile(path, &ctx)) << errors;

  std::string textPath = tmp + "/m.onnxtxt";
  {
    std::ofstream f(textPath);
    f << "<ir_version: 8, opset_import: [\"\" : 13]>\n"
         "g (float[2] X) => (float[2] Y) { Y = Relu (X) }\n";
  }
  EXPECT_TRUE(npu::importONNXFile(textPath, &ctx)) << errors;

  // Cut the binary in the middle of the graph.
  std::string bytes;
  model.SerializeToString(&bytes);
  EXPECT_FALSE(npu::importONNXBuffer(StringRef(bytes).take_front(20), tmp,
                                     "cut.onnx", &ctx));
  EXPECT_NE(errors.find("truncated"), std::string::npos) << errors;
}

TEST_F(ImportTest, InputShapeSpecParsing) {
  npu::ONNXImportOptions opts;
  EXPECT_TRUE(npu::parseONNXInputShape("input:1x3x224x224", opts));
  EXPECT_EQ(opts.inputShapes["input"],
            (SmallVector<int64_t>{1, 3, 224, 224}));
  EXPECT_TRUE(npu::parseONNXInputShape("a:b:7", opts));
  EXPECT_EQ(opts.inputShapes["a:b"], (SmallVector<int64_t>{7}));
  EXPECT_FALSE(npu::parseONNXInputShape("noshape", opts));
  EXPECT_FALSE(npu::parseONNXInputShape("x:1xq", opts));
}

} // namespace
