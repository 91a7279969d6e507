//===- NPUOps.cpp - npu op type inference and verifiers -------------------===//
#include "npu/Dialect/NPU/IR/NPUOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace npu;

//===----------------------------------------------------------------------===//
// Shared shape helpers
//===----------------------------------------------------------------------===//

FailureOr<SmallVector<int64_t>> npu::broadcastShapes(ArrayRef<int64_t> a,
                                                    ArrayRef<int64_t> b) {
  size_t rank = std::max(a.size(), b.size());
  SmallVector<int64_t> out(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da == db || db == 1)
      out[i] = da;
    else if (da == 1)
      out[i] = db;
    else
      return failure();
  }
  return out;
}

int64_t npu::windowOutputSize(int64_t in, int64_t kernel, int64_t stride,
                              int64_t padBegin, int64_t padEnd,
                              int64_t dilation, bool ceilMode) {
  int64_t effective = dilation * (kernel - 1) + 1;
  int64_t span = in + padBegin + padEnd - effective;
  if (span < 0)
    return 0;
  int64_t out = (ceilMode ? (span + stride - 1) / stride : span / stride) + 1;
  // With ceil mode the last window must start inside the input or the
  // leading padding (ONNX / PyTorch rule).
  if (ceilMode && (out - 1) * stride >= in + padBegin)
    --out;
  return out;
}

static RankedTensorType getRanked(Value v) {
  return dyn_cast<RankedTensorType>(v.getType());
}

static LogicalResult fail(std::optional<Location> loc, const Twine &msg) {
  return emitOptionalError(loc, msg);
}

static std::string shapeStr(ArrayRef<int64_t> shape) {
  return llvm::join(llvm::map_range(shape,
                                    [](int64_t d) { return std::to_string(d); }),
                    ",");
}

static LogicalResult inferBroadcast(std::optional<Location> loc, Value lhs,
                                    Value rhs,
                                    SmallVectorImpl<Type> &results) {
  auto l = getRanked(lhs), r = getRanked(rhs);
  if (!l || !r)
    return fail(loc, "operands must be ranked tensors");
  auto shape = broadcastShapes(l.getShape(), r.getShape());
  if (failed(shape))
    return fail(loc, "operand shapes [" + shapeStr(l.getShape()) + "] and [" +
                         shapeStr(r.getShape()) +
                         "] are not broadcast-compatible");
  results.push_back(RankedTensorType::get(*shape, l.getElementType()));
  return success();
}

#define NPU_BINARY_INFER(OP)                                                   \
  LogicalResult OP::inferReturnTypes(MLIRContext *, std::optional<Location> l, \
                                     Adaptor a, SmallVectorImpl<Type> &r) {    \
    return inferBroadcast(l, a.getLhs(), a.getRhs(), r);                       \
  }
NPU_BINARY_INFER(AddOp)
NPU_BINARY_INFER(SubOp)
NPU_BINARY_INFER(MulOp)
NPU_BINARY_INFER(DivOp)
NPU_BINARY_INFER(PowOp)
NPU_BINARY_INFER(MaxOp)
NPU_BINARY_INFER(MinOp)
NPU_BINARY_INFER(AndOp)
NPU_BINARY_INFER(BitShiftOp)
NPU_BINARY_INFER(OrOp)
NPU_BINARY_INFER(XorOp)
NPU_BINARY_INFER(ModOp)
#undef NPU_BINARY_INFER

static bool isValidAxis(int64_t axis, int64_t rank) {
  return axis >= 0 && axis < rank;
}

//===----------------------------------------------------------------------===//
// Elementwise and normalization verifiers
//===----------------------------------------------------------------------===//

LogicalResult ClipOp::verify() {
  if (getMin() && getMax() && getMin()->convertToDouble() >
                                  getMax()->convertToDouble())
    return emitOpError("min ") << getMin()->convertToDouble()
                               << " exceeds max "
                               << getMax()->convertToDouble();
  return success();
}

LogicalResult SoftmaxOp::verify() {
  if (!isValidAxis(getAxis(), getInput().getType().getRank()))
    return emitOpError("axis ") << getAxis() << " is out of range for rank "
                                << getInput().getType().getRank();
  return success();
}

LogicalResult LayerNormOp::verify() {
  auto type = getInput().getType();
  int64_t rank = type.getRank();
  if (!isValidAxis(getAxis(), rank))
    return emitOpError("axis ") << getAxis() << " is out of range for rank "
                                << rank;
  if (getResult().getType() != type)
    return emitOpError("result type must match the input type");
  ArrayRef<int64_t> normShape = type.getShape().drop_front(getAxis());
  for (Value param : {getScale(), getBias()}) {
    if (!param)
      continue;
    auto ptype = cast<RankedTensorType>(param.getType());
    auto b = broadcastShapes(normShape, ptype.getShape());
    if (failed(b) || ArrayRef<int64_t>(*b) != normShape)
      return emitOpError("scale and bias must broadcast to the normalized "
                         "shape");
  }
  if (getEpsilon().convertToDouble() < 0)
    return emitOpError("epsilon must be non-negative");
  return success();
}

LogicalResult BatchNormOp::verify() {
  auto type = getInput().getType();
  if (type.getRank() < 2)
    return emitOpError("input must have rank >= 2, got ") << type.getRank();
  if (getResult().getType() != type)
    return emitOpError("result type must match the input type");
  int64_t c = type.getDimSize(1);
  for (Value param : {getScale(), getBias(), getMean(), getVariance()}) {
    auto ptype = cast<RankedTensorType>(param.getType());
    if (ptype.getRank() != 1 || ptype.getDimSize(0) != c)
      return emitOpError("scale, bias, mean and variance must be [")
             << c << "], got " << ptype;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// MatMul and Conv
//===----------------------------------------------------------------------===//

LogicalResult MatMulOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  auto l = getRanked(adaptor.getLhs()), r = getRanked(adaptor.getRhs());
  if (!l || !r || l.getRank() < 1 || r.getRank() < 1)
    return fail(loc, "matmul operands must have rank >= 1");
  SmallVector<int64_t> ls(l.getShape()), rs(r.getShape());
  bool lvec = ls.size() == 1, rvec = rs.size() == 1;
  if (lvec)
    ls.insert(ls.begin(), 1);
  if (rvec)
    rs.push_back(1);
  int64_t k1 = ls.back(), k2 = rs[rs.size() - 2];
  if (k1 != k2)
    return fail(loc, "matmul contraction sizes differ: " + Twine(k1) +
                         " vs " + Twine(k2));
  auto batch = broadcastShapes(ArrayRef(ls).drop_back(2),
                               ArrayRef(rs).drop_back(2));
  if (failed(batch))
    return fail(loc, "matmul batch dimensions do not broadcast");
  SmallVector<int64_t> out(*batch);
  if (!lvec)
    out.push_back(ls[ls.size() - 2]);
  if (!rvec)
    out.push_back(rs.back());
  results.push_back(RankedTensorType::get(out, l.getElementType()));
  return success();
}

/// Checks the window attributes of an op with `spatial` spatial dims.
static LogicalResult checkWindowAttrs(std::optional<Location> loc,
                                      size_t spatial,
                                      ArrayRef<int64_t> strides,
                                      ArrayRef<int64_t> pads,
                                      ArrayRef<int64_t> dilations) {
  if (strides.size() != spatial || pads.size() != 2 * spatial ||
      dilations.size() != spatial)
    return fail(loc, "expected " + Twine(spatial) + " strides, " +
                         Twine(2 * spatial) + " pads and " + Twine(spatial) +
                         " dilations");
  if (llvm::any_of(strides, [](int64_t s) { return s <= 0; }) ||
      llvm::any_of(dilations, [](int64_t s) { return s <= 0; }))
    return fail(loc, "strides and dilations must be positive");
  if (llvm::any_of(pads, [](int64_t p) { return p < 0; }))
    return fail(loc, "pads must be non-negative");
  return success();
}

/// Appends the spatial output sizes of a window op to `out`.
static LogicalResult appendWindowSizes(std::optional<Location> loc,
                                       RankedTensorType in,
                                       ArrayRef<int64_t> kernel,
                                       ArrayRef<int64_t> strides,
                                       ArrayRef<int64_t> pads,
                                       ArrayRef<int64_t> dilations,
                                       bool ceilMode,
                                       SmallVectorImpl<int64_t> &out) {
  size_t s = kernel.size();
  for (size_t i = 0; i < s; ++i) {
    int64_t o = windowOutputSize(in.getDimSize(2 + i), kernel[i], strides[i],
                                 pads[i], pads[i + s], dilations[i], ceilMode);
    if (o <= 0)
      return fail(loc, "kernel does not fit the padded input");
    out.push_back(o);
  }
  return success();
}

LogicalResult ConvOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &results) {
  auto in = getRanked(adaptor.getInput()), w = getRanked(adaptor.getWeight());
  if (!in || !w || in.getRank() < 3 || w.getRank() != in.getRank())
    return fail(loc, "conv expects an input of rank >= 3 and a weight of "
                     "the same rank");
  size_t spatial = in.getRank() - 2;
  if (failed(checkWindowAttrs(loc, spatial, adaptor.getStrides(),
                              adaptor.getPads(), adaptor.getDilations())))
    return failure();
  int64_t group = adaptor.getGroup();
  int64_t c = in.getDimSize(1), f = w.getDimSize(0);
  if (c % group || f % group)
    return fail(loc, "channels (" + Twine(c) + " in, " + Twine(f) +
                         " out) are not divisible by group " + Twine(group));
  if (w.getDimSize(1) * group != c)
    return fail(loc, "weight has " + Twine(w.getDimSize(1)) +
                         " input channels per group, expected " +
                         Twine(c / group));
  if (Value bias = adaptor.getBias()) {
    auto b = getRanked(bias);
    if (!b || b.getRank() != 1 || b.getDimSize(0) != f)
      return fail(loc, "bias must be [" + Twine(f) + "]");
  }
  SmallVector<int64_t> out{in.getDimSize(0), f};
  if (failed(appendWindowSizes(loc, in, w.getShape().drop_front(2),
                               adaptor.getStrides(), adaptor.getPads(),
                               adaptor.getDilations(), false, out)))
    return failure();
  results.push_back(RankedTensorType::get(out, in.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// Pooling and reductions
//===----------------------------------------------------------------------===//

/// Output shape of a pooling op (empty dilations mean all 1).
static FailureOr<SmallVector<int64_t>>
inferPoolShape(std::optional<Location> loc, Value input,
               ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
               ArrayRef<int64_t> pads, ArrayRef<int64_t> dilations,
               bool ceilMode) {
  auto in = getRanked(input);
  if (!in || in.getRank() < 3)
    return fail(loc, "pooling expects an input of rank >= 3 (N, C, D1, ..)");
  size_t spatial = in.getRank() - 2;
  SmallVector<int64_t> ones(spatial, 1);
  if (dilations.empty())
    dilations = ones;
  if (kernel.size() != spatial ||
      llvm::any_of(kernel, [](int64_t k) { return k <= 0; }))
    return fail(loc, "expected " + Twine(spatial) + " positive kernel sizes");
  if (failed(checkWindowAttrs(loc, spatial, strides, pads, dilations)))
    return failure();
  for (size_t i = 0; i < spatial; ++i)
    if (pads[i] >= kernel[i] || pads[i + spatial] >= kernel[i])
      return fail(loc, "pads must be smaller than the kernel");
  SmallVector<int64_t> out{in.getDimSize(0), in.getDimSize(1)};
  if (failed(appendWindowSizes(loc, in, kernel, strides, pads, dilations,
                               ceilMode, out)))
    return failure();
  return out;
}

LogicalResult MaxPoolOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor a,
                                          SmallVectorImpl<Type> &results) {
  auto shape = inferPoolShape(loc, a.getInput(), a.getKernel(), a.getStrides(),
                              a.getPads(), a.getDilations(), a.getCeilMode());
  if (failed(shape))
    return failure();
  results.push_back(RankedTensorType::get(
      *shape, getRanked(a.getInput()).getElementType()));
  return success();
}

LogicalResult AvgPoolOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor a,
                                          SmallVectorImpl<Type> &results) {
  auto shape = inferPoolShape(loc, a.getInput(), a.getKernel(), a.getStrides(),
                              a.getPads(), {}, a.getCeilMode());
  if (failed(shape))
    return failure();
  results.push_back(RankedTensorType::get(
      *shape, getRanked(a.getInput()).getElementType()));
  return success();
}

LogicalResult MaxPoolWithIndicesOp::inferReturnTypes(
    MLIRContext *ctx, std::optional<Location> loc, Adaptor a,
    SmallVectorImpl<Type> &results) {
  auto shape = inferPoolShape(loc, a.getInput(), a.getKernel(), a.getStrides(),
                              a.getPads(), a.getDilations(), a.getCeilMode());
  if (failed(shape))
    return failure();
  results.push_back(RankedTensorType::get(
      *shape, getRanked(a.getInput()).getElementType()));
  results.push_back(RankedTensorType::get(*shape, IntegerType::get(ctx, 64)));
  return success();
}

LogicalResult
GlobalAvgPoolOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                  Adaptor a, SmallVectorImpl<Type> &results) {
  auto in = getRanked(a.getInput());
  if (!in || in.getRank() < 3)
    return fail(loc, "global_avg_pool expects rank >= 3");
  SmallVector<int64_t> out(in.getShape());
  std::fill(out.begin() + 2, out.end(), 1);
  results.push_back(RankedTensorType::get(out, in.getElementType()));
  return success();
}

static LogicalResult inferReduce(std::optional<Location> loc, Value input,
                                 ArrayRef<int64_t> axes, bool keepdims,
                                 SmallVectorImpl<Type> &results) {
  auto in = getRanked(input);
  if (!in)
    return fail(loc, "expected a ranked tensor");
  for (size_t i = 0; i < axes.size(); ++i) {
    if (!isValidAxis(axes[i], in.getRank()))
      return fail(loc, "reduction axis " + Twine(axes[i]) +
                           " is out of range for rank " + Twine(in.getRank()));
    if (i && axes[i] <= axes[i - 1])
      return fail(loc, "reduction axes must be sorted and unique");
  }
  SmallVector<int64_t> out;
  for (int64_t d = 0; d < in.getRank(); ++d) {
    if (!llvm::is_contained(axes, d))
      out.push_back(in.getDimSize(d));
    else if (keepdims)
      out.push_back(1);
  }
  results.push_back(RankedTensorType::get(out, in.getElementType()));
  return success();
}

#define NPU_REDUCE_INFER(OP)                                                   \
  LogicalResult OP::inferReturnTypes(MLIRContext *, std::optional<Location> l, \
                                     Adaptor a, SmallVectorImpl<Type> &r) {    \
    return inferReduce(l, a.getInput(), a.getAxes(), a.getKeepdims(), r);      \
  }
NPU_REDUCE_INFER(ReduceMeanOp)
NPU_REDUCE_INFER(ReduceSumOp)
NPU_REDUCE_INFER(ReduceMaxOp)
NPU_REDUCE_INFER(ReduceProdOp)
#undef NPU_REDUCE_INFER

//===----------------------------------------------------------------------===//
// Shape and data movement
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::verify() {
  auto in = getInput().getType(), out = getResult().getType();
  if (in.hasStaticShape() && out.hasStaticShape() &&
      in.getNumElements() != out.getNumElements())
    return emitOpError("cannot reshape ")
           << in.getNumElements() << " elements into " << out;
  return success();
}

LogicalResult FlattenOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor a,
                                          SmallVectorImpl<Type> &results) {
  auto in = getRanked(a.getInput());
  int64_t axis = a.getAxis();
  if (!in || axis < 0 || axis > in.getRank())
    return fail(loc, "flatten axis " + Twine(axis) + " is out of range");
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < in.getRank(); ++d)
    (d < axis ? outer : inner) *= in.getDimSize(d);
  results.push_back(RankedTensorType::get({outer, inner}, in.getElementType()));
  return success();
}

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor a,
                                            SmallVectorImpl<Type> &results) {
  auto in = getRanked(a.getInput());
  ArrayRef<int64_t> perm = a.getPerm();
  if (!in || (int64_t)perm.size() != in.getRank())
    return fail(loc, "perm must have one entry per dimension");
  SmallVector<bool> seen(perm.size(), false);
  SmallVector<int64_t> out;
  for (int64_t p : perm) {
    if (!isValidAxis(p, in.getRank()) || seen[p])
      return fail(loc, "perm is not a permutation");
    seen[p] = true;
    out.push_back(in.getDimSize(p));
  }
  results.push_back(RankedTensorType::get(out, in.getElementType()));
  return success();
}

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor a,
                                         SmallVectorImpl<Type> &results) {
  if (a.getInputs().empty())
    return fail(loc, "concat needs at least one input");
  auto first = getRanked(a.getInputs().front());
  int64_t axis = a.getAxis();
  if (!first || !isValidAxis(axis, first.getRank()))
    return fail(loc, "concat axis " + Twine(axis) + " is out of range");
  SmallVector<int64_t> out(first.getShape());
  out[axis] = 0;
  for (Value v : a.getInputs()) {
    auto t = getRanked(v);
    if (!t || t.getRank() != first.getRank())
      return fail(loc, "concat inputs must have equal ranks");
    for (int64_t d = 0; d < t.getRank(); ++d)
      if (d != axis && t.getDimSize(d) != first.getDimSize(d))
        return fail(loc, "concat inputs differ in dimension " + Twine(d));
    out[axis] += t.getDimSize(axis);
  }
  results.push_back(RankedTensorType::get(out, first.getElementType()));
  return success();
}

LogicalResult SplitOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc, Adaptor a,
                                        SmallVectorImpl<Type> &results) {
  auto in = getRanked(a.getInput());
  int64_t axis = a.getAxis();
  if (!in || !isValidAxis(axis, in.getRank()))
    return fail(loc, "split axis " + Twine(axis) + " is out of range");
  int64_t total = 0;
  for (int64_t s : a.getSizes()) {
    if (s < 0)
      return fail(loc, "split sizes must be non-negative");
    total += s;
    SmallVector<int64_t> shape(in.getShape());
    shape[axis] = s;
    results.push_back(RankedTensorType::get(shape, in.getElementType()));
  }
  if (total != in.getDimSize(axis))
    return fail(loc, "split sizes sum to " + Twine(total) + ", dimension is " +
                         Twine(in.getDimSize(axis)));
  return success();
}

LogicalResult SliceOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc, Adaptor a,
                                        SmallVectorImpl<Type> &results) {
  auto in = getRanked(a.getInput());
  if (!in || (int64_t)a.getSizes().size() != in.getRank())
    return fail(loc, "slice needs one size per dimension");
  results.push_back(RankedTensorType::get(a.getSizes(), in.getElementType()));
  return success();
}

LogicalResult SliceOp::verify() {
  auto in = getInput().getType();
  int64_t rank = in.getRank();
  if ((int64_t)getStarts().size() != rank ||
      (int64_t)getSteps().size() != rank)
    return emitOpError("starts, sizes and steps need one entry per dimension");
  for (int64_t d = 0; d < rank; ++d) {
    int64_t start = getStarts()[d], size = getSizes()[d], step = getSteps()[d];
    if (step == 0)
      return emitOpError("step must be non-zero in dimension ") << d;
    if (size < 0)
      return emitOpError("size must be non-negative in dimension ") << d;
    if (size == 0)
      continue;
    int64_t last = start + (size - 1) * step;
    if (start < 0 || start >= in.getDimSize(d) || last < 0 ||
        last >= in.getDimSize(d))
      return emitOpError("slice reads outside dimension ")
             << d << " of size " << in.getDimSize(d);
  }
  return success();
}

LogicalResult GatherOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor a,
                                         SmallVectorImpl<Type> &results) {
  auto data = getRanked(a.getData()), idx = getRanked(a.getIndices());
  int64_t axis = a.getAxis();
  if (!data || !idx || !isValidAxis(axis, data.getRank()))
    return fail(loc, "gather axis " + Twine(axis) + " is out of range");
  SmallVector<int64_t> out(data.getShape().take_front(axis));
  llvm::append_range(out, idx.getShape());
  llvm::append_range(out, data.getShape().drop_front(axis + 1));
  results.push_back(RankedTensorType::get(out, data.getElementType()));
  return success();
}

LogicalResult ScatterFlatOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor a,
    SmallVectorImpl<Type> &results) {
  auto updates = getRanked(a.getUpdates()), idx = getRanked(a.getIndices());
  if (!updates || !idx || updates.getShape() != idx.getShape())
    return fail(loc, "indices must have the shape of updates");
  if (llvm::any_of(a.getShape(), [](int64_t d) { return d <= 0; }))
    return fail(loc, "shape must be positive");
  results.push_back(
      RankedTensorType::get(a.getShape(), updates.getElementType()));
  return success();
}

LogicalResult PadOp::inferReturnTypes(MLIRContext *,
                                      std::optional<Location> loc, Adaptor a,
                                      SmallVectorImpl<Type> &results) {
  auto in = getRanked(a.getInput());
  ArrayRef<int64_t> pads = a.getPads();
  if (!in || (int64_t)pads.size() != 2 * in.getRank())
    return fail(loc, "pad needs 2 * rank pad amounts");
  SmallVector<int64_t> out;
  for (int64_t d = 0; d < in.getRank(); ++d) {
    if (pads[d] < 0 || pads[d + in.getRank()] < 0)
      return fail(loc, "pad amounts must be non-negative");
    out.push_back(in.getDimSize(d) + pads[d] + pads[d + in.getRank()]);
  }
  results.push_back(RankedTensorType::get(out, in.getElementType()));
  return success();
}

LogicalResult PadOp::verify() {
  StringRef mode = getMode();
  if (mode != "constant" && mode != "reflect" && mode != "edge")
    return emitOpError("unknown pad mode '") << mode << "'";
  auto in = getInput().getType();
  if (mode == "reflect") {
    for (int64_t d = 0; d < in.getRank(); ++d) {
      int64_t lim = in.getDimSize(d) - 1;
      if (getPads()[d] > lim || getPads()[d + in.getRank()] > lim)
        return emitOpError("reflect padding must be smaller than dimension ")
               << d;
    }
  }
  return success();
}

#define GET_OP_CLASSES
#include "npu/Dialect/NPU/IR/NPUOps.cpp.inc"
