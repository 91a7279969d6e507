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

/// Result shape of npu.matmul and npu.matmul_integer (numpy matmul rules);
/// failure is reported at `loc`.
mlir::FailureOr<llvm::SmallVector<int64_t>>
inferMatMulShape(std::optional<mlir::Location> loc, llvm::ArrayRef<int64_t> lhs,
                 llvm::ArrayRef<int64_t> rhs);

/// Result shape of npu.conv and npu.conv2d_integer for s >= 1 spatial dims
/// (`bias` may be null).
mlir::FailureOr<llvm::SmallVector<int64_t>>
inferConvShape(std::optional<mlir::Location> loc, mlir::Value input,
               mlir::Value weight, mlir::Value bias,
               llvm::ArrayRef<int64_t> strides, llvm::ArrayRef<int64_t> pads,
               llvm::ArrayRef<int64_t> dilations, int64_t group);

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
