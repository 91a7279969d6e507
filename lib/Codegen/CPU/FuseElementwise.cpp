//===- FuseElementwise.cpp - elementwise fusion without recomputation -----===//
#include "npu/Codegen/CPU/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace npu {
#define GEN_PASS_DEF_FUSEELEMENTWISE
#include "npu/Codegen/CPU/Passes.h.inc"
} // namespace npu

using namespace mlir;

namespace {
struct FuseElementwisePass
    : npu::impl::FuseElementwiseBase<FuseElementwisePass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    // Producers outside a loop body (npu.loop) are not pulled into it,
    // where they would be recomputed on every iteration.
    linalg::ControlFusionFn control = [](OpOperand *fused) {
      auto consumer = dyn_cast<linalg::LinalgOp>(fused->getOwner());
      Operation *producer = fused->get().getDefiningOp();
      return consumer && consumer.getNumReductionLoops() == 0 && producer &&
             producer->getBlock() == consumer->getBlock();
    };
    linalg::populateElementwiseOpsFusionPatterns(patterns, control);
    linalg::populateEraseUnusedOperandsAndResultsPatterns(patterns);
    if (failed(applyPatternsAndFoldGreedily(getOperation(),
                                            std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace
