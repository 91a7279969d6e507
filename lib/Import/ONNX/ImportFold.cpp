//===- ImportFold.cpp - import-time evaluation of small integer tensors ---===//
//
// Exporters compute Reshape targets and similar with Shape -> Gather ->
// Unsqueeze -> Concat chains. Shapes are static here, so those chains are
// evaluated while importing: every npu op created on constant integer
// operands is replaced by its value, and a few ONNX ops common in such chains
// (Equal, Where, Range, ReduceProd, Not) are evaluated here when all their
// inputs are constant integers (ImportLogic.cpp imports the general case;
// Range is supported on constants only, integer or float).
//
//===----------------------------------------------------------------------===//
#include "ImporterImpl.h"

#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace mlir;
using namespace npu;
using namespace npu::onnx_import;

namespace {

struct IntTensor {
  SmallVector<int64_t> shape;
  SmallVector<int64_t> data;
};

std::optional<IntTensor> getIntConst(Value v) {
  auto c = v.getDefiningOp<ConstantOp>();
  if (!c)
    return std::nullopt;
  auto ints = readInts(c.getValue());
  if (!ints)
    return std::nullopt;
  auto shape = c.getType().getShape();
  return IntTensor{SmallVector<int64_t>(shape.begin(), shape.end()), *ints};
}

SmallVector<int64_t> stridesOf(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t d = int64_t(shape.size()) - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  return strides;
}

int64_t numElements(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

/// Calls fn(linear, index) for every index of `shape` in row-major order.
void forEachIndex(ArrayRef<int64_t> shape,
                  function_ref<void(int64_t, ArrayRef<int64_t>)> fn) {
  SmallVector<int64_t> idx(shape.size(), 0);
  int64_t total = numElements(shape);
  for (int64_t linear = 0; linear < total; ++linear) {
    fn(linear, idx);
    for (int64_t d = int64_t(shape.size()) - 1; d >= 0; --d) {
      if (++idx[d] < shape[d])
        break;
      idx[d] = 0;
    }
  }
}

/// Element of `t` at `outIdx` of a broadcast result of rank outIdx.size().
int64_t broadcastAt(const IntTensor &t, ArrayRef<int64_t> outIdx) {
  size_t offset = outIdx.size() - t.shape.size();
  SmallVector<int64_t> strides = stridesOf(t.shape);
  int64_t linear = 0;
  for (size_t d = 0; d < t.shape.size(); ++d)
    if (t.shape[d] != 1)
      linear += outIdx[d + offset] * strides[d];
  return t.data[linear];
}

template <typename Fn>
std::optional<SmallVector<int64_t>>
evalBroadcast(ArrayRef<const IntTensor *> ins, ArrayRef<int64_t> outShape,
              Fn fn) {
  SmallVector<int64_t> out(numElements(outShape));
  bool ok = true;
  forEachIndex(outShape, [&](int64_t linear, ArrayRef<int64_t> idx) {
    SmallVector<int64_t, 3> args(ins.size(), 0);
    for (auto [i, t] : llvm::enumerate(ins))
      args[i] = broadcastAt(*t, idx);
    auto v = fn(args);
    ok &= v.has_value();
    out[linear] = v.value_or(0);
  });
  if (!ok)
    return std::nullopt;
  return out;
}

/// Wrapping arithmetic without signed-overflow UB.
int64_t wrap(uint64_t v) { return int64_t(v); }

std::optional<int64_t> binary(Operation *op, int64_t a, int64_t b) {
  if (isa<AddOp>(op))
    return wrap(uint64_t(a) + uint64_t(b));
  if (isa<SubOp>(op))
    return wrap(uint64_t(a) - uint64_t(b));
  if (isa<MulOp>(op))
    return wrap(uint64_t(a) * uint64_t(b));
  if (isa<MaxOp>(op))
    return std::max(a, b);
  if (isa<MinOp>(op))
    return std::min(a, b);
  if (isa<DivOp>(op)) {
    if (b == 0 || (a == INT64_MIN && b == -1))
      return std::nullopt;
    return a / b;
  }
  return std::nullopt;
}

/// Sign-extends the low `width` bits (i1 stays 0/1).
int64_t truncTo(int64_t v, unsigned width) {
  if (width == 1)
    return v != 0;
  if (width >= 64)
    return v;
  return APInt(64, uint64_t(v)).trunc(width).getSExtValue();
}

std::optional<SmallVector<int64_t>> evalOp(Operation *op,
                                           ArrayRef<IntTensor> ins,
                                           RankedTensorType resultType) {
  auto outShape = resultType.getShape();
  // Constants are held sign-extended; unsigned division is not folded.
  if (auto div = dyn_cast<DivOp>(op); div && div.getUnsignedOperands())
    return std::nullopt;
  if (isa<AddOp, SubOp, MulOp, DivOp, MaxOp, MinOp>(op))
    return evalBroadcast({&ins[0], &ins[1]}, outShape,
                         [&](ArrayRef<int64_t> a) {
                           return binary(op, a[0], a[1]);
                         });
  if (isa<NegOp>(op)) {
    SmallVector<int64_t> out;
    for (int64_t v : ins[0].data)
      out.push_back(wrap(0 - uint64_t(v)));
    return out;
  }
  if (isa<ReshapeOp, FlattenOp>(op))
    return ins[0].data;
  if (auto cast = dyn_cast<CastOp>(op)) {
    unsigned inWidth =
        cast.getInput().getType().getElementType().getIntOrFloatBitWidth();
    SmallVector<int64_t> out;
    for (int64_t v : ins[0].data) {
      if (cast.getUnsignedInput() && inWidth < 64)
        v = int64_t(APInt(64, uint64_t(v)).trunc(inWidth).getZExtValue());
      out.push_back(v);
    }
    return out;
  }
  if (auto concat = dyn_cast<ConcatOp>(op)) {
    int64_t axis = concat.getAxis();
    int64_t outer = numElements(ArrayRef(outShape).take_front(axis));
    SmallVector<int64_t> out;
    for (int64_t o = 0; o < outer; ++o)
      for (const IntTensor &t : ins) {
        int64_t chunk = numElements(ArrayRef(t.shape).drop_front(axis));
        out.append(t.data.begin() + o * chunk, t.data.begin() + (o + 1) * chunk);
      }
    return out;
  }
  if (auto slice = dyn_cast<SliceOp>(op)) {
    SmallVector<int64_t> strides = stridesOf(ins[0].shape);
    SmallVector<int64_t> out(numElements(outShape));
    forEachIndex(outShape, [&](int64_t linear, ArrayRef<int64_t> idx) {
      int64_t src = 0;
      for (size_t d = 0; d < idx.size(); ++d)
        src += (slice.getStarts()[d] + idx[d] * slice.getSteps()[d]) *
               strides[d];
      out[linear] = ins[0].data[src];
    });
    return out;
  }
  if (auto transpose = dyn_cast<TransposeOp>(op)) {
    SmallVector<int64_t> strides = stridesOf(ins[0].shape);
    SmallVector<int64_t> out(numElements(outShape));
    forEachIndex(outShape, [&](int64_t linear, ArrayRef<int64_t> idx) {
      int64_t src = 0;
      for (size_t d = 0; d < idx.size(); ++d)
        src += idx[d] * strides[transpose.getPerm()[d]];
      out[linear] = ins[0].data[src];
    });
    return out;
  }
  if (auto gather = dyn_cast<GatherOp>(op)) {
    const IntTensor &data = ins[0], &indices = ins[1];
    int64_t axis = gather.getAxis(), dim = data.shape[axis];
    int64_t outer = numElements(ArrayRef(data.shape).take_front(axis));
    int64_t inner = numElements(ArrayRef(data.shape).drop_front(axis + 1));
    SmallVector<int64_t> out;
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t i : indices.data) {
        if (i < -dim || i >= dim)
          return std::nullopt;
        int64_t base = (o * dim + (i < 0 ? i + dim : i)) * inner;
        out.append(data.data.begin() + base, data.data.begin() + base + inner);
      }
    return out;
  }
  return std::nullopt;
}

} // namespace

/// Casts from small float constants (shape arithmetic done in float, as
/// some exporters emit it) truncate toward zero like npu.cast.
static Value foldFloatCast(CastOp cast, OpBuilder &builder, StringRef name) {
  auto in = cast.getInput().getDefiningOp<ConstantOp>();
  if (!in || !isa<FloatType>(cast.getInput().getType().getElementType()))
    return {};
  auto values = readFloats(in.getValue());
  if (!values)
    return {};
  auto type = cast.getType();
  ElementsAttr attr;
  if (isa<FloatType>(type.getElementType())) {
    attr = makeFloatElements(type, *values, name);
  } else {
    unsigned width = type.getElementType().getIntOrFloatBitWidth();
    SmallVector<int64_t> ints;
    for (double v : *values) {
      if (!(std::abs(v) < 9.2e18))
        return {};
      ints.push_back(width == 1 ? v != 0.0 : truncTo(int64_t(v), width));
    }
    attr = makeIntElements(type, ints, name);
  }
  return builder.create<ConstantOp>(cast.getLoc(), type, attr);
}

/// Elementwise arithmetic on small float constants (trip counts and sizes
/// computed in float, e.g. Range's function body). Values are computed in
/// double and rounded once, which is exact for f32 and narrower types.
/// Operands must be single elements or have the result's shape.
static Value foldFloatElementwise(Operation *op, OpBuilder &builder,
                                  StringRef name) {
  auto type = cast<RankedTensorType>(op->getResult(0).getType());
  if (!isa<FloatType>(type.getElementType()) ||
      type.getNumElements() > kMaxDenseElements ||
      !isa<AddOp, SubOp, MulOp, DivOp, MaxOp, MinOp, NegOp, ReluOp, CeilOp,
           FloorOp>(op))
    return {};
  SmallVector<SmallVector<double>> ins;
  for (Value v : op->getOperands()) {
    auto c = v.getDefiningOp<ConstantOp>();
    auto values = c ? readFloats(c.getValue()) : std::nullopt;
    if (!values || (values->size() != 1 &&
                    int64_t(values->size()) != type.getNumElements()))
      return {};
    ins.push_back(std::move(*values));
  }
  auto at = [&](size_t k, int64_t i) {
    return ins[k].size() == 1 ? ins[k][0] : ins[k][i];
  };
  SmallVector<double> out;
  for (int64_t i = 0; i < type.getNumElements(); ++i) {
    double a = at(0, i), b = ins.size() > 1 ? at(1, i) : 0.0;
    out.push_back(TypeSwitch<Operation *, double>(op)
                      .Case([&](AddOp) { return a + b; })
                      .Case([&](SubOp) { return a - b; })
                      .Case([&](MulOp) { return a * b; })
                      .Case([&](DivOp) { return a / b; })
                      .Case([&](MaxOp) { return std::fmax(a, b); })
                      .Case([&](MinOp) { return std::fmin(a, b); })
                      .Case([&](NegOp) { return -a; })
                      .Case([&](ReluOp) { return a > 0 ? a : 0.0; })
                      .Case([&](CeilOp) { return std::ceil(a); })
                      .Case([&](FloorOp) { return std::floor(a); }));
  }
  return builder.create<ConstantOp>(op->getLoc(), type,
                                    makeFloatElements(type, out, name));
}

Value npu::onnx_import::tryFoldIntOp(Operation *op, OpBuilder &builder,
                                     StringRef name) {
  if (op->getNumResults() != 1 || op->getNumOperands() == 0)
    return {};
  auto resultType = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  if (!resultType || resultType.getNumElements() > kMaxFoldElements)
    return {};
  if (auto cast = dyn_cast<CastOp>(op))
    if (Value v = foldFloatCast(cast, builder, name))
      return v;
  if (Value v = foldFloatElementwise(op, builder, name))
    return v;
  Type et = resultType.getElementType();
  bool intResult = isa<IntegerType>(et);
  if (!intResult && !(isa<CastOp>(op) && isa<FloatType>(et)))
    return {};
  SmallVector<IntTensor> ins;
  for (Value v : op->getOperands()) {
    auto t = getIntConst(v);
    if (!t)
      return {};
    ins.push_back(std::move(*t));
  }
  auto values = evalOp(op, ins, resultType);
  if (!values)
    return {};
  ElementsAttr attr;
  if (intResult) {
    unsigned width = et.getIntOrFloatBitWidth();
    for (int64_t &v : *values)
      v = truncTo(v, width);
    attr = makeIntElements(resultType, *values, name);
  } else {
    SmallVector<double> fp(
        llvm::map_range(*values, [](int64_t v) { return double(v); }));
    attr = makeFloatElements(resultType, fp, name);
  }
  return builder.create<ConstantOp>(op->getLoc(), resultType, attr);
}

//===----------------------------------------------------------------------===//
// Ops supported on constants only
//===----------------------------------------------------------------------===//

namespace {

/// Reads every input as a constant integer tensor or fails naming the op.
FailureOr<SmallVector<IntTensor>> constInputs(NodeImporter &n, unsigned min,
                                              unsigned max) {
  if (failed(n.checkInputs(min, max)))
    return failure();
  SmallVector<IntTensor> ins;
  for (unsigned i = 0; i < n.numInputs(); ++i) {
    auto t = n.hasInput(i) ? getIntConst(n.input(i)) : std::nullopt;
    if (!t)
      return n.error() << "supported only on constant integer inputs (as in "
                          "shape computations); input '"
                       << n.inputName(i) << "' is not one"
                       << n.bindHint(i);
    ins.push_back(std::move(*t));
  }
  return ins;
}

LogicalResult setConst(NodeImporter &n, ArrayRef<int64_t> shape, Type et,
                       ArrayRef<int64_t> data) {
  if (failed(checkShape(shape, et, n.loc(),
                        "node '" + n.name() + "' (" + n.opType() +
                            "): result")))
    return failure();
  n.setOutput(0, n.constant(makeIntElements(RankedTensorType::get(shape, et),
                                            data, n.blobName())));
  return success();
}

FailureOr<SmallVector<int64_t>> broadcastAll(NodeImporter &n,
                                             ArrayRef<IntTensor> ins) {
  SmallVector<int64_t> shape;
  for (const IntTensor &t : ins) {
    auto b = broadcastShapes(shape, t.shape);
    if (failed(b))
      return n.error() << "input shapes do not broadcast";
    shape = *b;
  }
  return shape;
}

/// Whether every present input is a constant integer tensor.
bool allIntConst(NodeImporter &n) {
  for (unsigned i = 0; i < n.numInputs(); ++i)
    if (n.hasInput(i) && !getIntConst(n.input(i)))
      return false;
  return true;
}

LogicalResult importEqual(NodeImporter &n) {
  if (!allIntConst(n))
    return importEqualRuntime(n);
  auto ins = constInputs(n, 2, 2);
  if (failed(ins))
    return failure();
  auto shape = broadcastAll(n, *ins);
  if (failed(shape))
    return failure();
  auto out = evalBroadcast({&(*ins)[0], &(*ins)[1]}, *shape,
                           [](ArrayRef<int64_t> a) {
                             return std::optional<int64_t>(a[0] == a[1]);
                           });
  return setConst(n, *shape, IntegerType::get(n.ctx(), 1), *out);
}

LogicalResult importWhere(NodeImporter &n) {
  if (!allIntConst(n))
    return importWhereRuntime(n);
  auto ins = constInputs(n, 3, 3);
  if (failed(ins))
    return failure();
  auto shape = broadcastAll(n, *ins);
  if (failed(shape))
    return failure();
  auto out = evalBroadcast({&(*ins)[0], &(*ins)[1], &(*ins)[2]}, *shape,
                           [](ArrayRef<int64_t> a) {
                             return std::optional<int64_t>(a[0] ? a[1] : a[2]);
                           });
  n.setOutput(0, n.constant(makeIntElements(
                     RankedTensorType::get(*shape,
                                           n.inputType(1).getElementType()),
                     *out, n.blobName())));
  return success();
}

LogicalResult importNot(NodeImporter &n) {
  if (!allIntConst(n))
    return importNotRuntime(n);
  auto ins = constInputs(n, 1, 1);
  if (failed(ins))
    return failure();
  SmallVector<int64_t> out;
  for (int64_t v : (*ins)[0].data)
    out.push_back(v == 0);
  return setConst(n, (*ins)[0].shape, n.inputType(0).getElementType(), out);
}

/// Range on constant float scalars (window functions count samples so).
LogicalResult importFloatRange(NodeImporter &n) {
  static const char *const names[] = {"start", "limit", "delta"};
  SmallVector<double, 3> v;
  for (unsigned i = 0; i < 3; ++i) {
    auto x = n.requireConstScalar(i, names[i]);
    if (failed(x))
      return failure();
    v.push_back(*x);
  }
  if (v[2] == 0.0 || !std::isfinite(v[0]) || !std::isfinite(v[1]) ||
      !std::isfinite(v[2]))
    return n.error() << "delta must be non-zero and all inputs finite";
  double count = std::max(std::ceil((v[1] - v[0]) / v[2]), 0.0);
  if (count > double(kMaxFoldElements))
    return n.error() << "range of " << count << " elements is too large to "
                     << "evaluate at import time";
  SmallVector<double> out;
  for (int64_t i = 0; i < int64_t(count); ++i)
    out.push_back(v[0] + double(i) * v[2]);
  auto type = RankedTensorType::get({int64_t(out.size())},
                                    n.inputType(0).getElementType());
  n.setOutput(0, n.constant(makeFloatElements(type, out, n.blobName())));
  return success();
}

LogicalResult importRange(NodeImporter &n) {
  if (failed(n.checkInputs(3, 3)))
    return failure();
  if (isa<FloatType>(n.inputType(0).getElementType()))
    return importFloatRange(n);
  auto ins = constInputs(n, 3, 3);
  if (failed(ins))
    return failure();
  for (const IntTensor &t : *ins)
    if (t.data.size() != 1)
      return n.error() << "start, limit and delta must be scalars";
  int64_t start = (*ins)[0].data[0], limit = (*ins)[1].data[0],
          delta = (*ins)[2].data[0];
  if (delta == 0)
    return n.error() << "delta is 0";
  // Bound the count before materializing anything.
  double count = std::ceil((double(limit) - double(start)) / double(delta));
  count = std::max(count, 0.0);
  if (count > double(kMaxFoldElements))
    return n.error() << "range of " << count << " elements is too large to "
                     << "evaluate at import time";
  SmallVector<int64_t> out;
  for (int64_t i = 0; i < int64_t(count); ++i)
    out.push_back(start + i * delta);
  return setConst(n, {int64_t(out.size())}, n.inputType(0).getElementType(),
                  out);
}

LogicalResult importReduceProd(NodeImporter &n) {
  if (!allIntConst(n))
    return importReduceProdRuntime(n);
  auto keepdims = n.intAttr("keepdims", 1);
  auto axesAttr = n.intsAttr("axes", ArrayRef<int64_t>{});
  if (failed(keepdims) || failed(axesAttr))
    return failure();
  auto ins = constInputs(n, 1, 1);
  if (failed(ins))
    return failure();
  const IntTensor &in = (*ins)[0];
  int64_t rank = in.shape.size();
  SmallVector<bool> reduced(rank, axesAttr->empty());
  for (int64_t a : *axesAttr) {
    auto norm = n.normalizeAxis(a, rank, "axis");
    if (failed(norm))
      return failure();
    reduced[*norm] = true;
  }
  SmallVector<int64_t> outShape, keptShape;
  for (int64_t d = 0; d < rank; ++d) {
    keptShape.push_back(reduced[d] ? 1 : in.shape[d]);
    if (!reduced[d] || *keepdims)
      outShape.push_back(keptShape.back());
  }
  SmallVector<int64_t> out(numElements(keptShape), 1);
  SmallVector<int64_t> strides = stridesOf(keptShape);
  forEachIndex(in.shape, [&](int64_t linear, ArrayRef<int64_t> idx) {
    int64_t dst = 0;
    for (int64_t d = 0; d < rank; ++d)
      if (!reduced[d])
        dst += idx[d] * strides[d];
    out[dst] = wrap(uint64_t(out[dst]) * uint64_t(in.data[linear]));
  });
  return setConst(n, outShape, n.inputType(0).getElementType(), out);
}

} // namespace

void npu::onnx_import::addFoldHandlers(OpRegistry &r) {
  r.add("Equal", 7, 17, importEqual);
  r.add("Where", 9, 17, importWhere);
  r.add("Not", 1, 17, importNot);
  r.add("Range", 11, 17, importRange);
  r.add("ReduceProd", 1, 17, importReduceProd);
}
