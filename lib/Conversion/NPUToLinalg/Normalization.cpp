//===- Normalization.cpp - npu softmax, layer_norm, batch_norm to linalg --===//
#include "Utils.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "npu/Dialect/NPU/IR/NPUOps.h"

using namespace mlir;
using namespace npu;
using namespace npu::detail;

namespace {

using BodyFn = function_ref<Value(OpBuilder &, Location, ValueRange)>;

/// A parallel generic producing `type` from inputs read through `maps`.
Value createMapped(OpBuilder &b, Location loc, RankedTensorType type,
                   ValueRange inputs, ArrayRef<AffineMap> maps, BodyFn body) {
  SmallVector<AffineMap> all(maps);
  all.push_back(
      AffineMap::getMultiDimIdentityMap(type.getRank(), b.getContext()));
  return b
      .create<linalg::GenericOp>(
          loc, type, inputs, createEmpty(b, loc, type), all,
          parallelIterators(type.getRank()),
          [&](OpBuilder &nb, Location nl, ValueRange args) {
            nb.create<linalg::YieldOp>(nl, body(nb, nl, args.drop_back()));
          })
      .getResult(0);
}

/// Softmax as max, exp(x - max), sum, divide: subtracting the max keeps exp
/// from overflowing.
struct SoftmaxLowering : OpConversionPattern<SoftmaxOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SoftmaxOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    auto type = cast<RankedTensorType>(x.getType());
    int64_t rank = type.getRank(), axis = op.getAxis();
    MLIRContext *ctx = rewriter.getContext();
    AffineMap id = AffineMap::getMultiDimIdentityMap(rank, ctx);
    AffineMap red = getProjectionMap(rank, {axis}, ctx);

    Value mx = createReduction(rewriter, loc, x, {axis}, /*isMax=*/true);
    Value e = createMapped(rewriter, loc, type, {x, mx}, {id, red},
                           [](OpBuilder &b, Location l, ValueRange a) -> Value {
                             Value d = b.create<arith::SubFOp>(l, a[0], a[1]);
                             return b.create<math::ExpOp>(l, d);
                           });
    Value sum = createReduction(rewriter, loc, e, {axis}, /*isMax=*/false);
    Value y = createMapped(rewriter, loc, type, {e, sum}, {id, red},
                           [](OpBuilder &b, Location l, ValueRange a) -> Value {
                             return b.create<arith::DivFOp>(l, a[0], a[1]);
                           });
    rewriter.replaceOp(op, y);
    return success();
  }
};

/// Follows the ONNX LayerNormalization reference: mean, variance of the
/// centered values, 1/sqrt(var + eps) per row, then scale and bias.
struct LayerNormLowering : OpConversionPattern<LayerNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(LayerNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    auto type = cast<RankedTensorType>(x.getType());
    Type et = type.getElementType();
    int64_t rank = type.getRank(), axis = op.getAxis();
    MLIRContext *ctx = rewriter.getContext();
    SmallVector<int64_t> axes;
    int64_t count = 1;
    for (int64_t d = axis; d < rank; ++d) {
      axes.push_back(d);
      count *= type.getDimSize(d);
    }
    auto rowType =
        RankedTensorType::get(type.getShape().take_front(axis), et);
    AffineMap id = AffineMap::getMultiDimIdentityMap(rank, ctx);
    AffineMap rowMap = getProjectionMap(rank, axes, ctx);
    AffineMap rowId = AffineMap::getMultiDimIdentityMap(axis, ctx);

    Value sum = createReduction(rewriter, loc, x, axes, /*isMax=*/false);
    Value mean = createMapped(
        rewriter, loc, rowType, sum, rowId,
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          return b.create<arith::DivFOp>(l, a[0],
                                         createScalar(b, l, et, count));
        });

    // Sum of squared deviations: a reduction reading x and the row mean.
    auto iters = parallelIterators(rank);
    for (int64_t d : axes)
      iters[d] = utils::IteratorType::reduction;
    Value zeroRows =
        createFilled(rewriter, loc, rowType, createScalar(rewriter, loc, et, 0));
    Value sq = rewriter
                   .create<linalg::GenericOp>(
                       loc, rowType, ValueRange{x, mean}, zeroRows,
                       ArrayRef<AffineMap>{id, rowMap, rowMap}, iters,
                       [](OpBuilder &b, Location l, ValueRange a) {
                         Value d = b.create<arith::SubFOp>(l, a[0], a[1]);
                         Value d2 = b.create<arith::MulFOp>(l, d, d);
                         b.create<linalg::YieldOp>(
                             l, b.create<arith::AddFOp>(l, a[2], d2).getResult());
                       })
                   .getResult(0);
    double eps = op.getEpsilon().convertToDouble();
    Value invStd = createMapped(
        rewriter, loc, rowType, sq, rowId,
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value var = b.create<arith::DivFOp>(l, a[0],
                                              createScalar(b, l, et, count));
          Value ve = b.create<arith::AddFOp>(l, var, createScalar(b, l, et, eps));
          Value sd = b.create<math::SqrtOp>(l, ve);
          return b.create<arith::DivFOp>(l, createScalar(b, l, et, 1.0), sd);
        });

    SmallVector<Value> ins{x, mean, invStd, adaptor.getScale()};
    SmallVector<AffineMap> maps{id, rowMap, rowMap};
    auto paramMap = [&](Value p) {
      return getBroadcastMap(cast<RankedTensorType>(p.getType()).getShape(),
                             type.getShape(), ctx);
    };
    maps.push_back(paramMap(adaptor.getScale()));
    bool hasBias = (bool)adaptor.getBias();
    if (hasBias) {
      ins.push_back(adaptor.getBias());
      maps.push_back(paramMap(adaptor.getBias()));
    }
    Value y = createMapped(
        rewriter, loc, type, ins, maps,
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value d = b.create<arith::SubFOp>(l, a[0], a[1]);
          Value nrm = b.create<arith::MulFOp>(l, d, a[2]);
          Value r = b.create<arith::MulFOp>(l, nrm, a[3]);
          if (hasBias)
            r = b.create<arith::AddFOp>(l, r, a[4]);
          return r;
        });
    rewriter.replaceOp(op, y);
    return success();
  }
};

/// y = (x - mean[c]) * (scale[c] / sqrt(var[c] + eps)) + bias[c]; the
/// per-channel factor is computed once on the [C] vectors.
struct BatchNormLowering : OpConversionPattern<BatchNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(BatchNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    auto type = cast<RankedTensorType>(x.getType());
    Type et = type.getElementType();
    int64_t rank = type.getRank();
    MLIRContext *ctx = rewriter.getContext();
    double eps = op.getEpsilon().convertToDouble();
    auto vecType = cast<RankedTensorType>(adaptor.getScale().getType());
    AffineMap vecId = AffineMap::getMultiDimIdentityMap(1, ctx);
    Value factor = createMapped(
        rewriter, loc, vecType, {adaptor.getScale(), adaptor.getVariance()},
        {vecId, vecId}, [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value ve =
              b.create<arith::AddFOp>(l, a[1], createScalar(b, l, et, eps));
          return b.create<arith::DivFOp>(l, a[0],
                                         b.create<math::SqrtOp>(l, ve));
        });
    AffineMap id = AffineMap::getMultiDimIdentityMap(rank, ctx);
    AffineMap ch = AffineMap::get(rank, 0, getAffineDimExpr(1, ctx));
    Value y = createMapped(
        rewriter, loc, type,
        {x, adaptor.getMean(), factor, adaptor.getBias()}, {id, ch, ch, ch},
        [](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value d = b.create<arith::SubFOp>(l, a[0], a[1]);
          Value s = b.create<arith::MulFOp>(l, d, a[2]);
          return b.create<arith::AddFOp>(l, s, a[3]);
        });
    rewriter.replaceOp(op, y);
    return success();
  }
};

} // namespace

void npu::populateNormalizationPatterns(RewritePatternSet &patterns) {
  patterns.add<SoftmaxLowering, LayerNormLowering, BatchNormLowering>(
      patterns.getContext());
}
