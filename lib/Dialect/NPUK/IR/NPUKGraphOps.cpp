//===- NPUKGraphOps.cpp - kernel groups and host schedule ops -------------===//
#include "npu/Dialect/NPUK/IR/NPUKOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

using namespace mlir;
using namespace npu::npuk;

LogicalResult KernelOp::verify() {
  Block &body = getBody().front();
  if (body.getNumArguments() != getInputs().size())
    return emitOpError("has ") << getInputs().size() << " operands but its "
                               << "body takes " << body.getNumArguments();
  for (auto [i, operand, arg] :
       llvm::enumerate(getInputs(), body.getArguments()))
    if (operand.getType() != arg.getType())
      return emitOpError("operand ")
             << i << " has type " << operand.getType()
             << " but the body argument has type " << arg.getType();
  auto yield = dyn_cast_or_null<YieldOp>(body.getTerminator());
  if (!yield)
    return emitOpError("body must end in npuk.yield");
  if (yield.getValues().getTypes() != getResultTypes())
    return emitOpError("yields ")
           << yield.getValues().getTypes().size()
           << " values whose types differ from the op's results";
  return success();
}

/// The callee must be a func.func in the nearest symbol table with the
/// call's operand and result types.
static LogicalResult verifyCallee(Operation *op, FlatSymbolRefAttr callee,
                                  FunctionType type,
                                  SymbolTableCollection &symbols) {
  auto fn = symbols.lookupNearestSymbolFrom<func::FuncOp>(op, callee);
  if (!fn)
    return op->emitOpError("callee ") << callee << " is not a func.func";
  if (fn.getFunctionType() != type)
    return op->emitOpError("callee ")
           << callee << " has type " << fn.getFunctionType()
           << " but the call has type " << type;
  return success();
}

LogicalResult CallCPUOp::verifySymbolUses(SymbolTableCollection &symbols) {
  return verifyCallee(*this, getCalleeAttr(), getCalleeType(), symbols);
}

LogicalResult LaunchOp::verifySymbolUses(SymbolTableCollection &symbols) {
  if (auto kernel = symbols.lookupNearestSymbolFrom<DeviceKernelOp>(
          *this, getCalleeAttr())) {
    if (kernel.getFunctionType() != getCalleeType())
      return emitOpError("callee ")
             << getCalleeAttr() << " has type " << kernel.getFunctionType()
             << " but the call has type " << getCalleeType();
    return success();
  }
  return verifyCallee(*this, getCalleeAttr(), getCalleeType(), symbols);
}

LogicalResult DeviceKernelOp::verify() {
  Block &body = getBody().front();
  if (body.getOperations().size() != 1 ||
      body.front().getName().getStringRef() != "aicore.program")
    return emitOpError("body must hold exactly one aicore.program");
  if (getKind() == KernelKind::cpu)
    return emitOpError("kind must be cube or vector");
  return success();
}
