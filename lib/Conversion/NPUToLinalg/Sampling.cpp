//===- Sampling.cpp - npu resize, grid sample, RoI align to linalg --------===//
//
// All three gather from their input with tensor.extract inside a
// linalg.generic over the result. Resize reads per-axis index/weight tables
// computed at compile time (NPUSampling.h) and runs one pass per resized
// axis; grid sample and RoI align compute coordinates from run-time data.
// Coefficients are computed in f32 (f64 for f64 tensors).
//
//===----------------------------------------------------------------------===//
#include "Utils.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "npu/Dialect/NPU/IR/NPUSampling.h"

using namespace mlir;
using namespace npu;
using namespace npu::detail;

namespace {

Type computeType(Type elementType) {
  return elementType.isF64() ? elementType
                             : Float32Type::get(elementType.getContext());
}

/// Float conversion between element and compute types.
Value convertFloat(OpBuilder &b, Location loc, Value v, Type to) {
  Type from = v.getType();
  if (from == to)
    return v;
  if (from.getIntOrFloatBitWidth() < to.getIntOrFloatBitWidth())
    return b.create<arith::ExtFOp>(loc, to, v);
  return b.create<arith::TruncFOp>(loc, to, v);
}

/// Scalar-building shorthands for the generic bodies below.
struct Scalar {
  OpBuilder &b;
  Location loc;
  Type ft; // compute type

  Value c(double v) { return createScalar(b, loc, ft, v); }
  Value add(Value x, Value y) { return b.create<arith::AddFOp>(loc, x, y); }
  Value sub(Value x, Value y) { return b.create<arith::SubFOp>(loc, x, y); }
  Value mul(Value x, Value y) { return b.create<arith::MulFOp>(loc, x, y); }
  Value div(Value x, Value y) { return b.create<arith::DivFOp>(loc, x, y); }
  Value floor(Value x) { return b.create<math::FloorOp>(loc, x); }
  /// NaN-ignoring max/min: a NaN coordinate ends up clamped, never used
  /// as an index.
  Value max(Value x, Value y) { return b.create<arith::MaxNumFOp>(loc, x, y); }
  Value min(Value x, Value y) { return b.create<arith::MinNumFOp>(loc, x, y); }
  Value clamp(Value x, double lo, double hi) {
    return min(max(x, c(lo)), c(hi));
  }
  Value cmp(arith::CmpFPredicate p, Value x, Value y) {
    return b.create<arith::CmpFOp>(loc, p, x, y);
  }
  Value andI(Value x, Value y) { return b.create<arith::AndIOp>(loc, x, y); }
  Value select(Value cond, Value x, Value y) {
    return b.create<arith::SelectOp>(loc, cond, x, y);
  }
  /// Whether x lies in [0, size - 1] (false for NaN).
  Value inRange(Value x, int64_t size) {
    return andI(cmp(arith::CmpFPredicate::OGE, x, c(0)),
                cmp(arith::CmpFPredicate::OLE, x, c(double(size - 1))));
  }
  /// An integral-valued float coordinate as an index, clamped into
  /// [0, size - 1] first so that no value can address outside the input.
  Value toIndex(Value x, int64_t size) {
    Value i = b.create<arith::FPToSIOp>(loc, b.getI64Type(),
                                        clamp(x, 0, double(size - 1)));
    return b.create<arith::IndexCastOp>(loc, b.getIndexType(), i);
  }
  Value index(int64_t dim) { return b.create<linalg::IndexOp>(loc, dim); }
  Value indexToFloat(Value i) {
    Value v = b.create<arith::IndexCastOp>(loc, b.getI64Type(), i);
    return b.create<arith::SIToFPOp>(loc, ft, v);
  }
  /// input[coords] converted to the compute type.
  Value load(Value input, ValueRange coords) {
    return convertFloat(b, loc, b.create<tensor::ExtractOp>(loc, input, coords),
                        ft);
  }
};

//===----------------------------------------------------------------------===//
// npu.resize
//===----------------------------------------------------------------------===//

/// rank-1 or rank-2 constant.
Value tableConstant(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                    Type et, ArrayRef<Attribute> values) {
  auto type = RankedTensorType::get(shape, et);
  return b.create<arith::ConstantOp>(loc, DenseElementsAttr::get(type, values));
}

/// One gather over all resized axes: output[..] = input[idx_d[o_d], ..];
/// index -1 marks tf_crop_and_resize points that get the extrapolation
/// value.
Value resizeNearest(OpBuilder &b, Location loc, ResizeOp op, Value input,
                    ArrayRef<int64_t> axes, ArrayRef<ResizeAxisTaps> taps) {
  auto type = cast<RankedTensorType>(op.getType());
  int64_t rank = type.getRank();
  MLIRContext *ctx = b.getContext();
  SmallVector<Value> tables;
  SmallVector<AffineMap> maps;
  bool outside = false;
  for (int64_t d : axes) {
    const ResizeAxisTaps &t = taps[d];
    SmallVector<Attribute> values;
    for (auto [o, i] : llvm::enumerate(t.index))
      values.push_back(b.getI64IntegerAttr(t.outside[o] ? -1 : i));
    outside |= t.hasOutside;
    tables.push_back(tableConstant(b, loc, {(int64_t)values.size()},
                                   b.getI64Type(), values));
    maps.push_back(AffineMap::get(rank, 0, getAffineDimExpr(d, ctx)));
  }
  maps.push_back(AffineMap::getMultiDimIdentityMap(rank, ctx));
  double extrapolation = op.getExtrapolationValue().convertToDouble();
  auto gather = b.create<linalg::GenericOp>(
      loc, type, tables, createEmpty(b, loc, type), maps,
      parallelIterators(rank), [&](OpBuilder &nb, Location l, ValueRange a) {
        SmallVector<Value> coords;
        Value isOutside;
        Value zero =
            outside ? nb.create<arith::ConstantIntOp>(l, 0, 64) : Value();
        for (int64_t d = 0, k = 0; d < rank; ++d) {
          if (k == (int64_t)axes.size() || axes[k] != d) {
            coords.push_back(nb.create<linalg::IndexOp>(l, d));
            continue;
          }
          Value i = a[k++];
          if (outside) {
            Value neg =
                nb.create<arith::CmpIOp>(l, arith::CmpIPredicate::slt, i, zero);
            isOutside =
                isOutside ? nb.create<arith::OrIOp>(l, isOutside, neg) : neg;
            i = nb.create<arith::MaxSIOp>(l, i, zero);
          }
          coords.push_back(
              nb.create<arith::IndexCastOp>(l, nb.getIndexType(), i));
        }
        Value v = nb.create<tensor::ExtractOp>(l, input, coords);
        if (isOutside)
          v = nb.create<arith::SelectOp>(
              l, isOutside,
              createScalar(nb, l, type.getElementType(), extrapolation), v);
        nb.create<linalg::YieldOp>(l, v);
      });
  return gather.getResult(0);
}

/// One interpolation pass along `axis`: result[.., o, ..] =
/// sum_k w[o, k] * src[.., idx[o, k], ..], in element type `resultType`.
/// Tap columns whose weights are all 0 are dropped.
Value resizeAxis(OpBuilder &b, Location loc, Value src, int64_t axis,
                 const ResizeAxisTaps &t, Type ft, Type resultType,
                 double extrapolation) {
  auto srcType = cast<RankedTensorType>(src.getType());
  int64_t rank = srcType.getRank();
  int64_t out = t.outside.size();
  SmallVector<int64_t> shape(srcType.getShape());
  shape[axis] = out;
  auto type = RankedTensorType::get(shape, resultType);
  MLIRContext *ctx = b.getContext();

  SmallVector<int64_t> columns;
  for (int64_t k = 0; k < t.taps; ++k)
    for (int64_t o = 0; o < out; ++o)
      if (t.weight[o * t.taps + k] != 0) {
        columns.push_back(k);
        break;
      }
  int64_t n = columns.size();
  SmallVector<Attribute> idx, weight, outside;
  for (int64_t o = 0; o < out; ++o) {
    for (int64_t k : columns) {
      idx.push_back(b.getI64IntegerAttr(t.index[o * t.taps + k]));
      weight.push_back(b.getFloatAttr(ft, t.weight[o * t.taps + k]));
    }
    outside.push_back(b.getBoolAttr(t.outside[o]));
  }
  SmallVector<Value> ins;
  SmallVector<AffineMap> maps;
  AffineExpr o = getAffineDimExpr(axis, ctx);
  if (n) {
    Value idxTable = tableConstant(b, loc, {out, n}, b.getI64Type(), idx);
    Value weightTable = tableConstant(b, loc, {out, n}, ft, weight);
    for (int64_t k = 0; k < n; ++k) {
      AffineMap map =
          AffineMap::get(rank, 0, {o, getAffineConstantExpr(k, ctx)}, ctx);
      ins.append({idxTable, weightTable});
      maps.append({map, map});
    }
  }
  if (t.hasOutside) {
    ins.push_back(tableConstant(b, loc, {out}, b.getI1Type(), outside));
    maps.push_back(AffineMap::get(rank, 0, o));
  }
  maps.push_back(AffineMap::getMultiDimIdentityMap(rank, ctx));
  auto pass = b.create<linalg::GenericOp>(
      loc, type, ins, createEmpty(b, loc, type), maps, parallelIterators(rank),
      [&](OpBuilder &nb, Location l, ValueRange a) {
        Scalar s{nb, l, ft};
        SmallVector<Value> coords;
        for (int64_t d = 0; d < rank; ++d)
          coords.push_back(d == axis ? Value() : s.index(d));
        Value acc;
        for (int64_t k = 0; k < n; ++k) {
          coords[axis] =
              nb.create<arith::IndexCastOp>(l, nb.getIndexType(), a[2 * k]);
          Value term = s.mul(a[2 * k + 1], s.load(src, coords));
          acc = acc ? s.add(acc, term) : term;
        }
        if (!acc) // every weight is 0 (all points extrapolate)
          acc = s.c(0);
        if (t.hasOutside)
          acc = s.select(a[2 * n], s.c(extrapolation), acc);
        nb.create<linalg::YieldOp>(l, convertFloat(nb, l, acc, resultType));
      });
  return pass.getResult(0);
}

struct ResizeLowering : OpConversionPattern<ResizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(ResizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto inType = op.getInput().getType();
    auto outType = op.getResult().getType();
    int64_t rank = inType.getRank();
    SmallVector<ResizeAxisTaps> taps;
    SmallVector<int64_t> axes;
    for (int64_t d = 0; d < rank; ++d) {
      taps.push_back(computeResizeTaps(op, d));
      if (!taps.back().isIdentity())
        axes.push_back(d);
    }
    Value x = adaptor.getInput();
    if (axes.empty()) {
      rewriter.replaceOp(op, x);
      return success();
    }
    if (op.getMode() == "nearest") {
      rewriter.replaceOp(op, resizeNearest(rewriter, loc, op, x, axes, taps));
      return success();
    }
    // Shrinking axes first keeps the intermediate tensors small.
    llvm::stable_sort(axes, [&](int64_t p, int64_t q) {
      return outType.getDimSize(p) * inType.getDimSize(q) <
             outType.getDimSize(q) * inType.getDimSize(p);
    });
    Type et = outType.getElementType(), ft = computeType(et);
    double extrapolation = op.getExtrapolationValue().convertToDouble();
    for (auto [i, d] : llvm::enumerate(axes))
      x = resizeAxis(rewriter, loc, x, d, taps[d], ft,
                     i + 1 == axes.size() ? et : ft, extrapolation);
    rewriter.replaceOp(op, x);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// npu.grid_sample
//===----------------------------------------------------------------------===//

/// Keys cubic weights (A = -0.75) of the taps at -1, 0, 1, 2 from floor(x),
/// for the fraction t.
void cubicWeights(Scalar &s, Value t, Value w[4]) {
  double a = -0.75;
  auto near = [&](Value x) { // ((a + 2) x - (a + 3)) x^2 + 1
    return s.add(s.mul(s.sub(s.mul(s.c(a + 2), x), s.c(a + 3)), s.mul(x, x)),
                 s.c(1));
  };
  auto far = [&](Value x) { // ((a x - 5a) x + 8a) x - 4a
    Value v = s.sub(s.mul(s.c(a), x), s.c(5 * a));
    v = s.add(s.mul(v, x), s.c(8 * a));
    return s.sub(s.mul(v, x), s.c(4 * a));
  };
  w[0] = far(s.add(t, s.c(1)));
  w[1] = near(t);
  w[2] = near(s.sub(s.c(1), t));
  w[3] = far(s.sub(s.c(2), t));
}

struct GridSampleLowering : OpConversionPattern<GridSampleOp> {
  using OpConversionPattern::OpConversionPattern;

  /// Grid value in [-1, 1] to a pixel coordinate.
  static Value unnormalize(Scalar &s, Value g, int64_t size, bool align) {
    Value p = s.add(g, s.c(1));
    if (align)
      return s.mul(p, s.c(double(size - 1) / 2));
    return s.div(s.sub(s.mul(p, s.c(double(size))), s.c(1)), s.c(2));
  }

  /// Reflects x into [lo2 / 2, hi2 / 2] (PyTorch reflect_coordinates).
  static Value reflect(Scalar &s, Value x, double lo2, double hi2) {
    if (lo2 == hi2)
      return s.c(0);
    double lo = lo2 / 2, span = (hi2 - lo2) / 2;
    Value in = s.b.create<math::AbsFOp>(s.loc, s.sub(x, s.c(lo)));
    Value extra = s.b.create<arith::RemFOp>(s.loc, in, s.c(span));
    Value flips = s.floor(s.div(in, s.c(span)));
    Value odd = s.cmp(arith::CmpFPredicate::OEQ,
                      s.b.create<arith::RemFOp>(s.loc, flips, s.c(2)), s.c(1));
    return s.add(s.select(odd, s.sub(s.c(span), extra), extra), s.c(lo));
  }

  /// Applies the padding mode to a coordinate (PyTorch compute_coordinates).
  static Value pad(Scalar &s, Value x, int64_t size, StringRef padding,
                   bool align) {
    if (padding == "zeros")
      return x;
    if (padding == "reflection")
      x = align ? reflect(s, x, 0, 2.0 * double(size - 1))
                : reflect(s, x, -1, 2.0 * double(size) - 1);
    return s.clamp(x, 0, double(size - 1));
  }

  LogicalResult
  matchAndRewrite(GridSampleOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput(), grid = adaptor.getGrid();
    auto inType = cast<RankedTensorType>(input.getType());
    auto type = cast<RankedTensorType>(op.getType());
    Type et = type.getElementType(), ft = computeType(et);
    int64_t H = inType.getDimSize(2), W = inType.getDimSize(3);
    bool align = op.getAlignCorners();
    StringRef mode = op.getMode(), padding = op.getPaddingMode();
    MLIRContext *ctx = rewriter.getContext();
    auto gridMap = [&](int64_t k) {
      return AffineMap::get(4, 0,
                            {getAffineDimExpr(0, ctx), getAffineDimExpr(2, ctx),
                             getAffineDimExpr(3, ctx),
                             getAffineConstantExpr(k, ctx)},
                            ctx);
    };
    SmallVector<AffineMap> maps{gridMap(0), gridMap(1),
                                AffineMap::getMultiDimIdentityMap(4, ctx)};
    auto generic = rewriter.create<linalg::GenericOp>(
        loc, type, ValueRange{grid, grid}, createEmpty(rewriter, loc, type),
        maps, parallelIterators(4),
        [&](OpBuilder &b, Location l, ValueRange a) {
          Scalar s{b, l, ft};
          Value n = s.index(0), c = s.index(1);
          Value x = unnormalize(s, convertFloat(b, l, a[0], ft), W, align);
          Value y = unnormalize(s, convertFloat(b, l, a[1], ft), H, align);
          // input[n, c, yy, xx] for integral yy, xx; 0 outside.
          auto sample = [&](Value yy, Value xx) {
            Value v = s.load(input, {n, c, s.toIndex(yy, H), s.toIndex(xx, W)});
            return s.select(s.andI(s.inRange(yy, H), s.inRange(xx, W)), v,
                            s.c(0));
          };
          Value acc;
          if (mode == "nearest") {
            x = b.create<math::RoundEvenOp>(l, pad(s, x, W, padding, align));
            y = b.create<math::RoundEvenOp>(l, pad(s, y, H, padding, align));
            acc = sample(y, x);
          } else if (mode == "bilinear") {
            x = pad(s, x, W, padding, align);
            y = pad(s, y, H, padding, align);
            Value x0 = s.floor(x), y0 = s.floor(y);
            Value tx = s.sub(x, x0), ty = s.sub(y, y0);
            Value wx[2] = {s.sub(s.c(1), tx), tx};
            Value wy[2] = {s.sub(s.c(1), ty), ty};
            acc = s.c(0);
            for (int i = 0; i < 2; ++i)
              for (int j = 0; j < 2; ++j)
                acc = s.add(
                    acc, s.mul(s.mul(wy[i], wx[j]),
                               sample(s.add(y0, s.c(i)), s.add(x0, s.c(j)))));
          } else {
            // Bicubic pads each of the 4x4 tap coordinates instead.
            Value x0 = s.floor(x), y0 = s.floor(y);
            Value wx[4], wy[4];
            cubicWeights(s, s.sub(x, x0), wx);
            cubicWeights(s, s.sub(y, y0), wy);
            acc = s.c(0);
            for (int i = 0; i < 4; ++i) {
              Value yy = pad(s, s.add(y0, s.c(i - 1)), H, padding, align);
              Value row = s.c(0);
              for (int j = 0; j < 4; ++j) {
                Value xx = pad(s, s.add(x0, s.c(j - 1)), W, padding, align);
                row = s.add(row, s.mul(wx[j], sample(yy, xx)));
              }
              acc = s.add(acc, s.mul(wy[i], row));
            }
          }
          b.create<linalg::YieldOp>(l, convertFloat(b, l, acc, et));
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// npu.roi_align
//===----------------------------------------------------------------------===//

struct RoiAlignLowering : OpConversionPattern<RoiAlignOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(RoiAlignOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inType = cast<RankedTensorType>(input.getType());
    auto type = cast<RankedTensorType>(op.getType());
    Type et = type.getElementType(), ft = computeType(et);
    int64_t N = inType.getDimSize(0), H = inType.getDimSize(2),
            W = inType.getDimSize(3);
    int64_t outH = op.getOutputHeight(), outW = op.getOutputWidth();
    int64_t ratio = op.getSamplingRatio();
    bool halfPixel = op.getHalfPixel(), isMax = op.getMode() == "max";
    double scale = op.getSpatialScale().convertToDouble();
    MLIRContext *ctx = rewriter.getContext();
    SmallVector<AffineMap> maps;
    for (int64_t k = 0; k < 4; ++k)
      maps.push_back(AffineMap::get(
          4, 0, {getAffineDimExpr(0, ctx), getAffineConstantExpr(k, ctx)},
          ctx));
    maps.push_back(AffineMap::get(4, 0, getAffineDimExpr(0, ctx)));
    maps.push_back(AffineMap::getMultiDimIdentityMap(4, ctx));
    Value rois = adaptor.getRois();
    SmallVector<Value> ins{rois, rois, rois, rois, adaptor.getBatchIndices()};

    auto generic = rewriter.create<linalg::GenericOp>(
        loc, type, ins, createEmpty(rewriter, loc, type), maps,
        parallelIterators(4), [&](OpBuilder &b, Location l, ValueRange a) {
          Scalar s{b, l, ft};
          Type i64 = b.getI64Type();
          Value batch = a[4];
          if (batch.getType() != i64)
            batch = b.create<arith::ExtSIOp>(l, i64, batch);
          batch = b.create<arith::MaxSIOp>(
              l, batch, b.create<arith::ConstantIntOp>(l, 0, 64));
          batch = b.create<arith::MinSIOp>(
              l, batch, b.create<arith::ConstantIntOp>(l, N - 1, 64));
          Value n = b.create<arith::IndexCastOp>(l, b.getIndexType(), batch);
          Value c = s.index(1);
          Value offset = s.c(halfPixel ? 0.5 : 0.0);
          auto corner = [&](int k) {
            return s.sub(s.mul(convertFloat(b, l, a[k], ft), s.c(scale)),
                         offset);
          };
          Value startW = corner(0), startH = corner(1);
          Value roiW = s.sub(corner(2), startW),
                roiH = s.sub(corner(3), startH);
          if (!halfPixel) {
            roiW = s.max(roiW, s.c(1));
            roiH = s.max(roiH, s.c(1));
          }
          Value binW = s.div(roiW, s.c(double(outW)));
          Value binH = s.div(roiH, s.c(double(outH)));
          // Samples per bin and axis: the fixed ratio or ceil(bin size).
          auto gridSize = [&](Value bin) -> Value {
            if (ratio > 0)
              return s.c(double(ratio));
            return s.clamp(b.create<math::CeilOp>(l, bin), 0, 1 << 30);
          };
          Value gridH = gridSize(binH), gridW = gridSize(binW);
          Value count = s.max(s.mul(gridH, gridW), s.c(1));
          Value baseH = s.add(startH, s.mul(s.indexToFloat(s.index(2)), binH));
          Value baseW = s.add(startW, s.mul(s.indexToFloat(s.index(3)), binW));
          Value stepH = s.div(binH, gridH), stepW = s.div(binW, gridW);

          // One bilinear sample (ONNX Runtime's rules at the border).
          auto bilinear = [&](OpBuilder &ib, Location il, Value y, Value x,
                              Value acc) -> Value {
            Scalar t{ib, il, ft};
            Value empty = ib.create<arith::OrIOp>(
                il,
                ib.create<arith::OrIOp>(
                    il, t.cmp(arith::CmpFPredicate::OLT, y, t.c(-1)),
                    t.cmp(arith::CmpFPredicate::OGT, y, t.c(double(H)))),
                ib.create<arith::OrIOp>(
                    il, t.cmp(arith::CmpFPredicate::OLT, x, t.c(-1)),
                    t.cmp(arith::CmpFPredicate::OGT, x, t.c(double(W)))));
            auto axis = [&](Value v, int64_t size, Value &lo, Value &hi) {
              v = t.max(v, t.c(0));
              lo = t.floor(v);
              Value last =
                  t.cmp(arith::CmpFPredicate::OGE, lo, t.c(double(size - 1)));
              lo = t.select(last, t.c(double(size - 1)), lo);
              hi = t.select(last, lo, t.add(lo, t.c(1)));
              v = t.select(last, lo, v);
              return t.sub(v, lo); // fraction toward hi
            };
            Value y0, y1, x0, x1;
            Value ly = axis(y, H, y0, y1), lx = axis(x, W, x0, x1);
            Value hy = t.sub(t.c(1), ly), hx = t.sub(t.c(1), lx);
            Value zero = t.c(0);
            Value w[4] = {t.mul(hy, hx), t.mul(hy, lx), t.mul(ly, hx),
                          t.mul(ly, lx)};
            Value ys[4] = {y0, y0, y1, y1}, xs[4] = {x0, x1, x0, x1};
            Value val;
            for (int k = 0; k < 4; ++k) {
              Value v = t.load(
                  input, {n, c, t.toIndex(ys[k], H), t.toIndex(xs[k], W)});
              v = t.select(empty, zero, t.mul(w[k], v));
              val = !val    ? v
                    : isMax ? ib.create<arith::MaximumFOp>(il, val, v)
                            : t.add(val, v);
            }
            return isMax ? ib.create<arith::MaximumFOp>(il, acc, val)
                         : t.add(acc, val);
          };

          Value ih = b.create<arith::FPToSIOp>(l, i64, gridH);
          Value iw = b.create<arith::FPToSIOp>(l, i64, gridW);
          Value zeroI = b.create<arith::ConstantIntOp>(l, 0, 64);
          Value oneI = b.create<arith::ConstantIntOp>(l, 1, 64);
          Value init = isMax ? createLowest(b, l, ft) : s.c(0);
          auto rows = b.create<scf::ForOp>(
              l, zeroI, ih, oneI, ValueRange{init},
              [&](OpBuilder &rb, Location rl, Value iy, ValueRange racc) {
                Scalar r{rb, rl, ft};
                Value fy = rb.create<arith::SIToFPOp>(rl, ft, iy);
                Value y = r.add(baseH, r.mul(r.add(fy, r.c(0.5)), stepH));
                auto cols = rb.create<scf::ForOp>(
                    rl, zeroI, iw, oneI, racc,
                    [&](OpBuilder &cb, Location cl, Value ix, ValueRange cacc) {
                      Scalar q{cb, cl, ft};
                      Value fx = cb.create<arith::SIToFPOp>(cl, ft, ix);
                      Value x = q.add(baseW, q.mul(q.add(fx, q.c(0.5)), stepW));
                      cb.create<scf::YieldOp>(cl,
                                              bilinear(cb, cl, y, x, cacc[0]));
                    });
                rb.create<scf::YieldOp>(rl, cols.getResult(0));
              });
          Value result = rows.getResult(0);
          if (isMax) // no samples: 0
            result = s.select(
                s.cmp(arith::CmpFPredicate::OEQ, s.mul(gridH, gridW), s.c(0)),
                s.c(0), result);
          else
            result = s.div(result, count);
          b.create<linalg::YieldOp>(l, convertFloat(b, l, result, et));
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

} // namespace

void npu::populateSamplingPatterns(RewritePatternSet &patterns) {
  patterns.add<ResizeLowering, GridSampleLowering, RoiAlignLowering>(
      patterns.getContext());
}
