//===- ImportLogic.cpp - math unaries, activations, logic, compare, arg-max ===//
#include "ImporterImpl.h"

using namespace mlir;
using namespace npu;
using namespace npu::onnx_import;

namespace {

LogicalResult importSign(NodeImporter &n) {
  if (failed(n.checkInputs(1, 1)))
    return failure();
  if (!n.inputIsUnsigned(0))
    return n.setResult(n.create<SignOp>(n.input(0)));
  // Unsigned: 1 where x != 0.
  Type et = n.inputType(0).getElementType();
  auto ne = n.create<CompareOp>(n.input(0), n.scalar(et, 0),
                                n.b().getStringAttr("ne"), UnitAttr());
  if (failed(ne))
    return failure();
  return n.setResult(n.createTyped<CastOp>(n.inputType(0), *ne, false), true);
}

LogicalResult importIsNaN(NodeImporter &n) {
  if (failed(n.checkInputs(1, 1)))
    return failure();
  auto type = n.inputType(0);
  return n.setResult(
      n.createTyped<IsNaNOp>(type.clone(n.b().getI1Type()), n.input(0)));
}

LogicalResult importIsInf(NodeImporter &n) {
  auto pos = n.intAttr("detect_positive", 1);
  auto neg = n.intAttr("detect_negative", 1);
  if (failed(pos) || failed(neg) || failed(n.checkInputs(1, 1)))
    return failure();
  auto type = n.inputType(0);
  return n.setResult(n.createTyped<IsInfOp>(
      type.clone(n.b().getI1Type()), n.input(0), n.b().getBoolAttr(*pos != 0),
      n.b().getBoolAttr(*neg != 0)));
}

/// x / (1 + |x|)
LogicalResult importSoftsign(NodeImporter &n) {
  if (failed(n.checkInputs(1, 1)))
    return failure();
  Value x = n.input(0);
  Type et = n.inputType(0).getElementType();
  auto neg = n.create<NegOp>(x);
  if (failed(neg))
    return failure();
  auto abs = n.create<MaxOp>(x, *neg);
  if (failed(abs))
    return failure();
  auto den = n.create<AddOp>(*abs, n.scalar(et, 1.0));
  if (failed(den))
    return failure();
  return n.setResult(n.create<DivOp>(x, *den));
}

FailureOr<Value> compareWith(NodeImporter &n, Value x, double c,
                             StringRef pred) {
  Type et = cast<RankedTensorType>(x.getType()).getElementType();
  return n.create<CompareOp>(x, n.scalar(et, c), n.b().getStringAttr(pred),
                             UnitAttr());
}

/// gamma * (x > 0 ? x : alpha * (exp(x) - 1)): Elu (gamma 1) and Selu.
LogicalResult importEluLike(NodeImporter &n, double alpha, double gamma) {
  if (failed(n.checkInputs(1, 1)))
    return failure();
  Value x = n.input(0);
  Type et = n.inputType(0).getElementType();
  auto pos = compareWith(n, x, 0.0, "gt");
  auto e = n.create<ExpOp>(x);
  if (failed(pos) || failed(e))
    return failure();
  auto em1 = n.create<SubOp>(*e, n.scalar(et, 1.0));
  if (failed(em1))
    return failure();
  auto negPart = n.create<MulOp>(*em1, n.scalar(et, alpha));
  if (failed(negPart))
    return failure();
  auto v = n.create<SelectOp>(*pos, x, *negPart);
  if (failed(v) || gamma == 1.0)
    return n.setResult(v);
  return n.setResult(n.create<MulOp>(*v, n.scalar(et, gamma)));
}

LogicalResult importElu(NodeImporter &n) {
  auto alpha = n.floatAttr("alpha", 1.0);
  if (failed(alpha))
    return failure();
  return importEluLike(n, *alpha, 1.0);
}

LogicalResult importSelu(NodeImporter &n) {
  auto alpha = n.floatAttr("alpha", 1.67326319217681884765625);
  auto gamma = n.floatAttr("gamma", 1.05070102214813232421875);
  if (failed(alpha) || failed(gamma))
    return failure();
  return importEluLike(n, *alpha, *gamma);
}

/// max(0, x) + min(0, alpha * (exp(x / alpha) - 1))
LogicalResult importCelu(NodeImporter &n) {
  auto alpha = n.floatAttr("alpha", 1.0);
  if (failed(alpha) || failed(n.checkInputs(1, 1)))
    return failure();
  if (*alpha == 0.0)
    return n.attrError("alpha") << "must not be 0";
  Value x = n.input(0);
  Type et = n.inputType(0).getElementType();
  auto scaled = n.create<DivOp>(x, n.scalar(et, *alpha));
  if (failed(scaled))
    return failure();
  auto e = n.create<ExpOp>(*scaled);
  if (failed(e))
    return failure();
  auto em1 = n.create<SubOp>(*e, n.scalar(et, 1.0));
  if (failed(em1))
    return failure();
  auto neg = n.create<MulOp>(*em1, n.scalar(et, *alpha));
  if (failed(neg))
    return failure();
  auto negPart = n.create<MinOp>(*neg, n.scalar(et, 0.0));
  auto posPart = n.create<ReluOp>(x);
  if (failed(negPart) || failed(posPart))
    return failure();
  return n.setResult(n.create<AddOp>(*posPart, *negPart));
}

LogicalResult importThresholdedRelu(NodeImporter &n) {
  auto alpha = n.floatAttr("alpha", 1.0);
  if (failed(alpha) || failed(n.checkInputs(1, 1)))
    return failure();
  Value x = n.input(0);
  Type et = n.inputType(0).getElementType();
  auto gt = compareWith(n, x, *alpha, "gt");
  if (failed(gt))
    return failure();
  return n.setResult(n.create<SelectOp>(*gt, x, n.scalar(et, 0.0)));
}

/// x < -lambd ? x + bias : (x > lambd ? x - bias : 0)
LogicalResult importShrink(NodeImporter &n) {
  auto bias = n.floatAttr("bias", 0.0);
  auto lambd = n.floatAttr("lambd", 0.5);
  if (failed(bias) || failed(lambd) || failed(n.checkInputs(1, 1)) ||
      failed(n.rejectUnsignedInputs()))
    return failure();
  Value x = n.input(0);
  Type et = n.inputType(0).getElementType();
  auto lo = compareWith(n, x, -*lambd, "lt");
  auto hi = compareWith(n, x, *lambd, "gt");
  auto plus = n.create<AddOp>(x, n.scalar(et, *bias));
  auto minus = n.create<SubOp>(x, n.scalar(et, *bias));
  if (failed(lo) || failed(hi) || failed(plus) || failed(minus))
    return failure();
  auto inner = n.create<SelectOp>(*hi, *minus, n.scalar(et, 0.0));
  if (failed(inner))
    return failure();
  return n.setResult(n.create<SelectOp>(*lo, *plus, *inner));
}

//===----------------------------------------------------------------------===//
// Logic, comparisons, Where, Mod
//===----------------------------------------------------------------------===//

template <typename OpTy>
LogicalResult importLogical(NodeImporter &n) {
  if (failed(n.checkInputs(2, 2)))
    return failure();
  return n.setResult(n.create<OpTy>(n.input(0), n.input(1)));
}

template <const char *Pred>
LogicalResult importCompare(NodeImporter &n) {
  if (failed(n.checkInputs(2, 2)))
    return failure();
  if (n.inputType(0).getElementType() != n.inputType(1).getElementType())
    return n.error() << "inputs have different element types";
  UnitAttr u = n.inputIsUnsigned(0) ? n.b().getUnitAttr() : UnitAttr();
  return n.setResult(n.create<CompareOp>(n.input(0), n.input(1),
                                         n.b().getStringAttr(Pred), u));
}

const char kEq[] = "eq", kLt[] = "lt", kLe[] = "le", kGt[] = "gt",
           kGe[] = "ge";

LogicalResult importMod(NodeImporter &n) {
  auto fmod = n.intAttr("fmod", 0);
  if (failed(fmod) || failed(n.checkInputs(2, 2)))
    return failure();
  bool isFloat = isa<FloatType>(n.inputType(0).getElementType());
  if (isFloat && !*fmod)
    return n.attrError("fmod") << "must be 1 for floating-point inputs";
  UnitAttr u = n.inputIsUnsigned(0) ? n.b().getUnitAttr() : UnitAttr();
  return n.setResult(n.create<ModOp>(n.input(0), n.input(1),
                                     *fmod ? n.b().getUnitAttr() : UnitAttr(),
                                     u),
                     n.inputIsUnsigned(0));
}

LogicalResult importBitShift(NodeImporter &n) {
  auto direction = n.stringAttr("direction", std::nullopt);
  if (failed(direction) || failed(n.checkInputs(2, 2)))
    return failure();
  if (*direction != "LEFT" && *direction != "RIGHT")
    return n.attrError("direction") << "must be LEFT or RIGHT";
  if (!isa<IntegerType>(n.inputType(0).getElementType()) ||
      !n.inputIsUnsigned(0) || !n.inputIsUnsigned(1))
    return n.error() << "inputs must be unsigned integers";
  UnitAttr left = *direction == "LEFT" ? n.b().getUnitAttr() : UnitAttr();
  return n.setResult(n.create<BitShiftOp>(n.input(0), n.input(1), left),
                     /*isUnsigned=*/true);
}

//===----------------------------------------------------------------------===//
// ArgMax / ArgMin
//===----------------------------------------------------------------------===//

template <bool IsMin>
LogicalResult importArgMax(NodeImporter &n) {
  auto axis = n.intAttr("axis", 0);
  auto keepdims = n.intAttr("keepdims", 1);
  auto last = n.opset() >= 12 ? n.intAttr("select_last_index", 0)
                              : FailureOr<int64_t>(0);
  if (failed(axis) || failed(keepdims) || failed(last) ||
      failed(n.checkInputs(1, 1)))
    return failure();
  auto a = n.normalizeAxis(*axis, n.inputType(0).getRank(), "axis");
  if (failed(a))
    return failure();
  auto unit = [&](bool on) { return on ? n.b().getUnitAttr() : UnitAttr(); };
  return n.setResult(n.create<ArgMaxOp>(n.input(0), n.b().getI64IntegerAttr(*a),
                                        n.b().getBoolAttr(*keepdims != 0),
                                        unit(IsMin), unit(*last != 0),
                                        unit(n.inputIsUnsigned(0))));
}

} // namespace

//===----------------------------------------------------------------------===//
// Run-time forms of the ops ImportFold evaluates on constants
//===----------------------------------------------------------------------===//

LogicalResult npu::onnx_import::importEqualRuntime(NodeImporter &n) {
  return importCompare<kEq>(n);
}

LogicalResult npu::onnx_import::importNotRuntime(NodeImporter &n) {
  if (failed(n.checkInputs(1, 1)))
    return failure();
  return n.setResult(n.create<NotOp>(n.input(0)));
}

LogicalResult npu::onnx_import::importWhereRuntime(NodeImporter &n) {
  if (failed(n.checkInputs(3, 3)))
    return failure();
  if (!n.inputType(0).getElementType().isInteger(1))
    return n.error() << "condition must be a bool tensor";
  return n.setResult(n.create<SelectOp>(n.input(0), n.input(1), n.input(2)),
                     n.inputIsUnsigned(1));
}

void npu::onnx_import::addLogicHandlers(OpRegistry &r) {
  r.add("Floor", 6, 17, importUnaryOp<FloorOp>);
  r.add("Ceil", 6, 17, importUnaryOp<CeilOp>);
  r.add("Round", 11, 17, importUnaryOp<RoundOp>);
  r.add("Sin", 7, 17, importUnaryOp<SinOp>);
  r.add("Cos", 7, 17, importUnaryOp<CosOp>);
  r.add("Tan", 7, 17, importUnaryOp<TanOp>);
  r.add("Asin", 7, 17, importUnaryOp<AsinOp>);
  r.add("Acos", 7, 17, importUnaryOp<AcosOp>);
  r.add("Atan", 7, 17, importUnaryOp<AtanOp>);
  r.add("Sinh", 9, 17, importUnaryOp<SinhOp>);
  r.add("Cosh", 9, 17, importUnaryOp<CoshOp>);
  r.add("Asinh", 9, 17, importUnaryOp<AsinhOp>);
  r.add("Acosh", 9, 17, importUnaryOp<AcoshOp>);
  r.add("Atanh", 9, 17, importUnaryOp<AtanhOp>);
  r.add("Sign", 9, 17, importSign);
  r.add("IsNaN", 9, 17, importIsNaN);
  r.add("IsInf", 10, 17, importIsInf);
  r.add("Softsign", 1, 17, importSoftsign);
  r.add("Elu", 6, 17, importElu);
  r.add("Selu", 6, 17, importSelu);
  r.add("Celu", 12, 17, importCelu);
  r.add("ThresholdedRelu", 10, 17, importThresholdedRelu);
  r.add("Shrink", 9, 17, importShrink);
  r.add("And", 7, 17, importLogical<AndOp>);
  r.add("Or", 7, 17, importLogical<OrOp>);
  r.add("Xor", 7, 17, importLogical<XorOp>);
  r.add("Greater", 7, 17, importCompare<kGt>);
  r.add("Less", 7, 17, importCompare<kLt>);
  r.add("GreaterOrEqual", 12, 17, importCompare<kGe>);
  r.add("LessOrEqual", 12, 17, importCompare<kLe>);
  r.add("Mod", 10, 17, importMod);
  r.add("BitShift", 11, 17, importBitShift);
  r.add("ArgMax", 1, 17, importArgMax<false>);
  r.add("ArgMin", 1, 17, importArgMax<true>);
}
