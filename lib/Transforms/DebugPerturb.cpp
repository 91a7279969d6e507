//===- DebugPerturb.cpp - DEBUG ONLY: miscompile one ONNX node on purpose -===//
//
// Shifts the float outputs of one named ONNX node by a constant so that the
// differential-testing tool (tools/npu-bisect) has a known-bad node to find.
// Never part of a default pipeline: npuc adds it only under
// --debug-perturb-node.
//
//===----------------------------------------------------------------------===//
#include "npu/Transforms/Passes.h"

#include "npu/Dialect/NPU/IR/NPUOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Location.h"
#include "npu/Dialect/NPU/IR/ONNXLocation.h"

namespace npu {
#define GEN_PASS_DEF_DEBUGPERTURB
#include "npu/Transforms/Passes.h.inc"
} // namespace npu

using namespace mlir;
using namespace npu;

namespace {
struct DebugPerturb : npu::impl::DebugPerturbBase<DebugPerturb> {
  using DebugPerturbBase::DebugPerturbBase;

  void runOnOperation() override {
    if (node.empty()) {
      getOperation().emitError("npu-debug-perturb: no node given");
      return signalPassFailure();
    }
    // Collect first: rewriting while walking would visit the new ops.
    SmallVector<OpResult> targets;
    getOperation().walk([&](Operation *op) {
      if (isa<ConstantOp>(op) || onnxNodeName(op->getLoc()) != node)
        return;
      for (OpResult r : op->getResults()) {
        auto type = dyn_cast<RankedTensorType>(r.getType());
        if (!type || !isa<FloatType>(type.getElementType()))
          continue;
        // Only results leaving the node: used by another node's op or
        // returned from the graph.
        bool leaves = llvm::any_of(r.getUsers(), [&](Operation *user) {
          return isa<func::ReturnOp>(user) ||
                 onnxNodeName(user->getLoc()) != node;
        });
        if (leaves)
          targets.push_back(r);
      }
    });
    if (targets.empty()) {
      getOperation().emitError()
          << "npu-debug-perturb: no floating-point output of node '" << node
          << "' found";
      return signalPassFailure();
    }
    for (OpResult r : targets) {
      auto type = cast<RankedTensorType>(r.getType());
      OpBuilder b(r.getOwner()->getContext());
      b.setInsertionPointAfter(r.getOwner());
      Location loc = r.getOwner()->getLoc();
      // A full splat when the shape is static, else a broadcast scalar.
      auto cstType = type.hasStaticShape()
                         ? type
                         : RankedTensorType::get({}, type.getElementType());
      auto value = DenseElementsAttr::get(
          cstType, b.getFloatAttr(type.getElementType(), delta));
      Value cst = b.create<ConstantOp>(loc, cstType, value);
      Value shifted = b.create<AddOp>(loc, type, r, cst);
      r.replaceUsesWithIf(shifted, [&](OpOperand &use) {
        Operation *user = use.getOwner();
        return user != shifted.getDefiningOp() &&
               (isa<func::ReturnOp>(user) ||
                onnxNodeName(user->getLoc()) != node);
      });
    }
  }
};
} // namespace
