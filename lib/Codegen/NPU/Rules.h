//===- Rules.h - which npu ops the NPU backend can run --------------------===//
#ifndef NPU_LIB_CODEGEN_NPU_RULES_H
#define NPU_LIB_CODEGEN_NPU_RULES_H

#include "npu/Codegen/NPU/ElementwiseKernel.h"
#include "npu/Codegen/NPU/Placement.h"
#include "npu/Codegen/NPU/RowKernel.h"

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

/// Moves vector ops whose results only feed host ops (or the graph's
/// results), directly or through other such vector ops, back to the CPU
/// (`cpu.vector_boundary`): there they join the consumer's CPU part instead
/// of adding a kernel. Updates the placement attributes and `decided`.
void demoteHostOnlyChains(mlir::func::FuncOp func,
                          llvm::DenseMap<mlir::Operation *, Decision> &decided);

/// An elementwise npu op as one step of a vector kernel: the kind and
/// scalars in `step` (its value numbers unset) and the tensor operands it
/// reads (one, or two for a binary op without a scalar operand).
struct EltwiseMatch {
  npuk::EltwiseStep step;
  llvm::SmallVector<mlir::Value, 2> operands;
};
/// Matches add, sub, mul, max, min (same-shape operands, or one a
/// constant scalar: a splat or one element), div by a constant scalar (as
/// MulS by its reciprocal), relu and clip; failure with
/// the reason in `why` for anything else.
mlir::FailureOr<EltwiseMatch> matchEltwise(mlir::Operation *op,
                                           std::string &why);
/// Why a row kernel over `type` (rows along the last axis, f16 storage)
/// does not fit the UB budget, or "" if it does.
std::string rowBudgetError(npuk::RowKind kind, mlir::RankedTensorType type,
                           bool residual, bool beta);
/// The value of a constant with one distinct element, if `v` is one.
std::optional<double> scalarConstant(mlir::Value v);
} // namespace npu

#endif // NPU_LIB_CODEGEN_NPU_RULES_H
