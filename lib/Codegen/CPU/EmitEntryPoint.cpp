//===- EmitEntryPoint.cpp - add the artifact's C entry points -------------===//
#include "npu/Codegen/CPU/Passes.h"
#include "npu/Codegen/CPU/Signature.h"
#include "npu/Runtime/Tensor.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinOps.h"

namespace npu {
#define GEN_PASS_DEF_EMITENTRYPOINT
#include "npu/Codegen/CPU/Passes.h.inc"
} // namespace npu

using namespace mlir;

/// Adds `int32_t name(void **buffers)` calling `target` with one bare
/// pointer per buffer, and makes `target` internal.
static LogicalResult emitBufferWrapper(ModuleOp module, LLVM::LLVMFuncOp target,
                                       StringRef name) {
  MLIRContext *ctx = module.getContext();
  auto ptrTy = LLVM::LLVMPointerType::get(ctx);
  auto i32Ty = IntegerType::get(ctx, 32);
  for (Type t : target.getFunctionType().getParams())
    if (t != ptrTy)
      return target.emitError("entry must take bare pointers (one per "
                              "buffer); lower it with "
                              "use-bare-ptr-memref-call-conv");
  Location loc = target.getLoc();
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  auto run = b.create<LLVM::LLVMFuncOp>(
      loc, name, LLVM::LLVMFunctionType::get(i32Ty, {ptrTy}));
  Block *body = run.addEntryBlock(b);
  b.setInsertionPointToStart(body);
  SmallVector<Value> args;
  for (unsigned i = 0, e = target.getNumArguments(); i < e; ++i) {
    Value slot = b.create<LLVM::GEPOp>(loc, ptrTy, ptrTy, body->getArgument(0),
                                       ArrayRef<LLVM::GEPArg>{(int32_t)i});
    args.push_back(b.create<LLVM::LoadOp>(loc, ptrTy, slot));
  }
  b.create<LLVM::CallOp>(loc, target, args);
  Value zero = b.create<LLVM::ConstantOp>(loc, i32Ty, 0);
  b.create<LLVM::ReturnOp>(loc, zero);
  // Only the C entry points are exported from the artifact.
  target.setLinkage(LLVM::Linkage::Internal);
  return success();
}

namespace {
struct EmitEntryPointPass
    : npu::impl::EmitEntryPointBase<EmitEntryPointPass> {
  using EmitEntryPointBase::EmitEntryPointBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (!parts.empty())
      return emitParts(module);
    MLIRContext *ctx = &getContext();
    auto target = module.lookupSymbol<LLVM::LLVMFuncOp>(entry);
    auto sigAttr = module->getAttrOfType<StringAttr>(npu::kSignatureAttrName);
    if (!target || !sigAttr) {
      module.emitError("npu-cpu-emit-entry needs the lowered entry '")
          << entry << "' and the " << npu::kSignatureAttrName
          << " attribute (run npu-cpu-record-signature first)";
      return signalPassFailure();
    }
    // int32_t npu_run(void **buffers)
    if (failed(emitBufferWrapper(module, target, "npu_run")))
      return signalPassFailure();
    Location loc = target.getLoc();
    auto ptrTy = LLVM::LLVMPointerType::get(ctx);
    auto i32Ty = IntegerType::get(ctx, 32);
    OpBuilder b = OpBuilder::atBlockEnd(module.getBody());

    // const char *npu_signature(void)
    b.setInsertionPointToEnd(module.getBody());
    std::string json = sigAttr.getValue().str();
    json.push_back('\0');
    auto strTy = LLVM::LLVMArrayType::get(IntegerType::get(ctx, 8),
                                          json.size());
    auto global = b.create<LLVM::GlobalOp>(
        loc, strTy, /*isConstant=*/true, LLVM::Linkage::Internal,
        "npu_signature_json", b.getStringAttr(json));
    auto sigFn = b.create<LLVM::LLVMFuncOp>(
        loc, "npu_signature", LLVM::LLVMFunctionType::get(ptrTy, {}));
    b.setInsertionPointToStart(sigFn.addEntryBlock(b));
    Value addr = b.create<LLVM::AddressOfOp>(loc, global);
    b.create<LLVM::ReturnOp>(loc, addr);

    // int32_t npu_abi_version(void)
    b.setInsertionPointToEnd(module.getBody());
    auto abiFn = b.create<LLVM::LLVMFuncOp>(
        loc, "npu_abi_version", LLVM::LLVMFunctionType::get(i32Ty, {}));
    b.setInsertionPointToStart(abiFn.addEntryBlock(b));
    Value version = b.create<LLVM::ConstantOp>(
        loc, i32Ty, npu::rt::Signature::kABIVersion);
    b.create<LLVM::ReturnOp>(loc, version);
    module->removeAttr(npu::kSignatureAttrName);
  }

  /// NPU artifact CPU parts: `int32_t npu_part_<name>(void **buffers)`.
  void emitParts(ModuleOp module) {
    for (const std::string &part : parts) {
      auto target = module.lookupSymbol<LLVM::LLVMFuncOp>(part);
      if (!target) {
        module.emitError("CPU part '") << part << "' not found";
        return signalPassFailure();
      }
      if (failed(emitBufferWrapper(module, target, "npu_part_" + part)))
        return signalPassFailure();
    }
  }
};
} // namespace
