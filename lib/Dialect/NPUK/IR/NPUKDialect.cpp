//===- NPUKDialect.cpp - npuk dialect registration ------------------------===//
#include "npu/Dialect/NPUK/IR/NPUKDialect.h"
#include "npu/Dialect/NPUK/IR/NPUKOps.h"

#include "npu/Dialect/NPUK/IR/NPUKOpsDialect.cpp.inc"
#include "npu/Dialect/NPUK/IR/NPUKOpsEnums.cpp.inc"

using namespace mlir;
using namespace npu::npuk;

void NPUKDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "npu/Dialect/NPUK/IR/NPUKOps.cpp.inc"
      >();
}
