//===- ImportRecurrent.cpp - RNN, GRU, LSTM and ReverseSequence -----------===//
//
// A recurrence becomes, per direction, one matmul of the whole input
// sequence with the input weights (plus biases) and an npu.loop over time
// that scans its slices, carries the hidden (and cell) state and computes
// the gates with npu ops; the loop keeps the IR size independent of the
// sequence length. sequence_lens (a run-time input) masks the steps past
// each batch entry's length: the state is kept and Y is zero there, which
// also handles the reverse direction. ReverseSequence is a gather with
// indices computed from the lengths.
//
//===----------------------------------------------------------------------===//
#include "ImportControlFlow.h"

#include "llvm/ADT/StringSwitch.h"

#include <numeric>

using namespace mlir;
using namespace npu;
using namespace npu::onnx_import;

namespace {

/// npu op builders that propagate failure as a null Value, so that the
/// gate formulas read like formulas; check the final value (or ok()).
class Ops {
public:
  explicit Ops(NodeImporter &n) : n(n) {}
  bool ok() const { return good; }
  OpBuilder &b() { return n.b(); }

  Value scalar(Value like, double v) {
    return n.scalar(cast<RankedTensorType>(like.getType()).getElementType(), v);
  }
  template <typename OpTy> Value unary(Value x) {
    return x ? check(n.create<OpTy>(x)) : fail();
  }
  template <typename OpTy> Value binary(Value x, Value y) {
    return x && y ? check(n.create<OpTy>(x, y)) : fail();
  }
  Value add(Value x, Value y) { return binary<AddOp>(x, y); }
  Value sub(Value x, Value y) { return binary<SubOp>(x, y); }
  Value mul(Value x, Value y) { return binary<MulOp>(x, y); }
  Value div(Value x, Value y) { return binary<DivOp>(x, y); }
  Value matmul(Value x, Value y) { return binary<MatMulOp>(x, y); }
  Value compare(Value x, Value y, StringRef pred) {
    return x && y ? check(n.create<CompareOp>(x, y, b().getStringAttr(pred),
                                              UnitAttr()))
                  : fail();
  }
  Value select(Value c, Value x, Value y) {
    return c && x && y ? check(n.create<SelectOp>(c, x, y)) : fail();
  }
  Value clip(Value x, std::optional<double> lo, std::optional<double> hi) {
    if (!x)
      return fail();
    FloatAttr l = lo ? b().getF64FloatAttr(*lo) : FloatAttr();
    FloatAttr h = hi ? b().getF64FloatAttr(*hi) : FloatAttr();
    return check(n.create<ClipOp>(x, l, h));
  }
  Value reshape(Value x, ArrayRef<int64_t> shape) {
    return x ? check(n.reshape(x, shape)) : fail();
  }
  Value transpose(Value x, ArrayRef<int64_t> perm) {
    return x ? check(n.create<TransposeOp>(x, b().getDenseI64ArrayAttr(perm)))
             : fail();
  }
  Value concat(ArrayRef<Value> xs, int64_t axis) {
    if (llvm::any_of(xs, [](Value v) { return !v; }))
      return fail();
    if (xs.size() == 1)
      return xs[0];
    return check(n.create<ConcatOp>(xs, b().getI64IntegerAttr(axis)));
  }
  /// x[..., start:start+size, ...] along `axis`.
  Value slice(Value x, int64_t axis, int64_t start, int64_t size) {
    if (!x)
      return fail();
    auto type = cast<RankedTensorType>(x.getType());
    if (type.getDimSize(axis) == size)
      return x;
    SmallVector<int64_t> starts(type.getRank(), 0), sizes(type.getShape()),
        steps(type.getRank(), 1);
    starts[axis] = start;
    sizes[axis] = size;
    return check(n.create<SliceOp>(x, b().getDenseI64ArrayAttr(starts),
                                   b().getDenseI64ArrayAttr(sizes),
                                   b().getDenseI64ArrayAttr(steps)));
  }
  /// Index `i` of `axis`, with that dimension removed.
  Value take(Value x, int64_t axis, int64_t i) {
    Value s = slice(x, axis, i, 1);
    if (!s)
      return fail();
    SmallVector<int64_t> shape(cast<RankedTensorType>(s.getType()).getShape());
    shape.erase(shape.begin() + axis);
    return reshape(s, shape);
  }
  /// `x` with a unit dimension inserted at `axis`.
  Value unsqueeze(Value x, int64_t axis) {
    if (!x)
      return fail();
    SmallVector<int64_t> shape(cast<RankedTensorType>(x.getType()).getShape());
    shape.insert(shape.begin() + axis, 1);
    return reshape(x, shape);
  }

private:
  Value check(FailureOr<Value> v) {
    if (failed(v))
      return fail();
    return *v;
  }
  Value fail() {
    good = false;
    return {};
  }
  NodeImporter &n;
  bool good = true;
};

//===----------------------------------------------------------------------===//
// Activation functions (lower-case names, as ONNX Runtime compares them)
//===----------------------------------------------------------------------===//

struct Activation {
  std::string name;
  double alpha = 0, beta = 0;
};

/// Default (alpha, beta) of a function, or nullopt for unknown names; the
/// flags say which of the two it takes.
std::optional<std::tuple<double, double, bool, bool>>
activationDefaults(StringRef name) {
  using T = std::tuple<double, double, bool, bool>;
  return llvm::StringSwitch<std::optional<T>>(name)
      .Cases("relu", "tanh", "sigmoid", "softsign", "softplus",
             T{0, 0, false, false})
      .Case("affine", T{1, 0, true, true})
      .Case("leakyrelu", T{0.01, 0, true, false})
      .Case("thresholdedrelu", T{1, 0, true, false})
      .Case("scaledtanh", T{1, 1, true, true})
      .Case("hardsigmoid", T{0.2, 0.5, true, true})
      .Case("elu", T{1, 0, true, false})
      .Default(std::nullopt);
}

Value applyActivation(Ops &o, const Activation &a, Value x) {
  if (!x)
    return x;
  Value alpha = o.scalar(x, a.alpha), beta = o.scalar(x, a.beta);
  Value zero = o.scalar(x, 0), one = o.scalar(x, 1);
  StringRef name = a.name;
  if (name == "relu")
    return o.unary<ReluOp>(x);
  if (name == "tanh")
    return o.unary<TanhOp>(x);
  if (name == "sigmoid")
    return o.unary<SigmoidOp>(x);
  if (name == "affine")
    return o.add(o.mul(x, alpha), beta);
  if (name == "leakyrelu")
    return o.select(o.compare(x, zero, "ge"), x, o.mul(x, alpha));
  if (name == "thresholdedrelu")
    return o.select(o.compare(x, alpha, "gt"), x, zero);
  if (name == "scaledtanh")
    return o.mul(alpha, o.unary<TanhOp>(o.mul(x, beta)));
  if (name == "hardsigmoid")
    return o.clip(o.add(o.mul(x, alpha), beta), 0.0, 1.0);
  if (name == "elu")
    return o.select(o.compare(x, zero, "ge"), x,
                    o.mul(alpha, o.sub(o.unary<ExpOp>(x), one)));
  Value abs = o.binary<MaxOp>(x, o.unary<NegOp>(x));
  if (name == "softsign")
    return o.div(x, o.add(one, abs));
  // softplus, as relu(x) + log(1 + exp(-|x|)) so that exp cannot overflow.
  return o.add(o.unary<ReluOp>(x),
               o.unary<LogOp>(o.add(one, o.unary<ExpOp>(o.unary<NegOp>(abs)))));
}

//===----------------------------------------------------------------------===//
// RNN, GRU, LSTM
//===----------------------------------------------------------------------===//

enum class Cell { RNN, GRU, LSTM };

struct Recurrence {
  Cell cell;
  int64_t gates, hidden, dirs, layout;
  int64_t seqLen, batch;
  bool reverseOnly = false;
  std::optional<double> clip;
  bool linearBeforeReset = false, inputForget = false;
  /// Activations per direction: f (RNN); f, g (GRU); f, g, h (LSTM).
  SmallVector<SmallVector<Activation>> acts;
};

/// The strings attribute `name` (marked as understood); `dflt` if absent.
FailureOr<SmallVector<std::string>> stringsAttr(NodeImporter &n,
                                                StringRef name) {
  n.ignoreAttr(name);
  for (const onnx::AttributeProto &a : n.proto().attribute()) {
    if (a.name() != name)
      continue;
    if (attrType(a) != onnx::AttributeProto::STRINGS)
      return n.attrError(name)
             << "must be of type strings, got " << attrTypeName(attrType(a));
    return SmallVector<std::string>(a.strings().begin(), a.strings().end());
  }
  return SmallVector<std::string>();
}

LogicalResult parseActivations(NodeImporter &n, Recurrence &r) {
  static const char *defaults[3][3] = {
      {"tanh"}, {"sigmoid", "tanh"}, {"sigmoid", "tanh", "tanh"}};
  size_t perDir = r.cell == Cell::RNN ? 1 : r.cell == Cell::GRU ? 2 : 3;
  auto names = stringsAttr(n, "activations");
  auto alphas = n.floatsAttr("activation_alpha", ArrayRef<double>{});
  auto betas = n.floatsAttr("activation_beta", ArrayRef<double>{});
  if (failed(names) || failed(alphas) || failed(betas))
    return failure();
  if (names->empty())
    for (int64_t d = 0; d < r.dirs; ++d)
      for (size_t i = 0; i < perDir; ++i)
        names->push_back(defaults[size_t(r.cell)][i]);
  if (names->size() == perDir && r.dirs == 2)
    names->append(SmallVector<std::string>(*names));
  if (names->size() != perDir * r.dirs)
    return n.attrError("activations")
           << "must name " << perDir << " functions per direction, got "
           << names->size();
  // alpha and beta lists hold values for the functions that take them.
  size_t ai = 0, bi = 0;
  r.acts.assign(r.dirs, {});
  for (auto [i, name] : llvm::enumerate(*names)) {
    Activation a{StringRef(name).lower()};
    auto dflt = activationDefaults(a.name);
    if (!dflt)
      return n.attrError("activations")
             << "has unsupported function '" << name
             << "' (supported: Relu, Tanh, Sigmoid, Affine, LeakyRelu, "
                "ThresholdedRelu, ScaledTanh, HardSigmoid, Elu, Softsign, "
                "Softplus)";
    auto [alpha, beta, hasAlpha, hasBeta] = *dflt;
    a.alpha = hasAlpha && ai < alphas->size() ? (*alphas)[ai++] : alpha;
    a.beta = hasBeta && bi < betas->size() ? (*betas)[bi++] : beta;
    r.acts[i / perDir].push_back(a);
  }
  return success();
}

/// Checks that input `i` is present with `shape`; `what` names it.
LogicalResult checkShapeOf(NodeImporter &n, unsigned i, StringRef what,
                           ArrayRef<int64_t> shape) {
  auto type = n.inputType(i);
  if (type.getShape() != shape)
    return n.error() << what << " ('" << n.inputName(i) << "') must have shape "
                     << shapeString(shape) << ", got "
                     << shapeString(type.getShape());
  return success();
}

FailureOr<Recurrence> parseRecurrence(NodeImporter &n, Cell cell) {
  Recurrence r{cell};
  r.gates = cell == Cell::RNN ? 1 : cell == Cell::GRU ? 3 : 4;
  unsigned maxIn = cell == Cell::LSTM ? 8 : 6;
  auto direction = n.stringAttr("direction", StringRef("forward"));
  auto layout = n.intAttr("layout", 0);
  if (failed(n.checkInputs(3, maxIn)) || failed(direction) || failed(layout))
    return failure();
  if (*direction != "forward" && *direction != "reverse" &&
      *direction != "bidirectional")
    return n.attrError("direction") << "must be forward, reverse or "
                                       "bidirectional, got '"
                                    << *direction << "'";
  if (*layout != 0 && *layout != 1)
    return n.attrError("layout") << "must be 0 or 1, got " << *layout;
  r.layout = *layout;
  r.dirs = *direction == "bidirectional" ? 2 : 1;
  r.reverseOnly = *direction == "reverse";

  auto xType = n.inputType(0);
  if (!isa<FloatType>(xType.getElementType()) || xType.getRank() != 3)
    return n.error() << "X must be a rank-3 float tensor, got " << xType;
  r.seqLen = xType.getDimSize(r.layout == 0 ? 0 : 1);
  r.batch = xType.getDimSize(r.layout == 0 ? 1 : 0);
  int64_t inputSize = xType.getDimSize(2);
  auto rType = n.inputType(2);
  auto hidden =
      n.intAttr("hidden_size", rType.getRank() == 3 ? rType.getDimSize(2) : 0);
  if (failed(hidden))
    return failure();
  if (*hidden < 1)
    return n.attrError("hidden_size") << "must be positive, got " << *hidden;
  r.hidden = *hidden;
  int64_t gh = r.gates * r.hidden, h = r.hidden;
  if (failed(checkShapeOf(n, 1, "W", {r.dirs, gh, inputSize})) ||
      failed(checkShapeOf(n, 2, "R", {r.dirs, gh, h})) ||
      (n.hasInput(3) && failed(checkShapeOf(n, 3, "B", {r.dirs, 2 * gh}))) ||
      (n.hasInput(4) && failed(checkShapeOf(n, 4, "sequence_lens", {r.batch}))))
    return failure();
  SmallVector<int64_t> stateShape =
      r.layout == 0 ? SmallVector<int64_t>{r.dirs, r.batch, h}
                    : SmallVector<int64_t>{r.batch, r.dirs, h};
  if ((n.hasInput(5) && failed(checkShapeOf(n, 5, "initial_h", stateShape))) ||
      (n.hasInput(6) && failed(checkShapeOf(n, 6, "initial_c", stateShape))) ||
      (n.hasInput(7) && failed(checkShapeOf(n, 7, "P", {r.dirs, 3 * h}))))
    return failure();
  for (unsigned i : {1u, 2u, 3u, 5u, 6u, 7u})
    if (n.hasInput(i) &&
        n.inputType(i).getElementType() != xType.getElementType())
      return n.error() << "input '" << n.inputName(i)
                       << "' must have X's element type "
                       << xType.getElementType();
  if (n.hasInput(4) && !isa<IntegerType>(n.inputType(4).getElementType()))
    return n.error() << "sequence_lens must be an integer tensor";

  if (n.hasAttr("clip")) {
    auto clip = n.floatAttr("clip", 0.0);
    if (failed(clip))
      return failure();
    if (*clip <= 0)
      return n.attrError("clip") << "must be positive, got " << *clip;
    r.clip = *clip;
  }
  if (cell == Cell::GRU) {
    auto lbr = n.intAttr("linear_before_reset", 0);
    if (failed(lbr))
      return failure();
    r.linearBeforeReset = *lbr != 0;
  }
  if (cell == Cell::LSTM) {
    auto forget = n.intAttr("input_forget", 0);
    if (failed(forget))
      return failure();
    r.inputForget = *forget != 0;
  }
  if (failed(parseActivations(n, r)))
    return failure();
  return r;
}

/// Per-step inputs of one direction that live outside the loop.
struct StepWeights {
  Value rt;       // R^T, [H, G*H] (GRU without linear_before_reset: z, r)
  Value rtHidden; // GRU without linear_before_reset: Rh^T, [H, H]
  Value rbHidden; // GRU with linear_before_reset: Rbh, [H]
  Value peep[3];  // LSTM peepholes i, o, f, [H]
  Value lens;     // sequence_lens as i64 [B, 1], or null
};

/// Pre-activation clip (the `clip` attribute) and activation `k`.
Value gate(Ops &o, const Recurrence &r, int64_t dir, int k, Value x) {
  if (r.clip)
    x = o.clip(x, -*r.clip, *r.clip);
  return applyActivation(o, r.acts[dir][k], x);
}

/// One time step: the new hidden (and cell) state from `xw`, the step's
/// input projection with biases, and the previous state.
SmallVector<Value> cellStep(Ops &o, const Recurrence &r, int64_t dir,
                            const StepWeights &w, Value xw, Value hPrev,
                            Value cPrev) {
  int64_t h = r.hidden;
  if (r.cell == Cell::RNN)
    return {gate(o, r, dir, 0, o.add(xw, o.matmul(hPrev, w.rt)))};
  if (r.cell == Cell::LSTM) {
    Value g = o.add(xw, o.matmul(hPrev, w.rt));
    auto part = [&](int64_t k) { return o.slice(g, 1, k * h, h); };
    auto peep = [&](Value x, int k, Value c) {
      return w.peep[k] ? o.add(x, o.mul(c, w.peep[k])) : x;
    };
    Value i = gate(o, r, dir, 0, peep(part(0), 0, cPrev));
    Value f = r.inputForget ? o.sub(o.scalar(xw, 1), i)
                            : gate(o, r, dir, 0, peep(part(2), 2, cPrev));
    Value c = o.add(o.mul(f, cPrev), o.mul(i, gate(o, r, dir, 1, part(3))));
    Value out = gate(o, r, dir, 0, peep(part(1), 1, c));
    return {o.mul(out, applyActivation(o, r.acts[dir][2], c)), c};
  }
  // GRU: gates z, r, h.
  Value zr, hh;
  if (r.linearBeforeReset) {
    Value g = o.matmul(hPrev, w.rt);
    zr = o.add(o.slice(xw, 1, 0, 2 * h), o.slice(g, 1, 0, 2 * h));
    hh = o.add(o.slice(g, 1, 2 * h, h), w.rbHidden);
  } else {
    zr = o.add(o.slice(xw, 1, 0, 2 * h), o.matmul(hPrev, w.rt));
  }
  Value z = gate(o, r, dir, 0, o.slice(zr, 1, 0, h));
  Value reset = gate(o, r, dir, 0, o.slice(zr, 1, h, h));
  Value xh = o.slice(xw, 1, 2 * h, h);
  Value pre = r.linearBeforeReset
                  ? o.add(xh, o.mul(reset, hh))
                  : o.add(xh, o.matmul(o.mul(reset, hPrev), w.rtHidden));
  Value cand = gate(o, r, dir, 1, pre);
  Value one = o.scalar(xw, 1);
  return {o.add(o.mul(o.sub(one, z), cand), o.mul(z, hPrev))};
}

/// Runs direction `dir` over the sequence; returns Y's slices stacked
/// ([T, B, H] or [B, T, H] with layout 1, or null when unused), the final
/// hidden state and the final cell state (LSTM) as [B, H].
FailureOr<SmallVector<Value>> runDirection(NodeImporter &n, Ops &o,
                                           const Recurrence &r, int64_t dir,
                                           bool wantY) {
  int64_t h = r.hidden, gh = r.gates * h;
  bool reverse = r.reverseOnly || dir == 1;
  Value x = n.input(0);
  Type et = cast<RankedTensorType>(x.getType()).getElementType();
  auto stateType = RankedTensorType::get({r.batch, h}, et);

  // The input projection of all steps at once, with the biases folded in
  // (except GRU's Rbh under linear_before_reset, applied after the reset).
  Value wt = o.transpose(o.take(n.input(1), 0, dir), {1, 0});
  Value rt = o.transpose(o.take(n.input(2), 0, dir), {1, 0});
  Value xw = o.matmul(x, wt);
  StepWeights w;
  if (n.hasInput(3)) {
    Value bias = o.take(n.input(3), 0, dir);
    Value wb = o.slice(bias, 0, 0, gh), rb = o.slice(bias, 0, gh, gh);
    if (r.cell == Cell::GRU && r.linearBeforeReset) {
      w.rbHidden = o.slice(rb, 0, 2 * h, h);
      rb = o.concat(
          {o.slice(rb, 0, 0, 2 * h),
           n.constant(DenseElementsAttr::get(RankedTensorType::get({h}, et),
                                             n.b().getZeroAttr(et)))},
          0);
    }
    xw = o.add(xw, o.add(wb, rb));
  } else if (r.cell == Cell::GRU && r.linearBeforeReset) {
    w.rbHidden = o.scalar(x, 0);
  }
  w.rt = rt;
  if (r.cell == Cell::GRU && !r.linearBeforeReset) {
    w.rt = o.slice(rt, 1, 0, 2 * h);
    w.rtHidden = o.slice(rt, 1, 2 * h, h);
  }
  if (n.hasInput(7)) {
    Value p = o.take(n.input(7), 0, dir);
    for (int k = 0; k < 3; ++k)
      w.peep[k] = o.slice(p, 0, k * h, h);
  }
  if (n.hasInput(4)) {
    // Lengths that all equal the sequence length need no mask.
    auto lens = n.constInput(4) ? readInts(n.constInput(4)) : std::nullopt;
    if (!lens ||
        llvm::any_of(*lens, [&](int64_t l) { return l != r.seqLen; })) {
      Value v = n.input(4);
      auto i64 = n.b().getI64Type();
      auto type = cast<RankedTensorType>(v.getType());
      if (type.getElementType() != i64) {
        auto c = n.createTyped<CastOp>(type.clone(i64), v, UnitAttr());
        v = failed(c) ? Value() : *c;
      }
      w.lens = o.reshape(v, {r.batch, 1});
    }
  }
  auto initial = [&](unsigned i) -> Value {
    if (!n.hasInput(i))
      return n.constant(
          DenseElementsAttr::get(stateType, n.b().getZeroAttr(et)));
    return o.take(n.input(i), r.layout == 0 ? 0 : 1, dir);
  };
  SmallVector<Value> inits{initial(5)};
  if (r.cell == Cell::LSTM)
    inits.push_back(initial(6));
  if (!o.ok())
    return failure();

  // The time loop.
  int64_t timeAxis = r.layout == 0 ? 0 : 1;
  auto xwType = cast<RankedTensorType>(xw.getType());
  SmallVector<int64_t> sliceShape(xwType.getShape());
  sliceShape.erase(sliceShape.begin() + timeAxis);
  LoopBuilder loop(n, ValueRange(inits).getTypes(), {xwType.clone(sliceShape)});
  ValueRange carried = loop.carried();
  SmallVector<Value> next =
      cellStep(o, r, dir, w, loop.slices()[0], carried[0],
               r.cell == Cell::LSTM ? carried[1] : Value());
  Value y = next[0];
  if (w.lens) {
    // Steps at or past a batch entry's length keep the state; Y is zero.
    Value t = loop.iteration();
    if (reverse)
      t = o.sub(n.scalar(n.b().getI64Type(), double(r.seqLen - 1)), t);
    Value active = o.compare(t, w.lens, "lt");
    for (auto [v, prev] : llvm::zip(next, carried))
      v = o.select(active, v, prev);
    y = o.select(active, y, o.scalar(y, 0));
  }
  if (wantY)
    next.push_back(y);
  if (!o.ok())
    return failure();
  LoopSpec spec;
  spec.tripCount = r.seqLen;
  spec.inAxes = {timeAxis};
  spec.inReverse = {reverse};
  if (wantY) {
    spec.outAxes = {timeAxis};
    spec.outReverse = {reverse};
  }
  auto loopResults = loop.finish(spec, inits, {xw}, next);
  if (failed(loopResults))
    return failure();
  SmallVector<Value> results{wantY ? loopResults->back() : Value(),
                             (*loopResults)[0]};
  if (r.cell == Cell::LSTM)
    results.push_back((*loopResults)[1]);
  return results;
}

LogicalResult importRecurrence(NodeImporter &n, Cell cell) {
  auto parsed = parseRecurrence(n, cell);
  if (failed(parsed))
    return failure();
  const Recurrence &r = *parsed;
  Ops o(n);
  bool wantY = n.isOutputUsed(0);
  // Y is [T, D, B, H] (layout 1: [B, T, D, H]); Y_h and Y_c [D, B, H]
  // (layout 1: [B, D, H]).
  int64_t yDirAxis = r.layout == 0 ? 1 : 2,
          stateDirAxis = r.layout == 0 ? 0 : 1;
  SmallVector<Value> ys, hs, cs;
  for (int64_t d = 0; d < r.dirs; ++d) {
    auto res = runDirection(n, o, r, d, wantY);
    if (failed(res))
      return failure();
    if (wantY)
      ys.push_back(o.unsqueeze((*res)[0], yDirAxis));
    hs.push_back(o.unsqueeze((*res)[1], stateDirAxis));
    if (cell == Cell::LSTM)
      cs.push_back(o.unsqueeze((*res)[2], stateDirAxis));
  }
  Value y = wantY ? o.concat(ys, yDirAxis) : Value();
  Value yh = o.concat(hs, stateDirAxis);
  Value yc = cell == Cell::LSTM ? o.concat(cs, stateDirAxis) : Value();
  if (!o.ok())
    return failure();
  if (y)
    n.setOutput(0, y);
  n.setOutput(1, yh);
  if (yc)
    n.setOutput(2, yc);
  return success();
}

LogicalResult importRNN(NodeImporter &n) {
  return importRecurrence(n, Cell::RNN);
}
LogicalResult importGRU(NodeImporter &n) {
  return importRecurrence(n, Cell::GRU);
}
LogicalResult importLSTM(NodeImporter &n) {
  return importRecurrence(n, Cell::LSTM);
}

//===----------------------------------------------------------------------===//
// ReverseSequence
//===----------------------------------------------------------------------===//

/// out[t, b] = x[t < len[b] ? len[b] - 1 - t : t, b] (time and batch axes
/// in either order), as a gather of rows of x viewed as [T * B, ...].
LogicalResult importReverseSequence(NodeImporter &n) {
  auto batchAxis = n.intAttr("batch_axis", 1);
  auto timeAxis = n.intAttr("time_axis", 0);
  if (failed(batchAxis) || failed(timeAxis) || failed(n.checkInputs(2, 2)))
    return failure();
  if (!((*batchAxis == 0 && *timeAxis == 1) ||
        (*batchAxis == 1 && *timeAxis == 0)))
    return n.error() << "batch_axis and time_axis must be 0 and 1 in some "
                        "order, got "
                     << *batchAxis << " and " << *timeAxis;
  auto type = n.inputType(0);
  if (type.getRank() < 2)
    return n.error() << "input must have rank >= 2, got " << type;
  int64_t steps = type.getDimSize(*timeAxis),
          batch = type.getDimSize(*batchAxis);
  if (n.inputType(1).getShape() != ArrayRef<int64_t>{batch} ||
      !isa<IntegerType>(n.inputType(1).getElementType()))
    return n.error() << "sequence_lens must be an integer tensor of shape ["
                     << batch << "]";
  Ops o(n);
  Type i64 = n.b().getI64Type();
  Value lens = n.input(1);
  if (n.inputType(1).getElementType() != i64) {
    auto c = n.createTyped<CastOp>(n.inputType(1).clone(i64), lens, UnitAttr());
    if (failed(c))
      return failure();
    lens = *c;
  }
  // Indices over [T, B] (or [B, T]): t and b broadcast along their axes.
  SmallVector<int64_t> tShape{1, 1}, bShape{1, 1};
  tShape[*timeAxis] = steps;
  bShape[*batchAxis] = batch;
  SmallVector<int64_t> ts(steps), bs(batch);
  std::iota(ts.begin(), ts.end(), 0);
  std::iota(bs.begin(), bs.end(), 0);
  Value t = n.constant(
      makeIntElements(RankedTensorType::get(tShape, i64), ts, n.blobName()));
  Value b = n.constant(
      makeIntElements(RankedTensorType::get(bShape, i64), bs, n.blobName()));
  Value len = o.reshape(lens, bShape);
  Value src = o.select(o.compare(t, len, "lt"),
                       o.sub(o.sub(len, n.scalar(i64, 1)), t), t);
  // Row index in the [T * B] (or [B * T]) view.
  Value row = *timeAxis == 0
                  ? o.add(o.mul(src, n.scalar(i64, double(batch))), b)
                  : o.add(o.mul(b, n.scalar(i64, double(steps))), src);
  SmallVector<int64_t> flat{steps * batch};
  llvm::append_range(flat, type.getShape().drop_front(2));
  Value rows = o.reshape(row, {steps * batch});
  Value data = o.reshape(n.input(0), flat);
  if (!o.ok())
    return failure();
  auto g = n.create<GatherOp>(data, rows, n.b().getI64IntegerAttr(0));
  if (failed(g))
    return failure();
  Value out = o.reshape(*g, type.getShape());
  if (!out)
    return failure();
  n.setOutput(0, out, n.inputIsUnsigned(0));
  return success();
}

} // namespace

void npu::onnx_import::addRecurrentHandlers(OpRegistry &r) {
  r.add("RNN", 7, 17, importRNN);
  r.add("GRU", 7, 17, importGRU);
  r.add("LSTM", 7, 17, importLSTM);
  r.add("ReverseSequence", 10, 17, importReverseSequence);
}
