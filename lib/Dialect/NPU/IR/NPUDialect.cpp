//===- NPUDialect.cpp - npu dialect registration --------------------------===//
#include "npu/Dialect/NPU/IR/NPUDialect.h"
#include "npu/Dialect/NPU/IR/NPUOps.h"

#include "npu/Dialect/NPU/IR/NPUOpsDialect.cpp.inc"

using namespace mlir;
using namespace npu;

void NPUDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "npu/Dialect/NPU/IR/NPUOps.cpp.inc"
      >();
}

Operation *NPUDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                           Type type, Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return builder.create<ConstantOp>(loc, elements);
}
