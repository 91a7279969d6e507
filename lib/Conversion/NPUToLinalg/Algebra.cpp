//===- Algebra.cpp - npu einsum to linalg, det to scf loops ---------------===//
//
// einsum is one linalg.generic: a loop per letter (output letters
// parallel, the others reductions), each operand read through the map its
// term spells. det factors each matrix with scf loops over a tensor copy.
//
//===----------------------------------------------------------------------===//
#include "Utils.h"

#include "npu/Dialect/NPU/IR/NPUOps.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace npu;
using namespace npu::detail;

namespace {

struct EinsumLowering : OpConversionPattern<EinsumOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(EinsumOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto terms = parseEinsumEquation(op.getEquation());
    if (!terms)
      return rewriter.notifyMatchFailure(op, "malformed equation");
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto type = cast<RankedTensorType>(op.getType());
    Type et = type.getElementType();
    // Loop order: output letters, then summed letters by first use.
    std::string letters = terms->output;
    llvm::DenseMap<char, int64_t> sizes;
    for (auto [term, v] : llvm::zip(terms->inputs, adaptor.getInputs())) {
      auto shape = cast<RankedTensorType>(v.getType()).getShape();
      for (auto [c, d] : llvm::zip(term, shape)) {
        if (letters.find(c) == std::string::npos)
          letters.push_back(c);
        sizes[c] = std::max(sizes.lookup(c), d);
      }
    }
    unsigned loops = letters.size(), outRank = terms->output.size();
    auto dim = [&](char c) {
      return getAffineDimExpr(letters.find(c), ctx);
    };
    SmallVector<AffineMap> maps;
    for (auto [term, v] : llvm::zip(terms->inputs, adaptor.getInputs())) {
      auto shape = cast<RankedTensorType>(v.getType()).getShape();
      SmallVector<AffineExpr> exprs;
      for (auto [c, d] : llvm::zip(term, shape))
        exprs.push_back(d == 1 && sizes[c] != 1
                            ? getAffineConstantExpr(0, ctx)
                            : dim(c));
      maps.push_back(AffineMap::get(loops, 0, exprs, ctx));
    }
    SmallVector<AffineExpr> outExprs;
    for (char c : terms->output)
      outExprs.push_back(dim(c));
    maps.push_back(AffineMap::get(loops, 0, outExprs, ctx));
    SmallVector<utils::IteratorType> iterators = parallelIterators(outRank);
    iterators.append(loops - outRank, utils::IteratorType::reduction);
    bool sums = loops > outRank;
    Value init = sums ? createFilled(rewriter, loc, type,
                                     createScalar(rewriter, loc, et, 0.0))
                      : createEmpty(rewriter, loc, type);
    size_t numInputs = terms->inputs.size();
    Value result =
        rewriter
            .create<linalg::GenericOp>(
                loc, type, adaptor.getInputs(), init, maps, iterators,
                [&](OpBuilder &b, Location l, ValueRange a) {
                  Value v = a[0];
                  for (size_t i = 1; i < numInputs; ++i)
                    v = createMul(b, l, v, a[i]);
                  if (sums)
                    v = createAdd(b, l, a[numInputs], v);
                  b.create<linalg::YieldOp>(l, v);
                })
            .getResult(0);
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// scf.for from `lo` to `hi` (index constants or values) with `iters`.
scf::ForOp forLoop(OpBuilder &b, Location loc, Value lo, Value hi,
                   ValueRange iters,
                   function_ref<SmallVector<Value>(OpBuilder &, Location,
                                                   Value, ValueRange)>
                       body) {
  Value one = b.create<arith::ConstantIndexOp>(loc, 1);
  return b.create<scf::ForOp>(
      loc, lo, hi, one, iters,
      [&](OpBuilder &nb, Location l, Value iv, ValueRange args) {
        nb.create<scf::YieldOp>(l, body(nb, l, iv, args));
      });
}

/// Determinant of each matrix of [B, M, M] by Gaussian elimination with
/// partial pivoting: the product of the pivots, negated per row swap. A
/// zero pivot column leaves the rows alone (the determinant is then 0).
struct DetLowering : OpConversionPattern<DetOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(DetOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto inType = cast<RankedTensorType>(adaptor.getInput().getType());
    auto type = cast<RankedTensorType>(op.getType());
    Type et = type.getElementType();
    int64_t m = inType.getShape().back();
    int64_t batch = type.getNumElements();
    auto batchType = RankedTensorType::get({batch, m, m}, et);
    // The factorization overwrites a copy: the input may be the caller's
    // buffer, which one-shot bufferization would otherwise write in place.
    Value input = rewriter
                      .create<linalg::CopyOp>(
                          loc, createReshape(rewriter, loc, adaptor.getInput(),
                                             batchType),
                          createEmpty(rewriter, loc, batchType))
                      .getResult(0);
    auto matType = RankedTensorType::get({m, m}, et);
    auto flatType = RankedTensorType::get({batch}, et);
    auto &b = rewriter;
    Value c0 = b.create<arith::ConstantIndexOp>(loc, 0);
    Value c1 = b.create<arith::ConstantIndexOp>(loc, 1);
    Value cm = b.create<arith::ConstantIndexOp>(loc, m);
    Value cb = b.create<arith::ConstantIndexOp>(loc, batch);
    Value zero = createScalar(b, loc, et, 0.0);
    Value one = createScalar(b, loc, et, 1.0);
    Value minusOne = createScalar(b, loc, et, -1.0);
    auto get = [](OpBuilder &nb, Location l, Value t, Value i, Value j) {
      return nb.create<tensor::ExtractOp>(l, t, ValueRange{i, j}).getResult();
    };
    auto set = [](OpBuilder &nb, Location l, Value v, Value t, Value i,
                  Value j) {
      return nb.create<tensor::InsertOp>(l, v, t, ValueRange{i, j})
          .getResult();
    };

    // For column k: the row p >= k with the largest |a[p, k]|.
    auto pivotRow = [&](OpBuilder &nb, Location l, Value a, Value k) {
      return forLoop(nb, l, k, cm, ValueRange{k, minusOne},
                     [&](OpBuilder &ib, Location il, Value i, ValueRange it) {
                       Value v = ib.create<math::AbsFOp>(il, get(ib, il, a, i, k));
                       Value better = ib.create<arith::CmpFOp>(
                           il, arith::CmpFPredicate::OGT, v, it[1]);
                       return SmallVector<Value>{
                           ib.create<arith::SelectOp>(il, better, i, it[0]),
                           ib.create<arith::SelectOp>(il, better, v, it[1])};
                     })
          .getResult(0);
    };
    // One elimination step on column k; returns (matrix, det so far).
    auto step = [&](OpBuilder &nb, Location l, Value k, ValueRange it) {
      Value a = it[0], det = it[1];
      Value p = pivotRow(nb, l, a, k);
      a = forLoop(nb, l, c0, cm, a,
                  [&](OpBuilder &ib, Location il, Value j, ValueRange t) {
                    Value rk = get(ib, il, t[0], k, j);
                    Value rp = get(ib, il, t[0], p, j);
                    Value s = set(ib, il, rp, t[0], k, j);
                    return SmallVector<Value>{set(ib, il, rk, s, p, j)};
                  })
              .getResult(0);
      Value pivot = get(nb, l, a, k, k);
      Value swapped =
          nb.create<arith::CmpIOp>(l, arith::CmpIPredicate::ne, p, k);
      Value sign = nb.create<arith::SelectOp>(l, swapped, minusOne, one);
      det = nb.create<arith::MulFOp>(
          l, det, nb.create<arith::MulFOp>(l, pivot, sign));
      Value isZero =
          nb.create<arith::CmpFOp>(l, arith::CmpFPredicate::OEQ, pivot, zero);
      Value k1 = nb.create<arith::AddIOp>(l, k, c1);
      a = forLoop(
              nb, l, k1, cm, a,
              [&](OpBuilder &ib, Location il, Value i, ValueRange t) {
                Value f = ib.create<arith::DivFOp>(il, get(ib, il, t[0], i, k),
                                                   pivot);
                f = ib.create<arith::SelectOp>(il, isZero, zero, f);
                return SmallVector<Value>{
                    forLoop(ib, il, k1, cm, t[0],
                            [&](OpBuilder &jb, Location jl, Value j,
                                ValueRange u) {
                              Value v = jb.create<arith::SubFOp>(
                                  jl, get(jb, jl, u[0], i, j),
                                  jb.create<arith::MulFOp>(
                                      jl, f, get(jb, jl, u[0], k, j)));
                              return SmallVector<Value>{
                                  set(jb, jl, v, u[0], i, j)};
                            })
                        .getResult(0)};
              })
              .getResult(0);
      return SmallVector<Value>{a, det};
    };

    Value dets =
        forLoop(
            b, loc, c0, cb, createEmpty(b, loc, flatType),
            [&](OpBuilder &nb, Location l, Value bi, ValueRange it) {
              SmallVector<OpFoldResult> offsets{bi, nb.getIndexAttr(0),
                                                nb.getIndexAttr(0)};
              SmallVector<OpFoldResult> sizes{nb.getIndexAttr(1),
                                              nb.getIndexAttr(m),
                                              nb.getIndexAttr(m)};
              SmallVector<OpFoldResult> strides(3, nb.getIndexAttr(1));
              Value a = nb.create<tensor::ExtractSliceOp>(
                  l, matType, input, offsets, sizes, strides);
              Value det =
                  forLoop(nb, l, c0, cm, ValueRange{a, one}, step)
                      .getResult(1);
              return SmallVector<Value>{
                  nb.create<tensor::InsertOp>(l, det, it[0], ValueRange{bi})
                      .getResult()};
            })
            .getResult(0);
    rewriter.replaceOp(op, createReshape(rewriter, loc, dets, type));
    return success();
  }
};

} // namespace

void npu::populateAlgebraPatterns(RewritePatternSet &patterns) {
  patterns.add<EinsumLowering, DetLowering>(patterns.getContext());
}
