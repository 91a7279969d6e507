//===- Reduction.cpp - npu reduce_sum/mean/max to linalg reductions -------===//
#include "Utils.h"

#include "npu/Dialect/NPU/IR/NPUOps.h"

using namespace mlir;
using namespace npu;
using namespace npu::detail;

namespace {

enum class ReduceKind { Sum, Mean, Max };

template <typename OpT, ReduceKind Kind>
struct ReduceLowering : OpConversionPattern<OpT> {
  using OpConversionPattern<OpT>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpT op, typename OpT::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    auto type = cast<RankedTensorType>(x.getType());
    ArrayRef<int64_t> axes = op.getAxes();
    // The reduction drops the axes; keepdims is a reshape afterwards, which
    // keeps the generic's output map a projection.
    Value r = createReduction(rewriter, loc, x, axes, Kind == ReduceKind::Max);
    if (Kind == ReduceKind::Mean) {
      int64_t count = 1;
      for (int64_t a : axes)
        count *= type.getDimSize(a);
      auto rt = cast<RankedTensorType>(r.getType());
      Type et = rt.getElementType();
      AffineMap id =
          AffineMap::getMultiDimIdentityMap(rt.getRank(), rewriter.getContext());
      r = rewriter
              .create<linalg::GenericOp>(
                  loc, rt, r, createEmpty(rewriter, loc, rt),
                  ArrayRef<AffineMap>{id, id}, parallelIterators(rt.getRank()),
                  [&](OpBuilder &b, Location l, ValueRange a) {
                    Value c = createScalar(b, l, et, count);
                    b.create<linalg::YieldOp>(l, createDiv(b, l, a[0], c));
                  })
              .getResult(0);
    }
    rewriter.replaceOp(op, createReshape(rewriter, loc, r,
                                         cast<RankedTensorType>(op.getType())));
    return success();
  }
};

} // namespace

void npu::populateReductionPatterns(RewritePatternSet &patterns) {
  patterns.add<ReduceLowering<ReduceSumOp, ReduceKind::Sum>,
               ReduceLowering<ReduceMeanOp, ReduceKind::Mean>,
               ReduceLowering<ReduceMaxOp, ReduceKind::Max>>(
      patterns.getContext());
}
