//===- NPUKOps.h - operations of the npuk dialect ---------------*- C++ -*-===//
#ifndef NPU_DIALECT_NPUK_IR_NPUKOPS_H
#define NPU_DIALECT_NPUK_IR_NPUKOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "npu/Dialect/NPUK/IR/NPUKDialect.h"

#include "npu/Dialect/NPUK/IR/NPUKOpsEnums.h.inc"
#define GET_ATTRDEF_CLASSES
#include "npu/Dialect/NPUK/IR/NPUKOpsAttrs.h.inc"

#define GET_OP_CLASSES
#include "npu/Dialect/NPUK/IR/NPUKOps.h.inc"

#endif // NPU_DIALECT_NPUK_IR_NPUKOPS_H
