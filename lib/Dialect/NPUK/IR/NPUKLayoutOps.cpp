//===- NPUKLayoutOps.cpp - npuk.convert: verifier, folds, canonicalization ===//
#include "npu/Dialect/NPUK/IR/NPUKLayout.h"
#include "npu/Dialect/NPUK/IR/NPUKOps.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

#include <cstdlib>

using namespace mlir;
using namespace npu::npuk;

static std::string shapeStr(ArrayRef<int64_t> shape) {
  std::string s = "[";
  llvm::raw_string_ostream os(s);
  llvm::interleave(shape, os, ",");
  return s + "]";
}

/// A physical tensor kept in its layout: nc1hwc0 is rank 5 ending in C0,
/// fz/fnz are [KF][NF][16][16].
static LogicalResult verifyPhysicalShape(Operation *op, Layout layout,
                                         ArrayRef<int64_t> shape) {
  bool ok = layout == Layout::nc1hwc0
                ? shape.size() == 5 && shape[4] == kC0
                : shape.size() == 4 && shape[2] == kC0 && shape[3] == kC0;
  if (ok)
    return success();
  return op->emitOpError("shape ")
         << shapeStr(shape) << " is not a " << stringifyLayout(layout)
         << " shape ("
         << (layout == Layout::nc1hwc0 ? "[N][C1][H][W][16]"
                                       : "[KF][NF][16][16]")
         << ")";
}

LogicalResult ConvertOp::verify() {
  auto inType = cast<RankedTensorType>(getInput().getType());
  auto outType = cast<RankedTensorType>(getType());
  if (!inType.hasStaticShape() || !outType.hasStaticShape())
    return emitOpError("needs static shapes");
  Type inElem = inType.getElementType(), outElem = outType.getElementType();
  for (Type t : {inElem, outElem})
    if (!isSupportedElementType(t))
      return emitOpError("element type ")
             << t << " is not supported (f32, f16 or bf16)";
  if (inElem != outElem && !inElem.isF32() && !outElem.isF32())
    return emitOpError("converts ")
           << inElem << " to " << outElem << " directly; go through f32";
  if (std::abs(getScale()) > 64)
    return emitOpError("scale_exp ")
           << getScale() << " is out of range [-64, 64]";

  Layout from = getFrom(), to = getTo();
  bool toPhysical = isLogical(from) && !isLogical(to);
  bool fromPhysical = !isLogical(from) && isLogical(to);
  if (!isLogical(from) && !isLogical(to) && from != to)
    return emitOpError("converts between two physical layouts (")
           << stringifyLayout(from) << " -> " << stringifyLayout(to)
           << "); go through a logical one";
  if (!toPhysical && !fromPhysical) {
    // Only the element type or the scale changes (or nd <-> nchw).
    if (inType.getShape() != outType.getShape())
      return emitOpError("result shape ")
             << shapeStr(outType.getShape()) << " must equal the operand shape "
             << shapeStr(inType.getShape()) << " when the layout stays "
             << (isLogical(from) ? "logical" : stringifyLayout(from));
    std::string error;
    for (Layout l : {from, to}) {
      if (!isLogical(l))
        return verifyPhysicalShape(*this, l, inType.getShape());
      if (failed(getLayoutMap(inType.getShape(), l, &error)))
        return emitOpError(error);
    }
    return success();
  }
  RankedTensorType logical = toPhysical ? inType : outType;
  RankedTensorType physical = toPhysical ? outType : inType;
  Layout layout = toPhysical ? to : from;
  std::string error;
  FailureOr<LayoutMap> map = getLayoutMap(logical.getShape(), layout, &error);
  Layout logicalLayout = toPhysical ? from : to;
  if (failed(map) ||
      failed(getLayoutMap(logical.getShape(), logicalLayout, &error)))
    return emitOpError(toPhysical ? "operand: " : "result: ") << error;
  if (ArrayRef<int64_t>(map->physicalShape) != physical.getShape())
    return emitOpError(toPhysical ? "result" : "operand")
           << " shape " << shapeStr(physical.getShape()) << " must be "
           << shapeStr(map->physicalShape) << ", the "
           << stringifyLayout(layout) << " shape of logical "
           << shapeStr(logical.getShape());
  return success();
}

/// Logical layouts are all row-major, so they compare equal.
static bool sameLayout(Layout a, Layout b) {
  return a == b || (isLogical(a) && isLogical(b));
}

OpFoldResult ConvertOp::fold(FoldAdaptor) {
  if (sameLayout(getFrom(), getTo()) && getScale() == 0 &&
      getInput().getType() == getType())
    return getInput();
  // convert(convert(x, a -> b), b -> a) -> x when nothing rounds.
  auto prev = getInput().getDefiningOp<ConvertOp>();
  if (!prev)
    return {};
  Value x = prev.getInput();
  if (x.getType() != getType() || !sameLayout(prev.getTo(), getFrom()) ||
      !sameLayout(prev.getFrom(), getTo()))
    return {};
  Type sourceType = cast<RankedTensorType>(x.getType()).getElementType();
  Type midType = cast<RankedTensorType>(getInput().getType()).getElementType();
  if (!isExactRoundTrip(prev.getFrom(), prev.getTo(), sourceType, midType,
                        prev.getScale(), getScale()))
    return {};
  return x;
}

namespace {
/// convert(constant) -> constant, created by the constant's own dialect
/// (npu.constant stays npu.constant, arith.constant stays arith.constant).
struct ConvertOfConstant : OpRewritePattern<ConvertOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ConvertOp op,
                                PatternRewriter &rewriter) const override {
    Operation *def = op.getInput().getDefiningOp();
    ElementsAttr value;
    if (!def || !matchPattern(def->getResult(0), m_Constant(&value)))
      return rewriter.notifyMatchFailure(op, "operand is not a constant");
    auto type = cast<RankedTensorType>(op.getType());
    ElementsAttr folded =
        convertConstant(value, op.getFrom(), op.getTo(), type, op.getScale());
    if (!folded)
      return rewriter.notifyMatchFailure(op, "constant data not available");
    Operation *cst = def->getDialect()->materializeConstant(rewriter, folded,
                                                            type, op.getLoc());
    if (!cst)
      return rewriter.notifyMatchFailure(op, "cannot materialize constant");
    rewriter.replaceOp(op, cst->getResults());
    return success();
  }
};
} // namespace

void ConvertOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                            MLIRContext *ctx) {
  patterns.add<ConvertOfConstant>(ctx);
}
