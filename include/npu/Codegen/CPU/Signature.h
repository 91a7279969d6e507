//===- Signature.h - derive an artifact signature from an entry --*- C++ -*-===//
#ifndef NPU_CODEGEN_CPU_SIGNATURE_H
#define NPU_CODEGEN_CPU_SIGNATURE_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "npu/Runtime/Tensor.h"

namespace npu {
/// Module attribute holding the JSON signature between the two passes.
inline constexpr llvm::StringLiteral kSignatureAttrName = "npu.signature";
/// Argument/result attribute holding the ONNX tensor name.
inline constexpr llvm::StringLiteral kNameAttrName = "npu.name";

/// Signature of a tensor-typed entry function; emits an error on `func` for
/// dynamic shapes or element types the runtime cannot hold.
mlir::FailureOr<rt::Signature> signatureOf(mlir::func::FuncOp func);
mlir::FailureOr<std::string> signatureToJSON(mlir::func::FuncOp func);
} // namespace npu

#endif // NPU_CODEGEN_CPU_SIGNATURE_H
