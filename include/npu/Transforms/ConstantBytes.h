//===- ConstantBytes.h - raw bytes of dense constants -----------*- C++ -*-===//
//
// Compile-time rewrites of big weights (ResNet-50 has 100 MB) work on raw
// bytes: no per-element Attribute objects, no copies of resource blobs.
//
//===----------------------------------------------------------------------===//
#ifndef NPU_TRANSFORMS_CONSTANTBYTES_H
#define NPU_TRANSFORMS_CONSTANTBYTES_H

#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/BuiltinTypes.h"

#include <optional>

namespace npu {

/// The row-major bytes of a constant with byte-sized elements.
struct ConstantBytes {
  llvm::ArrayRef<char> data; // One element if `splat`, else all of them.
  bool splat = false;
};

/// The bytes of a dense or dense_resource constant; nullopt for other
/// attributes, sub-byte element types or a resource without its blob.
std::optional<ConstantBytes> getConstantBytes(mlir::ElementsAttr attr);

/// A constant of `type` whose bytes `fill` writes into zeroed storage:
/// a dense attribute up to 256 bytes, else a dense_resource blob named
/// `hint` that `fill` writes in place.
mlir::ElementsAttr
makeConstant(mlir::ShapedType type, llvm::StringRef hint,
             llvm::function_ref<void(llvm::MutableArrayRef<char>)> fill);

} // namespace npu

#endif // NPU_TRANSFORMS_CONSTANTBYTES_H
