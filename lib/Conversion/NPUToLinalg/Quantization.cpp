//===- Quantization.cpp - npu quantize/dequantize, integer matmul/conv ----===//
//
// Quantize, requantize and dequantize are one linalg.generic each; a
// per-axis scale and zero point are read through a map onto that axis.
// Integer matmul/conv widen each operand to i32 minus its zero point in an
// elementwise producer and reuse the named i32 matmul/conv lowering. That
// is the reference CPU path: packed int8 kernels are expected to claim
// npu.matmul_integer / npu.conv2d_integer before this lowering runs.
//
//===----------------------------------------------------------------------===//
#include "Utils.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "npu/Dialect/NPU/IR/NPUOps.h"

#include <cmath>

using namespace mlir;
using namespace npu;
using namespace npu::detail;

namespace {

/// Integer `v` widened to `to` (or kept when as wide), zero- or
/// sign-extended.
Value widen(OpBuilder &b, Location l, Value v, Type to, bool isUnsigned) {
  if (v.getType().getIntOrFloatBitWidth() >= to.getIntOrFloatBitWidth())
    return v;
  if (isUnsigned)
    return b.create<arith::ExtUIOp>(l, to, v);
  return b.create<arith::ExtSIOp>(l, to, v);
}

Value intToFloat(OpBuilder &b, Location l, Value v, Type to, bool isUnsigned) {
  if (isUnsigned)
    return b.create<arith::UIToFPOp>(l, to, v);
  return b.create<arith::SIToFPOp>(l, to, v);
}

/// saturate(round_even(x) + zp) into `resultType` (at most 16 bits, so the
/// bounds and every in-range value are exact in x's float type). NaN
/// saturates to the lower bound.
Value roundAndSaturate(OpBuilder &b, Location l, Value x, Value zp,
                       Type resultType, bool isUnsigned) {
  Type ft = x.getType();
  unsigned w = resultType.getIntOrFloatBitWidth();
  double lo = isUnsigned ? 0.0 : -std::ldexp(1.0, w - 1);
  double hi = isUnsigned ? std::ldexp(1.0, w) - 1 : std::ldexp(1.0, w - 1) - 1;
  Value v = b.create<math::RoundEvenOp>(l, x);
  v = b.create<arith::AddFOp>(l, v, intToFloat(b, l, zp, ft, isUnsigned));
  v = b.create<arith::MaxNumFOp>(l, v, createScalar(b, l, ft, lo));
  v = b.create<arith::MinNumFOp>(l, v, createScalar(b, l, ft, hi));
  if (isUnsigned)
    return b.create<arith::FPToUIOp>(l, resultType, v);
  return b.create<arith::FPToSIOp>(l, resultType, v);
}

/// One generic over the input's shape reading (input, scale, zero point);
/// rank-1 scale and zero point are indexed by `axis`.
Value createAffineGeneric(
    OpBuilder &b, Location loc, RankedTensorType type, Value input, Value scale,
    Value zeroPoint, std::optional<uint64_t> axis,
    function_ref<Value(OpBuilder &, Location, Value, Value, Value)> body) {
  MLIRContext *ctx = b.getContext();
  int64_t rank = type.getRank();
  AffineMap id = AffineMap::getMultiDimIdentityMap(rank, ctx);
  auto param = [&](Value v) {
    if (cast<RankedTensorType>(v.getType()).getRank() == 0)
      return AffineMap::get(rank, 0, ArrayRef<AffineExpr>{}, ctx);
    return AffineMap::get(rank, 0, getAffineDimExpr(*axis, ctx));
  };
  return b
      .create<linalg::GenericOp>(
          loc, type, ValueRange{input, scale, zeroPoint},
          createEmpty(b, loc, type),
          ArrayRef<AffineMap>{id, param(scale), param(zeroPoint), id},
          parallelIterators(rank),
          [&](OpBuilder &nb, Location nl, ValueRange a) {
            nb.create<linalg::YieldOp>(nl, body(nb, nl, a[0], a[1], a[2]));
          })
      .getResult(0);
}

struct QuantizeLowering : OpConversionPattern<QuantizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(QuantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = op.getType();
    bool isUnsigned = op.getUnsignedResult();
    rewriter.replaceOp(
        op, createAffineGeneric(
                rewriter, op.getLoc(), type, adaptor.getInput(),
                adaptor.getScale(), adaptor.getZeroPoint(), op.getAxis(),
                [&](OpBuilder &b, Location l, Value x, Value s, Value zp) {
                  Value q = b.create<arith::DivFOp>(l, x, s);
                  return roundAndSaturate(b, l, q, zp, type.getElementType(),
                                          isUnsigned);
                }));
    return success();
  }
};

struct RequantizeLowering : OpConversionPattern<RequantizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(RequantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = op.getType();
    bool isUnsigned = op.getUnsignedResult();
    rewriter.replaceOp(
        op, createAffineGeneric(
                rewriter, op.getLoc(), type, adaptor.getInput(),
                adaptor.getScale(), adaptor.getZeroPoint(), op.getAxis(),
                [&](OpBuilder &b, Location l, Value x, Value s, Value zp) {
                  Value f = intToFloat(b, l, x, s.getType(), false);
                  Value q = b.create<arith::MulFOp>(l, f, s);
                  return roundAndSaturate(b, l, q, zp, type.getElementType(),
                                          isUnsigned);
                }));
    return success();
  }
};

struct DequantizeLowering : OpConversionPattern<DequantizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DequantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    bool isUnsigned = op.getUnsignedInput();
    Type i32 = rewriter.getI32Type();
    rewriter.replaceOp(
        op, createAffineGeneric(
                rewriter, op.getLoc(), op.getType(), adaptor.getInput(),
                adaptor.getScale(), adaptor.getZeroPoint(), op.getAxis(),
                [&](OpBuilder &b, Location l, Value x, Value s, Value zp) {
                  // The difference is signed even for unsigned operands.
                  Value wx = widen(b, l, x, i32, isUnsigned);
                  Value wz = widen(b, l, zp, i32, isUnsigned);
                  Value d = b.create<arith::SubIOp>(l, wx, wz);
                  Value f = intToFloat(b, l, d, s.getType(), false);
                  return b.create<arith::MulFOp>(l, f, s);
                }));
    return success();
  }
};

/// i32 tensor of `operand - zeroPoint` (the zero point broadcasting).
Value subtractZeroPoint(OpBuilder &b, Location loc, Value operand,
                        Value zeroPoint, bool isUnsigned) {
  auto type = cast<RankedTensorType>(operand.getType());
  Type i32 = b.getI32Type();
  return createElementwise(
      b, loc, type.clone(i32), ValueRange{operand, zeroPoint},
      [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
        Value x = widen(nb, l, a[0], i32, isUnsigned);
        Value z = widen(nb, l, a[1], i32, isUnsigned);
        return nb.create<arith::SubIOp>(l, x, z);
      });
}

struct MatMulIntegerLowering : OpConversionPattern<MatMulIntegerOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MatMulIntegerOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value lhs =
        subtractZeroPoint(rewriter, loc, adaptor.getLhs(),
                          adaptor.getLhsZeroPoint(), op.getUnsignedLhs());
    Value rhs =
        subtractZeroPoint(rewriter, loc, adaptor.getRhs(),
                          adaptor.getRhsZeroPoint(), op.getUnsignedRhs());
    rewriter.replaceOp(op, createMatmul(rewriter, loc, lhs, rhs, op.getType()));
    return success();
  }
};

struct Conv2DIntegerLowering : OpConversionPattern<Conv2DIntegerOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(Conv2DIntegerOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    // Padding the differences with 0 is padding the input with its zero
    // point.
    Value input =
        subtractZeroPoint(rewriter, loc, adaptor.getInput(),
                          adaptor.getInputZeroPoint(), op.getUnsignedInput());
    Value weight =
        subtractZeroPoint(rewriter, loc, adaptor.getWeight(),
                          adaptor.getWeightZeroPoint(), op.getUnsignedWeight());
    rewriter.replaceOp(op, createConv(rewriter, loc, input, weight,
                                      adaptor.getBias(), op.getType(),
                                      op.getPads(), op.getStrides(),
                                      op.getDilations(), op.getGroup()));
    return success();
  }
};

} // namespace

void npu::populateQuantizationPatterns(RewritePatternSet &patterns) {
  patterns.add<QuantizeLowering, RequantizeLowering, DequantizeLowering,
               MatMulIntegerLowering, Conv2DIntegerLowering>(
      patterns.getContext());
}
