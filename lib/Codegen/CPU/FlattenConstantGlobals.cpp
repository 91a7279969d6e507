//===- FlattenConstantGlobals.cpp - weights as flat byte arrays -----------===//
#include "npu/Codegen/CPU/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"

namespace npu {
#define GEN_PASS_DEF_FLATTENCONSTANTGLOBALS
#include "npu/Codegen/CPU/Passes.h.inc"
} // namespace npu

using namespace mlir;

/// The little-endian bytes of `attr` as laid out in memory, or nullopt if
/// the layout differs (i1 is bit-packed in attributes, byte-sized in memory).
static std::optional<std::string> rawBytes(ElementsAttr attr) {
  Type et = attr.getElementType();
  if (!et.isIntOrFloat() || et.getIntOrFloatBitWidth() % 8)
    return std::nullopt;
  size_t elemBytes = et.getIntOrFloatBitWidth() / 8;
  size_t count = attr.getNumElements();
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob || blob->getData().size() != count * elemBytes)
      return std::nullopt;
    return std::string(blob->getData().data(), blob->getData().size());
  }
  auto dense = dyn_cast<DenseElementsAttr>(attr);
  if (!dense)
    return std::nullopt;
  ArrayRef<char> data = dense.getRawData();
  if (dense.isSplat()) {
    std::string out;
    out.reserve(count * elemBytes);
    for (size_t i = 0; i < count; ++i)
      out.append(data.data(), elemBytes);
    return out;
  }
  return std::string(data.data(), data.size());
}

namespace {
struct FlattenConstantGlobalsPass
    : npu::impl::FlattenConstantGlobalsBase<FlattenConstantGlobalsPass> {
  using FlattenConstantGlobalsBase::FlattenConstantGlobalsBase;

  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    getOperation().walk([&](LLVM::GlobalOp global) {
      auto value = dyn_cast_if_present<ElementsAttr>(global.getValueOrNull());
      if (!value || !global.getInitializerRegion().empty())
        return;
      std::optional<std::string> bytes = rawBytes(value);
      if (!bytes || (int64_t)bytes->size() < minBytes)
        return;
      global.setGlobalTypeAttr(TypeAttr::get(LLVM::LLVMArrayType::get(
          IntegerType::get(ctx, 8), bytes->size())));
      global.setValueAttr(StringAttr::get(ctx, *bytes));
    });
  }
};
} // namespace
