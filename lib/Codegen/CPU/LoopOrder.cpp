//===- LoopOrder.cpp - order contraction loops for vectorization ----------===//
#include "npu/Codegen/CPU/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"

namespace npu {
#define GEN_PASS_DEF_LOOPORDER
#include "npu/Codegen/CPU/Passes.h.inc"
} // namespace npu

using namespace mlir;

/// New loop order: parallel loops except the one indexing the output's
/// innermost dimension, then reductions, then that innermost loop.
static SmallVector<unsigned> vectorFriendlyOrder(linalg::GenericOp op) {
  AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  if (outMap.getNumResults() == 0)
    return {};
  auto inner = dyn_cast<AffineDimExpr>(outMap.getResults().back());
  if (!inner)
    return {};
  SmallVector<unsigned> order, reductions;
  for (auto [i, type] : llvm::enumerate(op.getIteratorTypesArray())) {
    if (i == inner.getPosition())
      continue;
    (linalg::isReductionIterator(type) ? reductions : order).push_back(i);
  }
  if (reductions.empty())
    return {};
  llvm::append_range(order, reductions);
  order.push_back(inner.getPosition());
  return order;
}

namespace {
struct LoopOrderPass : npu::impl::LoopOrderBase<LoopOrderPass> {
  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> candidates;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (op.getNumReductionLoops() > 0 &&
          (linalg::isaContractionOpInterface(op) ||
           linalg::isaConvolutionOpInterface(op)))
        candidates.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : candidates) {
      rewriter.setInsertionPoint(op);
      auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
      if (!generic) {
        FailureOr<linalg::GenericOp> g = linalg::generalizeNamedOp(rewriter, op);
        if (failed(g))
          continue;
        generic = *g;
      }
      SmallVector<unsigned> order = vectorFriendlyOrder(generic);
      if (!order.empty())
        (void)linalg::interchangeGenericOp(rewriter, generic, order);
    }
  }
};
} // namespace
