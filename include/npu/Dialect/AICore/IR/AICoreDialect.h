//===- AICoreDialect.h - the aicore dialect ---------------------*- C++ -*-===//
#ifndef NPU_DIALECT_AICORE_IR_AICOREDIALECT_H
#define NPU_DIALECT_AICORE_IR_AICOREDIALECT_H

#include "mlir/IR/Dialect.h"

#include "npu/Dialect/AICore/IR/AICoreOpsDialect.h.inc"

#endif // NPU_DIALECT_AICORE_IR_AICOREDIALECT_H
