//===- NPUToLinalgPass.cpp - the convert-npu-to-linalg pass ---------------===//
#include "npu/Conversion/NPUToLinalg/NPUToLinalg.h"

#include "Utils.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "npu/Dialect/NPU/IR/NPUDialect.h"
#include "npu/Dialect/NPU/IR/NPUOps.h"
#include "npu/Dialect/NPUK/IR/NPUKOps.h"

namespace npu {
#define GEN_PASS_DEF_CONVERTNPUTOLINALG
#include "npu/Conversion/Passes.h.inc"
} // namespace npu

using namespace mlir;

void npu::populateNPUToLinalgPatterns(RewritePatternSet &patterns) {
  populateElementwisePatterns(patterns);
  populateLinearAlgebraPatterns(patterns);
  populateNormalizationPatterns(patterns);
  populatePoolingPatterns(patterns);
  populateReductionPatterns(patterns);
  populateDataMovementPatterns(patterns);
  populateMathLogicPatterns(patterns);
  populateQuantizationPatterns(patterns);
  populateScanPatterns(patterns);
  populateControlFlowPatterns(patterns);
  populateAlgebraPatterns(patterns);
  populateSamplingPatterns(patterns);
  populateNPUKLayoutToLinalgPatterns(patterns);
}

namespace {

bool isStatic(Type t) {
  auto st = dyn_cast<ShapedType>(t);
  return !st || st.hasStaticShape();
}

/// The lowerings assume static shapes (the dialect infers them from the
/// model); say so at the op instead of a generic legalization failure.
LogicalResult checkStaticShapes(ModuleOp module) {
  WalkResult r = module.walk([](Operation *op) {
    if (!isa<npu::NPUDialect>(op->getDialect()) &&
        !isa<npu::npuk::ConvertOp>(op))
      return WalkResult::advance();
    if (llvm::all_of(op->getOperandTypes(), isStatic) &&
        llvm::all_of(op->getResultTypes(), isStatic))
      return WalkResult::advance();
    op->emitOpError("cannot be lowered to linalg: dynamic shapes are not "
                    "supported");
    return WalkResult::interrupt();
  });
  return failure(r.wasInterrupted());
}

struct ConvertNPUToLinalgPass
    : npu::impl::ConvertNPUToLinalgBase<ConvertNPUToLinalgPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (failed(checkStaticShapes(module)))
      return signalPassFailure();
    MLIRContext *ctx = &getContext();
    ConversionTarget target(*ctx);
    target.addIllegalDialect<npu::NPUDialect>();
    target.addIllegalOp<npu::npuk::ConvertOp>();
    target.addLegalDialect<linalg::LinalgDialect, tensor::TensorDialect,
                           arith::ArithDialect, math::MathDialect,
                           scf::SCFDialect, affine::AffineDialect>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    RewritePatternSet patterns(ctx);
    npu::populateNPUToLinalgPatterns(patterns);
    // A failure names the first op without a lowering, at its location
    // (the ONNX node name).
    if (failed(applyPartialConversion(module, target, std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
