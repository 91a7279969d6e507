//===- RecordSignature.cpp - store the entry's I/O signature as JSON ------===//
#include "npu/Codegen/CPU/Passes.h"
#include "npu/Codegen/CPU/Signature.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

namespace npu {
#define GEN_PASS_DEF_RECORDSIGNATURE
#include "npu/Codegen/CPU/Passes.h.inc"
} // namespace npu

using namespace mlir;

namespace {
struct RecordSignaturePass
    : npu::impl::RecordSignatureBase<RecordSignaturePass> {
  using RecordSignatureBase::RecordSignatureBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto func = module.lookupSymbol<func::FuncOp>(entry);
    if (!func) {
      module.emitError("entry function '") << entry << "' not found";
      return signalPassFailure();
    }
    FailureOr<std::string> json = npu::signatureToJSON(func);
    if (failed(json))
      return signalPassFailure();
    module->setAttr(npu::kSignatureAttrName,
                    StringAttr::get(&getContext(), *json));
  }
};
} // namespace
