//===- ImportQuant.cpp - QuantizeLinear, QLinearMatMul, ConvInteger, ... --===//
//
// Linear quantization ops map onto npu.quantize / npu.dequantize /
// npu.requantize and the integer forms npu.matmul_integer /
// npu.conv2d_integer (zero points as operands, i32 accumulation). QLinear*
// ops are the integer op followed by npu.requantize with the multiplier
// a_scale * b_scale / y_scale, as ONNX Runtime computes it.
// DynamicQuantizeLinear is a composition ending in npu.quantize.
//
//===----------------------------------------------------------------------===//
#include "ImporterImpl.h"

using namespace mlir;
using namespace npu;
using namespace npu::onnx_import;

namespace {

bool isInt8(Type t) { return t.isInteger(8); }

/// A zero point: input i, or a rank-0 zero of `type` when absent.
TensorValue zeroPoint(NodeImporter &n, unsigned i, Type type, bool isUnsigned) {
  if (n.hasInput(i))
    return {n.input(i), n.inputIsUnsigned(i)};
  return {n.scalar(type, 0), isUnsigned};
}

/// Scale or zero point of input `x`: one element becomes rank 0, a vector
/// stays rank 1 (per axis). Fails on anything else.
FailureOr<Value> perTensorOrAxis(NodeImporter &n, Value v, StringRef what) {
  auto type = cast<RankedTensorType>(v.getType());
  if (type.getNumElements() == 1)
    return n.reshape(v, {});
  if (type.getRank() != 1)
    return n.error() << what << " must be a scalar or 1-D, got shape "
                     << shapeString(type.getShape());
  return v;
}

/// Per-axis quantization axis from the "axis" attribute (opset >= 13;
/// older opsets are per tensor only), or no axis when `scale` is rank 0.
FailureOr<IntegerAttr> quantAxis(NodeImporter &n, Value scale, int64_t rank) {
  auto attr = n.opset() >= 13 ? n.intAttr("axis", 1) : FailureOr<int64_t>(1);
  if (failed(attr))
    return failure();
  if (cast<RankedTensorType>(scale.getType()).getRank() == 0)
    return IntegerAttr();
  if (n.opset() < 13)
    return n.error() << "per-axis scales need opset 13 or later";
  auto axis = n.normalizeAxis(*attr, rank, "axis");
  if (failed(axis))
    return failure();
  return n.b().getI64IntegerAttr(*axis);
}

LogicalResult checkFloatScale(NodeImporter &n, unsigned i) {
  if (!isa<FloatType>(n.inputType(i).getElementType()))
    return n.error() << "input '" << n.inputName(i)
                     << "' (a scale) must be a float tensor";
  return success();
}

LogicalResult importQuantizeLinear(NodeImporter &n) {
  if (failed(n.checkInputs(2, 3)) || failed(checkFloatScale(n, 1)))
    return failure();
  Type ft = n.inputType(1).getElementType();
  TensorValue zp = zeroPoint(n, 2, n.b().getI8Type(), true);
  if (!isInt8(cast<RankedTensorType>(zp.value.getType()).getElementType()))
    return n.error() << "y_zero_point must be int8 or uint8";
  // x is float or (opset 10) int32; it is quantized in the scale's type.
  Value x = n.input(0);
  auto xType = n.inputType(0);
  if (xType.getElementType() != ft) {
    auto c =
        n.createTyped<CastOp>(xType.clone(ft), x, n.flag(n.inputIsUnsigned(0)));
    if (failed(c))
      return failure();
    x = *c;
  }
  auto scale = perTensorOrAxis(n, n.input(1), "y_scale");
  auto zpv = perTensorOrAxis(n, zp.value, "y_zero_point");
  if (failed(scale) || failed(zpv))
    return failure();
  auto axis = quantAxis(n, *scale, xType.getRank());
  if (failed(axis))
    return failure();
  return n.setResult(
      n.create<QuantizeOp>(x, *scale, *zpv, *axis, n.flag(zp.isUnsigned)),
      zp.isUnsigned);
}

LogicalResult importDequantizeLinear(NodeImporter &n) {
  if (failed(n.checkInputs(2, 3)) || failed(checkFloatScale(n, 1)))
    return failure();
  auto xType = n.inputType(0);
  Type et = xType.getElementType();
  if (!isInt8(et) && !et.isInteger(32))
    return n.error() << "x must be int8, uint8 or int32";
  bool isUnsigned = n.inputIsUnsigned(0);
  TensorValue zp = zeroPoint(n, 2, et, isUnsigned);
  if (cast<RankedTensorType>(zp.value.getType()).getElementType() != et ||
      zp.isUnsigned != isUnsigned)
    return n.error() << "x_zero_point must have the type of x";
  auto scale = perTensorOrAxis(n, n.input(1), "x_scale");
  auto zpv = perTensorOrAxis(n, zp.value, "x_zero_point");
  if (failed(scale) || failed(zpv))
    return failure();
  auto axis = quantAxis(n, *scale, xType.getRank());
  if (failed(axis))
    return failure();
  return n.setResult(n.create<DequantizeOp>(n.input(0), *scale, *zpv, *axis,
                                            n.flag(isUnsigned)),
                     false);
}

/// y_scale = (max(x, 0) - min(x, 0)) / 255, y_zero_point =
/// saturate(round(-min(x, 0) / y_scale)), y = quantize(x) as uint8.
LogicalResult importDynamicQuantizeLinear(NodeImporter &n) {
  if (failed(n.checkInputs(1, 1)))
    return failure();
  auto type = n.inputType(0);
  Type ft = type.getElementType();
  if (!ft.isF32())
    return n.error() << "x must be float32";
  SmallVector<int64_t> all;
  for (int64_t d = 0; d < type.getRank(); ++d)
    all.push_back(d);
  auto axes = n.b().getDenseI64ArrayAttr(all);
  auto noKeep = n.b().getBoolAttr(false);
  Value x = n.input(0), zero = n.scalar(ft, 0);
  auto negX = n.create<NegOp>(x);
  if (failed(negX))
    return failure();
  auto negMin = n.create<ReduceMaxOp>(*negX, axes, noKeep);
  auto max = n.create<ReduceMaxOp>(x, axes, noKeep);
  if (failed(negMin) || failed(max))
    return failure();
  // -min(x, 0) = max(-x, 0).
  auto negLo = n.create<MaxOp>(*negMin, zero);
  auto hi = n.create<MaxOp>(*max, zero);
  if (failed(negLo) || failed(hi))
    return failure();
  auto range = n.create<AddOp>(*hi, *negLo);
  if (failed(range))
    return failure();
  auto scale = n.create<DivOp>(*range, n.scalar(ft, 255));
  if (failed(scale))
    return failure();
  Type i8 = n.b().getI8Type();
  UnitAttr isUnsigned = n.b().getUnitAttr();
  auto zp = n.create<QuantizeOp>(*negLo, *scale, n.scalar(i8, 0), IntegerAttr(),
                                 isUnsigned);
  if (failed(zp))
    return failure();
  auto y = n.create<QuantizeOp>(x, *scale, *zp, IntegerAttr(), isUnsigned);
  if (failed(y))
    return failure();
  n.setOutput(0, *y, true);
  n.setOutput(1, *scale);
  n.setOutput(2, *zp, true);
  return success();
}

//===----------------------------------------------------------------------===//
// Integer matmul
//===----------------------------------------------------------------------===//

/// Zero point input `i` of matmul operand `operand` (its element type,
/// default 0), shaped to broadcast to the operand: one element is rank 0,
/// a vector of the lhs rows becomes [M, 1] and a vector of the rhs columns
/// stays [N].
FailureOr<Value> matmulZeroPoint(NodeImporter &n, unsigned operand, unsigned i,
                                 bool isLhs) {
  auto type = n.inputType(operand);
  if (!n.hasInput(i))
    return n.scalar(type.getElementType(), 0);
  auto zt = n.inputType(i);
  if (zt.getElementType() != type.getElementType() ||
      n.inputIsUnsigned(i) != n.inputIsUnsigned(operand))
    return n.error() << "zero point '" << n.inputName(i)
                     << "' must have the type of its operand";
  if (zt.getNumElements() == 1)
    return n.reshape(n.input(i), {});
  if (isLhs && zt.getRank() == 1 && type.getRank() >= 2)
    return n.reshape(n.input(i), {zt.getDimSize(0), 1});
  return n.input(i);
}

/// matmul_integer of inputs a and b with zero points at aZp and bZp.
FailureOr<Value> matmulInteger(NodeImporter &n, unsigned a, unsigned aZp,
                               unsigned b, unsigned bZp) {
  for (unsigned i : {a, b})
    if (!isInt8(n.inputType(i).getElementType()))
      return n.error() << "input '" << n.inputName(i)
                       << "' must be int8 or uint8";
  auto za = matmulZeroPoint(n, a, aZp, true);
  auto zb = matmulZeroPoint(n, b, bZp, false);
  if (failed(za) || failed(zb))
    return failure();
  return n.create<MatMulIntegerOp>(n.input(a), n.input(b), *za, *zb,
                                   n.flag(n.inputIsUnsigned(a)),
                                   n.flag(n.inputIsUnsigned(b)));
}

LogicalResult importMatMulInteger(NodeImporter &n) {
  if (failed(n.checkInputs(2, 4)))
    return failure();
  return n.setResult(matmulInteger(n, 0, 2, 1, 3), false);
}

/// scales[0] * scales[1] / scales[2], each made rank 0 when it has one
/// element.
FailureOr<Value> multiplier(NodeImporter &n, ArrayRef<unsigned> scales) {
  SmallVector<Value> s;
  for (unsigned i : scales) {
    if (failed(checkFloatScale(n, i)))
      return failure();
    auto v = perTensorOrAxis(n, n.input(i), n.inputName(i));
    if (failed(v))
      return failure();
    s.push_back(*v);
  }
  auto prod = n.create<MulOp>(s[0], s[1]);
  if (failed(prod))
    return failure();
  return n.create<DivOp>(*prod, s[2]);
}

/// requantize(acc) with multiplier `m` (rank 0 or per `axis`) and the
/// scalar zero point at input `zpIndex`.
FailureOr<Value> requantize(NodeImporter &n, Value acc, Value m, int64_t axis,
                            unsigned zpIndex) {
  if (!isInt8(n.inputType(zpIndex).getElementType()))
    return n.error() << "y_zero_point must be int8 or uint8";
  if (n.inputType(zpIndex).getNumElements() != 1)
    return n.error() << "y_zero_point must be a scalar";
  auto zp = n.reshape(n.input(zpIndex), {});
  if (failed(zp))
    return failure();
  bool perAxis = cast<RankedTensorType>(m.getType()).getRank() == 1;
  return n.create<RequantizeOp>(
      acc, m, *zp, perAxis ? n.b().getI64IntegerAttr(axis) : IntegerAttr(),
      n.flag(n.inputIsUnsigned(zpIndex)));
}

LogicalResult importQLinearMatMul(NodeImporter &n) {
  if (failed(n.checkInputs(8, 8)))
    return failure();
  auto acc = matmulInteger(n, 0, 2, 3, 5);
  if (failed(acc))
    return failure();
  // Per-row a_scale and per-column b_scale together would need a 2-D
  // multiplier.
  int64_t rank = cast<RankedTensorType>(acc->getType()).getRank();
  bool rowA = n.inputType(1).getNumElements() > 1;
  bool colB = n.inputType(4).getNumElements() > 1;
  if (rowA && colB)
    return n.error() << "per-row a_scale with per-column b_scale is not "
                        "supported";
  if (rowA && n.inputType(0).getRank() < 2)
    return n.error() << "per-row a_scale needs a matrix input a";
  auto m = multiplier(n, {1, 4, 6});
  if (failed(m))
    return failure();
  return n.setResult(requantize(n, *acc, *m, rowA ? rank - 2 : rank - 1, 7),
                     n.inputIsUnsigned(7));
}

//===----------------------------------------------------------------------===//
// Integer convolution
//===----------------------------------------------------------------------===//

/// [N, C, L] -> [N, C, 1, L]: a 1-D window runs as a 2-D one.
FailureOr<Value> insertUnitHeight(NodeImporter &n, Value v) {
  SmallVector<int64_t> shape(cast<RankedTensorType>(v.getType()).getShape());
  shape.insert(shape.begin() + 2, 1);
  return n.reshape(v, shape);
}

/// The inverse of insertUnitHeight.
FailureOr<Value> dropUnitHeight(NodeImporter &n, Value v) {
  SmallVector<int64_t> shape(cast<RankedTensorType>(v.getType()).getShape());
  shape.erase(shape.begin() + 2);
  return n.reshape(v, shape);
}

/// conv2d_integer of input x and weight w (a 1-D or 2-D window), zero
/// points at xZp/wZp (scalar; the weight's may be per output channel) and
/// an optional bias. The result is 4-D; `lifted` says to drop the unit
/// height of a 1-D window afterwards.
FailureOr<Value> convInteger(NodeImporter &n, unsigned x, unsigned xZp,
                             unsigned w, unsigned wZp, Value bias,
                             bool &lifted) {
  for (unsigned i : {x, w})
    if (!isInt8(n.inputType(i).getElementType()))
      return n.error() << "input '" << n.inputName(i)
                       << "' must be int8 or uint8";
  auto win = readConvWindow(n, n.inputType(x), n.inputType(w));
  if (failed(win))
    return failure();
  int64_t rank = n.inputType(x).getRank();
  if (rank > 4)
    return n.error() << "only 1-D and 2-D integer convolutions are "
                        "supported; input has shape "
                     << shapeString(n.inputType(x).getShape());
  lifted = rank == 3;
  Value xv = n.input(x), wv = n.input(w);
  if (lifted) {
    auto lx = insertUnitHeight(n, xv);
    auto lw = succeeded(lx) ? insertUnitHeight(n, wv) : FailureOr<Value>();
    if (failed(lx) || failed(lw))
      return failure();
    xv = *lx;
    wv = *lw;
    win->strides.insert(win->strides.begin(), 1);
    win->dilations.insert(win->dilations.begin(), 1);
    win->pads = {0, win->pads[0], 0, win->pads[1]};
  }
  SmallVector<Value, 2> zps;
  for (auto [operand, zpIndex] : {std::pair{x, xZp}, std::pair{w, wZp}}) {
    auto type = n.inputType(operand);
    if (!n.hasInput(zpIndex)) {
      zps.push_back(n.scalar(type.getElementType(), 0));
      continue;
    }
    auto zt = n.inputType(zpIndex);
    if (zt.getElementType() != type.getElementType() ||
        n.inputIsUnsigned(zpIndex) != n.inputIsUnsigned(operand))
      return n.error() << "zero point '" << n.inputName(zpIndex)
                       << "' must have the type of its operand";
    int64_t count = zt.getNumElements();
    if (count != 1 && (operand == x || zt.getRank() != 1))
      return n.error() << "zero point '" << n.inputName(zpIndex)
                       << "' must be a scalar"
                       << (operand == x ? "" : " or per output channel");
    auto z = count == 1 ? n.reshape(n.input(zpIndex), {})
                        : n.reshape(n.input(zpIndex), {count, 1, 1, 1});
    if (failed(z))
      return failure();
    zps.push_back(*z);
  }
  auto &b = n.b();
  return n.create<Conv2DIntegerOp>(
      xv, wv, zps[0], zps[1], bias, b.getDenseI64ArrayAttr(win->strides),
      b.getDenseI64ArrayAttr(win->pads), b.getDenseI64ArrayAttr(win->dilations),
      b.getI64IntegerAttr(win->group), n.flag(n.inputIsUnsigned(x)),
      n.flag(n.inputIsUnsigned(w)));
}

LogicalResult importConvInteger(NodeImporter &n) {
  if (failed(n.checkInputs(2, 4)))
    return failure();
  bool lifted = false;
  FailureOr<Value> v = convInteger(n, 0, 2, 1, 3, Value(), lifted);
  if (succeeded(v) && lifted)
    v = dropUnitHeight(n, *v);
  return n.setResult(v, false);
}

LogicalResult importQLinearConv(NodeImporter &n) {
  if (failed(n.checkInputs(8, 9)))
    return failure();
  Value bias = n.input(8);
  if (bias && !n.inputType(8).getElementType().isInteger(32))
    return n.error() << "B must be int32";
  bool lifted = false;
  auto acc = convInteger(n, 0, 2, 3, 5, bias, lifted);
  if (failed(acc))
    return failure();
  auto m = multiplier(n, {1, 4, 6});
  if (failed(m))
    return failure();
  FailureOr<Value> y = requantize(n, *acc, *m, 1, 7);
  if (succeeded(y) && lifted)
    y = dropUnitHeight(n, *y);
  return n.setResult(y, n.inputIsUnsigned(7));
}

} // namespace

void npu::onnx_import::addQuantHandlers(OpRegistry &r) {
  r.add("QuantizeLinear", 10, 17, importQuantizeLinear);
  r.add("DequantizeLinear", 10, 17, importDequantizeLinear);
  r.add("DynamicQuantizeLinear", 11, 17, importDynamicQuantizeLinear);
  r.add("MatMulInteger", 10, 17, importMatMulInteger);
  r.add("QLinearMatMul", 10, 17, importQLinearMatMul);
  r.add("ConvInteger", 10, 17, importConvInteger);
  r.add("QLinearConv", 10, 17, importQLinearConv);
}
