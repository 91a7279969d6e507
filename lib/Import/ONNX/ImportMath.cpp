//===- ImportMath.cpp - elementwise, matmul/Gemm, softmax, reductions, Cast ===//
#include "ImporterImpl.h"

using namespace mlir;
using namespace npu;
using namespace npu::onnx_import;

namespace {

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

/// Brings `rhs` to the element type of `lhs` for ops whose ONNX form allows
/// mixed types (Pow's exponent); others must already agree.
FailureOr<Value> matchElementType(NodeImporter &n, Value lhs, Value rhs,
                                  bool allowCast) {
  Type le = cast<RankedTensorType>(lhs.getType()).getElementType();
  auto rt = cast<RankedTensorType>(rhs.getType());
  if (rt.getElementType() == le)
    return rhs;
  if (!allowCast)
    return n.error() << "inputs have different element types "
                     << rt.getElementType() << " and " << le;
  UnitAttr u = n.inputIsUnsigned(1) ? n.b().getUnitAttr() : UnitAttr();
  return n.createTyped<CastOp>(rt.clone(le), rhs, u);
}

/// Before opset 7, `broadcast` = 1 with `axis` aligns B's dims with A's
/// from `axis` on; trailing unit dims make that a numpy broadcast.
FailureOr<Value> legacyBroadcast(NodeImporter &n, Value b) {
  if (n.opset() >= 7)
    return b;
  auto broadcast = n.intAttr("broadcast", 0);
  auto axisAttr = n.intAttr("axis", -1);
  if (failed(broadcast) || failed(axisAttr))
    return failure();
  if (!*broadcast || !n.hasAttr("axis"))
    return b;
  int64_t rankA = n.inputType(0).getRank();
  auto bt = cast<RankedTensorType>(b.getType());
  auto axis = n.normalizeAxis(*axisAttr, rankA, "axis");
  if (failed(axis))
    return failure();
  if (*axis + bt.getRank() > rankA)
    return n.attrError("axis") << "places B beyond A's rank";
  SmallVector<int64_t> shape(bt.getShape());
  shape.append(rankA - *axis - bt.getRank(), 1);
  return n.reshape(b, shape);
}

template <typename OpTy, bool SignedOnly = false, bool MixedTypes = false>
LogicalResult importBinary(NodeImporter &n) {
  if (failed(n.checkInputs(2, 2)))
    return failure();
  // A float Pow converts an unsigned exponent to the base's type.
  bool unsignedExponentCast =
      MixedTypes && !n.inputIsUnsigned(0) && n.inputIsUnsigned(1) &&
      isa<FloatType>(n.inputType(0).getElementType());
  if (SignedOnly && !unsignedExponentCast && failed(n.rejectUnsignedInputs()))
    return failure();
  auto rhs = matchElementType(n, n.input(0), n.input(1), MixedTypes);
  if (failed(rhs))
    return failure();
  rhs = legacyBroadcast(n, *rhs);
  if (failed(rhs))
    return failure();
  auto v = n.create<OpTy>(n.input(0), *rhs);
  if (failed(v))
    return failure();
  n.setOutput(0, *v, n.inputIsUnsigned(0));
  return success();
}

/// Div reads unsigned integers as unsigned.
LogicalResult importDiv(NodeImporter &n) {
  if (failed(n.checkInputs(2, 2)))
    return failure();
  bool isUnsigned = n.inputIsUnsigned(0);
  if (isUnsigned != n.inputIsUnsigned(1))
    return n.error() << "inputs mix signed and unsigned integers";
  auto rhs = matchElementType(n, n.input(0), n.input(1), false);
  if (failed(rhs))
    return failure();
  rhs = legacyBroadcast(n, *rhs);
  if (failed(rhs))
    return failure();
  auto v = n.create<DivOp>(n.input(0), *rhs,
                           isUnsigned ? n.b().getUnitAttr() : UnitAttr());
  if (failed(v))
    return failure();
  n.setOutput(0, *v, isUnsigned);
  return success();
}

/// Max, Min, Sum and Mean take one or more inputs that broadcast together.
template <typename OpTy, bool IsMean = false>
LogicalResult importVariadic(NodeImporter &n) {
  if (failed(n.checkInputs(1, 1u << 16)))
    return failure();
  // Unsigned Max/Min compare as unsigned and select; other ops have no
  // unsigned form.
  constexpr bool isMaxMin =
      std::is_same_v<OpTy, MaxOp> || std::is_same_v<OpTy, MinOp>;
  bool isUnsigned = isMaxMin && n.inputIsUnsigned(0);
  if (!isUnsigned && failed(n.rejectUnsignedInputs()))
    return failure();
  Value acc = n.input(0);
  for (unsigned i = 1; i < n.numInputs(); ++i) {
    if (!n.hasInput(i))
      return n.error() << "input " << i << " is required";
    auto rhs = matchElementType(n, acc, n.input(i), false);
    if (failed(rhs))
      return failure();
    if (isUnsigned) {
      auto pred = n.b().getStringAttr(std::is_same_v<OpTy, MaxOp> ? "gt" : "lt");
      auto better = n.create<CompareOp>(acc, *rhs, pred, n.b().getUnitAttr());
      if (failed(better))
        return failure();
      auto v = n.create<SelectOp>(*better, acc, *rhs);
      if (failed(v))
        return failure();
      acc = *v;
      continue;
    }
    auto v = n.create<OpTy>(acc, *rhs);
    if (failed(v))
      return failure();
    acc = *v;
  }
  if (IsMean && n.numInputs() > 1) {
    Type et = cast<RankedTensorType>(acc.getType()).getElementType();
    auto v = n.create<DivOp>(acc, n.scalar(et, n.numInputs()));
    if (failed(v))
      return failure();
    acc = *v;
  }
  n.setOutput(0, acc, isUnsigned);
  return success();
}

LogicalResult importAbs(NodeImporter &n) {
  if (failed(n.checkInputs(1, 1)))
    return failure();
  if (n.inputIsUnsigned(0)) {
    n.setOutput(0, n.input(0), true);
    return success();
  }
  auto neg = n.create<NegOp>(n.input(0));
  if (failed(neg))
    return failure();
  auto v = n.create<MaxOp>(n.input(0), *neg);
  if (failed(v))
    return failure();
  n.setOutput(0, *v);
  return success();
}

/// relu(x) + slope * min(x, 0): the general form of LeakyRelu and PRelu.
FailureOr<Value> leaky(NodeImporter &n, Value x, Value slope) {
  Type et = cast<RankedTensorType>(x.getType()).getElementType();
  auto pos = n.create<ReluOp>(x);
  if (failed(pos))
    return failure();
  auto negPart = n.create<MinOp>(x, n.scalar(et, 0.0));
  if (failed(negPart))
    return failure();
  auto scaled = n.create<MulOp>(*negPart, slope);
  if (failed(scaled))
    return failure();
  return n.create<AddOp>(*pos, *scaled);
}

LogicalResult importLeakyRelu(NodeImporter &n) {
  auto alpha = n.floatAttr("alpha", 0.01);
  if (failed(n.checkInputs(1, 1)) || failed(alpha))
    return failure();
  Value x = n.input(0);
  Type et = n.inputType(0).getElementType();
  FailureOr<Value> v;
  if (*alpha >= 0.0 && *alpha <= 1.0) {
    // max(x, alpha * x) is exact for slopes in [0, 1].
    auto scaled = n.create<MulOp>(x, n.scalar(et, *alpha));
    if (failed(scaled))
      return failure();
    v = n.create<MaxOp>(x, *scaled);
  } else {
    v = leaky(n, x, n.scalar(et, *alpha));
  }
  if (failed(v))
    return failure();
  n.setOutput(0, *v);
  return success();
}

LogicalResult importPRelu(NodeImporter &n) {
  if (failed(n.checkInputs(2, 2)))
    return failure();
  Value slope = n.input(1);
  auto xt = n.inputType(0), st = n.inputType(1);
  // Before opset 7 a 1-D slope of size C applies along channel axis 1.
  if (n.opset() < 7 && st.getRank() == 1 && xt.getRank() > 2 &&
      st.getDimSize(0) == xt.getDimSize(1)) {
    SmallVector<int64_t> shape(xt.getRank() - 1, 1);
    shape[0] = st.getDimSize(0);
    auto r = n.reshape(slope, shape);
    if (failed(r))
      return failure();
    slope = *r;
  }
  auto v = leaky(n, n.input(0), slope);
  if (failed(v))
    return failure();
  if (cast<RankedTensorType>(v->getType()) != n.inputType(0))
    return n.error() << "slope of shape "
                     << shapeString(n.inputType(1).getShape())
                     << " does not broadcast to the input shape "
                     << shapeString(n.inputType(0).getShape());
  n.setOutput(0, *v);
  return success();
}

/// clip(alpha * x + beta, 0, 1), optionally times x (HardSwish).
LogicalResult importHardSigmoidLike(NodeImporter &n, double alpha, double beta,
                                    bool timesX) {
  if (failed(n.checkInputs(1, 1)))
    return failure();
  Value x = n.input(0);
  Type et = n.inputType(0).getElementType();
  auto scaled = n.create<MulOp>(x, n.scalar(et, alpha));
  if (failed(scaled))
    return failure();
  auto shifted = n.create<AddOp>(*scaled, n.scalar(et, beta));
  if (failed(shifted))
    return failure();
  auto clipped = n.create<ClipOp>(*shifted, n.b().getF64FloatAttr(0.0),
                                  n.b().getF64FloatAttr(1.0));
  if (failed(clipped))
    return failure();
  FailureOr<Value> v = *clipped;
  if (timesX)
    v = n.create<MulOp>(x, *clipped);
  if (failed(v))
    return failure();
  n.setOutput(0, *v);
  return success();
}

LogicalResult importHardSigmoid(NodeImporter &n) {
  auto alpha = n.floatAttr("alpha", 0.2);
  auto beta = n.floatAttr("beta", 0.5);
  if (failed(alpha) || failed(beta))
    return failure();
  return importHardSigmoidLike(n, *alpha, *beta, false);
}

LogicalResult importHardSwish(NodeImporter &n) {
  return importHardSigmoidLike(n, 1.0 / 6.0, 0.5, true);
}

LogicalResult importSoftplus(NodeImporter &n) {
  if (failed(n.checkInputs(1, 1)))
    return failure();
  Type et = n.inputType(0).getElementType();
  auto e = n.create<ExpOp>(n.input(0));
  if (failed(e))
    return failure();
  auto p = n.create<AddOp>(*e, n.scalar(et, 1.0));
  if (failed(p))
    return failure();
  auto v = n.create<LogOp>(*p);
  if (failed(v))
    return failure();
  n.setOutput(0, *v);
  return success();
}

/// Clip whose bounds are computed at run time: max(x, min), then min(., max).
LogicalResult importClipRuntime(NodeImporter &n) {
  if (failed(n.rejectUnsignedInputs()))
    return failure();
  Value v = n.input(0);
  auto type = n.inputType(0);
  for (unsigned i : {1u, 2u}) {
    if (!n.hasInput(i))
      continue;
    if (n.inputType(i).getNumElements() != 1)
      return n.error() << "input '" << n.inputName(i) << "' must be a scalar";
    auto r = i == 1 ? n.create<MaxOp>(v, n.input(i))
                    : n.create<MinOp>(v, n.input(i));
    if (failed(r))
      return failure();
    v = *r;
  }
  auto out = n.reshape(v, type.getShape());
  if (failed(out))
    return failure();
  n.setOutput(0, *out);
  return success();
}

LogicalResult importClip(NodeImporter &n) {
  FloatAttr minAttr, maxAttr;
  if (n.opset() < 11) {
    if (failed(n.checkInputs(1, 1)))
      return failure();
    if (n.hasAttr("min")) {
      auto v = n.floatAttr("min", std::nullopt);
      if (failed(v))
        return failure();
      minAttr = n.b().getF64FloatAttr(*v);
    }
    if (n.hasAttr("max")) {
      auto v = n.floatAttr("max", std::nullopt);
      if (failed(v))
        return failure();
      maxAttr = n.b().getF64FloatAttr(*v);
    }
  } else {
    if (failed(n.checkInputs(1, 3)))
      return failure();
    if ((n.hasInput(1) && !n.constInput(1)) ||
        (n.hasInput(2) && !n.constInput(2)))
      return importClipRuntime(n);
    if (n.hasInput(1)) {
      auto v = n.requireConstScalar(1, "min");
      if (failed(v))
        return failure();
      minAttr = n.b().getF64FloatAttr(*v);
    }
    if (n.hasInput(2)) {
      auto v = n.requireConstScalar(2, "max");
      if (failed(v))
        return failure();
      maxAttr = n.b().getF64FloatAttr(*v);
    }
  }
  if (failed(n.rejectUnsignedInputs()))
    return failure();
  if (minAttr && maxAttr &&
      minAttr.getValueAsDouble() > maxAttr.getValueAsDouble())
    return n.error() << "min " << minAttr.getValueAsDouble()
                     << " is greater than max " << maxAttr.getValueAsDouble();
  auto v = n.create<ClipOp>(n.input(0), minAttr, maxAttr);
  if (failed(v))
    return failure();
  n.setOutput(0, *v);
  return success();
}

//===----------------------------------------------------------------------===//
// MatMul and Gemm
//===----------------------------------------------------------------------===//

LogicalResult importMatMul(NodeImporter &n) {
  if (failed(n.checkInputs(2, 2)))
    return failure();
  auto v = n.create<MatMulOp>(n.input(0), n.input(1));
  if (failed(v))
    return failure();
  n.setOutput(0, *v);
  return success();
}

/// Y = alpha * A' B' + beta * C, composed from transpose, matmul, mul, add.
LogicalResult importGemm(NodeImporter &n) {
  auto alpha = n.floatAttr("alpha", 1.0);
  auto beta = n.floatAttr("beta", 1.0);
  auto transA = n.intAttr("transA", 0);
  auto transB = n.intAttr("transB", 0);
  if (failed(alpha) || failed(beta) || failed(transA) || failed(transB) ||
      failed(n.checkInputs(2, 3)))
    return failure();
  if (n.opset() < 7)
    n.ignoreAttr("broadcast");
  for (auto [name, v] : {std::pair<StringRef, int64_t>{"transA", *transA},
                         {"transB", *transB}})
    if (v != 0 && v != 1)
      return n.attrError(name) << "must be 0 or 1, got " << v;
  Value a = n.input(0), b = n.input(1);
  for (auto [name, v] : {std::pair<StringRef, Value>{"A", a}, {"B", b}})
    if (cast<RankedTensorType>(v.getType()).getRank() != 2)
      return n.error() << "input " << name << " must be 2-D, got shape "
                       << shapeString(
                              cast<RankedTensorType>(v.getType()).getShape());
  int64_t perm[] = {1, 0};
  if (*transA) {
    auto t = n.create<TransposeOp>(a, n.b().getDenseI64ArrayAttr(perm));
    if (failed(t))
      return failure();
    a = *t;
  }
  if (*transB) {
    auto t = n.create<TransposeOp>(b, n.b().getDenseI64ArrayAttr(perm));
    if (failed(t))
      return failure();
    b = *t;
  }
  auto y = n.create<MatMulOp>(a, b);
  if (failed(y))
    return failure();
  auto yType = cast<RankedTensorType>(y->getType());
  Type et = yType.getElementType();
  if (*alpha != 1.0) {
    y = n.create<MulOp>(*y, n.scalar(et, *alpha));
    if (failed(y))
      return failure();
  }
  if (n.hasInput(2) && *beta != 0.0) {
    Value c = n.input(2);
    if (*beta != 1.0) {
      auto scaled = n.create<MulOp>(c, n.scalar(et, *beta));
      if (failed(scaled))
        return failure();
      c = *scaled;
    }
    y = n.create<AddOp>(*y, c);
    if (failed(y))
      return failure();
    if (y->getType() != yType)
      return n.error() << "input C of shape "
                       << shapeString(n.inputType(2).getShape())
                       << " does not broadcast to "
                       << shapeString(yType.getShape());
  }
  n.setOutput(0, *y);
  return success();
}

//===----------------------------------------------------------------------===//
// Softmax
//===----------------------------------------------------------------------===//

template <bool IsLog>
LogicalResult importSoftmax(NodeImporter &n) {
  bool legacy = n.opset() < 13;
  auto axisAttr = n.intAttr("axis", legacy ? 1 : -1);
  if (failed(axisAttr) || failed(n.checkInputs(1, 1)))
    return failure();
  auto type = n.inputType(0);
  int64_t rank = type.getRank();
  auto axis = n.normalizeAxis(*axisAttr, rank, "axis");
  if (failed(axis))
    return failure();
  Value x = n.input(0);
  // Before opset 13 the input is coerced to 2-D [outer, inner] at `axis`;
  // that equals a single-axis softmax only when axis is the last one.
  bool coerce = legacy && *axis != rank - 1;
  if (coerce) {
    int64_t outer = 1, inner = 1;
    for (int64_t d = 0; d < rank; ++d)
      (d < *axis ? outer : inner) *= type.getDimSize(d);
    auto r = n.reshape(x, {outer, inner});
    if (failed(r))
      return failure();
    x = *r;
  }
  int64_t smAxis = coerce ? 1 : *axis;
  auto v = n.createTyped<SoftmaxOp>(x.getType(), x,
                                    n.b().getI64IntegerAttr(smAxis));
  if (failed(v))
    return failure();
  if (IsLog) {
    v = n.create<LogOp>(*v);
    if (failed(v))
      return failure();
  }
  if (coerce) {
    v = n.reshape(*v, type.getShape());
    if (failed(v))
      return failure();
  }
  n.setOutput(0, *v);
  return success();
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

enum class ReduceKind {
  Mean, Sum, Max, Min, SumSquare, L2, Prod, L1, LogSum, LogSumExp
};

template <ReduceKind Kind>
LogicalResult importReduce(NodeImporter &n) {
  auto keepdims = n.intAttr("keepdims", 1);
  if (failed(keepdims))
    return failure();
  // ReduceSum takes axes as an input from opset 13 (the others from 18).
  bool axesInput = Kind == ReduceKind::Sum && n.opset() >= 13;
  SmallVector<int64_t> axes;
  int64_t noop = 0;
  if (axesInput) {
    auto nwa = n.intAttr("noop_with_empty_axes", 0);
    if (failed(nwa) || failed(n.checkInputs(1, 2)))
      return failure();
    noop = *nwa;
    if (n.hasInput(1)) {
      auto a = n.requireConstInts(1, "axes");
      if (failed(a))
        return failure();
      axes = *a;
    }
  } else {
    auto a = n.intsAttr("axes", ArrayRef<int64_t>{});
    if (failed(a) || failed(n.checkInputs(1, 1)))
      return failure();
    axes = *a;
  }
  if (Kind != ReduceKind::Sum && Kind != ReduceKind::Mean &&
      Kind != ReduceKind::SumSquare && Kind != ReduceKind::Prod &&
      failed(n.rejectUnsignedInputs()))
    return failure();
  Value x = n.input(0);
  auto type = n.inputType(0);
  int64_t rank = type.getRank();
  if (axes.empty()) {
    if (noop) {
      n.setOutput(0, x, n.inputIsUnsigned(0));
      return success();
    }
    for (int64_t d = 0; d < rank; ++d)
      axes.push_back(d);
  }
  for (int64_t &a : axes) {
    auto norm = n.normalizeAxis(a, rank, "axis");
    if (failed(norm))
      return failure();
    a = *norm;
  }
  llvm::sort(axes);
  for (size_t i = 1; i < axes.size(); ++i)
    if (axes[i] == axes[i - 1])
      return n.error() << "axes contain " << axes[i] << " twice";
  auto axesAttr = n.b().getDenseI64ArrayAttr(axes);
  auto keep = n.b().getBoolAttr(*keepdims != 0);
  Type et = type.getElementType();
  FailureOr<Value> v;
  switch (Kind) {
  case ReduceKind::Mean:
    v = n.create<ReduceMeanOp>(x, axesAttr, keep);
    break;
  case ReduceKind::Sum:
    v = n.create<ReduceSumOp>(x, axesAttr, keep);
    break;
  case ReduceKind::Max:
    v = n.create<ReduceMaxOp>(x, axesAttr, keep);
    break;
  case ReduceKind::Min: {
    // min(x) = -max(-x).
    auto neg = n.create<NegOp>(x);
    if (failed(neg))
      return failure();
    v = n.create<ReduceMaxOp>(*neg, axesAttr, keep);
    if (succeeded(v))
      v = n.create<NegOp>(*v);
    break;
  }
  case ReduceKind::SumSquare:
  case ReduceKind::L2: {
    auto sq = n.create<MulOp>(x, x);
    if (failed(sq))
      return failure();
    v = n.create<ReduceSumOp>(*sq, axesAttr, keep);
    if (succeeded(v) && Kind == ReduceKind::L2)
      v = n.create<SqrtOp>(*v);
    break;
  }
  case ReduceKind::Prod:
    v = n.create<ReduceProdOp>(x, axesAttr, keep);
    break;
  case ReduceKind::L1: {
    auto neg = n.create<NegOp>(x);
    if (failed(neg))
      return failure();
    auto abs = n.create<MaxOp>(x, *neg);
    if (failed(abs))
      return failure();
    v = n.create<ReduceSumOp>(*abs, axesAttr, keep);
    break;
  }
  case ReduceKind::LogSum:
    v = n.create<ReduceSumOp>(x, axesAttr, keep);
    if (succeeded(v))
      v = n.create<LogOp>(*v);
    break;
  case ReduceKind::LogSumExp: {
    // log(sum(exp(x - m))) + m with m the maximum, so exp cannot overflow.
    auto m = n.create<ReduceMaxOp>(x, axesAttr, n.b().getBoolAttr(true));
    if (failed(m))
      return failure();
    auto d = n.create<SubOp>(x, *m);
    if (failed(d))
      return failure();
    auto e = n.create<ExpOp>(*d);
    if (failed(e))
      return failure();
    auto sum = n.create<ReduceSumOp>(*e, axesAttr, keep);
    if (failed(sum))
      return failure();
    auto lg = n.create<LogOp>(*sum);
    if (failed(lg))
      return failure();
    auto mOut = n.reshape(*m, cast<RankedTensorType>(lg->getType()).getShape());
    if (failed(mOut))
      return failure();
    v = n.create<AddOp>(*lg, *mOut);
    break;
  }
  }
  (void)et;
  if (failed(v))
    return failure();
  n.setOutput(0, *v, n.inputIsUnsigned(0));
  return success();
}

//===----------------------------------------------------------------------===//
// Cast
//===----------------------------------------------------------------------===//

/// Output 0 = input 0 converted to `et` (a no-op when the type matches);
/// `isUnsigned` records the result's ONNX signedness.
static LogicalResult castInputTo(NodeImporter &n, Type et, bool isUnsigned) {
  auto type = n.inputType(0);
  if (type.getElementType() == et) {
    n.setOutput(0, n.input(0), isUnsigned);
    return success();
  }
  auto v = n.createTyped<CastOp>(type.clone(et), n.input(0),
                                 n.inputIsUnsigned(0));
  if (failed(v))
    return failure();
  n.setOutput(0, *v, isUnsigned);
  return success();
}

LogicalResult importCast(NodeImporter &n) {
  auto to = n.intAttr("to", std::nullopt);
  if (failed(to) || failed(n.checkInputs(1, 1)))
    return failure();
  if (n.opset() >= 19)
    n.ignoreAttr("saturate");
  bool isUnsigned = false;
  Type et = convertDataType(*to, n.ctx(), &isUnsigned);
  if (!et)
    return n.attrError("to") << "names unsupported type "
                             << dataTypeName(*to);
  return castInputTo(n, et, isUnsigned);
}

/// CastLike: Cast to the element type (and signedness) of the second input.
LogicalResult importCastLike(NodeImporter &n) {
  if (n.opset() >= 19)
    n.ignoreAttr("saturate");
  if (failed(n.checkInputs(2, 2)))
    return failure();
  return castInputTo(n, n.inputType(1).getElementType(),
                     n.inputIsUnsigned(1));
}

} // namespace

LogicalResult npu::onnx_import::importReduceProdRuntime(NodeImporter &n) {
  return importReduce<ReduceKind::Prod>(n);
}

void npu::onnx_import::addMathHandlers(OpRegistry &r) {
  r.add("Add", 6, 17, importBinary<AddOp>);
  r.add("Sub", 6, 17, importBinary<SubOp>);
  r.add("Mul", 6, 17, importBinary<MulOp>);
  r.add("Div", 6, 17, importDiv);
  r.add("Pow", 1, 17,
        importBinary<PowOp, /*SignedOnly=*/true, /*MixedTypes=*/true>);
  r.add("Max", 6, 17, importVariadic<MaxOp>);
  r.add("Min", 6, 17, importVariadic<MinOp>);
  r.add("Sum", 6, 17, importVariadic<AddOp>);
  r.add("Mean", 6, 17, importVariadic<AddOp, /*IsMean=*/true>);
  r.add("Relu", 6, 17, importUnaryOp<ReluOp>);
  r.add("Sigmoid", 6, 17, importUnaryOp<SigmoidOp>);
  r.add("Tanh", 6, 17, importUnaryOp<TanhOp>);
  r.add("Erf", 9, 17, importUnaryOp<ErfOp>);
  r.add("Sqrt", 6, 17, importUnaryOp<SqrtOp>);
  r.add("Exp", 6, 17, importUnaryOp<ExpOp>);
  r.add("Log", 6, 17, importUnaryOp<LogOp>);
  r.add("Neg", 6, 17, importUnaryOp<NegOp>);
  r.add("Reciprocal", 6, 17, importUnaryOp<ReciprocalOp>);
  r.add("Abs", 6, 17, importAbs);
  r.add("LeakyRelu", 6, 17, importLeakyRelu);
  r.add("PRelu", 6, 17, importPRelu);
  r.add("HardSigmoid", 6, 17, importHardSigmoid);
  r.add("HardSwish", 14, 17, importHardSwish);
  r.add("Softplus", 1, 17, importSoftplus);
  r.add("Clip", 6, 17, importClip);
  r.add("MatMul", 1, 17, importMatMul);
  r.add("Gemm", 6, 17, importGemm);
  r.add("Softmax", 1, 17, importSoftmax<false>);
  r.add("LogSoftmax", 1, 17, importSoftmax<true>);
  r.add("ReduceMean", 1, 17, importReduce<ReduceKind::Mean>);
  r.add("ReduceSum", 1, 17, importReduce<ReduceKind::Sum>);
  r.add("ReduceMax", 1, 17, importReduce<ReduceKind::Max>);
  r.add("ReduceMin", 1, 17, importReduce<ReduceKind::Min>);
  r.add("ReduceSumSquare", 1, 17, importReduce<ReduceKind::SumSquare>);
  r.add("ReduceL2", 1, 17, importReduce<ReduceKind::L2>);
  r.add("ReduceL1", 1, 17, importReduce<ReduceKind::L1>);
  r.add("ReduceLogSum", 1, 17, importReduce<ReduceKind::LogSum>);
  r.add("ReduceLogSumExp", 1, 17, importReduce<ReduceKind::LogSumExp>);
  r.add("Cast", 6, 17, importCast);
  r.add("CastLike", 15, 17, importCastLike);
}
