//===- ProtectInputs.cpp - inputs are read-only for bufferization ---------===//
#include "npu/Codegen/CPU/Passes.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace npu {
#define GEN_PASS_DEF_PROTECTINPUTS
#include "npu/Codegen/CPU/Passes.h.inc"
} // namespace npu

using namespace mlir;

namespace {
struct ProtectInputsPass : npu::impl::ProtectInputsBase<ProtectInputsPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isPrivate() || func.isExternal())
      return;
    auto readOnly = BoolAttr::get(&getContext(), false);
    for (unsigned i = 0; i < func.getNumArguments(); ++i)
      if (isa<TensorType>(func.getArgument(i).getType()))
        func.setArgAttr(i, bufferization::BufferizationDialect::kWritableAttrName,
                        readOnly);
  }
};
} // namespace
