//===- LinearAlgebra.cpp - npu matmul and conv to linalg ------------------===//
//
// Matmul and 2-D conv become named linalg ops accumulating into a
// zero-filled init (1-D conv runs as 2-D; other ranks use a generic with the
// same indexing maps); bias is a separate elementwise generic. This is the shape later
// tiling/packing into micro-kernels starts from, with epilogue fusion done
// there rather than baked in here.
//===----------------------------------------------------------------------===//
#include "Utils.h"

#include "npu/Dialect/NPU/IR/NPUOps.h"

using namespace mlir;
using namespace npu;
using namespace npu::detail;

namespace {

int64_t product(ArrayRef<int64_t> dims) {
  int64_t p = 1;
  for (int64_t d : dims)
    p *= d;
  return p;
}

/// Materializes `value` broadcast (numpy rules) to `shape`.
Value broadcastTo(OpBuilder &b, Location loc, Value value,
                  ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getShape() == shape)
    return value;
  auto outType = RankedTensorType::get(shape, type.getElementType());
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineMap> maps{
      getBroadcastMap(type.getShape(), shape, ctx),
      AffineMap::getMultiDimIdentityMap(shape.size(), ctx)};
  return b
      .create<linalg::GenericOp>(
          loc, outType, value, createEmpty(b, loc, outType), maps,
          parallelIterators(shape.size()),
          [](OpBuilder &nb, Location nl, ValueRange args) {
            nb.create<linalg::YieldOp>(nl, args[0]);
          })
      .getResult(0);
}

Value zeroFilled(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                 Type elementType) {
  return createFilled(b, loc, RankedTensorType::get(shape, elementType),
                      createScalar(b, loc, elementType, 0.0));
}

struct MatMulLowering : OpConversionPattern<MatMulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MatMulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value lhs = adaptor.getLhs(), rhs = adaptor.getRhs();
    auto lt = cast<RankedTensorType>(lhs.getType());
    auto rt = cast<RankedTensorType>(rhs.getType());
    Type et = lt.getElementType();
    SmallVector<int64_t> ls(lt.getShape()), rs(rt.getShape());
    // numpy: a rank-1 lhs is [1, K], a rank-1 rhs is [K, 1].
    if (ls.size() == 1) {
      ls.insert(ls.begin(), 1);
      lhs = createReshape(rewriter, loc, lhs, RankedTensorType::get(ls, et));
    }
    if (rs.size() == 1) {
      rs.push_back(1);
      rhs = createReshape(rewriter, loc, rhs, RankedTensorType::get(rs, et));
    }
    int64_t m = ls[ls.size() - 2], k = ls.back(), n = rs.back();
    ArrayRef<int64_t> lb = ArrayRef(ls).drop_back(2),
                      rb = ArrayRef(rs).drop_back(2);
    auto batch = broadcastShapes(lb, rb);
    if (failed(batch))
      return rewriter.notifyMatchFailure(op, "batch dims do not broadcast");
    SmallVector<int64_t> full(*batch);
    full.append({m, n});
    auto fullType = RankedTensorType::get(full, et);

    Value result;
    if (product(rb) == 1) {
      // A shared rhs (the usual weight): fold the lhs batch into M so one
      // plain matmul covers it.
      int64_t rows = product(*batch) * m;
      Value l2 = createReshape(rewriter, loc, lhs,
                               RankedTensorType::get({rows, k}, et));
      Value r2 =
          createReshape(rewriter, loc, rhs, RankedTensorType::get({k, n}, et));
      Value init = zeroFilled(rewriter, loc, {rows, n}, et);
      Value mm = rewriter
                     .create<linalg::MatmulOp>(loc, init.getType(),
                                               ValueRange{l2, r2}, init)
                     .getResult(0);
      result = createReshape(rewriter, loc, mm, fullType);
    } else {
      int64_t nb = product(*batch);
      SmallVector<int64_t> lFull(*batch), rFull(*batch);
      lFull.append({m, k});
      rFull.append({k, n});
      Value l3 = createReshape(rewriter, loc,
                               broadcastTo(rewriter, loc, lhs, lFull),
                               RankedTensorType::get({nb, m, k}, et));
      Value r3 = createReshape(rewriter, loc,
                               broadcastTo(rewriter, loc, rhs, rFull),
                               RankedTensorType::get({nb, k, n}, et));
      Value init = zeroFilled(rewriter, loc, {nb, m, n}, et);
      Value bmm = rewriter
                      .create<linalg::BatchMatmulOp>(loc, init.getType(),
                                                     ValueRange{l3, r3}, init)
                      .getResult(0);
      result = createReshape(rewriter, loc, bmm, fullType);
    }
    rewriter.replaceOp(op, createReshape(rewriter, loc, result,
                                         cast<RankedTensorType>(op.getType())));
    return success();
  }
};

/// Convolution of a padded input into the zero-filled `init`: linalg's
/// named NCHW ops for 2-D (1-D runs as 2-D with a unit height), a generic
/// with the same indexing maps for other ranks.
Value buildConv(OpBuilder &b, Location loc, Value input, Value weight,
                Value init, ArrayRef<int64_t> strides,
                ArrayRef<int64_t> dilations, int64_t g) {
  auto inType = cast<RankedTensorType>(input.getType());
  auto wType = cast<RankedTensorType>(weight.getType());
  auto outType = cast<RankedTensorType>(init.getType());
  Type et = inType.getElementType();
  size_t s = strides.size();
  if (s == 1) {
    int64_t one[2] = {1, strides[0]}, dil[2] = {1, dilations[0]};
    Value conv = buildConv(b, loc, insertUnitDim2(b, loc, input),
                           insertUnitDim2(b, loc, weight),
                           insertUnitDim2(b, loc, init), one, dil, g);
    return dropUnitDim2(b, loc, conv);
  }
  int64_t n = inType.getDimSize(0), c = inType.getDimSize(1);
  int64_t f = wType.getDimSize(0), cg = wType.getDimSize(1);
  ArrayRef<int64_t> kernel = wType.getShape().drop_front(2);
  if (s == 2 && g == 1)
    return b
        .create<linalg::Conv2DNchwFchwOp>(
            loc, TypeRange{outType}, ValueRange{input, weight}, init,
            i64Pair(b, strides), i64Pair(b, dilations))
        .getResult(0);
  if (s == 2 && g == c && cg == 1 && f == c) {
    // Depthwise with multiplier 1; larger multipliers take the grouped
    // path since linalg's NCHW depthwise op has no multiplier.
    Value w3 = createReshape(b, loc, weight,
                             RankedTensorType::get({c, kernel[0], kernel[1]},
                                                   et));
    return b
        .create<linalg::DepthwiseConv2DNchwChwOp>(
            loc, TypeRange{outType}, ValueRange{input, w3}, init,
            i64Pair(b, strides), i64Pair(b, dilations))
        .getResult(0);
  }
  // Grouped: [N, g, C/g, D..] * [g, F/g, C/g, K..] -> [N, g, F/g, O..].
  auto withGroups = [&](Value v, ArrayRef<int64_t> lead) {
    auto t = cast<RankedTensorType>(v.getType());
    SmallVector<int64_t> shape(lead);
    llvm::append_range(shape, t.getShape().drop_front(2));
    return createReshape(b, loc, v, t.clone(shape));
  };
  Value i5 = withGroups(input, {n, g, c / g});
  Value w5 = withGroups(weight, {g, f / g, cg});
  Value o5 = withGroups(init, {n, g, f / g});
  Value conv;
  if (s == 2) {
    conv = b.create<linalg::Conv2DNgchwGfchwOp>(
                loc, TypeRange{o5.getType()}, ValueRange{i5, w5}, o5,
                i64Pair(b, strides), i64Pair(b, dilations))
               .getResult(0);
  } else {
    // Loops: n, g, f, o1..os (parallel), c, k1..ks (reduction).
    MLIRContext *ctx = b.getContext();
    unsigned loops = 4 + 2 * s, kDim0 = 4 + s;
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    SmallVector<AffineExpr> inExprs{d(0), d(1), d(3 + s)}, wExprs{d(1), d(2),
                                                                   d(3 + s)},
        outExprs{d(0), d(1), d(2)};
    llvm::append_range(inExprs, windowExprs(ctx, 3, kDim0, strides, dilations));
    for (size_t i = 0; i < s; ++i) {
      wExprs.push_back(d(kDim0 + i));
      outExprs.push_back(d(3 + i));
    }
    SmallVector<AffineMap> maps{AffineMap::get(loops, 0, inExprs, ctx),
                                AffineMap::get(loops, 0, wExprs, ctx),
                                AffineMap::get(loops, 0, outExprs, ctx)};
    SmallVector<utils::IteratorType> iters = parallelIterators(3 + s);
    iters.append(1 + s, utils::IteratorType::reduction);
    conv = b.create<linalg::GenericOp>(
                loc, o5.getType(), ValueRange{i5, w5}, o5, maps, iters,
                [](OpBuilder &nb, Location l, ValueRange a) {
                  nb.create<linalg::YieldOp>(
                      l, createAdd(nb, l, a[2], createMul(nb, l, a[0], a[1])));
                })
               .getResult(0);
  }
  return createReshape(b, loc, conv, outType);
}

struct ConvLowering : OpConversionPattern<ConvOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConvOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto outType = cast<RankedTensorType>(op.getType());
    Type et = outType.getElementType();
    ArrayRef<int64_t> pads = op.getPads();
    size_t s = op.getStrides().size();
    Value input =
        padSpatial(rewriter, loc, adaptor.getInput(), pads.take_front(s),
                   pads.drop_front(s), createScalar(rewriter, loc, et, 0.0));
    Value init = zeroFilled(rewriter, loc, outType.getShape(), et);
    Value conv = buildConv(rewriter, loc, input, adaptor.getWeight(), init,
                           op.getStrides(), op.getDilations(), op.getGroup());
    if (Value bias = adaptor.getBias()) {
      MLIRContext *ctx = rewriter.getContext();
      int64_t rank = outType.getRank();
      AffineMap id = AffineMap::getMultiDimIdentityMap(rank, ctx);
      AffineMap channel = AffineMap::get(rank, 0, getAffineDimExpr(1, ctx));
      conv = rewriter
                 .create<linalg::GenericOp>(
                     loc, outType, ValueRange{conv, bias},
                     createEmpty(rewriter, loc, outType),
                     ArrayRef<AffineMap>{id, channel, id},
                     parallelIterators(rank),
                     [](OpBuilder &b, Location l, ValueRange args) {
                       b.create<linalg::YieldOp>(
                           l, createAdd(b, l, args[0], args[1]));
                     })
                 .getResult(0);
    }
    rewriter.replaceOp(op, conv);
    return success();
  }
};

} // namespace

void npu::populateLinearAlgebraPatterns(RewritePatternSet &patterns) {
  patterns.add<MatMulLowering, ConvLowering>(patterns.getContext());
}
