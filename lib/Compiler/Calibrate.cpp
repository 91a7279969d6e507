//===- Calibrate.cpp - activation ranges for fp16 NPU kernels -------------===//
//
// A copy of the module returns every top-level matmul's input and result as
// extra outputs; the CPU backend JIT-compiles and runs it once, and the
// maxima go back onto the original ops.
//
//===----------------------------------------------------------------------===//
#include "Calibrate.h"

#include "LLVMBackend.h"
#include "npu/Codegen/CPU/Passes.h"
#include "npu/Codegen/CPU/Signature.h"
#include "npu/Dialect/NPU/IR/NPUOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"

#include <cmath>
#include <random>

using namespace llvm;
using namespace mlir;
using namespace npu;

/// The f32 matmuls and convs directly in @main, in order.
static SmallVector<Operation *> topLevelAnchors(func::FuncOp main) {
  SmallVector<Operation *> out;
  for (Operation &op : main.getBody().front())
    if (llvm::isa<MatMulOp, ConvOp>(op) &&
        cast<ShapedType>(op.getResult(0).getType()).getElementType().isF32())
      out.push_back(&op);
  return out;
}

static void fillInput(rt::Tensor &t, std::mt19937_64 &rng) {
  std::normal_distribution<float> normal;
  std::uniform_int_distribution<int64_t> ints(0, 99);
  for (int64_t i = 0, n = t.numElements(); i < n; ++i) {
    switch (t.dtype()) {
    case rt::DType::F32: t.as<float>()[i] = normal(rng); break;
    case rt::DType::F64: t.as<double>()[i] = normal(rng); break;
    case rt::DType::I64: t.as<int64_t>()[i] = ints(rng); break;
    case rt::DType::I32: t.as<int32_t>()[i] = int32_t(ints(rng)); break;
    default: break; // Left zero.
    }
  }
}

Error npu::calibrateMatmuls(ModuleOp module, const CompileOptions &opts) {
  auto main = module.lookupSymbol<func::FuncOp>("main");
  if (!main)
    return createStringError(inconvertibleErrorCode(), "no @main");
  SmallVector<Operation *> originals = topLevelAnchors(main);
  if (originals.empty())
    return Error::success();

  OwningOpRef<ModuleOp> copy = cast<ModuleOp>(module->clone());
  auto copyMain = copy->lookupSymbol<func::FuncOp>("main");
  SmallVector<Operation *> probes = topLevelAnchors(copyMain);
  auto ret = cast<func::ReturnOp>(copyMain.getBody().front().getTerminator());
  unsigned numOutputs = ret.getNumOperands();
  SmallVector<mlir::Value> results(ret.getOperands());
  for (Operation *op : probes) {
    results.push_back(op->getOperand(0));
    results.push_back(op->getResult(0));
  }
  OpBuilder b(ret);
  SmallVector<DictionaryAttr> resultAttrs;
  for (unsigned i = 0; i < results.size(); ++i)
    resultAttrs.push_back(
        i < numOutputs
            ? copyMain.getResultAttrDict(i)
            : b.getDictionaryAttr(b.getNamedAttr(
                  kNameAttrName,
                  b.getStringAttr("npuk.calibration." + Twine(i)))));
  b.create<func::ReturnOp>(ret.getLoc(), results);
  ret.erase();
  copyMain.setFunctionType(b.getFunctionType(
      copyMain.getArgumentTypes(), ValueRange(results).getTypes()));
  copyMain.setAllResultAttrs(resultAttrs);

  // The calibration build is internal: its warnings (LLVM translation
  // notes) are not the user's; errors still reach the compile session.
  ScopedDiagnosticHandler quiet(module.getContext(), [](Diagnostic &d) -> LogicalResult {
    return success(d.getSeverity() != mlir::DiagnosticSeverity::Error);
  });
  mlir::PassManager pm(module.getContext());
  buildCPUPipeline(pm, CPUPipelineOptions());
  if (failed(pm.run(*copy)))
    return createStringError(inconvertibleErrorCode(),
                             "the calibration run failed to compile");
  auto model = jitCompile(*copy, opts.cpu, /*optLevel=*/2);
  if (!model)
    return model.takeError();
  std::mt19937_64 rng(0);
  std::vector<rt::Tensor> inputs;
  for (const rt::TensorSpec &spec : model->signature().inputs) {
    inputs.emplace_back(spec.dtype, spec.shape);
    fillInput(inputs.back(), rng);
  }
  auto outputs = model->run(inputs);
  if (!outputs)
    return outputs.takeError();
  auto maxAbs = [](const rt::Tensor &t) {
    double m = 0;
    for (int64_t i = 0, n = t.numElements(); i < n; ++i)
      m = std::max(m, double(std::fabs(t.as<float>()[i])));
    return m;
  };
  for (auto [i, mm] : llvm::enumerate(originals)) {
    double x = maxAbs((*outputs)[numOutputs + 2 * i]);
    double y = maxAbs((*outputs)[numOutputs + 2 * i + 1]);
    mm->setAttr("npuk.range", b.getDenseF64ArrayAttr({x, y}));
  }
  return Error::success();
}
