//===- Outline.cpp - npuk.kernel regions -> functions + schedule calls ----===//
#include "npu/Codegen/NPU/Passes.h"

#include "npu/Codegen/NPU/Placement.h"
#include "npu/Dialect/NPUK/IR/NPUKOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/SymbolTable.h"

namespace npu {
#define GEN_PASS_DEF_OUTLINE
#include "npu/Codegen/NPU/Passes.h.inc"
} // namespace npu

using namespace mlir;
using namespace npu;

namespace {
struct OutlinePass : npu::impl::OutlineBase<OutlinePass> {
  using OutlineBase::OutlineBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto entryFn = lookupEntry(getOperation(), entry);
    if (!entryFn)
      return signalPassFailure();
    SymbolTable symbols(module);
    SmallVector<npuk::KernelOp> kernels;
    entryFn.walk([&](npuk::KernelOp k) { kernels.push_back(k); });
    for (npuk::KernelOp kernel : kernels) {
      OpBuilder b(module.getBody(), module.getBody()->end());
      auto fn = b.create<func::FuncOp>(
          kernel.getLoc(), kernel.getSymName(),
          b.getFunctionType(kernel.getInputs().getTypes(),
                            kernel.getResultTypes()));
      fn.setPrivate();
      fn->setAttr(kKindAttr,
                  b.getStringAttr(npuk::stringifyKernelKind(kernel.getKind())));
      fn->setAttr(kNodesAttr, kernel.getNodes());
      if (Attribute log = kernel->getAttr(kFusionLogAttr))
        fn->setAttr(kFusionLogAttr, log);
      fn.getBody().takeBody(kernel.getBody());
      auto yield = cast<npuk::YieldOp>(fn.getBody().front().getTerminator());
      b.setInsertionPoint(yield);
      b.create<func::ReturnOp>(yield.getLoc(), yield.getValues());
      yield.erase();
      // insert() renames on a clash with an existing symbol.
      symbols.insert(fn);

      b.setInsertionPoint(kernel);
      Operation *call;
      if (kernel.getKind() == npuk::KernelKind::cpu)
        call =
            b.create<npuk::CallCPUOp>(kernel.getLoc(), kernel.getResultTypes(),
                                      fn.getSymName(), kernel.getInputs());
      else
        call = b.create<npuk::LaunchOp>(
            kernel.getLoc(), kernel.getResultTypes(), fn.getSymName(),
            kernel.getInputs(), /*cores=*/1);
      kernel.replaceAllUsesWith(call->getResults());
      kernel.erase();
    }
  }
};
} // namespace
