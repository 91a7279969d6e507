//===- Utils.cpp - helpers shared by the npu-to-linalg op families --------===//
#include "Utils.h"

#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "llvm/ADT/APFloat.h"

#include <cmath>
#include <limits>

using namespace mlir;

namespace npu::detail {

Value createEmpty(OpBuilder &b, Location loc, RankedTensorType type) {
  return b.create<tensor::EmptyOp>(loc, type.getShape(), type.getElementType());
}

Value createFilled(OpBuilder &b, Location loc, RankedTensorType type,
                   Value value) {
  Value empty = createEmpty(b, loc, type);
  return b.create<linalg::FillOp>(loc, value, empty).getResult(0);
}

Value createScalar(OpBuilder &b, Location loc, Type type, double value) {
  if (auto ft = dyn_cast<FloatType>(type))
    return b.create<arith::ConstantOp>(loc, b.getFloatAttr(ft, value));
  auto it = cast<IntegerType>(type);
  unsigned width = it.getWidth();
  APInt v;
  if (width == 1) {
    v = APInt(1, value != 0.0);
  } else if (std::isnan(value)) {
    v = APInt(width, 0);
  } else {
    APInt lo = APInt::getSignedMinValue(width);
    APInt hi = APInt::getSignedMaxValue(width);
    double t = std::trunc(value);
    if (t <= (double)lo.getSExtValue())
      v = lo;
    else if (t >= (double)hi.getSExtValue())
      v = hi;
    else
      v = APInt(width, (int64_t)t, /*isSigned=*/true);
  }
  return b.create<arith::ConstantOp>(loc, b.getIntegerAttr(it, v));
}

Value createLowest(OpBuilder &b, Location loc, Type type) {
  if (auto ft = dyn_cast<FloatType>(type))
    return b.create<arith::ConstantOp>(
        loc, b.getFloatAttr(ft, APFloat::getInf(ft.getFloatSemantics(),
                                                /*Negative=*/true)));
  auto it = cast<IntegerType>(type);
  return b.create<arith::ConstantOp>(
      loc, b.getIntegerAttr(it, APInt::getSignedMinValue(it.getWidth())));
}

Value createAdd(OpBuilder &b, Location loc, Value x, Value y) {
  if (isa<FloatType>(x.getType()))
    return b.create<arith::AddFOp>(loc, x, y);
  return b.create<arith::AddIOp>(loc, x, y);
}

Value createMul(OpBuilder &b, Location loc, Value x, Value y) {
  if (isa<FloatType>(x.getType()))
    return b.create<arith::MulFOp>(loc, x, y);
  return b.create<arith::MulIOp>(loc, x, y);
}

Value createDiv(OpBuilder &b, Location loc, Value x, Value y) {
  if (isa<FloatType>(x.getType()))
    return b.create<arith::DivFOp>(loc, x, y);
  return b.create<arith::DivSIOp>(loc, x, y);
}

// maximumf/minimumf propagate NaN, as ONNX Max/Min and numpy do.
Value createMax(OpBuilder &b, Location loc, Value x, Value y) {
  if (isa<FloatType>(x.getType()))
    return b.create<arith::MaximumFOp>(loc, x, y);
  return b.create<arith::MaxSIOp>(loc, x, y);
}

Value createMin(OpBuilder &b, Location loc, Value x, Value y) {
  if (isa<FloatType>(x.getType()))
    return b.create<arith::MinimumFOp>(loc, x, y);
  return b.create<arith::MinSIOp>(loc, x, y);
}

AffineMap getBroadcastMap(ArrayRef<int64_t> operandShape,
                          ArrayRef<int64_t> resultShape, MLIRContext *ctx) {
  int64_t rank = resultShape.size();
  int64_t offset = rank - (int64_t)operandShape.size();
  assert(offset >= 0 && "operand rank exceeds result rank");
  SmallVector<AffineExpr> exprs;
  for (int64_t i = 0, e = operandShape.size(); i < e; ++i) {
    if (operandShape[i] == 1 && resultShape[i + offset] != 1)
      exprs.push_back(getAffineConstantExpr(0, ctx));
    else
      exprs.push_back(getAffineDimExpr(i + offset, ctx));
  }
  return AffineMap::get(rank, 0, exprs, ctx);
}

AffineMap getProjectionMap(int64_t rank, ArrayRef<int64_t> dropped,
                           MLIRContext *ctx) {
  SmallVector<AffineExpr> exprs;
  for (int64_t d = 0; d < rank; ++d)
    if (!llvm::is_contained(dropped, d))
      exprs.push_back(getAffineDimExpr(d, ctx));
  return AffineMap::get(rank, 0, exprs, ctx);
}

Value createReshape(OpBuilder &b, Location loc, Value input,
                    RankedTensorType type) {
  auto inType = cast<RankedTensorType>(input.getType());
  if (inType == type)
    return input;
  ArrayRef<int64_t> from = inType.getShape(), to = type.getShape();
  // Collapsing to (or expanding from) rank 0 uses an empty reassociation.
  if (to.empty())
    return b.create<tensor::CollapseShapeOp>(
        loc, type, input, ArrayRef<ReassociationIndices>{});
  if (from.empty())
    return b.create<tensor::ExpandShapeOp>(loc, type, input,
                                           ArrayRef<ReassociationIndices>{});
  if (to.size() < from.size())
    if (auto re = getReassociationIndicesForCollapse(from, to))
      return b.create<tensor::CollapseShapeOp>(loc, type, input, *re);
  if (to.size() > from.size())
    if (auto re = getReassociationIndicesForCollapse(to, from))
      return b.create<tensor::ExpandShapeOp>(loc, type, input, *re);
  // Neither shape refines the other: go through the flat vector.
  auto flatType =
      RankedTensorType::get({inType.getNumElements()}, inType.getElementType());
  ReassociationIndices all;
  for (int64_t d = 0, e = from.size(); d < e; ++d)
    all.push_back(d);
  Value flat = from.size() == 1
                   ? input
                   : b.create<tensor::CollapseShapeOp>(
                         loc, flatType, input, ArrayRef<ReassociationIndices>{all});
  if (to.size() == 1)
    return flat;
  ReassociationIndices allTo;
  for (int64_t d = 0, e = to.size(); d < e; ++d)
    allTo.push_back(d);
  return b.create<tensor::ExpandShapeOp>(loc, type, flat,
                                         ArrayRef<ReassociationIndices>{allTo});
}

DenseIntElementsAttr i64Pair(OpBuilder &b, ArrayRef<int64_t> values) {
  return DenseIntElementsAttr::get(
      RankedTensorType::get({(int64_t)values.size()}, b.getI64Type()), values);
}

Value padSpatial(OpBuilder &b, Location loc, Value input,
                 ArrayRef<int64_t> begin, ArrayRef<int64_t> end, Value value) {
  if (llvm::all_of(begin, [](int64_t p) { return p == 0; }) &&
      llvm::all_of(end, [](int64_t p) { return p == 0; }))
    return input;
  auto type = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> shape(type.getShape());
  SmallVector<OpFoldResult> low(2, b.getIndexAttr(0)),
      high(2, b.getIndexAttr(0));
  for (size_t i = 0; i < begin.size(); ++i) {
    shape[2 + i] += begin[i] + end[i];
    low.push_back(b.getIndexAttr(begin[i]));
    high.push_back(b.getIndexAttr(end[i]));
  }
  return b.create<tensor::PadOp>(
      loc, RankedTensorType::get(shape, type.getElementType()), input, low,
      high, value);
}

Value insertUnitDim2(OpBuilder &b, Location loc, Value v) {
  auto type = cast<RankedTensorType>(v.getType());
  SmallVector<int64_t> shape(type.getShape());
  shape.insert(shape.begin() + 2, 1);
  return createReshape(b, loc, v, type.clone(shape));
}

Value dropUnitDim2(OpBuilder &b, Location loc, Value v) {
  auto type = cast<RankedTensorType>(v.getType());
  SmallVector<int64_t> shape(type.getShape());
  shape.erase(shape.begin() + 2);
  return createReshape(b, loc, v, type.clone(shape));
}

SmallVector<AffineExpr> windowExprs(MLIRContext *ctx, unsigned outDim0,
                                    unsigned kernelDim0,
                                    ArrayRef<int64_t> strides,
                                    ArrayRef<int64_t> dilations) {
  SmallVector<AffineExpr> exprs;
  for (size_t i = 0; i < strides.size(); ++i)
    exprs.push_back(getAffineDimExpr(outDim0 + i, ctx) * strides[i] +
                    getAffineDimExpr(kernelDim0 + i, ctx) * dilations[i]);
  return exprs;
}

SmallVector<utils::IteratorType> parallelIterators(int64_t rank) {
  return SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel);
}

Value createReduction(OpBuilder &b, Location loc, Value input,
                      ArrayRef<int64_t> axes, bool isMax) {
  auto inType = cast<RankedTensorType>(input.getType());
  Type et = inType.getElementType();
  int64_t rank = inType.getRank();
  SmallVector<int64_t> outShape;
  for (int64_t d = 0; d < rank; ++d)
    if (!llvm::is_contained(axes, d))
      outShape.push_back(inType.getDimSize(d));
  auto outType = RankedTensorType::get(outShape, et);
  Value identity =
      isMax ? createLowest(b, loc, et) : createScalar(b, loc, et, 0.0);
  Value init = createFilled(b, loc, outType, identity);
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineMap> maps{AffineMap::getMultiDimIdentityMap(rank, ctx),
                              getProjectionMap(rank, axes, ctx)};
  auto iters = parallelIterators(rank);
  for (int64_t a : axes)
    iters[a] = utils::IteratorType::reduction;
  return b
      .create<linalg::GenericOp>(
          loc, outType, input, init, maps, iters,
          [&](OpBuilder &nb, Location nl, ValueRange args) {
            Value r = isMax ? createMax(nb, nl, args[0], args[1])
                            : createAdd(nb, nl, args[1], args[0]);
            nb.create<linalg::YieldOp>(nl, r);
          })
      .getResult(0);
}

Value createElementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                        ValueRange inputs, ElementwiseBodyFn body) {
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineMap> maps;
  for (Value in : inputs)
    maps.push_back(getBroadcastMap(
        cast<RankedTensorType>(in.getType()).getShape(),
        resultType.getShape(), ctx));
  maps.push_back(AffineMap::getMultiDimIdentityMap(resultType.getRank(), ctx));
  Value init = createEmpty(b, loc, resultType);
  return b
      .create<linalg::GenericOp>(
          loc, resultType, inputs, init, maps,
          parallelIterators(resultType.getRank()),
          [&](OpBuilder &nb, Location nl, ValueRange args) {
            nb.create<linalg::YieldOp>(nl, body(nb, nl, args.drop_back()));
          })
      .getResult(0);
}

} // namespace npu::detail
