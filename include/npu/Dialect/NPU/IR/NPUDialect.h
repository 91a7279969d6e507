//===- NPUDialect.h - the npu dialect ---------------------------*- C++ -*-===//
#ifndef NPU_DIALECT_NPU_IR_NPUDIALECT_H
#define NPU_DIALECT_NPU_IR_NPUDIALECT_H

#include "mlir/IR/Dialect.h"

#include "npu/Dialect/NPU/IR/NPUOpsDialect.h.inc"

#endif // NPU_DIALECT_NPU_IR_NPUDIALECT_H
