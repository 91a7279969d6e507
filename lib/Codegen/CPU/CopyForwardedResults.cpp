//===- CopyForwardedResults.cpp - one fresh tensor per returned value -----===//
#include "npu/Codegen/CPU/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/ADT/DenseSet.h"

namespace npu {
#define GEN_PASS_DEF_COPYFORWARDEDRESULTS
#include "npu/Codegen/CPU/Passes.h.inc"
} // namespace npu

using namespace mlir;

namespace {
struct CopyForwardedResultsPass
    : npu::impl::CopyForwardedResultsBase<CopyForwardedResultsPass> {
  void runOnOperation() override {
    getOperation().walk([](func::ReturnOp ret) {
      OpBuilder b(ret);
      llvm::DenseSet<Value> seen;
      for (OpOperand &operand : ret->getOpOperands()) {
        Value v = operand.get();
        auto type = dyn_cast<RankedTensorType>(v.getType());
        bool forwarded = isa<BlockArgument>(v) || !seen.insert(v).second;
        if (!type || !type.hasStaticShape() || !forwarded)
          continue;
        Value empty = b.create<tensor::EmptyOp>(ret.getLoc(), type.getShape(),
                                                type.getElementType());
        operand.set(
            b.create<linalg::CopyOp>(ret.getLoc(), v, empty).getResult(0));
      }
    });
  }
};
} // namespace
