//===- Pooling.cpp - npu max/avg/global pooling to linalg pooling ops -----===//
#include "Utils.h"

#include "npu/Dialect/NPU/IR/NPUOps.h"

using namespace mlir;
using namespace npu;
using namespace npu::detail;

namespace {

/// Pads H and W of an NCHW tensor with `value`. Besides the explicit pads,
/// the end gets whatever ceil mode needs so the last window lies inside the
/// padded tensor.
Value padWindows(OpBuilder &b, Location loc, Value input,
                 ArrayRef<int64_t> pads, ArrayRef<int64_t> kernel,
                 ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations,
                 RankedTensorType outType, Value value) {
  auto type = cast<RankedTensorType>(input.getType());
  int64_t begin[2] = {pads[0], pads[1]}, end[2] = {pads[2], pads[3]};
  for (int i = 0; i < 2; ++i) {
    int64_t need = (outType.getDimSize(2 + i) - 1) * strides[i] +
                   (kernel[i] - 1) * dilations[i] + 1;
    int64_t have = type.getDimSize(2 + i) + begin[i] + end[i];
    end[i] += std::max<int64_t>(0, need - have);
  }
  if (!begin[0] && !begin[1] && !end[0] && !end[1])
    return input;
  SmallVector<int64_t> shape(type.getShape());
  shape[2] += begin[0] + end[0];
  shape[3] += begin[1] + end[1];
  auto idx = [&](int64_t v) -> OpFoldResult { return b.getIndexAttr(v); };
  SmallVector<OpFoldResult> low{idx(0), idx(0), idx(begin[0]), idx(begin[1])};
  SmallVector<OpFoldResult> high{idx(0), idx(0), idx(end[0]), idx(end[1])};
  return b.create<tensor::PadOp>(
      loc, RankedTensorType::get(shape, type.getElementType()), input, low,
      high, value);
}

struct MaxPool2DLowering : OpConversionPattern<MaxPool2DOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MaxPool2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto outType = cast<RankedTensorType>(op.getType());
    Type et = outType.getElementType();
    // -inf padding never wins the max, so padded cells need no masking.
    Value lowest = createLowest(rewriter, loc, et);
    Value padded = padWindows(rewriter, loc, adaptor.getInput(), op.getPads(),
                              op.getKernel(), op.getStrides(),
                              op.getDilations(), outType, lowest);
    Value window = rewriter.create<tensor::EmptyOp>(loc, op.getKernel(), et);
    Value init = createFilled(rewriter, loc, outType, lowest);
    Value pool = rewriter
                     .create<linalg::PoolingNchwMaxOp>(
                         loc, TypeRange{outType}, ValueRange{padded, window},
                         init, i64Pair(rewriter, op.getStrides()),
                         i64Pair(rewriter, op.getDilations()))
                     .getResult(0);
    rewriter.replaceOp(op, pool);
    return success();
  }
};

/// Number of cells each output position's window counts along one dim.
/// With count_include_pad the explicit pads count but ceil mode's extra
/// cells past the end pad never do; without it only input cells count.
SmallVector<int64_t> windowCounts(int64_t in, int64_t out, int64_t kernel,
                                  int64_t stride, int64_t padBegin,
                                  int64_t padEnd, bool includePad) {
  SmallVector<int64_t> counts;
  for (int64_t o = 0; o < out; ++o) {
    int64_t start = o * stride - padBegin;
    int64_t end = start + kernel;
    if (includePad)
      counts.push_back(std::min(end, in + padEnd) - start);
    else
      counts.push_back(std::min(end, in) - std::max<int64_t>(start, 0));
  }
  return counts;
}

struct AvgPool2DLowering : OpConversionPattern<AvgPool2DOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(AvgPool2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto inType = cast<RankedTensorType>(adaptor.getInput().getType());
    auto outType = cast<RankedTensorType>(op.getType());
    Type et = outType.getElementType();
    MLIRContext *ctx = rewriter.getContext();
    ArrayRef<int64_t> kernel = op.getKernel(), strides = op.getStrides(),
                      pads = op.getPads();
    int64_t ones[2] = {1, 1};
    Value zero = createScalar(rewriter, loc, et, 0.0);
    Value padded = padWindows(rewriter, loc, adaptor.getInput(), pads, kernel,
                              strides, ones, outType, zero);
    Value window = rewriter.create<tensor::EmptyOp>(loc, kernel, et);
    Value init = createFilled(rewriter, loc, outType, zero);
    Value sum = rewriter
                    .create<linalg::PoolingNchwSumOp>(
                        loc, TypeRange{outType}, ValueRange{padded, window},
                        init, i64Pair(rewriter, strides),
                        i64Pair(rewriter, ones))
                    .getResult(0);

    bool includePad = op.getCountIncludePad();
    SmallVector<int64_t> counts[2];
    for (int i = 0; i < 2; ++i)
      counts[i] = windowCounts(inType.getDimSize(2 + i),
                               outType.getDimSize(2 + i), kernel[i],
                               strides[i], pads[i], pads[i + 2], includePad);
    auto uniform = [](ArrayRef<int64_t> c) {
      return llvm::all_equal(c);
    };
    AffineMap id = AffineMap::getMultiDimIdentityMap(4, ctx);
    SmallVector<Value> ins{sum};
    SmallVector<AffineMap> maps{id};
    std::optional<int64_t> scalarCount;
    if (uniform(counts[0]) && uniform(counts[1])) {
      scalarCount = counts[0].front() * counts[1].front();
    } else {
      // Border windows see fewer cells: divide by per-row and per-column
      // counts held in two small constant vectors.
      for (int i = 0; i < 2; ++i) {
        SmallVector<Attribute> vals;
        for (int64_t c : counts[i])
          vals.push_back(rewriter.getFloatAttr(et, (double)c));
        auto vt = RankedTensorType::get({(int64_t)counts[i].size()}, et);
        ins.push_back(rewriter.create<arith::ConstantOp>(
            loc, DenseElementsAttr::get(vt, vals)));
        maps.push_back(AffineMap::get(4, 0, getAffineDimExpr(2 + i, ctx)));
      }
    }
    maps.push_back(id);
    Value avg = rewriter
                    .create<linalg::GenericOp>(
                        loc, outType, ins, createEmpty(rewriter, loc, outType),
                        maps, parallelIterators(4),
                        [&](OpBuilder &b, Location l, ValueRange a) {
                          Value div =
                              scalarCount
                                  ? createScalar(b, l, et, *scalarCount)
                                  : b.create<arith::MulFOp>(l, a[1], a[2])
                                        .getResult();
                          b.create<linalg::YieldOp>(
                              l, b.create<arith::DivFOp>(l, a[0], div)
                                     .getResult());
                        })
                    .getResult(0);
    rewriter.replaceOp(op, avg);
    return success();
  }
};

struct GlobalAvgPoolLowering : OpConversionPattern<GlobalAvgPoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GlobalAvgPoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getInput();
    auto type = cast<RankedTensorType>(x.getType());
    Type et = type.getElementType();
    SmallVector<int64_t> axes;
    int64_t count = 1;
    for (int64_t d = 2; d < type.getRank(); ++d) {
      axes.push_back(d);
      count *= type.getDimSize(d);
    }
    Value sum = createReduction(rewriter, loc, x, axes, /*isMax=*/false);
    auto sumType = cast<RankedTensorType>(sum.getType());
    AffineMap id = AffineMap::getMultiDimIdentityMap(2, rewriter.getContext());
    Value mean = rewriter
                     .create<linalg::GenericOp>(
                         loc, sumType, sum, createEmpty(rewriter, loc, sumType),
                         ArrayRef<AffineMap>{id, id}, parallelIterators(2),
                         [&](OpBuilder &b, Location l, ValueRange a) {
                           Value c = createScalar(b, l, et, count);
                           b.create<linalg::YieldOp>(
                               l, b.create<arith::DivFOp>(l, a[0], c)
                                      .getResult());
                         })
                     .getResult(0);
    rewriter.replaceOp(op, createReshape(rewriter, loc, mean,
                                         cast<RankedTensorType>(op.getType())));
    return success();
  }
};

} // namespace

void npu::populatePoolingPatterns(RewritePatternSet &patterns) {
  patterns.add<MaxPool2DLowering, AvgPool2DLowering, GlobalAvgPoolLowering>(
      patterns.getContext());
}
