//===- NPUOps.h - operations of the npu dialect -----------------*- C++ -*-===//
#ifndef NPU_DIALECT_NPU_IR_NPUOPS_H
#define NPU_DIALECT_NPU_IR_NPUOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "npu/Dialect/NPU/IR/NPUDialect.h"

#include <optional>
#include <string>

namespace npu {
/// Numpy-style broadcast of two static shapes; failure if incompatible.
mlir::FailureOr<llvm::SmallVector<int64_t>>
broadcastShapes(llvm::ArrayRef<int64_t> a, llvm::ArrayRef<int64_t> b);

/// Output size of one spatial dim of a window op (conv or pooling).
int64_t windowOutputSize(int64_t in, int64_t kernel, int64_t stride,
                         int64_t padBegin, int64_t padEnd, int64_t dilation,
                         bool ceilMode);

/// The terms of an explicit einsum equation "t1,..,tn->out" (see
/// npu.einsum); nullopt unless every term is letters only and the output
/// repeats none.
struct EinsumTerms {
  llvm::SmallVector<std::string> inputs;
  std::string output;
};
std::optional<EinsumTerms> parseEinsumEquation(llvm::StringRef equation);
} // namespace npu

#define GET_OP_CLASSES
#include "npu/Dialect/NPU/IR/NPUOps.h.inc"

#endif // NPU_DIALECT_NPU_IR_NPUOPS_H
