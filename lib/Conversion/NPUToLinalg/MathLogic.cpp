//===- MathLogic.cpp - npu math, logic, compare, select, mod, arg-reductions
//===----------------------------------------------------------------------===//
#include "Utils.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "npu/Dialect/NPU/IR/NPUOps.h"
#include "llvm/ADT/APFloat.h"

using namespace mlir;
using namespace npu;
using namespace npu::detail;

namespace {

bool isFloat(Value v) { return isa<FloatType>(v.getType()); }

/// Unary ops that are one math-dialect op on the element.
template <typename OpT, typename MathOpT>
struct MathUnaryLowering : OpConversionPattern<OpT> {
  using OpConversionPattern<OpT>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpT op, typename OpT::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(
        op, createElementwise(rewriter, op.getLoc(),
                              cast<RankedTensorType>(op.getType()),
                              adaptor.getOperands(),
                              [](OpBuilder &b, Location l, ValueRange a) {
                                return b.create<MathOpT>(l, a[0]);
                              }));
    return success();
  }
};

Value greaterThan(OpBuilder &b, Location l, Value x, Value y, bool isUnsigned,
                  bool orEqual) {
  if (isFloat(x))
    return b.create<arith::CmpFOp>(l, orEqual ? arith::CmpFPredicate::OGE
                                              : arith::CmpFPredicate::OGT,
                                   x, y);
  auto p = isUnsigned ? (orEqual ? arith::CmpIPredicate::uge
                                 : arith::CmpIPredicate::ugt)
                      : (orEqual ? arith::CmpIPredicate::sge
                                 : arith::CmpIPredicate::sgt);
  return b.create<arith::CmpIOp>(l, p, x, y);
}

Value compare(OpBuilder &b, Location l, StringRef pred, Value x, Value y,
              bool isUnsigned) {
  if (pred == "lt" || pred == "le")
    return greaterThan(b, l, y, x, isUnsigned, pred == "le");
  if (pred == "gt" || pred == "ge")
    return greaterThan(b, l, x, y, isUnsigned, pred == "ge");
  bool eq = pred == "eq";
  if (isFloat(x))
    return b.create<arith::CmpFOp>(
        l, eq ? arith::CmpFPredicate::OEQ : arith::CmpFPredicate::UNE, x, y);
  return b.create<arith::CmpIOp>(
      l, eq ? arith::CmpIPredicate::eq : arith::CmpIPredicate::ne, x, y);
}

Value scalarOp(SignOp, OpBuilder &b, Location l, ValueRange a) {
  Value x = a[0];
  Type t = x.getType();
  Value zero = createScalar(b, l, t, 0.0);
  Value pos = compare(b, l, "gt", x, zero, false);
  Value neg = compare(b, l, "lt", x, zero, false);
  // Floats keep x itself when neither holds: 0, -0 and NaN stay as they are.
  Value other = isFloat(x) ? x : zero;
  Value r = b.create<arith::SelectOp>(l, neg, createScalar(b, l, t, -1.0),
                                      other);
  return b.create<arith::SelectOp>(l, pos, createScalar(b, l, t, 1.0), r);
}
Value scalarOp(NotOp, OpBuilder &b, Location l, ValueRange a) {
  return b.create<arith::XOrIOp>(l, a[0],
                                 createScalar(b, l, a[0].getType(), -1.0));
}
Value scalarOp(AndOp, OpBuilder &b, Location l, ValueRange a) {
  return b.create<arith::AndIOp>(l, a[0], a[1]);
}
Value scalarOp(OrOp, OpBuilder &b, Location l, ValueRange a) {
  return b.create<arith::OrIOp>(l, a[0], a[1]);
}
Value scalarOp(XorOp, OpBuilder &b, Location l, ValueRange a) {
  return b.create<arith::XOrIOp>(l, a[0], a[1]);
}
Value scalarOp(IsNaNOp, OpBuilder &b, Location l, ValueRange a) {
  return b.create<arith::CmpFOp>(l, arith::CmpFPredicate::UNO, a[0], a[0]);
}
Value scalarOp(SelectOp, OpBuilder &b, Location l, ValueRange a) {
  return b.create<arith::SelectOp>(l, a[0], a[1], a[2]);
}
Value scalarOp(IsInfOp op, OpBuilder &b, Location l, ValueRange a) {
  auto ft = cast<FloatType>(a[0].getType());
  Value r = createScalar(b, l, b.getI1Type(), 0.0);
  for (bool negative : {false, true}) {
    if (negative ? !op.getNegative() : !op.getPositive())
      continue;
    Value inf = b.create<arith::ConstantOp>(
        l, b.getFloatAttr(ft, APFloat::getInf(ft.getFloatSemantics(),
                                              negative)));
    r = b.create<arith::OrIOp>(
        l, r,
        b.create<arith::CmpFOp>(l, arith::CmpFPredicate::OEQ, a[0], inf));
  }
  return r;
}
Value scalarOp(CompareOp op, OpBuilder &b, Location l, ValueRange a) {
  return compare(b, l, op.getPredicate(), a[0], a[1],
                 op.getUnsignedOperands());
}
Value scalarOp(BitShiftOp op, OpBuilder &b, Location l, ValueRange a) {
  Value x = a[0], y = a[1];
  Type t = x.getType();
  Value shifted = op.getLeft() ? Value(b.create<arith::ShLIOp>(l, x, y))
                               : Value(b.create<arith::ShRUIOp>(l, x, y));
  // arith shifts by >= the bit width are poison; numpy gives 0.
  Value width = b.create<arith::ConstantOp>(
      l, b.getIntegerAttr(t, t.getIntOrFloatBitWidth()));
  Value inRange =
      b.create<arith::CmpIOp>(l, arith::CmpIPredicate::ult, y, width);
  return b.create<arith::SelectOp>(l, inRange, shifted,
                                   createScalar(b, l, t, 0.0));
}
Value scalarOp(ModOp op, OpBuilder &b, Location l, ValueRange a) {
  Value x = a[0], y = a[1];
  if (isFloat(x))
    return b.create<arith::RemFOp>(l, x, y);
  if (op.getUnsignedOperands())
    return b.create<arith::RemUIOp>(l, x, y);
  Value r = b.create<arith::RemSIOp>(l, x, y);
  if (op.getFmod())
    return r;
  // Python-style: a non-zero remainder takes the divisor's sign.
  Value zero = createScalar(b, l, x.getType(), 0.0);
  Value nonZero =
      b.create<arith::CmpIOp>(l, arith::CmpIPredicate::ne, r, zero);
  Value rNeg = b.create<arith::CmpIOp>(l, arith::CmpIPredicate::slt, r, zero);
  Value yNeg = b.create<arith::CmpIOp>(l, arith::CmpIPredicate::slt, y, zero);
  Value differ = b.create<arith::XOrIOp>(l, rNeg, yNeg);
  Value fix = b.create<arith::AndIOp>(l, nonZero, differ);
  return b.create<arith::SelectOp>(l, fix, b.create<arith::AddIOp>(l, r, y),
                                   r);
}

template <typename OpT>
struct ElementwiseLowering : OpConversionPattern<OpT> {
  using OpConversionPattern<OpT>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpT op, typename OpT::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value result = createElementwise(
        rewriter, op.getLoc(), cast<RankedTensorType>(op.getType()),
        adaptor.getOperands(), [&](OpBuilder &b, Location l, ValueRange a) {
          return scalarOp(op, b, l, a);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// A reduction over `axis` (or `axes`) as one linalg.generic whose outputs
/// drop the reduced dims; keepdims is a reshape afterwards.
linalg::GenericOp createReduceGeneric(
    OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> axes,
    ArrayRef<Value> inits,
    function_ref<void(OpBuilder &, Location, ValueRange)> body) {
  auto inType = cast<RankedTensorType>(input.getType());
  int64_t rank = inType.getRank();
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineMap> maps{AffineMap::getMultiDimIdentityMap(rank, ctx)};
  SmallVector<Type> types;
  for (Value init : inits) {
    maps.push_back(getProjectionMap(rank, axes, ctx));
    types.push_back(init.getType());
  }
  auto iters = parallelIterators(rank);
  for (int64_t a : axes)
    iters[a] = utils::IteratorType::reduction;
  return b.create<linalg::GenericOp>(loc, types, input, inits, maps, iters,
                                     body);
}

SmallVector<int64_t> droppedShape(RankedTensorType t, ArrayRef<int64_t> axes) {
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < t.getRank(); ++d)
    if (!llvm::is_contained(axes, d))
      shape.push_back(t.getDimSize(d));
  return shape;
}

struct ReduceProdLowering : OpConversionPattern<ReduceProdOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ReduceProdOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto inType = cast<RankedTensorType>(adaptor.getInput().getType());
    Type et = inType.getElementType();
    auto outType =
        RankedTensorType::get(droppedShape(inType, op.getAxes()), et);
    Value init = createFilled(rewriter, loc, outType,
                              createScalar(rewriter, loc, et, 1.0));
    auto generic = createReduceGeneric(
        rewriter, loc, adaptor.getInput(), op.getAxes(), {init},
        [](OpBuilder &b, Location l, ValueRange a) {
          b.create<linalg::YieldOp>(l, createMul(b, l, a[1], a[0]));
        });
    rewriter.replaceOp(op, createReshape(rewriter, loc, generic.getResult(0),
                                         op.getType()));
    return success();
  }
};

struct ArgMaxLowering : OpConversionPattern<ArgMaxOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ArgMaxOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto inType = cast<RankedTensorType>(adaptor.getInput().getType());
    Type et = inType.getElementType();
    int64_t axis = op.getAxis();
    bool isMin = op.getIsMin(), last = op.getSelectLastIndex();
    bool isUnsigned = op.getUnsignedInput();
    SmallVector<int64_t> shape = droppedShape(inType, {axis});
    // The running best starts at the identity of max (or min), so the
    // first element always replaces it.
    Value start;
    if (auto ft = dyn_cast<FloatType>(et)) {
      start = rewriter.create<arith::ConstantOp>(
          loc, rewriter.getFloatAttr(
                   ft, APFloat::getInf(ft.getFloatSemantics(), !isMin)));
    } else {
      unsigned w = et.getIntOrFloatBitWidth();
      APInt v = isUnsigned ? (isMin ? APInt::getMaxValue(w) : APInt(w, 0))
                           : (isMin ? APInt::getSignedMaxValue(w)
                                    : APInt::getSignedMinValue(w));
      start = rewriter.create<arith::ConstantOp>(
          loc, rewriter.getIntegerAttr(et, v));
    }
    auto i64 = rewriter.getI64Type();
    Value best = createFilled(rewriter, loc, RankedTensorType::get(shape, et),
                              start);
    Value index = createFilled(rewriter, loc, RankedTensorType::get(shape, i64),
                               createScalar(rewriter, loc, i64, 0.0));
    auto generic = createReduceGeneric(
        rewriter, loc, adaptor.getInput(), {axis}, {best, index},
        [&](OpBuilder &b, Location l, ValueRange a) {
          Value x = a[0], cur = a[1], curIdx = a[2];
          // With ties going to the last index, equal values also win.
          Value better = isMin ? greaterThan(b, l, cur, x, isUnsigned, last)
                               : greaterThan(b, l, x, cur, isUnsigned, last);
          Value i = b.create<arith::IndexCastOp>(
              l, i64, b.create<linalg::IndexOp>(l, axis));
          b.create<linalg::YieldOp>(
              l, ValueRange{b.create<arith::SelectOp>(l, better, x, cur),
                            b.create<arith::SelectOp>(l, better, i, curIdx)});
        });
    rewriter.replaceOp(op, createReshape(rewriter, loc, generic.getResult(1),
                                         op.getType()));
    return success();
  }
};

} // namespace

void npu::populateMathLogicPatterns(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<MathUnaryLowering<FloorOp, math::FloorOp>,
               MathUnaryLowering<CeilOp, math::CeilOp>,
               MathUnaryLowering<RoundOp, math::RoundEvenOp>,
               MathUnaryLowering<SinOp, math::SinOp>,
               MathUnaryLowering<CosOp, math::CosOp>,
               MathUnaryLowering<TanOp, math::TanOp>,
               MathUnaryLowering<AsinOp, math::AsinOp>,
               MathUnaryLowering<AcosOp, math::AcosOp>,
               MathUnaryLowering<AtanOp, math::AtanOp>,
               MathUnaryLowering<SinhOp, math::SinhOp>,
               MathUnaryLowering<CoshOp, math::CoshOp>,
               MathUnaryLowering<AsinhOp, math::AsinhOp>,
               MathUnaryLowering<AcoshOp, math::AcoshOp>,
               MathUnaryLowering<AtanhOp, math::AtanhOp>>(ctx);
  patterns.add<ElementwiseLowering<SignOp>, ElementwiseLowering<NotOp>,
               ElementwiseLowering<AndOp>, ElementwiseLowering<OrOp>,
               ElementwiseLowering<XorOp>, ElementwiseLowering<IsNaNOp>,
               ElementwiseLowering<IsInfOp>, ElementwiseLowering<SelectOp>,
               ElementwiseLowering<CompareOp>, ElementwiseLowering<ModOp>,
               ElementwiseLowering<BitShiftOp>>(
      ctx);
  patterns.add<ReduceProdLowering, ArgMaxLowering>(ctx);
}
