//===- NPUControlFlowOps.cpp - verifiers of npu.if and npu.loop -----------===//
#include "npu/Dialect/NPU/IR/NPUOps.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace npu;

/// Checks that `yield` produces exactly `types`; `what` names the region.
static LogicalResult verifyYield(Operation *op, YieldOp yield, TypeRange types,
                                 StringRef what) {
  if (yield.getValues().size() != types.size())
    return op->emitOpError() << what << " yields " << yield.getValues().size()
                             << " values, expected " << types.size();
  for (auto [i, v, t] : llvm::enumerate(yield.getValues(), types))
    if (v.getType() != t)
      return op->emitOpError() << what << " yields " << v.getType()
                               << " for value " << i << ", expected " << t;
  return success();
}

static YieldOp lastYield(Block &block) {
  return block.empty() ? YieldOp() : dyn_cast<YieldOp>(block.back());
}

LogicalResult IfOp::verify() {
  if (getCond().getType().getNumElements() != 1)
    return emitOpError("condition must have one element, got ")
           << getCond().getType();
  for (Region *r : {&getThenRegion(), &getElseRegion()}) {
    auto yield = lastYield(r->front());
    if (!yield)
      return emitOpError("regions must end in npu.yield");
    if (failed(
            verifyYield(*this, yield, getResultTypes(),
                        r == &getThenRegion() ? "then region" : "else region")))
      return failure();
  }
  return success();
}

/// `type` without dimension `axis`.
static RankedTensorType dropDim(RankedTensorType type, int64_t axis) {
  SmallVector<int64_t> shape(type.getShape());
  shape.erase(shape.begin() + axis);
  return type.clone(shape);
}

LogicalResult LoopOp::verify() {
  int64_t trips = getTripCount();
  unsigned numCarried = getNumCarried(), numScanIn = getScanInputs().size();
  if (getScanInputAxes().size() != numScanIn ||
      getScanInputReverse().size() != numScanIn)
    return emitOpError("needs one scan_input_axes and scan_input_reverse "
                       "entry per scan input");
  unsigned numScanOut = getNumResults() - std::min(getNumResults(), numCarried);
  if (getNumResults() < numCarried ||
      getScanOutputAxes().size() != numScanOut ||
      getScanOutputReverse().size() != numScanOut)
    return emitOpError("needs one result per carried value and one "
                       "scan_output_axes and scan_output_reverse entry per "
                       "further result");

  if (getConditional()) {
    auto condType = numCarried
                        ? dyn_cast<RankedTensorType>(getInits()[0].getType())
                        : RankedTensorType();
    if (!condType || !condType.getElementType().isInteger(1) ||
        condType.getNumElements() != 1)
      return emitOpError("conditional loops carry their condition (a "
                         "single-element i1 tensor) first");
    if (numScanIn || numScanOut)
      return emitOpError("conditional loops cannot scan: the number of "
                         "iterations is not known");
  }

  // Block arguments: iteration number, carried values, scan slices.
  Block &body = getBody().front();
  SmallVector<Type> argTypes{
      RankedTensorType::get({}, IntegerType::get(getContext(), 64))};
  for (Value v : getInits())
    argTypes.push_back(v.getType());
  for (auto [k, v] : llvm::enumerate(getScanInputs())) {
    auto type = cast<RankedTensorType>(v.getType());
    int64_t axis = getScanInputAxes()[k];
    if (axis < 0 || axis >= type.getRank())
      return emitOpError("scan input ")
             << k << " axis " << axis << " is out of range for " << type;
    if (type.getDimSize(axis) != trips)
      return emitOpError("scan input ")
             << k << " has " << type.getDimSize(axis) << " slices along axis "
             << axis << ", expected the trip count " << trips;
    argTypes.push_back(dropDim(type, axis));
  }
  if (body.getArgumentTypes() != TypeRange(argTypes))
    return emitOpError("body arguments must be the iteration number "
                       "(tensor<i64>), the carried values and one slice per "
                       "scan input");

  // Results: carried values, then scan outputs stacked from the slices.
  SmallVector<Type> yieldTypes(getInits().getTypes());
  for (unsigned i = 0; i < numCarried; ++i)
    if (getResult(i).getType() != getInits()[i].getType())
      return emitOpError("result ") << i << " must have the type of init " << i;
  for (auto [k, r] : llvm::enumerate(getScanOutputs())) {
    auto type = cast<RankedTensorType>(r.getType());
    int64_t axis = getScanOutputAxes()[k];
    if (axis < 0 || axis >= type.getRank())
      return emitOpError("scan output ")
             << k << " axis " << axis << " is out of range for " << type;
    if (type.getDimSize(axis) != trips)
      return emitOpError("scan output ")
             << k << " must have " << trips << " slices along axis " << axis
             << ", got " << type;
    yieldTypes.push_back(dropDim(type, axis));
  }
  auto yield = lastYield(body);
  if (!yield)
    return emitOpError("body must end in npu.yield");
  return verifyYield(*this, yield, yieldTypes, "body");
}
