//===- NPUQuantOps.cpp - quantization, integer matmul/conv, scan ops ------===//
//
// Type inference and verifiers of NPUQuantOps.td and NPUScanOps.td.
//
//===----------------------------------------------------------------------===//
#include "npu/Dialect/NPU/IR/NPUOps.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace npu;

static RankedTensorType ranked(Value v) {
  return cast<RankedTensorType>(v.getType());
}

//===----------------------------------------------------------------------===//
// Quantize, requantize, dequantize
//===----------------------------------------------------------------------===//

/// Shared checks: scale/zero point shapes against the input and `axis`.
static LogicalResult verifyAffineQuant(Operation *op, Value input, Value scale,
                                       Value zeroPoint,
                                       std::optional<int64_t> axis) {
  auto in = ranked(input), st = ranked(scale), zt = ranked(zeroPoint);
  if (zt.getRank() != 0 && st.getShape() != zt.getShape())
    return op->emitOpError("zero point must be rank 0 or have the scale's "
                           "shape, got ")
           << zt << " for " << st;
  if (st.getRank() > 1)
    return op->emitOpError("scale must have rank 0 or 1, got ") << st;
  if (st.getRank() == 0) {
    if (axis)
      return op->emitOpError("axis is only allowed with a rank-1 scale");
    return success();
  }
  if (!axis)
    return op->emitOpError("a rank-1 scale needs an axis");
  if (*axis < 0 || *axis >= in.getRank())
    return op->emitOpError("axis ")
           << *axis << " is out of range for rank " << in.getRank();
  if (st.getDimSize(0) != in.getDimSize(*axis))
    return op->emitOpError("scale has ")
           << st.getDimSize(0) << " entries, input dimension " << *axis
           << " has " << in.getDimSize(*axis);
  return success();
}

/// Quantized element types hold at most 16 bits, so every value is exact
/// in f32 and saturation bounds need no care.
static LogicalResult checkQuantizedType(Operation *op, Type t, StringRef what) {
  if (t.getIntOrFloatBitWidth() > 16 || t.isInteger(1))
    return op->emitOpError()
           << what << " must be a 2- to 16-bit integer, got " << t;
  return success();
}

LogicalResult QuantizeOp::inferReturnTypes(MLIRContext *,
                                           std::optional<Location>, Adaptor a,
                                           SmallVectorImpl<Type> &results) {
  results.push_back(
      ranked(a.getInput()).clone(ranked(a.getZeroPoint()).getElementType()));
  return success();
}

LogicalResult QuantizeOp::verify() {
  if (getScale().getType().getElementType() !=
      getInput().getType().getElementType())
    return emitOpError("scale must have the input's element type");
  if (failed(checkQuantizedType(*this, getResult().getType().getElementType(),
                                "result")))
    return failure();
  return verifyAffineQuant(*this, getInput(), getScale(), getZeroPoint(),
                           getAxis());
}

LogicalResult RequantizeOp::inferReturnTypes(MLIRContext *,
                                             std::optional<Location>, Adaptor a,
                                             SmallVectorImpl<Type> &results) {
  results.push_back(
      ranked(a.getInput()).clone(ranked(a.getZeroPoint()).getElementType()));
  return success();
}

LogicalResult RequantizeOp::verify() {
  if (getInput().getType().getElementType().isInteger(1))
    return emitOpError("input must be a signed integer accumulator");
  if (failed(checkQuantizedType(*this, getResult().getType().getElementType(),
                                "result")))
    return failure();
  return verifyAffineQuant(*this, getInput(), getScale(), getZeroPoint(),
                           getAxis());
}

LogicalResult DequantizeOp::inferReturnTypes(MLIRContext *,
                                             std::optional<Location>, Adaptor a,
                                             SmallVectorImpl<Type> &results) {
  results.push_back(
      ranked(a.getInput()).clone(ranked(a.getScale()).getElementType()));
  return success();
}

LogicalResult DequantizeOp::verify() {
  Type et = getInput().getType().getElementType();
  if (getZeroPoint().getType().getElementType() != et)
    return emitOpError("zero point must have the input's element type");
  if (et.getIntOrFloatBitWidth() > 32 || et.isInteger(1))
    return emitOpError("input must be a 2- to 32-bit integer, got ") << et;
  return verifyAffineQuant(*this, getInput(), getScale(), getZeroPoint(),
                           getAxis());
}

//===----------------------------------------------------------------------===//
// Integer matmul and convolution
//===----------------------------------------------------------------------===//

/// The zero point has the operand's element type and broadcasts to it.
static LogicalResult verifyZeroPoint(Operation *op, Value operand,
                                     Value zeroPoint, StringRef what) {
  auto ot = ranked(operand), zt = ranked(zeroPoint);
  if (ot.getElementType() != zt.getElementType())
    return op->emitOpError()
           << what << " zero point must have the " << what << "'s element type";
  if (failed(checkQuantizedType(op, ot.getElementType(), what)))
    return failure();
  auto b = broadcastShapes(ot.getShape(), zt.getShape());
  if (failed(b) || ArrayRef<int64_t>(*b) != ot.getShape())
    return op->emitOpError() << what << " zero point of type " << zt
                             << " does not broadcast to " << ot;
  return success();
}

LogicalResult
MatMulIntegerOp::inferReturnTypes(MLIRContext *ctx, std::optional<Location> loc,
                                  Adaptor a, SmallVectorImpl<Type> &results) {
  auto shape = inferMatMulShape(loc, ranked(a.getLhs()).getShape(),
                                ranked(a.getRhs()).getShape());
  if (failed(shape))
    return failure();
  results.push_back(RankedTensorType::get(*shape, IntegerType::get(ctx, 32)));
  return success();
}

LogicalResult MatMulIntegerOp::verify() {
  if (failed(verifyZeroPoint(*this, getLhs(), getLhsZeroPoint(), "lhs")))
    return failure();
  return verifyZeroPoint(*this, getRhs(), getRhsZeroPoint(), "rhs");
}

LogicalResult
Conv2DIntegerOp::inferReturnTypes(MLIRContext *ctx, std::optional<Location> loc,
                                  Adaptor a, SmallVectorImpl<Type> &results) {
  if (ranked(a.getInput()).getRank() != 4)
    return emitOptionalError(loc, "conv2d_integer expects a rank-4 input");
  auto shape = inferConvShape(loc, a.getInput(), a.getWeight(), a.getBias(),
                              a.getStrides(), a.getPads(), a.getDilations(),
                              a.getGroup());
  if (failed(shape))
    return failure();
  results.push_back(RankedTensorType::get(*shape, IntegerType::get(ctx, 32)));
  return success();
}

LogicalResult Conv2DIntegerOp::verify() {
  if (failed(verifyZeroPoint(*this, getInput(), getInputZeroPoint(), "input")))
    return failure();
  return verifyZeroPoint(*this, getWeight(), getWeightZeroPoint(), "weight");
}

//===----------------------------------------------------------------------===//
// Scans
//===----------------------------------------------------------------------===//

LogicalResult CumSumOp::verify() {
  int64_t rank = getInput().getType().getRank(), axis = getAxis();
  if (axis < 0 || axis >= rank)
    return emitOpError("axis ") << axis << " is out of range for rank " << rank;
  return success();
}

LogicalResult TopKOp::inferReturnTypes(MLIRContext *ctx,
                                       std::optional<Location> loc, Adaptor a,
                                       SmallVectorImpl<Type> &results) {
  auto in = ranked(a.getInput());
  int64_t axis = a.getAxis(), k = a.getK();
  if (axis < 0 || axis >= in.getRank())
    return emitOptionalError(loc, "axis ", axis, " is out of range for rank ",
                             in.getRank());
  if (k < 1 || k > in.getDimSize(axis))
    return emitOptionalError(loc, "k = ", k, " must be in [1, ",
                             in.getDimSize(axis), "]");
  SmallVector<int64_t> shape(in.getShape());
  shape[axis] = k;
  results.push_back(RankedTensorType::get(shape, in.getElementType()));
  results.push_back(RankedTensorType::get(shape, IntegerType::get(ctx, 64)));
  return success();
}
