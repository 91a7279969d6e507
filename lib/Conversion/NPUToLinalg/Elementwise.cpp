//===- Elementwise.cpp - npu binary, unary, clip and cast ops to linalg ---===//
#include "Utils.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "npu/Dialect/NPU/IR/NPUOps.h"

using namespace mlir;
using namespace npu;
using namespace npu::detail;

namespace {

bool isFloat(Value v) { return isa<FloatType>(v.getType()); }

//===----------------------------------------------------------------------===//
// Scalar bodies, one per op
//===----------------------------------------------------------------------===//

Value scalarOp(AddOp, OpBuilder &b, Location l, ValueRange a) {
  return createAdd(b, l, a[0], a[1]);
}
Value scalarOp(SubOp, OpBuilder &b, Location l, ValueRange a) {
  if (isFloat(a[0]))
    return b.create<arith::SubFOp>(l, a[0], a[1]);
  return b.create<arith::SubIOp>(l, a[0], a[1]);
}
Value scalarOp(MulOp, OpBuilder &b, Location l, ValueRange a) {
  return createMul(b, l, a[0], a[1]);
}
Value scalarOp(DivOp op, OpBuilder &b, Location l, ValueRange a) {
  if (op.getUnsignedOperands() && !isFloat(a[0]))
    return b.create<arith::DivUIOp>(l, a[0], a[1]);
  return createDiv(b, l, a[0], a[1]);
}
Value scalarOp(PowOp, OpBuilder &b, Location l, ValueRange a) {
  if (isFloat(a[0]))
    return b.create<math::PowFOp>(l, a[0], a[1]);
  return b.create<math::IPowIOp>(l, a[0], a[1]);
}
Value scalarOp(MaxOp, OpBuilder &b, Location l, ValueRange a) {
  return createMax(b, l, a[0], a[1]);
}
Value scalarOp(MinOp, OpBuilder &b, Location l, ValueRange a) {
  return createMin(b, l, a[0], a[1]);
}
Value scalarOp(ReluOp, OpBuilder &b, Location l, ValueRange a) {
  return createMax(b, l, a[0], createScalar(b, l, a[0].getType(), 0.0));
}
Value scalarOp(SigmoidOp, OpBuilder &b, Location l, ValueRange a) {
  // 1 / (1 + exp(-x)): exp overflows to +inf for very negative x, giving the
  // correct limit 0 rather than NaN.
  Value one = createScalar(b, l, a[0].getType(), 1.0);
  Value e = b.create<math::ExpOp>(l, b.create<arith::NegFOp>(l, a[0]));
  return b.create<arith::DivFOp>(l, one, b.create<arith::AddFOp>(l, one, e));
}
Value scalarOp(TanhOp, OpBuilder &b, Location l, ValueRange a) {
  return b.create<math::TanhOp>(l, a[0]);
}
Value scalarOp(ErfOp, OpBuilder &b, Location l, ValueRange a) {
  return b.create<math::ErfOp>(l, a[0]);
}
Value scalarOp(SqrtOp, OpBuilder &b, Location l, ValueRange a) {
  return b.create<math::SqrtOp>(l, a[0]);
}
Value scalarOp(ExpOp, OpBuilder &b, Location l, ValueRange a) {
  return b.create<math::ExpOp>(l, a[0]);
}
Value scalarOp(LogOp, OpBuilder &b, Location l, ValueRange a) {
  return b.create<math::LogOp>(l, a[0]);
}
Value scalarOp(NegOp, OpBuilder &b, Location l, ValueRange a) {
  if (isFloat(a[0]))
    return b.create<arith::NegFOp>(l, a[0]);
  return b.create<arith::SubIOp>(l, createScalar(b, l, a[0].getType(), 0.0),
                                 a[0]);
}
Value scalarOp(ReciprocalOp, OpBuilder &b, Location l, ValueRange a) {
  return b.create<arith::DivFOp>(l, createScalar(b, l, a[0].getType(), 1.0),
                                 a[0]);
}

/// Lowers every op whose semantics is one scalar function applied
/// elementwise with broadcasting.
template <typename OpT>
struct ElementwiseLowering : OpConversionPattern<OpT> {
  using OpConversionPattern<OpT>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpT op, typename OpT::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    Value result = createElementwise(
        rewriter, op.getLoc(), type, adaptor.getOperands(),
        [&](OpBuilder &b, Location l, ValueRange args) {
          return scalarOp(op, b, l, args);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct ClipLowering : OpConversionPattern<ClipOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ClipOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = op.getType();
    std::optional<double> lo, hi;
    if (auto a = op.getMin())
      lo = a->convertToDouble();
    if (auto a = op.getMax())
      hi = a->convertToDouble();
    if (!lo && !hi) {
      rewriter.replaceOp(op, adaptor.getInput());
      return success();
    }
    Value result = createElementwise(
        rewriter, op.getLoc(), type, adaptor.getInput(),
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value v = args[0];
          Type et = v.getType();
          if (lo)
            v = createMax(b, l, v, createScalar(b, l, et, *lo));
          if (hi)
            v = createMin(b, l, v, createScalar(b, l, et, *hi));
          return v;
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Scalar conversion between any two npu element types (ONNX Cast rules).
Value convertScalar(OpBuilder &b, Location l, Value v, Type to,
                    bool unsignedInput) {
  Type from = v.getType();
  if (from == to)
    return v;
  auto fromF = dyn_cast<FloatType>(from), toF = dyn_cast<FloatType>(to);
  if (to.isInteger(1)) {
    if (fromF)
      return b.create<arith::CmpFOp>(l, arith::CmpFPredicate::UNE, v,
                                     createScalar(b, l, from, 0.0));
    return b.create<arith::CmpIOp>(l, arith::CmpIPredicate::ne, v,
                                   createScalar(b, l, from, 0.0));
  }
  // i1 holds 0 or 1, never -1, so it always widens as unsigned.
  bool isUnsigned = unsignedInput || from.isInteger(1);
  if (fromF && toF) {
    if (fromF.getWidth() < toF.getWidth())
      return b.create<arith::ExtFOp>(l, to, v);
    if (fromF.getWidth() > toF.getWidth())
      return b.create<arith::TruncFOp>(l, to, v);
    // f16 <-> bf16: go through f32.
    Value wide = b.create<arith::ExtFOp>(l, b.getF32Type(), v);
    return b.create<arith::TruncFOp>(l, to, wide);
  }
  if (fromF)
    return b.create<arith::FPToSIOp>(l, to, v);
  if (toF) {
    if (isUnsigned)
      return b.create<arith::UIToFPOp>(l, to, v);
    return b.create<arith::SIToFPOp>(l, to, v);
  }
  unsigned fw = from.getIntOrFloatBitWidth(), tw = to.getIntOrFloatBitWidth();
  if (fw > tw)
    return b.create<arith::TruncIOp>(l, to, v);
  if (isUnsigned)
    return b.create<arith::ExtUIOp>(l, to, v);
  return b.create<arith::ExtSIOp>(l, to, v);
}

struct CastLowering : OpConversionPattern<CastOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(CastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    if (type == adaptor.getInput().getType()) {
      rewriter.replaceOp(op, adaptor.getInput());
      return success();
    }
    bool isUnsigned = op.getUnsignedInput();
    Value result = createElementwise(
        rewriter, op.getLoc(), type, adaptor.getInput(),
        [&](OpBuilder &b, Location l, ValueRange args) {
          return convertScalar(b, l, args[0], type.getElementType(),
                               isUnsigned);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void npu::populateElementwisePatterns(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<ElementwiseLowering<AddOp>, ElementwiseLowering<SubOp>,
               ElementwiseLowering<MulOp>, ElementwiseLowering<DivOp>,
               ElementwiseLowering<PowOp>, ElementwiseLowering<MaxOp>,
               ElementwiseLowering<MinOp>>(ctx);
  patterns.add<ElementwiseLowering<ReluOp>, ElementwiseLowering<SigmoidOp>,
               ElementwiseLowering<TanhOp>, ElementwiseLowering<ErfOp>,
               ElementwiseLowering<SqrtOp>, ElementwiseLowering<ExpOp>,
               ElementwiseLowering<LogOp>, ElementwiseLowering<NegOp>,
               ElementwiseLowering<ReciprocalOp>>(ctx);
  patterns.add<ClipLowering, CastLowering>(ctx);
}
