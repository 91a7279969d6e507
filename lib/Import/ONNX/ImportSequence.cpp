//===- ImportSequence.cpp - ONNX sequence and optional ops ----------------===//
//
// Sequences and optionals never reach the npu dialect: a sequence is a list
// of tensor values whose length is known at compile time, an optional is
// the value it holds or None (see TensorValue). These handlers rearrange
// those lists; only SplitToSequence and ConcatFromSequence create ops.
//
//===----------------------------------------------------------------------===//
#include "ImporterImpl.h"

using namespace mlir;
using namespace npu;
using namespace npu::onnx_import;

namespace {

FailureOr<const SequenceValue *> sequenceInput(NodeImporter &n, unsigned i) {
  if (!n.hasInput(i) || !n.inputValue(i).sequence)
    return n.error() << "input " << i << " ('" << n.inputName(i)
                     << "') must be a sequence";
  return n.inputValue(i).sequence.get();
}

/// A plain tensor input of the sequence's element type.
LogicalResult checkElement(NodeImporter &n, unsigned i,
                           const SequenceValue &seq) {
  const TensorValue &v = n.inputValue(i);
  if (v.isNonTensor())
    return n.error() << "input " << i << " ('" << n.inputName(i)
                     << "') must be a tensor";
  Type et = n.inputType(i).getElementType();
  if (seq.elementType && et != seq.elementType)
    return n.error() << "tensor of element type " << et
                     << " cannot join a sequence of " << seq.elementType;
  return success();
}

void setSequence(NodeImporter &n, SmallVector<TensorValue> elements,
                 Type elementType) {
  auto seq = std::make_shared<SequenceValue>();
  seq->elements = std::move(elements);
  seq->elementType = elementType;
  TensorValue v;
  v.sequence = std::move(seq);
  n.setOutputValue(0, std::move(v));
}

/// Constant position input i for a sequence of `len` elements, normalized
/// from [-len, len) (or [-len, len] for insertion) to [0, len].
FailureOr<int64_t> position(NodeImporter &n, unsigned i, int64_t len,
                            bool forInsert) {
  auto pos = n.requireConstInts(i, "position");
  if (failed(pos))
    return failure();
  if (pos->size() != 1)
    return n.error() << "position must be a scalar";
  int64_t p = pos->front(), hi = forInsert ? len : len - 1;
  if (p < -len || p > hi)
    return n.error() << "position " << p << " is out of range for a sequence "
                     << "of length " << len;
  return p < 0 ? p + len : p;
}

Value i64Scalar(NodeImporter &n, int64_t v) {
  auto type = RankedTensorType::get({}, n.b().getI64Type());
  return n.constant(makeIntElements(type, {v}, n.blobName()));
}

//===----------------------------------------------------------------------===//
// Sequence ops
//===----------------------------------------------------------------------===//

LogicalResult importSequenceEmpty(NodeImporter &n) {
  auto dtype = n.intAttr("dtype", onnx::TensorProto::FLOAT);
  if (failed(dtype) || failed(n.checkInputs(0, 0)))
    return failure();
  Type et = convertDataType(*dtype, n.ctx());
  if (!et)
    return n.attrError("dtype")
           << "names unsupported type " << dataTypeName(*dtype);
  setSequence(n, {}, et);
  return success();
}

LogicalResult importSequenceConstruct(NodeImporter &n) {
  if (failed(n.checkInputs(1, 1u << 16)))
    return failure();
  SequenceValue seq;
  for (unsigned i = 0; i < n.numInputs(); ++i) {
    if (!n.hasInput(i))
      return n.error() << "input " << i << " is required";
    if (failed(checkElement(n, i, seq)))
      return failure();
    seq.elementType = n.inputType(i).getElementType();
    seq.elements.push_back(n.inputValue(i));
  }
  setSequence(n, std::move(seq.elements), seq.elementType);
  return success();
}

LogicalResult importSequenceInsert(NodeImporter &n) {
  if (failed(n.checkInputs(2, 3)))
    return failure();
  auto seq = sequenceInput(n, 0);
  if (failed(seq) || failed(checkElement(n, 1, **seq)))
    return failure();
  int64_t len = (*seq)->elements.size(), at = len;
  if (n.hasInput(2)) {
    auto p = position(n, 2, len, /*forInsert=*/true);
    if (failed(p))
      return failure();
    at = *p;
  }
  SmallVector<TensorValue> elements = (*seq)->elements;
  elements.insert(elements.begin() + at, n.inputValue(1));
  setSequence(n, std::move(elements), (*seq)->elementType);
  return success();
}

LogicalResult importSequenceAt(NodeImporter &n) {
  if (failed(n.checkInputs(2, 2)))
    return failure();
  auto seq = sequenceInput(n, 0);
  if (failed(seq))
    return failure();
  auto at = position(n, 1, (*seq)->elements.size(), /*forInsert=*/false);
  if (failed(at))
    return failure();
  n.setOutputValue(0, (*seq)->elements[*at]);
  return success();
}

LogicalResult importSequenceErase(NodeImporter &n) {
  if (failed(n.checkInputs(1, 2)))
    return failure();
  auto seq = sequenceInput(n, 0);
  if (failed(seq))
    return failure();
  int64_t len = (*seq)->elements.size();
  if (len == 0)
    return n.error() << "cannot erase from an empty sequence";
  int64_t at = len - 1;
  if (n.hasInput(1)) {
    auto p = position(n, 1, len, /*forInsert=*/false);
    if (failed(p))
      return failure();
    at = *p;
  }
  SmallVector<TensorValue> elements = (*seq)->elements;
  elements.erase(elements.begin() + at);
  setSequence(n, std::move(elements), (*seq)->elementType);
  return success();
}

LogicalResult importSequenceLength(NodeImporter &n) {
  if (failed(n.checkInputs(1, 1)))
    return failure();
  auto seq = sequenceInput(n, 0);
  if (failed(seq))
    return failure();
  n.setOutput(0, i64Scalar(n, (*seq)->elements.size()));
  return success();
}

LogicalResult importSplitToSequence(NodeImporter &n) {
  auto axisAttr = n.intAttr("axis", 0);
  auto keepDims = n.intAttr("keepdims", 1);
  if (failed(axisAttr) || failed(keepDims) || failed(n.checkInputs(1, 2)))
    return failure();
  if (n.inputValue(0).isNonTensor())
    return n.error() << "input 0 ('" << n.inputName(0)
                     << "') must be a tensor";
  auto type = n.inputType(0);
  auto axis = n.normalizeAxis(*axisAttr, type.getRank(), "axis");
  if (failed(axis))
    return failure();
  int64_t dim = type.getDimSize(*axis);
  SmallVector<int64_t> sizes;
  bool squeeze = false;
  if (!n.hasInput(1)) {
    sizes.assign(dim, 1);
    squeeze = *keepDims == 0;
  } else {
    auto split = n.requireConstInts(1, "split");
    if (failed(split))
      return failure();
    if (n.inputType(1).getRank() == 0) {
      int64_t chunk = split->front();
      if (chunk <= 0)
        return n.error() << "split " << chunk << " must be positive";
      for (int64_t at = 0; at < dim; at += chunk)
        sizes.push_back(std::min(chunk, dim - at));
    } else {
      sizes = *split;
      int64_t total = 0;
      for (int64_t s : sizes) {
        if (s < 0)
          return n.error() << "split sizes " << shapeString(sizes)
                           << " must not be negative";
        total += s;
      }
      if (total != dim)
        return n.error() << "split sizes " << shapeString(sizes)
                         << " sum to " << total << ", but dimension " << *axis
                         << " has size " << dim;
    }
  }
  auto op = n.createMulti<SplitOp>(n.input(0), n.b().getI64IntegerAttr(*axis),
                                   n.b().getDenseI64ArrayAttr(sizes));
  if (failed(op))
    return failure();
  SmallVector<int64_t> squeezed(type.getShape());
  squeezed.erase(squeezed.begin() + *axis);
  SmallVector<TensorValue> elements;
  for (Value piece : (*op)->getResults()) {
    if (squeeze) {
      auto v = n.reshape(piece, squeezed);
      if (failed(v))
        return failure();
      piece = *v;
    }
    elements.push_back({piece, n.inputIsUnsigned(0)});
  }
  setSequence(n, std::move(elements), type.getElementType());
  return success();
}

LogicalResult importConcatFromSequence(NodeImporter &n) {
  auto axisAttr = n.intAttr("axis", std::nullopt);
  auto newAxis = n.intAttr("new_axis", 0);
  if (failed(axisAttr) || failed(newAxis) || failed(n.checkInputs(1, 1)))
    return failure();
  if (*newAxis != 0 && *newAxis != 1)
    return n.attrError("new_axis") << "must be 0 or 1, got " << *newAxis;
  auto seq = sequenceInput(n, 0);
  if (failed(seq))
    return failure();
  if ((*seq)->elements.empty())
    return n.error() << "cannot concatenate an empty sequence";
  auto first = cast<RankedTensorType>((*seq)->elements[0].value.getType());
  // With new_axis the result has one more dimension for `axis` to name.
  auto axis = n.normalizeAxis(*axisAttr, first.getRank() + *newAxis, "axis");
  if (failed(axis))
    return failure();
  SmallVector<Value> inputs;
  for (const TensorValue &e : (*seq)->elements) {
    Value v = e.value;
    if (*newAxis) {
      SmallVector<int64_t> shape(
          cast<RankedTensorType>(v.getType()).getShape());
      shape.insert(shape.begin() + *axis, 1);
      auto r = n.reshape(v, shape);
      if (failed(r))
        return failure();
      v = *r;
    }
    inputs.push_back(v);
  }
  auto v = n.create<ConcatOp>(ValueRange(inputs),
                              n.b().getI64IntegerAttr(*axis));
  if (failed(v))
    return failure();
  n.setOutput(0, *v, (*seq)->elements[0].isUnsigned);
  return success();
}

//===----------------------------------------------------------------------===//
// Optional ops
//===----------------------------------------------------------------------===//

LogicalResult importOptional(NodeImporter &n) {
  if (failed(n.checkInputs(0, 1)))
    return failure();
  if (!n.hasInput(0) && !n.hasAttr("type"))
    return n.error() << "an empty optional needs the 'type' attribute";
  n.ignoreAttr("type");
  TensorValue v = n.hasInput(0) ? n.inputValue(0) : TensorValue();
  if (v.isOptional)
    return n.error() << "input 0 ('" << n.inputName(0)
                     << "') is already an optional";
  v.isOptional = true;
  n.setOutputValue(0, std::move(v));
  return success();
}

LogicalResult importOptionalHasElement(NodeImporter &n) {
  if (failed(n.checkInputs(1, 1)))
    return failure();
  bool has = !n.inputValue(0).isNone();
  auto type = RankedTensorType::get({}, n.b().getI1Type());
  n.setOutput(0, n.constant(makeIntElements(type, {has}, n.blobName())));
  return success();
}

LogicalResult importOptionalGetElement(NodeImporter &n) {
  if (failed(n.checkInputs(1, 1)))
    return failure();
  TensorValue v = n.inputValue(0);
  if (v.isNone())
    return n.error() << "input 0 ('" << n.inputName(0)
                     << "') is an empty optional";
  v.isOptional = false;
  n.setOutputValue(0, std::move(v));
  return success();
}

} // namespace

void npu::onnx_import::addSequenceHandlers(OpRegistry &r) {
  constexpr bool kAny = true;
  r.add("SequenceEmpty", 11, 17, importSequenceEmpty, kAny);
  r.add("SequenceConstruct", 11, 17, importSequenceConstruct, kAny);
  r.add("SequenceInsert", 11, 17, importSequenceInsert, kAny);
  r.add("SequenceAt", 11, 17, importSequenceAt, kAny);
  r.add("SequenceErase", 11, 17, importSequenceErase, kAny);
  r.add("SequenceLength", 11, 17, importSequenceLength, kAny);
  r.add("SplitToSequence", 11, 17, importSplitToSequence, kAny);
  r.add("ConcatFromSequence", 11, 17, importConcatFromSequence, kAny);
  r.add("Optional", 15, 17, importOptional, kAny);
  r.add("OptionalHasElement", 15, 17, importOptionalHasElement, kAny);
  r.add("OptionalGetElement", 15, 17, importOptionalGetElement, kAny);
}

//===----------------------------------------------------------------------===//
// Sequence and optional graph inputs
//===----------------------------------------------------------------------===//

TensorValue
GraphInputPlan::assemble(llvm::ArrayRef<BlockArgument> values) const {
  TensorValue v;
  v.isOptional = isOptional;
  if (isSequence) {
    auto seq = std::make_shared<SequenceValue>();
    seq->elementType = elementType;
    for (auto [arg, value] : llvm::zip(args, values))
      seq->elements.push_back({value, arg.isUnsigned});
    v.sequence = std::move(seq);
  } else if (!args.empty()) {
    v.value = values.front();
    v.isUnsigned = args.front().isUnsigned;
  }
  return v;
}

FailureOr<GraphInputPlan>
npu::onnx_import::planGraphInput(const onnx::ValueInfoProto &input,
                                 const ONNXImportOptions &opts, Location loc,
                                 TensorTypeFn tensorType) {
  const std::string &name = input.name();
  GraphInputPlan plan;
  const onnx::TypeProto *type = &input.type();
  if (type->has_optional_type()) {
    plan.isOptional = true;
    if (opts.noneInputs.contains(name))
      return plan;
    type = &type->optional_type().elem_type();
  } else if (opts.noneInputs.contains(name)) {
    return emitError(loc) << "graph input '" << name
                          << "' is not an optional; it cannot be none";
  }
  if (type->has_tensor_type()) {
    GraphInputArg arg{name, {}, false};
    if (failed(tensorType(name, type->tensor_type(), arg.type,
                          arg.isUnsigned)))
      return failure();
    plan.args.push_back(arg);
    return plan;
  }
  if (!type->has_sequence_type() ||
      !type->sequence_type().elem_type().has_tensor_type())
    return emitError(loc) << "graph input '" << name
                          << "' is not a tensor, a sequence of tensors or an "
                             "optional of those; maps and sparse tensors are "
                             "not supported";
  // A sequence's length and element shapes are fixed at compile time.
  plan.isSequence = true;
  const onnx::TypeProto_Tensor &elem =
      type->sequence_type().elem_type().tensor_type();
  auto shapes = opts.sequenceShapes.find(name);
  if (shapes == opts.sequenceShapes.end())
    return emitError(loc)
           << "sequence graph input '" << name
           << "' needs its element shapes at compile time: pass "
              "--input-shape="
           << name << ":[D0xD1,...] (ONNXImportOptions::sequenceShapes)";
  plan.elementType = convertDataType(elem.elem_type(), loc.getContext());
  if (!plan.elementType)
    return emitError(loc) << "sequence graph input '" << name
                          << "' has unsupported element type "
                          << dataTypeName(elem.elem_type());
  for (const auto &[k, shape] : llvm::enumerate(shapes->second)) {
    if (elem.has_shape()) {
      const auto &dims = elem.shape().dim();
      bool fits = dims.size() == int(shape.size());
      for (int i = 0; fits && i < dims.size(); ++i)
        fits = !dims[i].has_dim_value() || dims[i].dim_value() == shape[i];
      if (!fits)
        return emitError(loc) << "element " << k << " shape "
                              << shapeString(shape) << " of sequence input '"
                              << name << "' does not fit the declared shape";
    }
    // Type each element as a tensor input of the given shape.
    onnx::TypeProto_Tensor tt;
    tt.set_elem_type(elem.elem_type());
    tt.mutable_shape(); // rank 0 has a shape with no dims
    for (int64_t d : shape)
      tt.mutable_shape()->add_dim()->set_dim_value(d);
    GraphInputArg arg{name + "." + std::to_string(k), {}, false};
    if (failed(tensorType(arg.name, tt, arg.type, arg.isUnsigned)))
      return failure();
    plan.args.push_back(arg);
  }
  return plan;
}
