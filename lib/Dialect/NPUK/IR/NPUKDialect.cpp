//===- NPUKDialect.cpp - npuk dialect registration ------------------------===//
#include "npu/Dialect/NPUK/IR/NPUKDialect.h"
#include "npu/Dialect/NPUK/IR/NPUKOps.h"

#include "NPUKSyntax.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"

#include "npu/Dialect/NPUK/IR/NPUKOpsDialect.cpp.inc"
#include "npu/Dialect/NPUK/IR/NPUKOpsEnums.cpp.inc"

#include "llvm/ADT/TypeSwitch.h"
#define GET_ATTRDEF_CLASSES
#include "npu/Dialect/NPUK/IR/NPUKOpsAttrs.cpp.inc"

using namespace mlir;
using namespace npu::npuk;

#define GET_OP_CLASSES
#include "npu/Dialect/NPUK/IR/NPUKInterfaces.cpp.inc"
#include "npu/Dialect/NPUK/IR/NPUKOps.cpp.inc"

void NPUKDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "npu/Dialect/NPUK/IR/NPUKOpsAttrs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "npu/Dialect/NPUK/IR/NPUKOps.cpp.inc"
      >();
}
