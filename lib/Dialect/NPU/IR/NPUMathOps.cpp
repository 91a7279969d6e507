//===- NPUMathOps.cpp - type inference and verifiers of NPUMathOps.td -----===//
#include "npu/Dialect/NPU/IR/NPUOps.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mlir;
using namespace npu;

static LogicalResult broadcastInto(std::optional<Location> loc,
                                   SmallVector<int64_t> &shape, Value v) {
  auto t = cast<RankedTensorType>(v.getType());
  auto b = broadcastShapes(shape, t.getShape());
  if (failed(b))
    return emitOptionalError(loc, "operand shapes are not broadcast-compatible");
  shape = *b;
  return success();
}

LogicalResult CompareOp::inferReturnTypes(MLIRContext *ctx,
                                          std::optional<Location> loc,
                                          Adaptor a,
                                          SmallVectorImpl<Type> &results) {
  SmallVector<int64_t> shape;
  if (failed(broadcastInto(loc, shape, a.getLhs())) ||
      failed(broadcastInto(loc, shape, a.getRhs())))
    return failure();
  results.push_back(RankedTensorType::get(shape, IntegerType::get(ctx, 1)));
  return success();
}

LogicalResult CompareOp::verify() {
  if (!llvm::is_contained({"eq", "ne", "lt", "le", "gt", "ge"},
                          getPredicate()))
    return emitOpError("unknown predicate '") << getPredicate() << "'";
  return success();
}

LogicalResult ModOp::verify() {
  if (isa<FloatType>(getLhs().getType().getElementType()) && !getFmod())
    return emitOpError("float operands require fmod");
  return success();
}

LogicalResult SelectOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor a,
                                         SmallVectorImpl<Type> &results) {
  auto lt = cast<RankedTensorType>(a.getLhs().getType());
  if (lt.getElementType() !=
      cast<RankedTensorType>(a.getRhs().getType()).getElementType())
    return emitOptionalError(loc, "lhs and rhs element types differ");
  SmallVector<int64_t> shape;
  for (Value v : {a.getCond(), a.getLhs(), a.getRhs()})
    if (failed(broadcastInto(loc, shape, v)))
      return failure();
  results.push_back(RankedTensorType::get(shape, lt.getElementType()));
  return success();
}

LogicalResult ArgMaxOp::inferReturnTypes(MLIRContext *ctx,
                                         std::optional<Location> loc,
                                         Adaptor a,
                                         SmallVectorImpl<Type> &results) {
  auto in = cast<RankedTensorType>(a.getInput().getType());
  int64_t axis = a.getAxis();
  if (axis < 0 || axis >= in.getRank())
    return emitOptionalError(loc, "axis ", axis, " is out of range for rank ",
                             in.getRank());
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < in.getRank(); ++d)
    if (d != axis)
      shape.push_back(in.getDimSize(d));
    else if (a.getKeepdims())
      shape.push_back(1);
  results.push_back(RankedTensorType::get(shape, IntegerType::get(ctx, 64)));
  return success();
}
