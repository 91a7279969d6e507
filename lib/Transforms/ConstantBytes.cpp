//===- ConstantBytes.cpp - raw bytes of dense and resource constants ------===//
#include "npu/Transforms/ConstantBytes.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include <cstring>

using namespace mlir;

std::optional<npu::ConstantBytes> npu::getConstantBytes(ElementsAttr attr) {
  Type et = attr.getElementType();
  if (!et.isIntOrFloat() || et.getIntOrFloatBitWidth() % 8)
    return std::nullopt;
  if (auto res = dyn_cast<DenseResourceElementsAttr>(attr)) {
    if (AsmResourceBlob *blob = res.getRawHandle().getBlob())
      return ConstantBytes{blob->getData(), false};
    return std::nullopt;
  }
  auto dense = dyn_cast<DenseElementsAttr>(attr);
  if (!dense)
    return std::nullopt;
  return ConstantBytes{dense.getRawData(), dense.isSplat()};
}

ElementsAttr npu::makeConstant(ShapedType type, StringRef hint,
                               function_ref<void(MutableArrayRef<char>)> fill) {
  size_t bytes = type.getNumElements() * (type.getElementTypeBitWidth() / 8);
  if (bytes <= 256) {
    std::vector<char> data(bytes, 0);
    fill(data);
    return DenseElementsAttr::getFromRawBuffer(type, data);
  }
  AsmResourceBlob blob =
      HeapAsmResourceBlob::allocate(bytes, alignof(uint64_t));
  MutableArrayRef<char> data = blob.getMutableData();
  std::memset(data.data(), 0, bytes);
  fill(data);
  return DenseResourceElementsAttr::get(type, hint, std::move(blob));
}
