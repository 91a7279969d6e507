//===- NPUFolds.cpp - folders and canonicalization patterns of npu ops ----===//
#include "npu/Dialect/NPU/IR/NPUOps.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace npu;

/// Returns the splat value of `v` as a double if it is a splat constant.
static std::optional<double> getSplatValue(Value v) {
  DenseElementsAttr attr;
  if (!matchPattern(v, m_Constant(&attr)) || !attr.isSplat())
    return std::nullopt;
  Type et = attr.getElementType();
  if (isa<FloatType>(et))
    return attr.getSplatValue<APFloat>().convertToDouble();
  if (et.isSignlessInteger() && et.getIntOrFloatBitWidth() > 1)
    return (double)attr.getSplatValue<APInt>().getSExtValue();
  return std::nullopt;
}

/// x op c == x when c is a splat identity and the result keeps x's type.
static OpFoldResult foldIdentityRhs(Value lhs, Value rhs, Type resultType,
                                    double identity) {
  if (lhs.getType() != resultType)
    return {};
  if (auto c = getSplatValue(rhs); c && *c == identity)
    return lhs;
  return {};
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

OpFoldResult CastOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType())
    return getInput();
  return {};
}

OpFoldResult AddOp::fold(FoldAdaptor) {
  if (auto r = foldIdentityRhs(getLhs(), getRhs(), getType(), 0.0))
    return r;
  return foldIdentityRhs(getRhs(), getLhs(), getType(), 0.0);
}

OpFoldResult MulOp::fold(FoldAdaptor) {
  if (auto r = foldIdentityRhs(getLhs(), getRhs(), getType(), 1.0))
    return r;
  return foldIdentityRhs(getRhs(), getLhs(), getType(), 1.0);
}

OpFoldResult DivOp::fold(FoldAdaptor) {
  return foldIdentityRhs(getLhs(), getRhs(), getType(), 1.0);
}

OpFoldResult NegOp::fold(FoldAdaptor) {
  if (auto inner = getInput().getDefiningOp<NegOp>())
    return inner.getInput();
  return {};
}

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  // reshape(reshape(x)) only depends on x.
  if (auto inner = getInput().getDefiningOp<ReshapeOp>()) {
    getInputMutable().assign(inner.getInput());
    return getResult();
  }
  // Reshaping a dense constant only changes its type.
  if (auto dense = dyn_cast_if_present<DenseElementsAttr>(adaptor.getInput()))
    return dense.reshape(getType());
  return {};
}

OpFoldResult TransposeOp::fold(FoldAdaptor) {
  ArrayRef<int64_t> perm = getPerm();
  bool identity = true;
  for (auto [i, p] : llvm::enumerate(perm))
    identity &= (int64_t)i == p;
  if (identity)
    return getInput();
  // transpose(transpose(x, p), q) == transpose(x, p o q).
  if (auto inner = getInput().getDefiningOp<TransposeOp>()) {
    SmallVector<int64_t> composed;
    for (int64_t q : perm)
      composed.push_back(inner.getPerm()[q]);
    getInputMutable().assign(inner.getInput());
    setPerm(composed);
    return getResult();
  }
  return {};
}

OpFoldResult ConcatOp::fold(FoldAdaptor) {
  if (getInputs().size() == 1)
    return getInputs().front();
  // Empty inputs contribute nothing; drop them in place unless all are.
  auto isEmpty = [](Value v) {
    return cast<RankedTensorType>(v.getType()).getNumElements() == 0;
  };
  if (getType().getNumElements() == 0 || !llvm::any_of(getInputs(), isEmpty))
    return {};
  for (int64_t i = getInputs().size() - 1; i >= 0; --i)
    if (isEmpty(getInputs()[i]))
      getInputsMutable().erase(i);
  return getResult();
}

OpFoldResult SliceOp::fold(FoldAdaptor) {
  if (getInput().getType() != getType())
    return {};
  bool full = llvm::all_of(getStarts(), [](int64_t s) { return s == 0; }) &&
              llvm::all_of(getSteps(), [](int64_t s) { return s == 1; });
  return full ? getInput() : OpFoldResult();
}

namespace {
/// pow(x, 2) -> x * x and pow(x, 0.5) -> sqrt(x): the forms ONNX exporters
/// emit for variance and norms, which are cheaper and more accurate.
struct SimplifyPow : OpRewritePattern<PowOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(PowOp op,
                                PatternRewriter &rewriter) const override {
    auto e = getSplatValue(op.getRhs());
    if (!e)
      return rewriter.notifyMatchFailure(op, "exponent is not a splat");
    if (op.getLhs().getType() != op.getType())
      return rewriter.notifyMatchFailure(op, "exponent broadcasts the base");
    if (*e == 2.0) {
      rewriter.replaceOpWithNewOp<MulOp>(op, op.getLhs(), op.getLhs());
      return success();
    }
    if (*e == 0.5 && isa<FloatType>(op.getType().getElementType())) {
      rewriter.replaceOpWithNewOp<SqrtOp>(op, op.getLhs());
      return success();
    }
    if (*e == 1.0) {
      rewriter.replaceOp(op, op.getLhs());
      return success();
    }
    return rewriter.notifyMatchFailure(op, "no cheaper form");
  }
};

/// flatten is a reshape whose result type is already known.
struct FlattenToReshape : OpRewritePattern<FlattenOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(FlattenOp op,
                                PatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<ReshapeOp>(op, op.getType(), op.getInput());
    return success();
  }
};
} // namespace

void PowOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                        MLIRContext *context) {
  results.add<SimplifyPow>(context);
}

void FlattenOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                            MLIRContext *context) {
  results.add<FlattenToReshape>(context);
}
