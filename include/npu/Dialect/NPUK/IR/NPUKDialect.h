//===- NPUKDialect.h - the npuk dialect -------------------------*- C++ -*-===//
#ifndef NPU_DIALECT_NPUK_IR_NPUKDIALECT_H
#define NPU_DIALECT_NPUK_IR_NPUKDIALECT_H

#include "mlir/IR/Dialect.h"

#include "npu/Dialect/NPUK/IR/NPUKOpsDialect.h.inc"

#endif // NPU_DIALECT_NPUK_IR_NPUKDIALECT_H
