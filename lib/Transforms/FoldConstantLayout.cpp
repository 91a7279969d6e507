//===- FoldConstantLayout.cpp - transpose/reshape weights at compile time -===//
#include "npu/Transforms/Passes.h"

#include "npu/Dialect/NPU/IR/NPUOps.h"
#include "npu/Transforms/ConstantBytes.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace npu {
#define GEN_PASS_DEF_FOLDCONSTANTLAYOUT
#include "npu/Transforms/Passes.h.inc"
} // namespace npu

using namespace mlir;
using namespace npu;

namespace {
struct TransposeConstant : OpRewritePattern<TransposeOp> {
  TransposeConstant(MLIRContext *ctx, int64_t maxBytes)
      : OpRewritePattern(ctx), maxBytes(maxBytes) {}

  LogicalResult matchAndRewrite(TransposeOp op,
                                PatternRewriter &rewriter) const override {
    auto cst = op.getInput().getDefiningOp<ConstantOp>();
    if (!cst)
      return rewriter.notifyMatchFailure(op, "input is not a constant");
    auto attr = cst.getValue();
    std::optional<ConstantBytes> bytes = getConstantBytes(attr);
    if (!bytes || bytes->splat || (int64_t)bytes->data.size() > maxBytes)
      return rewriter.notifyMatchFailure(op, "no raw data, splat or too large");
    ArrayRef<char> data = bytes->data;
    auto inType = cast<ShapedType>(attr.getType());
    auto outType = cast<ShapedType>(op.getType());
    size_t elem = inType.getElementTypeBitWidth() / 8;
    int64_t rank = inType.getRank(), n = inType.getNumElements();
    if ((int64_t)data.size() != n * (int64_t)elem)
      return rewriter.notifyMatchFailure(op, "unexpected data size");
    ArrayRef<int64_t> perm = op.getPerm();
    // Input strides, visited in output order.
    SmallVector<int64_t> inStrides(rank, 1), strideByOut(rank);
    for (int64_t d = rank - 2; d >= 0; --d)
      inStrides[d] = inStrides[d + 1] * inType.getDimSize(d + 1);
    for (int64_t d = 0; d < rank; ++d)
      strideByOut[d] = inStrides[perm[d]];
    auto fill = [&](MutableArrayRef<char> out) {
      SmallVector<int64_t> idx(rank, 0);
      int64_t src = 0;
      for (int64_t i = 0; i < n; ++i) {
        std::memcpy(out.data() + i * elem, data.data() + src * elem, elem);
        for (int64_t d = rank - 1; d >= 0; --d) {
          src += strideByOut[d];
          if (++idx[d] < outType.getDimSize(d))
            break;
          src -= strideByOut[d] * idx[d];
          idx[d] = 0;
        }
      }
    };
    rewriter.replaceOpWithNewOp<ConstantOp>(
        op, makeConstant(outType, "transposed", fill));
    return success();
  }

  int64_t maxBytes;
};

/// A reshaped resource constant shares the blob; only the type changes.
struct ReshapeConstant : OpRewritePattern<ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ReshapeOp op,
                                PatternRewriter &rewriter) const override {
    auto cst = op.getInput().getDefiningOp<ConstantOp>();
    if (!cst)
      return rewriter.notifyMatchFailure(op, "input is not a constant");
    auto res = dyn_cast<DenseResourceElementsAttr>(cst.getValue());
    if (!res)
      return rewriter.notifyMatchFailure(op, "dense reshapes fold already");
    rewriter.replaceOpWithNewOp<ConstantOp>(
        op, DenseResourceElementsAttr::get(op.getType(), res.getRawHandle()));
    return success();
  }
};

struct FoldConstantLayoutPass
    : npu::impl::FoldConstantLayoutBase<FoldConstantLayoutPass> {
  using FoldConstantLayoutBase::FoldConstantLayoutBase;
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<TransposeConstant>(&getContext(), maxBytes);
    patterns.add<ReshapeConstant>(&getContext());
    if (failed(applyPatternsAndFoldGreedily(getOperation(),
                                            std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace
