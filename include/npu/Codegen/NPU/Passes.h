//===- Passes.h - NPU backend passes ----------------------------*- C++ -*-===//
#ifndef NPU_CODEGEN_NPU_PASSES_H
#define NPU_CODEGEN_NPU_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "npu/Dialect/AICore/IR/AICoreDialect.h"
#include "npu/Dialect/NPUK/IR/NPUKDialect.h"

namespace npu {
#define GEN_PASS_DECL
#define GEN_PASS_REGISTRATION
#include "npu/Codegen/NPU/Passes.h.inc"
} // namespace npu

#endif // NPU_CODEGEN_NPU_PASSES_H
