//===- Rules.h - which npu ops the NPU backend can run --------------------===//
#ifndef NPU_LIB_CODEGEN_NPU_RULES_H
#define NPU_LIB_CODEGEN_NPU_RULES_H

#include "npu/Codegen/NPU/Placement.h"

#include "llvm/ADT/StringSet.h"
#include <string>

namespace npu {
/// A placement decision with owned strings.
struct Decision {
  bool onNPU = false;
  std::string code, text;
};

/// The NPU rule for `op` (docs/design/npu-backend.md §3), given the op
/// families enabled and the decisions made for earlier ops; nullopt if no
/// rule covers the op (it falls back with `cpu.no_lowering`).
std::optional<Decision>
npuRule(mlir::Operation *op, const llvm::StringSet<> &families,
        const llvm::DenseMap<mlir::Operation *, Decision> &earlier);
} // namespace npu

#endif // NPU_LIB_CODEGEN_NPU_RULES_H
