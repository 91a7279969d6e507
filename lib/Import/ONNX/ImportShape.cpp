//===- ImportShape.cpp - reshapes, data movement and constants ------------===//
#include "ImporterImpl.h"

using namespace mlir;
using namespace npu;
using namespace npu::onnx_import;

namespace {

/// Axes from the `axes` attribute (old opsets) or input `index` (new ones).
FailureOr<std::optional<SmallVector<int64_t>>>
readAxes(NodeImporter &n, bool fromInput, unsigned index) {
  if (fromInput) {
    if (!n.hasInput(index))
      return std::optional<SmallVector<int64_t>>();
    auto v = n.requireConstInts(index, "axes");
    if (failed(v))
      return failure();
    return std::optional<SmallVector<int64_t>>(*v);
  }
  if (!n.hasAttr("axes"))
    return std::optional<SmallVector<int64_t>>();
  auto v = n.intsAttr("axes", std::nullopt);
  if (failed(v))
    return failure();
  return std::optional<SmallVector<int64_t>>(*v);
}

/// Normalizes and checks a list of distinct axes for `rank`.
LogicalResult normalizeAxes(NodeImporter &n, SmallVectorImpl<int64_t> &axes,
                            int64_t rank) {
  for (int64_t &a : axes) {
    auto norm = n.normalizeAxis(a, rank, "axis");
    if (failed(norm))
      return failure();
    a = *norm;
  }
  SmallVector<int64_t> sorted(axes.begin(), axes.end());
  llvm::sort(sorted);
  for (size_t i = 1; i < sorted.size(); ++i)
    if (sorted[i] == sorted[i - 1])
      return n.error() << "axes contain " << sorted[i] << " twice";
  return success();
}

/// Identity also forwards sequences and optionals (opset 14+).
LogicalResult importIdentity(NodeImporter &n) {
  if (failed(n.checkInputs(1, 1)))
    return failure();
  n.setOutputValue(0, n.inputValue(0));
  return success();
}

LogicalResult setReshaped(NodeImporter &n, ArrayRef<int64_t> shape) {
  if (failed(checkShape(shape, n.inputType(0).getElementType(), n.loc(),
                        "node '" + n.name() + "' (" + n.opType() +
                            "): result shape")))
    return failure();
  auto v = n.reshape(n.input(0), shape);
  if (failed(v))
    return failure();
  n.setOutput(0, *v, n.inputIsUnsigned(0));
  return success();
}

//===----------------------------------------------------------------------===//
// Reshape family
//===----------------------------------------------------------------------===//

LogicalResult importReshape(NodeImporter &n) {
  auto allowZero = n.intAttr("allowzero", 0);
  if (failed(allowZero) || failed(n.checkInputs(2, 2)))
    return failure();
  auto target = n.requireConstInts(1, "shape");
  if (failed(target))
    return failure();
  auto type = n.inputType(0);
  SmallVector<int64_t> shape;
  int64_t inferred = -1, known = 1;
  for (auto [i, d] : llvm::enumerate(*target)) {
    if (d == 0 && !*allowZero) {
      if (int64_t(i) >= type.getRank())
        return n.error() << "target shape " << shapeString(*target)
                         << " copies dimension " << i
                         << ", but the input has rank " << type.getRank();
      d = type.getDimSize(i);
    } else if (d == -1) {
      if (inferred >= 0)
        return n.error() << "target shape " << shapeString(*target)
                         << " has more than one -1";
      inferred = i;
      shape.push_back(1);
      continue;
    } else if (d < 0) {
      return n.error() << "target shape " << shapeString(*target)
                       << " has dimension " << d << " at index " << i
                       << "; negative dimensions other than -1 are invalid";
    }
    shape.push_back(d);
    if (llvm::MulOverflow(known, d, known))
      return n.error() << "target shape " << shapeString(*target)
                       << " is too large";
  }
  int64_t total = type.getNumElements();
  if (inferred >= 0) {
    if (known == 0)
      return n.error() << "target shape " << shapeString(*target)
                       << " has a -1 beside a 0 dimension; the -1 is "
                          "ambiguous";
    if (total % known)
      return n.error() << "cannot reshape " << shapeString(type.getShape())
                       << " into " << shapeString(*target);
    shape[inferred] = total / known;
  } else if (known != total) {
    return n.error() << "cannot reshape " << shapeString(type.getShape())
                     << " (" << total << " elements) into "
                     << shapeString(shape);
  }
  return setReshaped(n, shape);
}

LogicalResult importFlatten(NodeImporter &n) {
  auto axisAttr = n.intAttr("axis", 1);
  if (failed(axisAttr) || failed(n.checkInputs(1, 1)))
    return failure();
  auto axis = n.normalizeAxis(*axisAttr, n.inputType(0).getRank(), "axis",
                              /*inclusive=*/true);
  if (failed(axis))
    return failure();
  auto v = n.create<FlattenOp>(n.input(0), n.b().getI64IntegerAttr(*axis));
  if (failed(v))
    return failure();
  n.setOutput(0, *v, n.inputIsUnsigned(0));
  return success();
}

LogicalResult importUnsqueeze(NodeImporter &n) {
  bool fromInput = n.opset() >= 13;
  if (failed(n.checkInputs(fromInput ? 2 : 1, fromInput ? 2 : 1)))
    return failure();
  auto axes = readAxes(n, fromInput, 1);
  if (failed(axes))
    return failure();
  if (!*axes)
    return n.error() << "axes are required";
  auto type = n.inputType(0);
  int64_t outRank = type.getRank() + (*axes)->size();
  if (failed(normalizeAxes(n, **axes, outRank)))
    return failure();
  SmallVector<int64_t> shape;
  auto dims = type.getShape();
  for (int64_t d = 0, next = 0; d < outRank; ++d)
    shape.push_back(llvm::is_contained(**axes, d) ? 1 : dims[next++]);
  return setReshaped(n, shape);
}

LogicalResult importSqueeze(NodeImporter &n) {
  bool fromInput = n.opset() >= 13;
  if (failed(n.checkInputs(1, fromInput ? 2 : 1)))
    return failure();
  auto axes = readAxes(n, fromInput, 1);
  if (failed(axes))
    return failure();
  auto type = n.inputType(0);
  SmallVector<int64_t> drop;
  if (*axes) {
    drop = **axes;
    if (failed(normalizeAxes(n, drop, type.getRank())))
      return failure();
    for (int64_t a : drop)
      if (type.getDimSize(a) != 1)
        return n.error() << "cannot squeeze dimension " << a << " of size "
                         << type.getDimSize(a);
  } else {
    for (int64_t d = 0; d < type.getRank(); ++d)
      if (type.getDimSize(d) == 1)
        drop.push_back(d);
  }
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (!llvm::is_contained(drop, d))
      shape.push_back(type.getDimSize(d));
  return setReshaped(n, shape);
}

LogicalResult importTranspose(NodeImporter &n) {
  if (failed(n.checkInputs(1, 1)))
    return failure();
  int64_t rank = n.inputType(0).getRank();
  SmallVector<int64_t> reversed;
  for (int64_t d = rank - 1; d >= 0; --d)
    reversed.push_back(d);
  auto perm = n.intsAttr("perm", ArrayRef<int64_t>(reversed));
  if (failed(perm))
    return failure();
  SmallVector<int64_t> sorted(*perm);
  llvm::sort(sorted);
  bool valid = int64_t(sorted.size()) == rank;
  for (int64_t i = 0; valid && i < rank; ++i)
    valid = sorted[i] == i;
  if (!valid)
    return n.attrError("perm") << "must be a permutation of 0.." << rank - 1
                               << ", got " << shapeString(*perm);
  auto v = n.create<TransposeOp>(n.input(0), n.b().getDenseI64ArrayAttr(*perm));
  if (failed(v))
    return failure();
  n.setOutput(0, *v, n.inputIsUnsigned(0));
  return success();
}

//===----------------------------------------------------------------------===//
// Concat, Split, Slice, Gather, Pad, Expand
//===----------------------------------------------------------------------===//

LogicalResult importConcat(NodeImporter &n) {
  auto axisAttr = n.intAttr("axis", std::nullopt);
  if (failed(axisAttr) || failed(n.checkInputs(1, 1u << 16)))
    return failure();
  SmallVector<Value> inputs;
  for (unsigned i = 0; i < n.numInputs(); ++i) {
    if (!n.hasInput(i))
      return n.error() << "input " << i << " is required";
    inputs.push_back(n.input(i));
  }
  auto axis = n.normalizeAxis(*axisAttr, n.inputType(0).getRank(), "axis");
  if (failed(axis))
    return failure();
  auto v = n.create<ConcatOp>(ValueRange(inputs),
                              n.b().getI64IntegerAttr(*axis));
  if (failed(v))
    return failure();
  n.setOutput(0, *v, n.inputIsUnsigned(0));
  return success();
}

LogicalResult importSplit(NodeImporter &n) {
  auto axisAttr = n.intAttr("axis", 0);
  bool fromInput = n.opset() >= 13;
  if (failed(axisAttr) || failed(n.checkInputs(1, fromInput ? 2 : 1)))
    return failure();
  auto type = n.inputType(0);
  auto axis = n.normalizeAxis(*axisAttr, type.getRank(), "axis");
  if (failed(axis))
    return failure();
  int64_t dim = type.getDimSize(*axis), parts = n.numOutputs();
  SmallVector<int64_t> sizes;
  if (fromInput && n.hasInput(1)) {
    auto s = n.requireConstInts(1, "split");
    if (failed(s))
      return failure();
    sizes = *s;
  } else if (!fromInput && n.hasAttr("split")) {
    auto s = n.intsAttr("split", std::nullopt);
    if (failed(s))
      return failure();
    sizes = *s;
  } else {
    if (dim % parts)
      return n.error() << "dimension " << *axis << " of size " << dim
                       << " does not split into " << parts << " equal parts";
    sizes.assign(parts, dim / parts);
  }
  if (int64_t(sizes.size()) != parts)
    return n.error() << "split has " << sizes.size() << " sizes for " << parts
                     << " outputs";
  int64_t total = 0;
  for (int64_t s : sizes) {
    if (s < 0 || s > dim)
      return n.error() << "split sizes " << shapeString(sizes)
                       << " must be non-negative and fit dimension " << *axis
                       << " of size " << dim;
    total += s;
  }
  if (total != dim)
    return n.error() << "split sizes " << shapeString(sizes) << " sum to "
                     << total << ", but dimension " << *axis << " has size "
                     << dim;
  auto op = n.createMulti<SplitOp>(n.input(0), n.b().getI64IntegerAttr(*axis),
                                   n.b().getDenseI64ArrayAttr(sizes));
  if (failed(op))
    return failure();
  for (unsigned i = 0; i < (*op)->getNumResults(); ++i)
    n.setOutput(i, (*op)->getResult(i), n.inputIsUnsigned(0));
  return success();
}

LogicalResult importSlice(NodeImporter &n) {
  SmallVector<int64_t> starts, ends, steps;
  std::optional<SmallVector<int64_t>> axes;
  if (n.opset() < 10) {
    auto s = n.intsAttr("starts", std::nullopt);
    auto e = n.intsAttr("ends", std::nullopt);
    auto a = readAxes(n, false, 0);
    if (failed(s) || failed(e) || failed(a) || failed(n.checkInputs(1, 1)))
      return failure();
    starts = *s;
    ends = *e;
    axes = *a;
  } else {
    if (failed(n.checkInputs(3, 5)))
      return failure();
    auto s = n.requireConstInts(1, "starts");
    if (failed(s))
      return failure();
    auto e = n.requireConstInts(2, "ends");
    if (failed(e))
      return failure();
    auto a = readAxes(n, true, 3);
    if (failed(a))
      return failure();
    starts = *s;
    ends = *e;
    axes = *a;
    if (n.hasInput(4)) {
      auto st = n.requireConstInts(4, "steps");
      if (failed(st))
        return failure();
      steps = *st;
    }
  }
  auto type = n.inputType(0);
  int64_t rank = type.getRank();
  if (!axes) {
    axes.emplace();
    for (int64_t d = 0; d < int64_t(starts.size()); ++d)
      axes->push_back(d);
  }
  if (steps.empty())
    steps.assign(starts.size(), 1);
  if (ends.size() != starts.size() || axes->size() != starts.size() ||
      steps.size() != starts.size())
    return n.error() << "starts, ends, axes and steps must have the same "
                        "length";
  if (failed(normalizeAxes(n, *axes, rank)))
    return failure();
  SmallVector<int64_t> outStarts(rank, 0), sizes(type.getShape()),
      outSteps(rank, 1);
  for (size_t i = 0; i < starts.size(); ++i) {
    int64_t d = (*axes)[i], dim = type.getDimSize(d), step = steps[i];
    if (step == 0)
      return n.error() << "step for axis " << d << " is 0";
    // Clamp as the ONNX spec does; INT64_MAX/MIN mean "to the end".
    int64_t start = starts[i] < 0 ? starts[i] + dim : starts[i];
    int64_t end = ends[i] < 0 ? ends[i] + dim : ends[i];
    int64_t size;
    if (step > 0) {
      start = std::clamp<int64_t>(start, 0, dim);
      end = std::clamp<int64_t>(end, 0, dim);
      size = end > start ? (end - start + step - 1) / step : 0;
    } else {
      start = std::clamp<int64_t>(start, 0, dim - 1);
      end = std::clamp<int64_t>(end, -1, dim - 1);
      size = start > end ? (start - end - step - 1) / -step : 0;
    }
    outStarts[d] = start;
    sizes[d] = size;
    outSteps[d] = step;
  }
  auto &b = n.b();
  auto v = n.create<SliceOp>(n.input(0), b.getDenseI64ArrayAttr(outStarts),
                             b.getDenseI64ArrayAttr(sizes),
                             b.getDenseI64ArrayAttr(outSteps));
  if (failed(v))
    return failure();
  n.setOutput(0, *v, n.inputIsUnsigned(0));
  return success();
}

LogicalResult importGather(NodeImporter &n) {
  auto axisAttr = n.intAttr("axis", 0);
  if (failed(axisAttr) || failed(n.checkInputs(2, 2)))
    return failure();
  auto type = n.inputType(0);
  auto axis = n.normalizeAxis(*axisAttr, type.getRank(), "axis");
  if (failed(axis))
    return failure();
  int64_t dim = type.getDimSize(*axis);
  if (auto idx = readInts(n.constInput(1)))
    for (int64_t i : *idx)
      if (i < -dim || i >= dim)
        return n.error() << "index " << i << " is out of range for axis "
                         << *axis << " of size " << dim;
  auto v = n.create<GatherOp>(n.input(0), n.input(1),
                              n.b().getI64IntegerAttr(*axis));
  if (failed(v))
    return failure();
  n.setOutput(0, *v, n.inputIsUnsigned(0));
  return success();
}

LogicalResult importPad(NodeImporter &n) {
  auto mode = n.stringAttr("mode", StringRef("constant"));
  if (failed(mode))
    return failure();
  if (*mode != "constant" && *mode != "reflect" && *mode != "edge")
    return n.attrError("mode")
           << "must be constant, reflect or edge, got '" << *mode << "'";
  SmallVector<int64_t> pads;
  double value = 0.0;
  if (n.opset() < 11) {
    auto p = n.intsAttr("pads", std::nullopt);
    auto v = n.floatAttr("value", 0.0);
    if (failed(p) || failed(v) || failed(n.checkInputs(1, 1)))
      return failure();
    pads = *p;
    value = *v;
  } else {
    if (failed(n.checkInputs(2, 3)))
      return failure();
    auto p = n.requireConstInts(1, "pads");
    if (failed(p))
      return failure();
    pads = *p;
    if (n.hasInput(2)) {
      auto v = n.requireConstScalar(2, "constant_value");
      if (failed(v))
        return failure();
      value = *v;
    }
  }
  auto type = n.inputType(0);
  int64_t rank = type.getRank();
  if (int64_t(pads.size()) != 2 * rank)
    return n.error() << "pads must have " << 2 * rank << " values, got "
                     << pads.size();
  for (int64_t p : pads)
    if (p <= -(int64_t(1) << 31) || p >= (int64_t(1) << 31))
      return n.error() << "pad amount " << p << " is out of range";
  SmallVector<int64_t> outShape;
  for (int64_t d = 0; d < rank; ++d)
    outShape.push_back(type.getDimSize(d) + pads[d] + pads[d + rank]);
  if (failed(checkShape(outShape, type.getElementType(), n.loc(),
                        "node '" + n.name() + "' (Pad): result shape")))
    return failure();
  Value x = n.input(0);
  // Negative pads crop: slice those away first, then pad the rest.
  if (llvm::any_of(pads, [](int64_t p) { return p < 0; })) {
    SmallVector<int64_t> starts(rank), sizes(rank), steps(rank, 1);
    for (int64_t d = 0; d < rank; ++d) {
      int64_t lo = std::max<int64_t>(0, -pads[d]);
      int64_t hi = std::max<int64_t>(0, -pads[d + rank]);
      starts[d] = lo;
      sizes[d] = type.getDimSize(d) - lo - hi;
      pads[d] = std::max<int64_t>(0, pads[d]);
      pads[d + rank] = std::max<int64_t>(0, pads[d + rank]);
    }
    auto &b = n.b();
    auto s = n.create<SliceOp>(x, b.getDenseI64ArrayAttr(starts),
                               b.getDenseI64ArrayAttr(sizes),
                               b.getDenseI64ArrayAttr(steps));
    if (failed(s))
      return failure();
    x = *s;
  }
  FailureOr<Value> v = x;
  if (llvm::any_of(pads, [](int64_t p) { return p != 0; }))
    v = n.create<PadOp>(x, n.b().getDenseI64ArrayAttr(pads),
                        n.b().getStringAttr(*mode),
                        n.b().getF64FloatAttr(value));
  if (failed(v))
    return failure();
  n.setOutput(0, *v, n.inputIsUnsigned(0));
  return success();
}

/// Expand broadcasts by adding a zero splat of the target shape.
LogicalResult importExpand(NodeImporter &n) {
  if (failed(n.checkInputs(2, 2)))
    return failure();
  auto target = n.requireConstInts(1, "shape");
  if (failed(target))
    return failure();
  auto type = n.inputType(0);
  auto shape = broadcastShapes(type.getShape(), *target);
  if (failed(shape))
    return n.error() << "input shape " << shapeString(type.getShape())
                     << " does not broadcast to " << shapeString(*target);
  if (failed(checkShape(*shape, type.getElementType(), n.loc(),
                        "node '" + n.name() + "' (Expand): result shape")))
    return failure();
  if (ArrayRef<int64_t>(*shape) == type.getShape()) {
    n.setOutput(0, n.input(0), n.inputIsUnsigned(0));
    return success();
  }
  auto zeroType = RankedTensorType::get(*shape, type.getElementType());
  Attribute zero = n.b().getZeroAttr(type.getElementType());
  Value zeros = n.constant(DenseElementsAttr::get(zeroType, zero));
  FailureOr<Value> v = type.getElementType().isInteger(1)
                           ? n.create<MaxOp>(n.input(0), zeros)
                           : n.create<AddOp>(n.input(0), zeros);
  if (failed(v))
    return failure();
  n.setOutput(0, *v, n.inputIsUnsigned(0));
  return success();
}

/// Tile with constant repeats: [d0, d1, ..] is viewed as [1, d0, 1, d1, ..],
/// broadcast to [r0, d0, r1, d1, ..] and flattened pairwise.
LogicalResult importTile(NodeImporter &n) {
  if (failed(n.checkInputs(2, 2)))
    return failure();
  auto repeats = n.requireConstInts(1, "repeats");
  if (failed(repeats))
    return failure();
  auto type = n.inputType(0);
  int64_t rank = type.getRank();
  if (int64_t(repeats->size()) != rank)
    return n.error() << "repeats has " << repeats->size()
                     << " entries for an input of rank " << rank;
  SmallVector<int64_t> split, wide, result;
  for (int64_t d = 0; d < rank; ++d) {
    int64_t r = (*repeats)[d];
    if (r < 0)
      return n.error() << "repeats must be non-negative, got " << r
                       << " for dimension " << d;
    split.append({1, type.getDimSize(d)});
    wide.append({r, type.getDimSize(d)});
    result.push_back(r * type.getDimSize(d));
  }
  if (ArrayRef<int64_t>(result) == type.getShape()) {
    n.setOutput(0, n.input(0), n.inputIsUnsigned(0));
    return success();
  }
  if (failed(checkShape(result, type.getElementType(), n.loc(),
                        "node '" + n.name() + "' (Tile): result shape")))
    return failure();
  auto x = n.reshape(n.input(0), split);
  if (failed(x))
    return failure();
  auto zeroType = RankedTensorType::get(wide, type.getElementType());
  Attribute zero = n.b().getZeroAttr(type.getElementType());
  Value zeros = n.constant(DenseElementsAttr::get(zeroType, zero));
  FailureOr<Value> v = type.getElementType().isInteger(1)
                           ? n.create<MaxOp>(*x, zeros)
                           : n.create<AddOp>(*x, zeros);
  if (succeeded(v))
    v = n.reshape(*v, result);
  if (failed(v))
    return failure();
  n.setOutput(0, *v, n.inputIsUnsigned(0));
  return success();
}

//===----------------------------------------------------------------------===//
// Constants and shapes
//===----------------------------------------------------------------------===//

LogicalResult importConstant(NodeImporter &n) {
  if (failed(n.checkInputs(0, 0)))
    return failure();
  static const char *kinds[] = {"value",        "value_float", "value_floats",
                                "value_int",    "value_ints",  "value_string",
                                "value_strings", "sparse_value"};
  int count = 0;
  for (const char *k : kinds)
    count += n.hasAttr(k);
  if (count != 1)
    return n.error() << "expected exactly one of the value attributes, got "
                     << count;
  MLIRContext *ctx = n.ctx();
  ElementsAttr attr;
  if (n.hasAttr("value")) {
    auto t = n.tensorAttr("value");
    if (failed(t))
      return failure();
    bool isUnsigned = false;
    std::string what =
        ("node '" + n.name() + "' (Constant): attribute 'value'").str();
    auto a = importTensor(**t, n.modelDir(), n.loc(), what, &isUnsigned);
    if (failed(a))
      return failure();
    n.setOutput(0, n.constant(*a), isUnsigned);
    return success();
  }
  auto f32 = Float32Type::get(ctx);
  auto i64 = IntegerType::get(ctx, 64);
  if (n.hasAttr("value_float")) {
    auto v = n.floatAttr("value_float", std::nullopt);
    if (failed(v))
      return failure();
    attr = makeFloatElements(RankedTensorType::get({}, f32), *v, n.blobName());
  } else if (n.hasAttr("value_floats")) {
    auto v = n.floatsAttr("value_floats", std::nullopt);
    if (failed(v))
      return failure();
    attr = makeFloatElements(
        RankedTensorType::get({int64_t(v->size())}, f32), *v, n.blobName());
  } else if (n.hasAttr("value_int")) {
    auto v = n.intAttr("value_int", std::nullopt);
    if (failed(v))
      return failure();
    attr = makeIntElements(RankedTensorType::get({}, i64), *v, n.blobName());
  } else if (n.hasAttr("value_ints")) {
    auto v = n.intsAttr("value_ints", std::nullopt);
    if (failed(v))
      return failure();
    attr = makeIntElements(RankedTensorType::get({int64_t(v->size())}, i64),
                           *v, n.blobName());
  } else {
    return n.error() << "string and sparse constants are not supported";
  }
  if (attr.getShapedType().getNumElements() == 0)
    return n.error() << "empty constants are not supported";
  n.setOutput(0, n.constant(attr));
  return success();
}

LogicalResult importShapeOp(NodeImporter &n) {
  if (failed(n.checkInputs(1, 1)))
    return failure();
  auto dims = n.inputType(0).getShape();
  int64_t rank = dims.size(), start = 0, end = rank;
  if (n.opset() >= 15) {
    auto s = n.intAttr("start", 0);
    auto e = n.intAttr("end", rank);
    if (failed(s) || failed(e))
      return failure();
    // Shape-15 clamps start/end into [0, rank] after adding rank.
    start = std::clamp<int64_t>(*s < 0 ? *s + rank : *s, 0, rank);
    end = std::clamp<int64_t>(*e < 0 ? *e + rank : *e, 0, rank);
  }
  if (end <= start)
    return n.error() << "shape slice [" << start << ", " << end
                     << ") is empty";
  SmallVector<int64_t> values(dims.begin() + start, dims.begin() + end);
  auto type = RankedTensorType::get({end - start}, IntegerType::get(n.ctx(), 64));
  n.setOutput(0, n.constant(makeIntElements(type, values, n.blobName())));
  return success();
}

LogicalResult importSize(NodeImporter &n) {
  if (failed(n.checkInputs(1, 1)))
    return failure();
  auto type = RankedTensorType::get({}, IntegerType::get(n.ctx(), 64));
  n.setOutput(0, n.constant(makeIntElements(
                     type, n.inputType(0).getNumElements(), n.blobName())));
  return success();
}

LogicalResult importConstantOfShape(NodeImporter &n) {
  if (failed(n.checkInputs(1, 1)))
    return failure();
  auto shape = n.requireConstInts(0, "input");
  auto value = n.tensorAttr("value");
  if (failed(shape) || failed(value))
    return failure();
  Type et = Float32Type::get(n.ctx());
  Attribute elem = FloatAttr::get(et, 0.0);
  bool isUnsigned = false;
  if (*value) {
    auto v = importTensor(**value, n.modelDir(), n.loc(),
                          "node '" + n.name() +
                              "' (ConstantOfShape): attribute 'value'",
                          &isUnsigned);
    if (failed(v))
      return failure();
    if (v->getShapedType().getNumElements() != 1)
      return n.attrError("value") << "must hold exactly one element";
    et = v->getElementType();
    elem = cast<DenseElementsAttr>(*v).getValues<Attribute>()[0];
  }
  if (failed(checkShape(*shape, et, n.loc(),
                        "node '" + n.name() + "' (ConstantOfShape): shape")))
    return failure();
  // A splat stores one element however large the tensor is.
  n.setOutput(0,
              n.constant(DenseElementsAttr::get(
                  RankedTensorType::get(*shape, et), elem)),
              isUnsigned);
  return success();
}

} // namespace

void npu::onnx_import::addShapeHandlers(OpRegistry &r) {
  r.add("Identity", 1, 17, importIdentity, /*takesNonTensors=*/true);
  r.add("Reshape", 5, 17, importReshape);
  r.add("Flatten", 1, 17, importFlatten);
  r.add("Unsqueeze", 1, 17, importUnsqueeze);
  r.add("Squeeze", 1, 17, importSqueeze);
  r.add("Transpose", 1, 17, importTranspose);
  r.add("Concat", 4, 17, importConcat);
  r.add("Split", 2, 17, importSplit);
  r.add("Slice", 1, 17, importSlice);
  r.add("Gather", 1, 17, importGather);
  r.add("Pad", 2, 17, importPad);
  r.add("Expand", 8, 17, importExpand);
  r.add("Tile", 6, 17, importTile);
  r.add("Constant", 1, 17, importConstant);
  r.add("Shape", 1, 17, importShapeOp);
  r.add("Size", 1, 17, importSize);
  r.add("ConstantOfShape", 9, 17, importConstantOfShape);
}
