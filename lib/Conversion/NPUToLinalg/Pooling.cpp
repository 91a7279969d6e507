//===- Pooling.cpp - npu max/avg/global pooling to linalg -----------------===//
#include "Utils.h"

#include "npu/Dialect/NPU/IR/NPUOps.h"

#include <limits>

using namespace mlir;
using namespace npu;
using namespace npu::detail;

namespace {

/// Pads the spatial dims of a pooling input with `value`. Besides the
/// explicit pads, the end gets whatever ceil mode needs so the last window
/// lies inside the padded tensor.
Value padWindows(OpBuilder &b, Location loc, Value input,
                 ArrayRef<int64_t> pads, ArrayRef<int64_t> kernel,
                 ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations,
                 RankedTensorType outType, Value value) {
  auto type = cast<RankedTensorType>(input.getType());
  size_t s = kernel.size();
  SmallVector<int64_t> begin(pads.take_front(s)), end(pads.drop_front(s));
  for (size_t i = 0; i < s; ++i) {
    int64_t need = (outType.getDimSize(2 + i) - 1) * strides[i] +
                   (kernel[i] - 1) * dilations[i] + 1;
    int64_t have = type.getDimSize(2 + i) + begin[i] + end[i];
    end[i] += std::max<int64_t>(0, need - have);
  }
  return padSpatial(b, loc, input, begin, end, value);
}

/// Loops of a generic over the windows of an N C D1..Ds input: n, c,
/// o1..os (parallel), k1..ks (reduction); `window` is an empty tensor of
/// the kernel's shape that gives the k loops their bounds.
struct WindowLoops {
  SmallVector<AffineMap> maps; // input, window, output
  SmallVector<utils::IteratorType> iterators;
};

WindowLoops windowLoops(MLIRContext *ctx, ArrayRef<int64_t> strides,
                        ArrayRef<int64_t> dilations) {
  unsigned s = strides.size(), loops = 2 + 2 * s;
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineExpr> in{d(0), d(1)}, window, out{d(0), d(1)};
  llvm::append_range(in, windowExprs(ctx, 2, 2 + s, strides, dilations));
  for (unsigned i = 0; i < s; ++i) {
    window.push_back(d(2 + s + i));
    out.push_back(d(2 + i));
  }
  WindowLoops w;
  w.maps = {AffineMap::get(loops, 0, in, ctx),
            AffineMap::get(loops, 0, window, ctx),
            AffineMap::get(loops, 0, out, ctx)};
  w.iterators = parallelIterators(2 + s);
  w.iterators.append(s, utils::IteratorType::reduction);
  return w;
}

/// Max or sum over the windows of a padded input into `init`: linalg's
/// NCHW pooling ops for 2-D (1-D runs as 2-D with a unit height), a
/// generic with the same indexing maps for other ranks.
Value poolWindows(OpBuilder &b, Location loc, Value padded, Value init,
                  ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
                  ArrayRef<int64_t> dilations, bool isMax) {
  size_t s = kernel.size();
  if (s == 1) {
    int64_t k[2] = {1, kernel[0]}, st[2] = {1, strides[0]},
            dil[2] = {1, dilations[0]};
    return dropUnitDim2(b, loc,
                        poolWindows(b, loc, insertUnitDim2(b, loc, padded),
                                    insertUnitDim2(b, loc, init), k, st, dil,
                                    isMax));
  }
  Type et = cast<RankedTensorType>(init.getType()).getElementType();
  Value window = b.create<tensor::EmptyOp>(loc, kernel, et);
  if (s == 2 && isMax)
    return b
        .create<linalg::PoolingNchwMaxOp>(
            loc, TypeRange{init.getType()}, ValueRange{padded, window}, init,
            i64Pair(b, strides), i64Pair(b, dilations))
        .getResult(0);
  if (s == 2)
    return b
        .create<linalg::PoolingNchwSumOp>(
            loc, TypeRange{init.getType()}, ValueRange{padded, window}, init,
            i64Pair(b, strides), i64Pair(b, dilations))
        .getResult(0);
  WindowLoops w = windowLoops(b.getContext(), strides, dilations);
  return b
      .create<linalg::GenericOp>(
          loc, init.getType(), ValueRange{padded, window}, init, w.maps,
          w.iterators,
          [&](OpBuilder &nb, Location l, ValueRange a) {
            nb.create<linalg::YieldOp>(l, isMax ? createMax(nb, l, a[0], a[2])
                                                : createAdd(nb, l, a[0], a[2]));
          })
      .getResult(0);
}

struct MaxPoolLowering : OpConversionPattern<MaxPoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MaxPoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto outType = cast<RankedTensorType>(op.getType());
    Type et = outType.getElementType();
    // -inf padding never wins the max, so padded cells need no masking.
    Value lowest = createLowest(rewriter, loc, et);
    Value padded = padWindows(rewriter, loc, adaptor.getInput(), op.getPads(),
                              op.getKernel(), op.getStrides(),
                              op.getDilations(), outType, lowest);
    Value init = createFilled(rewriter, loc, outType, lowest);
    rewriter.replaceOp(op, poolWindows(rewriter, loc, padded, init,
                                       op.getKernel(), op.getStrides(),
                                       op.getDilations(), /*isMax=*/true));
    return success();
  }
};

/// One generic computes the maximum and its row-major flat position (ties
/// go to the smaller position, so the result does not depend on loop
/// order); column-major positions are derived in a second generic.
struct MaxPoolWithIndicesLowering
    : OpConversionPattern<MaxPoolWithIndicesOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MaxPoolWithIndicesOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto inType = cast<RankedTensorType>(adaptor.getInput().getType());
    auto outType = cast<RankedTensorType>(op.getResult().getType());
    auto idxType = cast<RankedTensorType>(op.getIndices().getType());
    Type et = outType.getElementType();
    ArrayRef<int64_t> kernel = op.getKernel(), pads = op.getPads();
    ArrayRef<int64_t> strides = op.getStrides(), dilations = op.getDilations();
    ArrayRef<int64_t> inShape = inType.getShape();
    size_t s = kernel.size();
    Value lowest = createLowest(rewriter, loc, et);
    Value padded = padWindows(rewriter, loc, adaptor.getInput(), pads, kernel,
                              strides, dilations, outType, lowest);
    Value window = rewriter.create<tensor::EmptyOp>(loc, kernel, et);
    Value init = createFilled(rewriter, loc, outType, lowest);
    Value idxInit = createFilled(
        rewriter, loc, idxType,
        createScalar(rewriter, loc, rewriter.getI64Type(),
                     (double)std::numeric_limits<int64_t>::max()));
    WindowLoops w = windowLoops(rewriter.getContext(), strides, dilations);
    w.maps.push_back(w.maps.back());
    auto pool = rewriter.create<linalg::GenericOp>(
        loc, TypeRange{outType, idxType}, ValueRange{padded, window},
        ValueRange{init, idxInit}, w.maps, w.iterators,
        [&](OpBuilder &b, Location l, ValueRange a) {
          Type i64 = b.getI64Type();
          auto cst = [&](int64_t v) {
            return b.create<arith::ConstantIntOp>(l, v, i64).getResult();
          };
          auto index = [&](unsigned d) {
            Value i = b.create<linalg::IndexOp>(l, d);
            return b.create<arith::IndexCastOp>(l, i64, i).getResult();
          };
          // Flat position over [N * C, D1, .., Ds]; padding is skipped.
          Value flat = b.create<arith::AddIOp>(
              l, b.create<arith::MulIOp>(l, index(0), cst(inShape[1])),
              index(1));
          Value inside = b.create<arith::ConstantIntOp>(l, 1, 1);
          for (size_t i = 0; i < s; ++i) {
            Value pos = b.create<arith::AddIOp>(
                l,
                b.create<arith::MulIOp>(l, index(2 + i), cst(strides[i])),
                b.create<arith::MulIOp>(l, index(2 + s + i),
                                        cst(dilations[i])));
            pos = b.create<arith::SubIOp>(l, pos, cst(pads[i]));
            Value ge = b.create<arith::CmpIOp>(l, arith::CmpIPredicate::sge,
                                               pos, cst(0));
            Value lt = b.create<arith::CmpIOp>(l, arith::CmpIPredicate::slt,
                                               pos, cst(inShape[2 + i]));
            inside = b.create<arith::AndIOp>(
                l, inside, b.create<arith::AndIOp>(l, ge, lt));
            flat = b.create<arith::AddIOp>(
                l, b.create<arith::MulIOp>(l, flat, cst(inShape[2 + i])), pos);
          }
          Value greater = b.create<arith::CmpFOp>(
              l, arith::CmpFPredicate::OGT, a[0], a[2]);
          Value tie = b.create<arith::AndIOp>(
              l,
              b.create<arith::CmpFOp>(l, arith::CmpFPredicate::OEQ, a[0],
                                      a[2]),
              b.create<arith::CmpIOp>(l, arith::CmpIPredicate::slt, flat,
                                      a[3]));
          Value take = b.create<arith::AndIOp>(
              l, inside, b.create<arith::OrIOp>(l, greater, tie));
          b.create<linalg::YieldOp>(
              l, ValueRange{b.create<arith::SelectOp>(l, take, a[0], a[2]),
                            b.create<arith::SelectOp>(l, take, flat, a[3])});
        });
    Value indices = pool.getResult(1);
    if (op.getColumnMajor())
      indices = createElementwise(
          rewriter, loc, idxType, indices,
          [&](OpBuilder &b, Location l, ValueRange a) -> Value {
            // Split the row-major position into (nc, p1..ps) and flatten
            // the spatial part in reverse order.
            Type i64 = b.getI64Type();
            auto cst = [&](int64_t v) {
              return b.create<arith::ConstantIntOp>(l, v, i64).getResult();
            };
            Value rest = a[0], col = cst(0), scale = cst(1);
            for (size_t i = s; i-- > 0;) {
              Value size = cst(inShape[2 + i]);
              Value pos = b.create<arith::RemSIOp>(l, rest, size);
              rest = b.create<arith::DivSIOp>(l, rest, size);
              col = b.create<arith::AddIOp>(
                  l, b.create<arith::MulIOp>(l, col, size), pos);
              scale = b.create<arith::MulIOp>(l, scale, size);
            }
            return b.create<arith::AddIOp>(
                l, b.create<arith::MulIOp>(l, rest, scale), col);
          });
    rewriter.replaceOp(op, {pool.getResult(0), indices});
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

struct AvgPoolLowering : OpConversionPattern<AvgPoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(AvgPoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto inType = cast<RankedTensorType>(adaptor.getInput().getType());
    auto outType = cast<RankedTensorType>(op.getType());
    Type et = outType.getElementType();
    MLIRContext *ctx = rewriter.getContext();
    ArrayRef<int64_t> kernel = op.getKernel(), strides = op.getStrides(),
                      pads = op.getPads();
    size_t s = kernel.size();
    int64_t rank = outType.getRank();
    SmallVector<int64_t> ones(s, 1);
    Value zero = createScalar(rewriter, loc, et, 0.0);
    Value padded = padWindows(rewriter, loc, adaptor.getInput(), pads, kernel,
                              strides, ones, outType, zero);
    Value init = createFilled(rewriter, loc, outType, zero);
    Value sum = poolWindows(rewriter, loc, padded, init, kernel, strides, ones,
                            /*isMax=*/false);

    bool includePad = op.getCountIncludePad();
    SmallVector<SmallVector<int64_t>> counts;
    for (size_t i = 0; i < s; ++i)
      counts.push_back(windowCounts(inType.getDimSize(2 + i),
                                    outType.getDimSize(2 + i), kernel[i],
                                    strides[i], pads[i], pads[i + s],
                                    includePad));
    AffineMap id = AffineMap::getMultiDimIdentityMap(rank, ctx);
    SmallVector<Value> ins{sum};
    SmallVector<AffineMap> maps{id};
    std::optional<int64_t> scalarCount;
    if (llvm::all_of(counts, [](ArrayRef<int64_t> c) {
          return llvm::all_equal(c);
        })) {
      scalarCount = 1;
      for (auto &c : counts)
        *scalarCount *= c.front();
    } else {
      // Border windows see fewer cells: divide by the product of per-dim
      // counts held in small constant vectors.
      for (size_t i = 0; i < s; ++i) {
        SmallVector<Attribute> vals;
        for (int64_t c : counts[i])
          vals.push_back(rewriter.getFloatAttr(et, (double)c));
        auto vt = RankedTensorType::get({(int64_t)counts[i].size()}, et);
        ins.push_back(rewriter.create<arith::ConstantOp>(
            loc, DenseElementsAttr::get(vt, vals)));
        maps.push_back(AffineMap::get(rank, 0, getAffineDimExpr(2 + i, ctx)));
      }
    }
    maps.push_back(id);
    Value avg = rewriter
                    .create<linalg::GenericOp>(
                        loc, outType, ins, createEmpty(rewriter, loc, outType),
                        maps, parallelIterators(rank),
                        [&](OpBuilder &b, Location l, ValueRange a) {
                          Value div;
                          if (scalarCount) {
                            div = createScalar(b, l, et, *scalarCount);
                          } else {
                            div = a[1];
                            for (size_t i = 2; i <= s; ++i)
                              div = b.create<arith::MulFOp>(l, div, a[i]);
                          }
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
  patterns.add<MaxPoolLowering, MaxPoolWithIndicesLowering, AvgPoolLowering,
               GlobalAvgPoolLowering>(patterns.getContext());
}
