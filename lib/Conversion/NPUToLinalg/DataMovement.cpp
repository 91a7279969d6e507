//===- DataMovement.cpp - npu shape and data movement ops to tensor/linalg ===//
#include "Utils.h"

#include "npu/Dialect/NPU/IR/NPUOps.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace npu;
using namespace npu::detail;

namespace {

OpFoldResult idx(OpBuilder &b, int64_t v) { return b.getIndexAttr(v); }

struct ConstantLowering : OpConversionPattern<ConstantOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConstantOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    // The same attribute moves over: dense_resource blobs stay shared.
    auto value = dyn_cast<TypedAttr>(op.getValue());
    if (!value)
      return rewriter.notifyMatchFailure(op, "constant value is not typed");
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, op.getType(), value);
    return success();
  }
};

template <typename OpT>
struct ReshapeLikeLowering : OpConversionPattern<OpT> {
  using OpConversionPattern<OpT>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpT op, typename OpT::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, createReshape(rewriter, op.getLoc(),
                                         adaptor.getInput(),
                                         cast<RankedTensorType>(op.getType())));
    return success();
  }
};

struct TransposeLowering : OpConversionPattern<TransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    Value init = createEmpty(rewriter, op.getLoc(), type);
    auto t = rewriter.create<linalg::TransposeOp>(
        op.getLoc(), adaptor.getInput(), init, op.getPerm());
    rewriter.replaceOp(op, t.getResult());
    return success();
  }
};

struct ConcatLowering : OpConversionPattern<ConcatOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ConcatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    int64_t axis = op.getAxis(), rank = type.getRank(), offset = 0;
    Value result = createEmpty(rewriter, loc, type);
    for (Value in : adaptor.getInputs()) {
      auto it = cast<RankedTensorType>(in.getType());
      SmallVector<OpFoldResult> offsets(rank, idx(rewriter, 0)), sizes,
          strides(rank, idx(rewriter, 1));
      for (int64_t d = 0; d < rank; ++d)
        sizes.push_back(idx(rewriter, it.getDimSize(d)));
      offsets[axis] = idx(rewriter, offset);
      offset += it.getDimSize(axis);
      if (it.getDimSize(axis) == 0)
        continue;
      result = rewriter.create<tensor::InsertSliceOp>(loc, in, result, offsets,
                                                      sizes, strides);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct SplitLowering : OpConversionPattern<SplitOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SplitOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(adaptor.getInput().getType());
    int64_t axis = op.getAxis(), rank = type.getRank(), offset = 0;
    SmallVector<Value> results;
    for (Value r : op.getResults()) {
      auto rt = cast<RankedTensorType>(r.getType());
      SmallVector<OpFoldResult> offsets(rank, idx(rewriter, 0)), sizes,
          strides(rank, idx(rewriter, 1));
      for (int64_t d = 0; d < rank; ++d)
        sizes.push_back(idx(rewriter, rt.getDimSize(d)));
      offsets[axis] = idx(rewriter, offset);
      offset += rt.getDimSize(axis);
      results.push_back(rewriter.create<tensor::ExtractSliceOp>(
          loc, rt, adaptor.getInput(), offsets, sizes, strides));
    }
    rewriter.replaceOp(op, results);
    return success();
  }
};

/// Positive steps are a strided extract_slice (a view after bufferization);
/// any negative step becomes a copy whose input map walks backwards,
/// d -> start + step * d, which stays affine.
struct SliceLowering : OpConversionPattern<SliceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(SliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    ArrayRef<int64_t> starts = op.getStarts(), sizes = op.getSizes(),
                      steps = op.getSteps();
    int64_t rank = type.getRank();
    if (llvm::all_of(steps, [](int64_t s) { return s > 0; })) {
      SmallVector<OpFoldResult> o, s, st;
      for (int64_t d = 0; d < rank; ++d) {
        o.push_back(idx(rewriter, starts[d]));
        s.push_back(idx(rewriter, sizes[d]));
        st.push_back(idx(rewriter, steps[d]));
      }
      rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(
          op, type, adaptor.getInput(), o, s, st);
      return success();
    }
    // An empty result reads nothing; the backward map would not verify.
    if (type.getNumElements() == 0) {
      rewriter.replaceOp(op, createEmpty(rewriter, loc, type));
      return success();
    }
    MLIRContext *ctx = rewriter.getContext();
    SmallVector<AffineExpr> exprs;
    for (int64_t d = 0; d < rank; ++d) {
      // A size-1 dim is read at `start` whatever the step.
      int64_t step = sizes[d] == 1 ? 0 : steps[d];
      exprs.push_back(getAffineDimExpr(d, ctx) * step + starts[d]);
    }
    SmallVector<AffineMap> maps{AffineMap::get(rank, 0, exprs, ctx),
                                AffineMap::getMultiDimIdentityMap(rank, ctx)};
    auto copy = rewriter.create<linalg::GenericOp>(
        loc, type, adaptor.getInput(), createEmpty(rewriter, loc, type), maps,
        parallelIterators(rank), [](OpBuilder &b, Location l, ValueRange a) {
          b.create<linalg::YieldOp>(l, a[0]);
        });
    rewriter.replaceOp(op, copy.getResult(0));
    return success();
  }
};

/// A generic over the result reads each index, wraps negatives, clamps to
/// [0, dim) and loads with tensor.extract, so no index can read outside.
struct GatherLowering : OpConversionPattern<GatherOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(GatherOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value data = adaptor.getData(), indices = adaptor.getIndices();
    auto dataType = cast<RankedTensorType>(data.getType());
    auto idxType = cast<RankedTensorType>(indices.getType());
    auto type = cast<RankedTensorType>(op.getType());
    int64_t axis = op.getAxis(), rank = type.getRank();
    int64_t idxRank = idxType.getRank();
    int64_t dim = dataType.getDimSize(axis);
    MLIRContext *ctx = rewriter.getContext();
    SmallVector<AffineExpr> idxExprs;
    for (int64_t d = 0; d < idxRank; ++d)
      idxExprs.push_back(getAffineDimExpr(axis + d, ctx));
    SmallVector<AffineMap> maps{AffineMap::get(rank, 0, idxExprs, ctx),
                                AffineMap::getMultiDimIdentityMap(rank, ctx)};
    auto gather = rewriter.create<linalg::GenericOp>(
        loc, type, indices, createEmpty(rewriter, loc, type), maps,
        parallelIterators(rank), [&](OpBuilder &b, Location l, ValueRange a) {
          Type i64 = b.getI64Type();
          Value i = a[0];
          if (i.getType() != i64)
            i = b.create<arith::ExtSIOp>(l, i64, i);
          Value zero = b.create<arith::ConstantIntOp>(l, 0, 64);
          Value size = b.create<arith::ConstantIntOp>(l, dim, 64);
          Value neg = b.create<arith::CmpIOp>(l, arith::CmpIPredicate::slt, i,
                                              zero);
          Value wrapped = b.create<arith::AddIOp>(l, i, size);
          i = b.create<arith::SelectOp>(l, neg, wrapped, i);
          i = b.create<arith::MaxSIOp>(l, i, zero);
          Value last = b.create<arith::ConstantIntOp>(l, dim - 1, 64);
          i = b.create<arith::MinSIOp>(l, i, last);
          Value at = b.create<arith::IndexCastOp>(l, b.getIndexType(), i);
          SmallVector<Value> coords;
          for (int64_t d = 0; d < axis; ++d)
            coords.push_back(b.create<linalg::IndexOp>(l, d));
          coords.push_back(at);
          for (int64_t d = axis + idxRank; d < rank; ++d)
            coords.push_back(b.create<linalg::IndexOp>(l, d));
          Value v = b.create<tensor::ExtractOp>(l, data, coords);
          b.create<linalg::YieldOp>(l, v);
        });
    rewriter.replaceOp(op, gather.getResult(0));
    return success();
  }
};

/// A loop over the updates writing each into the flat, zero-filled result;
/// out-of-range positions leave it unchanged.
struct ScatterFlatLowering : OpConversionPattern<ScatterFlatOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ScatterFlatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    auto upType = cast<RankedTensorType>(adaptor.getUpdates().getType());
    auto idxType = cast<RankedTensorType>(adaptor.getIndices().getType());
    Type et = type.getElementType();
    int64_t count = upType.getNumElements(), size = type.getNumElements();
    Value updates = createReshape(rewriter, loc, adaptor.getUpdates(),
                                  RankedTensorType::get({count}, et));
    Value indices = createReshape(
        rewriter, loc, adaptor.getIndices(),
        RankedTensorType::get({count}, idxType.getElementType()));
    auto flatType = RankedTensorType::get({size}, et);
    Value init = createFilled(rewriter, loc, flatType,
                              createScalar(rewriter, loc, et, 0.0));
    Value lo = rewriter.create<arith::ConstantIndexOp>(loc, 0);
    Value hi = rewriter.create<arith::ConstantIndexOp>(loc, count);
    Value step = rewriter.create<arith::ConstantIndexOp>(loc, 1);
    auto loop = rewriter.create<scf::ForOp>(
        loc, lo, hi, step, init,
        [&](OpBuilder &b, Location l, Value i, ValueRange iters) {
          Type i64 = b.getI64Type();
          Value at = b.create<tensor::ExtractOp>(l, indices, i);
          if (at.getType() != i64)
            at = b.create<arith::ExtSIOp>(l, i64, at);
          Value ge = b.create<arith::CmpIOp>(
              l, arith::CmpIPredicate::sge, at,
              b.create<arith::ConstantIntOp>(l, 0, 64));
          Value lt = b.create<arith::CmpIOp>(
              l, arith::CmpIPredicate::slt, at,
              b.create<arith::ConstantIntOp>(l, size, 64));
          Value inside = b.create<arith::AndIOp>(l, ge, lt);
          auto ifOp = b.create<scf::IfOp>(
              l, inside,
              [&](OpBuilder &tb, Location tl) {
                Value v = tb.create<tensor::ExtractOp>(tl, updates, i);
                Value pos =
                    tb.create<arith::IndexCastOp>(tl, tb.getIndexType(), at);
                tb.create<scf::YieldOp>(
                    tl, tb.create<tensor::InsertOp>(tl, v, iters[0], pos)
                            .getResult());
              },
              [&](OpBuilder &eb, Location el) {
                eb.create<scf::YieldOp>(el, iters[0]);
              });
          b.create<scf::YieldOp>(l, ifOp.getResult(0));
        });
    rewriter.replaceOp(op,
                       createReshape(rewriter, loc, loop.getResult(0), type));
    return success();
  }
};

struct PadLowering : OpConversionPattern<PadOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(PadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inType = cast<RankedTensorType>(input.getType());
    auto type = cast<RankedTensorType>(op.getType());
    ArrayRef<int64_t> pads = op.getPads();
    int64_t rank = inType.getRank();
    if (llvm::all_of(pads, [](int64_t p) { return p == 0; })) {
      rewriter.replaceOp(op, input);
      return success();
    }
    StringRef mode = op.getMode();
    if (mode == "constant") {
      SmallVector<OpFoldResult> low, high;
      for (int64_t d = 0; d < rank; ++d) {
        low.push_back(idx(rewriter, pads[d]));
        high.push_back(idx(rewriter, pads[d + rank]));
      }
      Value v = createScalar(rewriter, loc, type.getElementType(),
                             op.getValue().convertToDouble());
      rewriter.replaceOpWithNewOp<tensor::PadOp>(op, type, input, low, high, v);
      return success();
    }
    if (mode != "reflect" && mode != "edge")
      return rewriter.notifyMatchFailure(op, "unknown pad mode");
    bool reflect = mode == "reflect";
    // Each output index maps back into the input: edge clamps, reflect
    // mirrors about the first and last element (pads < dim, so once).
    auto gen = rewriter.create<linalg::GenericOp>(
        loc, type, ValueRange{}, createEmpty(rewriter, loc, type),
        ArrayRef<AffineMap>{AffineMap::getMultiDimIdentityMap(rank,
                                                              getContext())},
        parallelIterators(rank), [&](OpBuilder &b, Location l, ValueRange) {
          SmallVector<Value> coords;
          for (int64_t d = 0; d < rank; ++d) {
            Value o = b.create<linalg::IndexOp>(l, d);
            if (!pads[d] && !pads[d + rank]) {
              coords.push_back(o);
              continue;
            }
            int64_t lastIdx = inType.getDimSize(d) - 1;
            Value i = b.create<arith::SubIOp>(
                l, o, b.create<arith::ConstantIndexOp>(l, pads[d]));
            Value zero = b.create<arith::ConstantIndexOp>(l, 0);
            Value last = b.create<arith::ConstantIndexOp>(l, lastIdx);
            if (reflect) {
              // last - |last - |i||
              Value a = b.create<arith::MaxSIOp>(
                  l, i, b.create<arith::SubIOp>(l, zero, i));
              Value r = b.create<arith::SubIOp>(l, last, a);
              Value ar = b.create<arith::MaxSIOp>(
                  l, r, b.create<arith::SubIOp>(l, zero, r));
              i = b.create<arith::SubIOp>(l, last, ar);
            } else {
              i = b.create<arith::MinSIOp>(
                  l, b.create<arith::MaxSIOp>(l, i, zero), last);
            }
            coords.push_back(i);
          }
          b.create<linalg::YieldOp>(
              l, b.create<tensor::ExtractOp>(l, input, coords).getResult());
        });
    rewriter.replaceOp(op, gen.getResult(0));
    return success();
  }
};

} // namespace

void npu::populateDataMovementPatterns(RewritePatternSet &patterns) {
  patterns.add<ConstantLowering, ReshapeLikeLowering<ReshapeOp>,
               ReshapeLikeLowering<FlattenOp>, TransposeLowering,
               ConcatLowering, SplitLowering, SliceLowering, GatherLowering,
               ScatterFlatLowering, PadLowering>(patterns.getContext());
}
