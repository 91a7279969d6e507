//===- LinearAlgebra.cpp - npu matmul and conv2d to named linalg ops ------===//
//
// Matmul and conv become named linalg ops accumulating into a zero-filled
// init; bias is a separate elementwise generic. This is the shape later
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

} // namespace

Value npu::detail::createMatmul(OpBuilder &rewriter, Location loc, Value lhs,
                                Value rhs, RankedTensorType resultType) {
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
  assert(succeeded(batch) && "verified by npu.matmul");
  SmallVector<int64_t> full(*batch);
  full.append({m, n});
  auto fullType = RankedTensorType::get(full, et);

  Value result;
  if (product(rb) == 1) {
    // A shared rhs (the usual weight): fold the lhs batch into M so one
    // plain matmul covers it.
    int64_t rows = product(*batch) * m;
    Value l2 =
        createReshape(rewriter, loc, lhs, RankedTensorType::get({rows, k}, et));
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
    Value l3 =
        createReshape(rewriter, loc, broadcastTo(rewriter, loc, lhs, lFull),
                      RankedTensorType::get({nb, m, k}, et));
    Value r3 =
        createReshape(rewriter, loc, broadcastTo(rewriter, loc, rhs, rFull),
                      RankedTensorType::get({nb, k, n}, et));
    Value init = zeroFilled(rewriter, loc, {nb, m, n}, et);
    Value bmm = rewriter
                    .create<linalg::BatchMatmulOp>(loc, init.getType(),
                                                   ValueRange{l3, r3}, init)
                    .getResult(0);
    result = createReshape(rewriter, loc, bmm, fullType);
  }
  return createReshape(rewriter, loc, result, resultType);
}

Value npu::detail::createConv2D(OpBuilder &rewriter, Location loc, Value input,
                                Value weight, Value bias,
                                RankedTensorType outType,
                                ArrayRef<int64_t> pads,
                                ArrayRef<int64_t> strideValues,
                                ArrayRef<int64_t> dilationValues, int64_t g) {
  auto inType = cast<RankedTensorType>(input.getType());
  auto wType = cast<RankedTensorType>(weight.getType());
  Type et = inType.getElementType();
  int64_t n = inType.getDimSize(0), c = inType.getDimSize(1);
  int64_t f = wType.getDimSize(0), cg = wType.getDimSize(1);
  int64_t kh = wType.getDimSize(2), kw = wType.getDimSize(3);
  int64_t oh = outType.getDimSize(2), ow = outType.getDimSize(3);

  if (llvm::any_of(pads, [](int64_t p) { return p != 0; })) {
    SmallVector<int64_t> padded(inType.getShape());
    padded[2] += pads[0] + pads[2];
    padded[3] += pads[1] + pads[3];
    SmallVector<OpFoldResult> low{
        rewriter.getIndexAttr(0), rewriter.getIndexAttr(0),
        rewriter.getIndexAttr(pads[0]), rewriter.getIndexAttr(pads[1])};
    SmallVector<OpFoldResult> high{
        rewriter.getIndexAttr(0), rewriter.getIndexAttr(0),
        rewriter.getIndexAttr(pads[2]), rewriter.getIndexAttr(pads[3])};
    input = rewriter.create<tensor::PadOp>(
        loc, RankedTensorType::get(padded, et), input, low, high,
        createScalar(rewriter, loc, et, 0.0));
  }
  auto strides = i64Pair(rewriter, strideValues);
  auto dilations = i64Pair(rewriter, dilationValues);

  Value conv;
  if (g == 1) {
    Value init = zeroFilled(rewriter, loc, outType.getShape(), et);
    conv = rewriter
               .create<linalg::Conv2DNchwFchwOp>(loc, TypeRange{init.getType()},
                                                 ValueRange{input, weight},
                                                 init, strides, dilations)
               .getResult(0);
  } else if (g == c && cg == 1 && f == c) {
    // Depthwise with multiplier 1; larger multipliers take the grouped
    // path since linalg's NCHW depthwise op has no multiplier.
    Value w3 = createReshape(rewriter, loc, weight,
                             RankedTensorType::get({c, kh, kw}, et));
    Value init = zeroFilled(rewriter, loc, outType.getShape(), et);
    conv = rewriter
               .create<linalg::DepthwiseConv2DNchwChwOp>(
                   loc, TypeRange{init.getType()}, ValueRange{input, w3}, init,
                   strides, dilations)
               .getResult(0);
  } else {
    auto pt = cast<RankedTensorType>(input.getType());
    auto in5 = RankedTensorType::get(
        {n, g, c / g, pt.getDimSize(2), pt.getDimSize(3)}, et);
    auto w5 = RankedTensorType::get({g, f / g, cg, kh, kw}, et);
    Value i5 = rewriter.create<tensor::ExpandShapeOp>(
        loc, in5, input, ArrayRef<ReassociationIndices>{{0}, {1, 2}, {3}, {4}});
    Value wt5 = rewriter.create<tensor::ExpandShapeOp>(
        loc, w5, weight, ArrayRef<ReassociationIndices>{{0, 1}, {2}, {3}, {4}});
    Value init = zeroFilled(rewriter, loc, {n, g, f / g, oh, ow}, et);
    Value c5 = rewriter
                   .create<linalg::Conv2DNgchwGfchwOp>(
                       loc, TypeRange{init.getType()}, ValueRange{i5, wt5},
                       init, strides, dilations)
                   .getResult(0);
    conv = rewriter.create<tensor::CollapseShapeOp>(
        loc, outType, c5,
        ArrayRef<ReassociationIndices>{{0}, {1, 2}, {3}, {4}});
  }

  if (bias) {
    MLIRContext *ctx = rewriter.getContext();
    AffineMap id = AffineMap::getMultiDimIdentityMap(4, ctx);
    AffineMap channel = AffineMap::get(4, 0, getAffineDimExpr(1, ctx));
    conv = rewriter
               .create<linalg::GenericOp>(
                   loc, outType, ValueRange{conv, bias},
                   createEmpty(rewriter, loc, outType),
                   ArrayRef<AffineMap>{id, channel, id}, parallelIterators(4),
                   [](OpBuilder &b, Location l, ValueRange args) {
                     b.create<linalg::YieldOp>(
                         l, createAdd(b, l, args[0], args[1]));
                   })
               .getResult(0);
  }
  return conv;
}

namespace {

struct MatMulLowering : OpConversionPattern<MatMulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(MatMulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, createMatmul(rewriter, op.getLoc(), adaptor.getLhs(),
                                        adaptor.getRhs(), op.getType()));
    return success();
  }
};

struct Conv2DLowering : OpConversionPattern<Conv2DOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(Conv2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op,
                       createConv2D(rewriter, op.getLoc(), adaptor.getInput(),
                                    adaptor.getWeight(), adaptor.getBias(),
                                    op.getType(), op.getPads(), op.getStrides(),
                                    op.getDilations(), op.getGroup()));
    return success();
  }
};

} // namespace

void npu::populateLinearAlgebraPatterns(RewritePatternSet &patterns) {
  patterns.add<MatMulLowering, Conv2DLowering>(patterns.getContext());
}
