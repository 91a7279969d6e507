//===- TileAnalysis.h - facts about tile kernels shared by the passes -----===//
#ifndef NPU_LIB_CODEGEN_NPU_TILEANALYSIS_H
#define NPU_LIB_CODEGEN_NPU_TILEANALYSIS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "npu/Dialect/NPUK/IR/NPUKOps.h"
#include "npu/Simulator/Config.h"

namespace npu::npuk {

/// A function with this attribute (an integer: the number of cores) is a
/// tile kernel; the tile passes leave other functions alone.
constexpr llvm::StringLiteral kCoresAttr = "npuk.cores";
inline bool isTileKernel(mlir::func::FuncOp f) {
  return f->hasAttr(kCoresAttr);
}

/// Loads the pass option `config` (preset or INI), or emits an error on `op`.
mlir::FailureOr<sim::Config> loadPassConfig(mlir::Operation *op,
                                            llvm::StringRef config);

/// The values an index may take, as far as constants, loop bounds and
/// affine arithmetic tell: [lo, hi], inclusive.
struct IndexRange {
  int64_t lo, hi;
};
std::optional<IndexRange> getIndexRange(mlir::Value v);

/// The bytes an address base stands for: one copy of an allocated slot
/// (`npuk.slot_at`) or a GM region (`npuk.gm`).
struct BaseExtent {
  isa::Buffer buf;
  uint64_t begin, end;
  bool operator==(const BaseExtent &o) const {
    return buf == o.buf && begin == o.begin && end == o.end;
  }
};
std::optional<BaseExtent> getBaseExtent(mlir::Value base);

/// One access of a virtual instruction with its base.
struct ResolvedAccess {
  Access access;
  BaseExtent base;
  /// The offset is a constant, so `access` is the footprint itself (else it
  /// is a bound: the union over the offset's range, clipped to the base, or
  /// the whole base when nothing is known).
  bool exact;
};
/// The accesses of `op` with every address resolved. Emits an error if a
/// base is not allocated.
mlir::LogicalResult resolveAccesses(VirtInstOpInterface op,
                                    const FmapState &fmap,
                                    llvm::SmallVectorImpl<ResolvedAccess> &out);

} // namespace npu::npuk

#endif // NPU_LIB_CODEGEN_NPU_TILEANALYSIS_H
