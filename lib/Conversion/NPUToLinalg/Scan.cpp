//===- Scan.cpp - npu cumsum and top_k to scf loops on tensors ------------===//
//
// Both view the input as [outer, n, inner] with n along the axis.
// CumSum walks the axis once per outer index, carrying the running sum of
// the contiguous [inner] rows.
// TopK keeps, per (outer, inner) lane, a binary heap of the k best
// elements whose root is the worst of them, then heap-sorts it in place:
// O(n log k + k log k) per lane.
//
//===----------------------------------------------------------------------===//
#include "Utils.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "npu/Dialect/NPU/IR/NPUOps.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace npu;
using namespace npu::detail;

namespace {

/// [outer, n, inner] around `axis` of `type`.
SmallVector<int64_t> threeDims(RankedTensorType type, int64_t axis) {
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (d < axis)
      outer *= type.getDimSize(d);
    else if (d > axis)
      inner *= type.getDimSize(d);
  return {outer, type.getDimSize(axis), inner};
}

Value indexConst(OpBuilder &b, Location l, int64_t v) {
  return b.create<arith::ConstantIndexOp>(l, v);
}

struct CumSumLowering : OpConversionPattern<CumSumOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(CumSumOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getType();
    Type et = type.getElementType();
    SmallVector<int64_t> dims = threeDims(type, op.getAxis());
    int64_t outer = dims[0], n = dims[1], inner = dims[2];
    Value x = createReshape(rewriter, loc, adaptor.getInput(),
                            RankedTensorType::get(dims, et));
    auto rowType = RankedTensorType::get({inner}, et);
    Value zero = createScalar(rewriter, loc, et, 0.0);
    Value acc0 = createEmpty(rewriter, loc, rowType);
    Value out0 = createEmpty(rewriter, loc, RankedTensorType::get(dims, et));
    bool exclusive = op.getExclusive(), reverse = op.getReverse();
    AffineMap id = AffineMap::getMultiDimIdentityMap(1, rewriter.getContext());
    auto c = [&](int64_t v) { return indexConst(rewriter, loc, v); };
    // For each outer index, walk the axis over contiguous rows x[o, i, :].
    auto step = [&](OpBuilder &b, Location l, Value o, Value j,
                    ValueRange iter) {
      Value i = reverse ? b.create<arith::SubIOp>(l, c(n - 1), j) : j;
      SmallVector<OpFoldResult> offsets{o, i, b.getIndexAttr(0)};
      SmallVector<OpFoldResult> sizes{b.getIndexAttr(1), b.getIndexAttr(1),
                                      b.getIndexAttr(inner)};
      SmallVector<OpFoldResult> strides(3, b.getIndexAttr(1));
      Value row = b.create<tensor::ExtractSliceOp>(l, rowType, x, offsets,
                                                   sizes, strides);
      Value out = iter[1];
      // Exclusive sums store the running sum before adding element i.
      if (exclusive)
        out = b.create<tensor::InsertSliceOp>(l, iter[0], out, offsets, sizes,
                                              strides);
      Value acc =
          b.create<linalg::GenericOp>(
               l, rowType, row, iter[0], ArrayRef<AffineMap>{id, id},
               parallelIterators(1),
               [](OpBuilder &nb, Location nl, ValueRange a) {
                 nb.create<linalg::YieldOp>(nl, createAdd(nb, nl, a[1], a[0]));
               })
              .getResult(0);
      if (!exclusive)
        out = b.create<tensor::InsertSliceOp>(l, acc, out, offsets, sizes,
                                              strides);
      b.create<scf::YieldOp>(l, ValueRange{acc, out});
    };
    auto loop = rewriter.create<scf::ForOp>(
        loc, c(0), c(outer), c(1), ValueRange{acc0, out0},
        [&](OpBuilder &b, Location l, Value o, ValueRange iter) {
          Value reset = b.create<linalg::FillOp>(l, zero, iter[0]).getResult(0);
          auto axisLoop = b.create<scf::ForOp>(
              l, c(0), c(n), c(1), ValueRange{reset, iter[1]},
              [&](OpBuilder &nb, Location nl, Value j, ValueRange it) {
                step(nb, nl, o, j, it);
              });
          b.create<scf::YieldOp>(l, axisLoop.getResults());
        });
    rewriter.replaceOp(op,
                       createReshape(rewriter, loc, loop.getResult(1), type));
    return success();
  }
};

/// Builds the per-lane heap code of one npu.top_k. Heap slot j of lane
/// (o, q) lives at [o, j, q] of the value and index results.
class TopKBuilder {
public:
  TopKBuilder(OpBuilder &b, Location l, TopKOp op, Value x)
      : b(b), l(l), x(x), smallest(op.getSmallest()),
        isUnsigned(op.getUnsignedInput()) {}

  /// Runs the heap selection and sort for lane (o, q) on (values, indices).
  std::pair<Value, Value> lane(Value o, Value q, Value values, Value indices,
                               int64_t n, int64_t k) {
    this->o = o;
    this->q = q;
    auto ty = cast<RankedTensorType>(values.getType());
    Type et = ty.getElementType();
    // Sentinels rank below every element: the worst value, and an index
    // past every real one for ties.
    Value worstV = worstValue(et);
    Value worstI = b.create<arith::ConstantOp>(
        l, b.getI64IntegerAttr(std::numeric_limits<int64_t>::max()));
    auto init =
        loop(0, k, {values, indices},
             [&](Value j, ValueRange it) -> SmallVector<Value> {
               return {insert(worstV, it[0], j), insert(worstI, it[1], j)};
             });
    Value size = indexConst(b, l, k);
    Value zero = indexConst(b, l, 0);
    auto scan = loop(0, n, init, [&](Value i, ValueRange it) {
      Value v = b.create<tensor::ExtractOp>(l, x, ValueRange{o, i, q});
      Value vi = b.create<arith::IndexCastOp>(l, b.getI64Type(), i);
      Value rootV = extract(it[0], zero);
      Value rootI = extract(it[1], zero);
      Value take = worse(rootV, rootI, v, vi);
      auto ifOp = b.create<scf::IfOp>(
          l, take,
          [&](OpBuilder &, Location) {
            Value nv = insert(v, it[0], zero);
            Value ni = insert(vi, it[1], zero);
            auto r = siftDown(nv, ni, size, k);
            b.create<scf::YieldOp>(l, r);
          },
          [&](OpBuilder &, Location) { b.create<scf::YieldOp>(l, it); });
      return SmallVector<Value>(ifOp.getResults());
    });
    // Heap sort: move the worst remaining element to the end each time.
    auto sorted = loop(0, k - 1, scan, [&](Value j, ValueRange it) {
      Value end = b.create<arith::SubIOp>(l, indexConst(b, l, k - 1), j);
      Value v0 = extract(it[0], zero), i0 = extract(it[1], zero);
      Value ve = extract(it[0], end), ie = extract(it[1], end);
      Value vs = insert(v0, insert(ve, it[0], zero), end);
      Value is = insert(i0, insert(ie, it[1], zero), end);
      return siftDown(vs, is, end, k);
    });
    return {sorted[0], sorted[1]};
  }

private:
  using BodyFn = function_ref<SmallVector<Value>(Value, ValueRange)>;

  SmallVector<Value> loop(int64_t lo, int64_t hi, ValueRange init,
                          BodyFn body) {
    auto f = b.create<scf::ForOp>(l, indexConst(b, l, lo), indexConst(b, l, hi),
                                  indexConst(b, l, 1), init);
    OpBuilder::InsertionGuard g(b);
    b.setInsertionPointToStart(f.getBody());
    b.create<scf::YieldOp>(l, body(f.getInductionVar(), f.getRegionIterArgs()));
    return SmallVector<Value>(f.getResults());
  }

  Value extract(Value t, Value j) {
    return b.create<tensor::ExtractOp>(l, t, ValueRange{o, j, q});
  }
  Value insert(Value v, Value t, Value j) {
    return b.create<tensor::InsertOp>(l, v, t, ValueRange{o, j, q});
  }

  Value worstValue(Type et) {
    if (auto ft = dyn_cast<FloatType>(et))
      return b.create<arith::ConstantOp>(
          l, b.getFloatAttr(ft, APFloat::getInf(ft.getFloatSemantics(),
                                                /*Negative=*/!smallest)));
    unsigned w = et.getIntOrFloatBitWidth();
    APInt v = isUnsigned ? (smallest ? APInt::getMaxValue(w) : APInt(w, 0))
                         : (smallest ? APInt::getSignedMaxValue(w)
                                     : APInt::getSignedMinValue(w));
    return b.create<arith::ConstantOp>(l, b.getIntegerAttr(et, v));
  }

  /// a < b (or a > b when selecting the smallest).
  Value ranksBelow(Value a, Value c) {
    if (isa<FloatType>(a.getType()))
      return b.create<arith::CmpFOp>(
          l, smallest ? arith::CmpFPredicate::OGT : arith::CmpFPredicate::OLT,
          a, c);
    arith::CmpIPredicate p = smallest
                                 ? (isUnsigned ? arith::CmpIPredicate::ugt
                                               : arith::CmpIPredicate::sgt)
                                 : (isUnsigned ? arith::CmpIPredicate::ult
                                               : arith::CmpIPredicate::slt);
    return b.create<arith::CmpIOp>(l, p, a, c);
  }

  /// Whether element (va, ia) comes after (vb, ib) in the result order:
  /// a worse value, or an equal one with a higher index.
  Value worse(Value va, Value ia, Value vb, Value ib) {
    Value eq = isa<FloatType>(va.getType())
                   ? Value(b.create<arith::CmpFOp>(l, arith::CmpFPredicate::OEQ,
                                                   va, vb))
                   : Value(b.create<arith::CmpIOp>(l, arith::CmpIPredicate::eq,
                                                   va, vb));
    Value later = b.create<arith::CmpIOp>(l, arith::CmpIPredicate::sgt, ia, ib);
    return b.create<arith::OrIOp>(l, ranksBelow(va, vb),
                                  b.create<arith::AndIOp>(l, eq, later));
  }

  /// Restores the heap order of slots [0, size) after slot 0 changed; at
  /// most floor(log2(k)) levels.
  SmallVector<Value> siftDown(Value values, Value indices, Value size,
                              int64_t k) {
    int64_t depth = llvm::Log2_64(uint64_t(k));
    Value zero = indexConst(b, l, 0), one = indexConst(b, l, 1);
    auto inRange = [&](Value j) {
      return b.create<arith::CmpIOp>(l, arith::CmpIPredicate::ult, j, size);
    };
    // Out-of-range slots are read at 0 and never used.
    auto clamp = [&](Value j, Value ok) {
      return b.create<arith::SelectOp>(l, ok, j, zero);
    };
    auto r = loop(0, depth, {zero, values, indices}, [&](Value, ValueRange it) {
      Value pos = it[0];
      Value left =
          b.create<arith::AddIOp>(l, b.create<arith::ShLIOp>(l, pos, one), one);
      Value right = b.create<arith::AddIOp>(l, left, one);
      Value lIn = inRange(left), rIn = inRange(right);
      Value lc = clamp(left, lIn), rc = clamp(right, rIn);
      Value pc = clamp(pos, inRange(pos));
      Value vl = extract(it[1], lc), il = extract(it[2], lc);
      Value vr = extract(it[1], rc), ir = extract(it[2], rc);
      Value vp = extract(it[1], pc), ip = extract(it[2], pc);
      // The worse child moves up if it is worse than the parent.
      Value pickR = b.create<arith::AndIOp>(l, rIn, worse(vr, ir, vl, il));
      Value c = b.create<arith::SelectOp>(l, pickR, rc, lc);
      Value vc = b.create<arith::SelectOp>(l, pickR, vr, vl);
      Value ic = b.create<arith::SelectOp>(l, pickR, ir, il);
      Value swap = b.create<arith::AndIOp>(l, lIn, worse(vc, ic, vp, ip));
      auto ifOp = b.create<scf::IfOp>(
          l, swap,
          [&](OpBuilder &, Location) {
            Value nv = insert(vp, insert(vc, it[1], pc), c);
            Value ni = insert(ip, insert(ic, it[2], pc), c);
            b.create<scf::YieldOp>(l, ValueRange{c, nv, ni});
          },
          [&](OpBuilder &, Location) {
            // Stop: every later level reads past `size`.
            b.create<scf::YieldOp>(l, ValueRange{size, it[1], it[2]});
          });
      return SmallVector<Value>(ifOp.getResults());
    });
    return {r[1], r[2]};
  }

  OpBuilder &b;
  Location l;
  Value x, o, q;
  bool smallest, isUnsigned;
};

struct TopKLowering : OpConversionPattern<TopKOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(TopKOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto inType = cast<RankedTensorType>(adaptor.getInput().getType());
    int64_t axis = op.getAxis(), k = op.getK();
    SmallVector<int64_t> dims = threeDims(inType, axis);
    int64_t outer = dims[0], n = dims[1], inner = dims[2];
    Value x =
        createReshape(rewriter, loc, adaptor.getInput(),
                      RankedTensorType::get(dims, inType.getElementType()));
    SmallVector<int64_t> outDims{outer, k, inner};
    Value values = createEmpty(
        rewriter, loc, RankedTensorType::get(outDims, inType.getElementType()));
    Value indices = createEmpty(
        rewriter, loc, RankedTensorType::get(outDims, rewriter.getI64Type()));
    TopKBuilder tk(rewriter, loc, op, x);
    auto c = [&](int64_t v) { return indexConst(rewriter, loc, v); };
    auto outerLoop = rewriter.create<scf::ForOp>(
        loc, c(0), c(outer), c(1), ValueRange{values, indices},
        [&](OpBuilder &b, Location l, Value o, ValueRange it) {
          auto innerLoop = b.create<scf::ForOp>(
              l, c(0), c(inner), c(1), it,
              [&](OpBuilder &nb, Location nl, Value q, ValueRange jt) {
                auto [v, i] = tk.lane(o, q, jt[0], jt[1], n, k);
                nb.create<scf::YieldOp>(nl, ValueRange{v, i});
              });
          b.create<scf::YieldOp>(l, innerLoop.getResults());
        });
    rewriter.replaceOp(
        op, {createReshape(rewriter, loc, outerLoop.getResult(0),
                           cast<RankedTensorType>(op.getValues().getType())),
             createReshape(rewriter, loc, outerLoop.getResult(1),
                           cast<RankedTensorType>(op.getIndices().getType()))});
    return success();
  }
};

} // namespace

void npu::populateScanPatterns(RewritePatternSet &patterns) {
  patterns.add<CumSumLowering, TopKLowering>(patterns.getContext());
}
