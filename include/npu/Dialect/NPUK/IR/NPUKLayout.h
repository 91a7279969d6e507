//===- NPUKLayout.h - NPU layouts: shapes, maps, constants ------*- C++ -*-===//
//
// The physical layouts of npuk.convert (see its op description): each maps
// a logical element to a physical offset that is a sum of one term per
// logical dim, `(i / block) * outer + (i % block) * inner`, so constant
// conversion is a table-driven scatter, and the linalg form is pad ->
// expand_shape -> transpose -> collapse_shape.
//
//===----------------------------------------------------------------------===//
#ifndef NPU_DIALECT_NPUK_IR_NPUKLAYOUT_H
#define NPU_DIALECT_NPUK_IR_NPUKLAYOUT_H

#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Support/LogicalResult.h"
#include "npu/Dialect/NPUK/IR/NPUKOps.h"

#include <optional>
#include <string>

namespace npu::npuk {

/// Lanes of a physical layout block and side of a fractal, in elements, for
/// every supported element type (f32, f16, bf16).
constexpr int64_t kC0 = 16;

/// `nd` and `nchw` (row-major); the others are physical.
inline bool isLogical(Layout l) { return l == Layout::nd || l == Layout::nchw; }

/// f32, f16 or bf16.
bool isSupportedElementType(mlir::Type type);

/// A logical shape laid out in a physical layout (or in a logical one: the
/// identity). Physical offset of logical element `idx`:
/// `sum_d (idx[d] / block[d]) * outer[d] + (idx[d] % block[d]) * inner[d]`.
struct LayoutMap {
  Layout layout = Layout::nd;
  llvm::SmallVector<int64_t> logicalShape, physicalShape;
  llvm::SmallVector<int64_t> block, outer, inner; // Per logical dim.

  /// The same map as tensor ops: pad `logicalShape` with zeros at the end
  /// to `paddedShape`, expand_shape to `splitShape` (by `expand`), transpose
  /// so that dim i is split dim `perm[i]`, collapse_shape to
  /// `physicalShape` (by `collapse`).
  llvm::SmallVector<int64_t> paddedShape, splitShape, perm;
  llvm::SmallVector<llvm::SmallVector<int64_t, 2>> expand, collapse;

  int64_t physicalOffset(llvm::ArrayRef<int64_t> logicalIndex) const;
  llvm::SmallVector<int64_t>
  physicalIndex(llvm::ArrayRef<int64_t> logicalIndex) const;
  /// The logical element at a physical index; nullopt for a pad lane.
  std::optional<llvm::SmallVector<int64_t>>
  logicalIndex(llvm::ArrayRef<int64_t> physicalIndex) const;
  int64_t physicalSize() const;
};

/// The map of `logicalShape` in `layout`, or failure with the reason in
/// `*error` (wrong rank, negative dim).
mlir::FailureOr<LayoutMap> getLayoutMap(llvm::ArrayRef<int64_t> logicalShape,
                                        Layout layout,
                                        std::string *error = nullptr);

/// The physical shape of a logical tensor of `dtype` in `layout`; failure for
/// an unsupported rank or element type.
mlir::FailureOr<llvm::SmallVector<int64_t>>
physicalShape(llvm::ArrayRef<int64_t> logicalShape, Layout layout,
              mlir::Type dtype);

/// True if convert(convert(x, a -> b), b -> a) reproduces x bit for bit
/// (given the pad-lane invariant): the layouts invert, the intermediate type
/// holds every source value, the exponents cancel and the scaling cannot
/// overflow or underflow.
bool isExactRoundTrip(Layout a, Layout b, mlir::Type sourceType,
                      mlir::Type midType, int32_t scaleExp1, int32_t scaleExp2);

/// npuk.convert of a constant at compile time, bit-identical to the CPU
/// lowering: scale in f32, round to nearest even, pad lanes +0. Works on
/// the raw bytes of dense and dense_resource constants (no per-element
/// attributes). Returns null if `value`'s data is not available.
mlir::ElementsAttr convertConstant(mlir::ElementsAttr value, Layout from,
                                   Layout to, mlir::RankedTensorType resultType,
                                   int32_t scaleExp);
/// The same with the result shape derived from `value`'s (so `from` is
/// logical or equal to `to`); null otherwise.
mlir::ElementsAttr convertConstant(mlir::ElementsAttr value, Layout from,
                                   Layout to, mlir::Type dtype,
                                   int32_t scaleExp);

} // namespace npu::npuk

#endif // NPU_DIALECT_NPUK_IR_NPUKLAYOUT_H
