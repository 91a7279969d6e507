//===- Layout.cpp - lower npuk.convert to tensor ops and linalg -----------===//
//
// logical -> physical: convert the elements, pad with +0, expand_shape,
// transpose, collapse_shape; physical -> logical runs the inverse steps and
// converts after slicing, so pad lanes are never converted. Scaling is an
// f32 multiply by 2^-e and rounding is RNE (arith.truncf for f16, integer
// ops for bf16), the same arithmetic as npuk::convertConstant.
//
//===----------------------------------------------------------------------===//
#include "Utils.h"

#include "npu/Conversion/NPUToLinalg/NPUToLinalg.h"
#include "npu/Dialect/NPUK/IR/NPUKLayout.h"
#include "npu/Dialect/NPUK/IR/NPUKOps.h"

#include <cmath>

using namespace mlir;
using namespace npu;
using namespace npu::detail;
using npuk::LayoutMap;

namespace {

using Reassociation = SmallVector<ReassociationIndices>;

Reassociation toReassociation(ArrayRef<SmallVector<int64_t, 2>> groups) {
  Reassociation r;
  for (const auto &g : groups)
    r.push_back(ReassociationIndices(g.begin(), g.end()));
  return r;
}

bool isTrivial(ArrayRef<SmallVector<int64_t, 2>> groups) {
  return llvm::all_of(groups, [](const auto &g) { return g.size() == 1; });
}

RankedTensorType withShape(Value v, ArrayRef<int64_t> shape) {
  return RankedTensorType::get(
      shape, cast<RankedTensorType>(v.getType()).getElementType());
}

/// f32 -> bf16 with round to nearest even in integer ops, as
/// npu::sim::floatToBf16 (NaN keeps its sign and top payload bits, made
/// quiet). arith.truncf may become vcvtneps2bf16, which flushes bf16
/// subnormals to zero, so constants folded at compile time would differ.
Value truncToBF16(OpBuilder &b, Location l, Value v) {
  Type i32 = b.getI32Type();
  auto cst = [&](int64_t x) {
    return b.create<arith::ConstantOp>(l, b.getI32IntegerAttr(x));
  };
  Value bits = b.create<arith::BitcastOp>(l, i32, v);
  Value high = b.create<arith::ShRUIOp>(l, bits, cst(16));
  Value lsb = b.create<arith::AndIOp>(l, high, cst(1));
  Value bias = b.create<arith::AddIOp>(l, lsb, cst(0x7fff));
  Value rounded = b.create<arith::ShRUIOp>(
      l, b.create<arith::AddIOp>(l, bits, bias), cst(16));
  Value quietNaN = b.create<arith::OrIOp>(l, high, cst(0x40));
  Value isNaN = b.create<arith::CmpFOp>(l, arith::CmpFPredicate::UNO, v, v);
  Value r = b.create<arith::SelectOp>(l, isNaN, quietNaN, rounded);
  r = b.create<arith::TruncIOp>(l, b.getI16Type(), r);
  return b.create<arith::BitcastOp>(l, b.getBF16Type(), r);
}

/// bf16 -> f32 is a 16-bit shift; spelled out so no host conversion
/// instruction can treat subnormals as zero.
Value extFromBF16(OpBuilder &b, Location l, Value v) {
  Value bits = b.create<arith::BitcastOp>(l, b.getI16Type(), v);
  bits = b.create<arith::ExtUIOp>(l, b.getI32Type(), bits);
  bits = b.create<arith::ShLIOp>(
      l, bits, b.create<arith::ConstantOp>(l, b.getI32IntegerAttr(16)));
  return b.create<arith::BitcastOp>(l, b.getF32Type(), bits);
}

/// result = x * 2^-scaleExp in `type`'s element type, computed in f32.
Value convertElements(OpBuilder &b, Location loc, Value x, Type resultElem,
                      int32_t scaleExp) {
  auto inType = cast<RankedTensorType>(x.getType());
  if (inType.getElementType() == resultElem && scaleExp == 0)
    return x;
  auto type = RankedTensorType::get(inType.getShape(), resultElem);
  return createElementwise(
      b, loc, type, x, [&](OpBuilder &b, Location l, ValueRange args) {
        Value v = args[0];
        Type f32 = b.getF32Type();
        if (v.getType().isBF16())
          v = extFromBF16(b, l, v);
        else if (!v.getType().isF32())
          v = b.create<arith::ExtFOp>(l, f32, v);
        if (scaleExp != 0)
          v = b.create<arith::MulFOp>(
              l, v, createScalar(b, l, f32, std::ldexp(1.0, -scaleExp)));
        if (resultElem.isBF16())
          v = truncToBF16(b, l, v);
        else if (!resultElem.isF32())
          v = b.create<arith::TruncFOp>(l, resultElem, v);
        return v;
      });
}

Value transpose(OpBuilder &b, Location loc, Value x, ArrayRef<int64_t> perm) {
  if (llvm::equal(perm, llvm::seq<int64_t>(0, perm.size())))
    return x;
  auto inType = cast<RankedTensorType>(x.getType());
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(inType.getDimSize(p));
  Value init = createEmpty(b, loc, withShape(x, shape));
  return b.create<linalg::TransposeOp>(loc, x, init, perm)->getResult(0);
}

/// Logical -> physical: pad with +0, expand, transpose, collapse.
Value toPhysical(OpBuilder &b, Location loc, Value x, const LayoutMap &m) {
  auto type = cast<RankedTensorType>(x.getType());
  if (type.getShape() != ArrayRef<int64_t>(m.paddedShape)) {
    SmallVector<OpFoldResult> low(m.paddedShape.size(), b.getIndexAttr(0)),
        high;
    for (auto [padded, logical] : llvm::zip(m.paddedShape, m.logicalShape))
      high.push_back(b.getIndexAttr(padded - logical));
    // 0.0 is +0: the pad-lane invariant.
    Value zero = createScalar(b, loc, type.getElementType(), 0.0);
    x = b.create<tensor::PadOp>(loc, withShape(x, m.paddedShape), x, low, high,
                                zero);
  }
  if (!isTrivial(m.expand))
    x = b.create<tensor::ExpandShapeOp>(loc, withShape(x, m.splitShape), x,
                                        toReassociation(m.expand));
  x = transpose(b, loc, x, m.perm);
  if (!isTrivial(m.collapse))
    x = b.create<tensor::CollapseShapeOp>(loc, x, toReassociation(m.collapse));
  return x;
}

/// Physical -> logical: expand, transpose back, collapse, slice off pads.
Value toLogical(OpBuilder &b, Location loc, Value x, const LayoutMap &m) {
  SmallVector<int64_t> tiled, inverse(m.perm.size());
  for (auto [i, p] : llvm::enumerate(m.perm)) {
    tiled.push_back(m.splitShape[p]);
    inverse[p] = i;
  }
  if (!isTrivial(m.collapse))
    x = b.create<tensor::ExpandShapeOp>(loc, withShape(x, tiled), x,
                                        toReassociation(m.collapse));
  x = transpose(b, loc, x, inverse);
  if (!isTrivial(m.expand))
    x = b.create<tensor::CollapseShapeOp>(loc, x, toReassociation(m.expand));
  if (m.paddedShape != m.logicalShape) {
    SmallVector<OpFoldResult> offsets(m.logicalShape.size(), b.getIndexAttr(0)),
        sizes, strides(m.logicalShape.size(), b.getIndexAttr(1));
    for (int64_t d : m.logicalShape)
      sizes.push_back(b.getIndexAttr(d));
    x = b.create<tensor::ExtractSliceOp>(loc, withShape(x, m.logicalShape), x,
                                         offsets, sizes, strides);
  }
  return x;
}

struct ConvertLowering : OpConversionPattern<npuk::ConvertOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(npuk::ConvertOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto inType = cast<RankedTensorType>(op.getInput().getType());
    auto outType = cast<RankedTensorType>(op.getType());
    npuk::Layout from = op.getFrom(), to = op.getTo();
    Type outElem = outType.getElementType();
    int32_t scale = op.getScale();
    Value x = adaptor.getInput();
    if (npuk::isLogical(from) && !npuk::isLogical(to)) {
      FailureOr<LayoutMap> m = npuk::getLayoutMap(inType.getShape(), to);
      if (failed(m))
        return rewriter.notifyMatchFailure(op, "invalid logical shape");
      x = convertElements(rewriter, loc, x, outElem, scale);
      x = toPhysical(rewriter, loc, x, *m);
    } else if (!npuk::isLogical(from) && npuk::isLogical(to)) {
      FailureOr<LayoutMap> m = npuk::getLayoutMap(outType.getShape(), from);
      if (failed(m))
        return rewriter.notifyMatchFailure(op, "invalid logical shape");
      x = toLogical(rewriter, loc, x, *m);
      x = convertElements(rewriter, loc, x, outElem, scale);
    } else {
      x = convertElements(rewriter, loc, x, outElem, scale);
    }
    if (x.getType() != outType)
      return rewriter.notifyMatchFailure(op, "shape mismatch");
    rewriter.replaceOp(op, x);
    return success();
  }
};

} // namespace

void npu::populateNPUKLayoutToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<ConvertLowering>(patterns.getContext());
}
