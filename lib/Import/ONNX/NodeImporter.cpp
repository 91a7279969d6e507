//===- NodeImporter.cpp - per-node inputs, attributes and op creation -----===//
#include "ImporterImpl.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace npu::onnx_import;
using onnx::AttributeProto;

int npu::onnx_import::attrType(const AttributeProto &a) {
  if (a.type() != AttributeProto::UNDEFINED)
    return a.type();
  // IR version 1 models may leave `type` unset; infer it from the payload.
  if (a.has_f())
    return AttributeProto::FLOAT;
  if (a.has_i())
    return AttributeProto::INT;
  if (a.has_s())
    return AttributeProto::STRING;
  if (a.has_t())
    return AttributeProto::TENSOR;
  if (a.has_g())
    return AttributeProto::GRAPH;
  if (a.floats_size())
    return AttributeProto::FLOATS;
  if (a.ints_size())
    return AttributeProto::INTS;
  if (a.strings_size())
    return AttributeProto::STRINGS;
  if (a.tensors_size())
    return AttributeProto::TENSORS;
  if (a.graphs_size())
    return AttributeProto::GRAPHS;
  return AttributeProto::UNDEFINED;
}

StringRef npu::onnx_import::attrTypeName(int type) {
  switch (type) {
  case AttributeProto::FLOAT:
    return "float";
  case AttributeProto::INT:
    return "int";
  case AttributeProto::STRING:
    return "string";
  case AttributeProto::TENSOR:
    return "tensor";
  case AttributeProto::GRAPH:
    return "graph";
  case AttributeProto::FLOATS:
    return "floats";
  case AttributeProto::INTS:
    return "ints";
  case AttributeProto::STRINGS:
    return "strings";
  case AttributeProto::TENSORS:
    return "tensors";
  case AttributeProto::GRAPHS:
    return "graphs";
  case AttributeProto::SPARSE_TENSOR:
    return "sparse_tensor";
  case AttributeProto::SPARSE_TENSORS:
    return "sparse_tensors";
  case AttributeProto::TYPE_PROTO:
    return "type_proto";
  case AttributeProto::TYPE_PROTOS:
    return "type_protos";
  default:
    return "undefined";
  }
}

NodeImporter::NodeImporter(const onnx::NodeProto &node, StringRef name,
                           int64_t opset, Location loc, StringRef modelDir,
                           OpBuilder &builder,
                           ArrayRef<TensorValue> inputs,
                           llvm::StringMap<TensorValue> &values,
                           const llvm::StringMap<unsigned> &useCounts,
                           SubgraphImporter *subgraphs)
    : node(node), nodeName(name.str()), opsetVersion(opset), location(loc),
      modelDirectory(modelDir), builder(builder), inputs(inputs.begin(), inputs.end()), values(values),
      useCounts(useCounts), subgraphs(subgraphs) {
  while (!this->inputs.empty() && !this->inputs.back())
    this->inputs.pop_back();
  for (const AttributeProto &a : node.attribute())
    attrs.try_emplace(a.name(), &a);
}

InFlightDiagnostic NodeImporter::error() {
  return emitError(location) << "node '" << nodeName << "' (" << opType()
                             << "): ";
}

InFlightDiagnostic NodeImporter::attrError(StringRef attr) {
  return error() << "attribute '" << attr << "' ";
}

StringRef NodeImporter::inputName(unsigned i) const {
  return i < unsigned(node.input_size()) ? StringRef(node.input(i))
                                         : StringRef();
}

LogicalResult NodeImporter::checkInputs(unsigned min, unsigned max) {
  if (numInputs() < min || numInputs() > max) {
    auto diag = error() << "expected ";
    if (min == max)
      diag << min;
    else
      diag << min << " to " << max;
    return diag << " inputs, got " << numInputs();
  }
  for (unsigned i = 0; i < min; ++i)
    if (!hasInput(i))
      return error() << "input " << i << " is required";
  return success();
}

ElementsAttr NodeImporter::constInput(unsigned i) const {
  if (!hasInput(i))
    return {};
  if (auto c = input(i).getDefiningOp<npu::ConstantOp>())
    return c.getValue();
  return {};
}

/// The graph inputs (function arguments) that `v` is computed from, when
/// all of them are scalars or 1-D integer tensors (sizes, counts, shapes,
/// Range's float start/limit/delta) and at most `maxOps` ops lie between;
/// empty otherwise (also inside If/Loop bodies, whose arguments are not
/// graph inputs).
static SmallVector<BlockArgument> parameterSources(Value v,
                                                   unsigned maxOps = 64) {
  SmallVector<BlockArgument> args;
  SmallVector<Value> work{v};
  llvm::SmallPtrSet<Operation *, 16> seen;
  while (!work.empty()) {
    Value x = work.pop_back_val();
    if (auto arg = dyn_cast<BlockArgument>(x)) {
      auto type = dyn_cast<RankedTensorType>(arg.getType());
      if (!isa_and_present<func::FuncOp>(arg.getOwner()->getParentOp()) ||
          !type || type.getRank() > 1 ||
          (type.getRank() == 1 && !isa<IntegerType>(type.getElementType())))
        return {};
      if (!llvm::is_contained(args, arg))
        args.push_back(arg);
      continue;
    }
    Operation *op = x.getDefiningOp();
    if (!op || op->getNumRegions() || !seen.insert(op).second)
      continue;
    if (seen.size() > maxOps)
      return {};
    llvm::append_range(work, op->getOperands());
  }
  return args;
}

std::string NodeImporter::bindHint(unsigned i) const {
  auto arg = dyn_cast_or_null<BlockArgument>(input(i));
  if (arg && isa_and_present<func::FuncOp>(arg.getOwner()->getParentOp())) {
    std::string name = inputName(i).str();
    return "; bind graph input '" + name +
           "' at compile time with --bind-input " + name + "=FILE";
  }
  // A value computed from parameter-like graph inputs (Cast(size) in the
  // body of a window function, say): suggest binding those.
  if (!hasInput(i) || !input(i).getDefiningOp())
    return "";
  std::string hint;
  for (BlockArgument a : parameterSources(input(i))) {
    auto func = cast<func::FuncOp>(a.getOwner()->getParentOp());
    auto name = func.getArgAttrOfType<StringAttr>(a.getArgNumber(), "npu.name");
    if (!name)
      return "";
    hint += (hint.empty() ? "; it is computed from graph input '"
                          : "; and from graph input '") +
            name.str() + "': bind it at compile time with --bind-input " +
            name.str() + "=FILE";
  }
  return hint;
}

FailureOr<SmallVector<int64_t>>
NodeImporter::requireConstInts(unsigned i, StringRef what) {
  ElementsAttr attr = constInput(i);
  if (!attr)
    return error() << "input '" << what << "' ('" << inputName(i)
                   << "') must be a constant; only static shapes are "
                      "supported"
                   << bindHint(i);
  auto ints = readInts(attr, kMaxFoldElements, inputIsUnsigned(i));
  if (!ints)
    return error() << "input '" << what
                   << "' must be a small integer tensor, got "
                   << attr.getShapedType();
  return *ints;
}

FailureOr<double> NodeImporter::requireConstScalar(unsigned i,
                                                   StringRef what) {
  ElementsAttr attr = constInput(i);
  if (!attr)
    return error() << "input '" << what << "' ('" << inputName(i)
                   << "') must be a constant" << bindHint(i);
  auto v = readFloats(attr, 1);
  if (!v || v->size() != 1)
    return error() << "input '" << what << "' must be a scalar, got "
                   << attr.getShapedType();
  return v->front();
}

LogicalResult NodeImporter::rejectUnsignedInputs() {
  for (unsigned i = 0; i < numInputs(); ++i)
    if (inputIsUnsigned(i))
      return error() << "unsigned integer input '" << inputName(i)
                     << "' is not supported by this operator";
  return success();
}

bool NodeImporter::isOutputUsed(unsigned i) const {
  if (i >= numOutputs() || node.output(i).empty())
    return false;
  auto it = useCounts.find(node.output(i));
  return it != useCounts.end() && it->second > 0;
}

LogicalResult NodeImporter::rejectUsedOutputs(unsigned first, StringRef what) {
  for (unsigned i = first; i < numOutputs(); ++i)
    if (isOutputUsed(i))
      return error() << "output " << i << " ('" << node.output(i)
                     << "') is used, but " << what;
  return success();
}

void NodeImporter::setOutput(unsigned i, Value v, bool isUnsigned) {
  if (i >= numOutputs() || node.output(i).empty())
    return;
  setOutputValue(i, TensorValue{v, isUnsigned});
}

void NodeImporter::setOutputValue(unsigned i, TensorValue v) {
  if (i >= numOutputs() || node.output(i).empty())
    return;
  if (v.value)
    v.value = replaceIfEmpty(v.value);
  values[node.output(i)] = std::move(v);
  setOutputs.insert(i);
}

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

const AttributeProto *NodeImporter::lookupAttr(StringRef name) {
  usedAttrs.insert(name);
  auto it = attrs.find(name);
  return it == attrs.end() ? nullptr : it->second;
}

namespace {
/// Checks the type of an attribute, reporting "must be an X, got Y".
struct AttrTypeCheck {
  static bool accepts(int want, int got) {
    // Exporters occasionally write integral floats as ints.
    return want == got ||
           (want == AttributeProto::FLOAT && got == AttributeProto::INT) ||
           (want == AttributeProto::FLOATS && got == AttributeProto::INTS);
  }
};
} // namespace

#define NPU_CHECK_ATTR_TYPE(A, WANT)                                           \
  do {                                                                         \
    if (!(A).ref_attr_name().empty())                                          \
      return attrError(name) << "refers to a function attribute, which is "   \
                                "only valid inside functions";                 \
    if (!AttrTypeCheck::accepts(WANT, attrType(A)))                            \
      return attrError(name) << "must be of type " << attrTypeName(WANT)       \
                             << ", got " << attrTypeName(attrType(A));         \
  } while (0)

FailureOr<int64_t> NodeImporter::intAttr(StringRef name,
                                         std::optional<int64_t> dflt) {
  const AttributeProto *a = lookupAttr(name);
  if (!a) {
    if (!dflt)
      return attrError(name) << "is required";
    return *dflt;
  }
  NPU_CHECK_ATTR_TYPE(*a, AttributeProto::INT);
  return a->i();
}

FailureOr<double> NodeImporter::floatAttr(StringRef name,
                                          std::optional<double> dflt) {
  const AttributeProto *a = lookupAttr(name);
  if (!a) {
    if (!dflt)
      return attrError(name) << "is required";
    return *dflt;
  }
  NPU_CHECK_ATTR_TYPE(*a, AttributeProto::FLOAT);
  return attrType(*a) == AttributeProto::INT ? double(a->i()) : double(a->f());
}

FailureOr<std::string> NodeImporter::stringAttr(StringRef name,
                                                std::optional<StringRef> dflt) {
  const AttributeProto *a = lookupAttr(name);
  if (!a) {
    if (!dflt)
      return attrError(name) << "is required";
    return dflt->str();
  }
  NPU_CHECK_ATTR_TYPE(*a, AttributeProto::STRING);
  return a->s();
}

FailureOr<SmallVector<int64_t>>
NodeImporter::intsAttr(StringRef name, std::optional<ArrayRef<int64_t>> dflt) {
  const AttributeProto *a = lookupAttr(name);
  if (!a) {
    if (!dflt)
      return attrError(name) << "is required";
    return SmallVector<int64_t>(dflt->begin(), dflt->end());
  }
  NPU_CHECK_ATTR_TYPE(*a, AttributeProto::INTS);
  return SmallVector<int64_t>(a->ints().begin(), a->ints().end());
}

FailureOr<SmallVector<double>>
NodeImporter::floatsAttr(StringRef name, std::optional<ArrayRef<double>> dflt) {
  const AttributeProto *a = lookupAttr(name);
  if (!a) {
    if (!dflt)
      return attrError(name) << "is required";
    return SmallVector<double>(dflt->begin(), dflt->end());
  }
  NPU_CHECK_ATTR_TYPE(*a, AttributeProto::FLOATS);
  if (attrType(*a) == AttributeProto::INTS)
    return SmallVector<double>(a->ints().begin(), a->ints().end());
  return SmallVector<double>(a->floats().begin(), a->floats().end());
}

FailureOr<const onnx::TensorProto *>
NodeImporter::tensorAttr(StringRef name) {
  const AttributeProto *a = lookupAttr(name);
  if (!a)
    return static_cast<const onnx::TensorProto *>(nullptr);
  NPU_CHECK_ATTR_TYPE(*a, AttributeProto::TENSOR);
  return &a->t();
}

FailureOr<const onnx::GraphProto *> NodeImporter::graphAttr(StringRef name) {
  const AttributeProto *a = lookupAttr(name);
  if (!a)
    return attrError(name) << "is required";
  NPU_CHECK_ATTR_TYPE(*a, AttributeProto::GRAPH);
  return &a->g();
}

#undef NPU_CHECK_ATTR_TYPE

FailureOr<SmallVector<TensorValue>>
NodeImporter::importSubgraph(StringRef attr, ArrayRef<TensorValue> args) {
  auto graph = graphAttr(attr);
  if (failed(graph))
    return failure();
  if (!subgraphs)
    return attrError(attr) << "holds a subgraph, which cannot be imported "
                              "here";
  return subgraphs->importSubgraph(*this, attr, **graph, args);
}

FailureOr<SmallVector<int64_t>>
NodeImporter::intsAttrOfLength(StringRef name, size_t len, int64_t dflt,
                               bool (*pred)(int64_t), StringRef predText) {
  SmallVector<int64_t> fallback(len, dflt);
  auto v = intsAttr(name, ArrayRef<int64_t>(fallback));
  if (failed(v))
    return failure();
  if (v->size() != len)
    return attrError(name) << "must have " << len << " values, got "
                           << v->size();
  for (int64_t x : *v)
    if (!pred(x))
      return attrError(name) << "values must be " << predText << ", got "
                             << shapeString(*v);
  return v;
}

LogicalResult NodeImporter::checkUnknownAttrs() {
  for (const AttributeProto &a : node.attribute())
    if (!usedAttrs.contains(a.name()))
      return attrError(a.name())
             << "is not supported (unknown attribute for opset "
             << opsetVersion << ")";
  if (attrs.size() != size_t(node.attribute_size()))
    return error() << "has duplicate attributes";
  return success();
}

//===----------------------------------------------------------------------===//
// Building
//===----------------------------------------------------------------------===//

FailureOr<int64_t> NodeImporter::normalizeAxis(int64_t axis, int64_t rank,
                                               StringRef what,
                                               bool inclusive) {
  // Inclusive axes (Flatten) may also name the position after the last
  // dimension; negative ones still count from `rank`.
  int64_t hi = inclusive ? rank : rank - 1;
  if (axis < -rank || axis > hi)
    return error() << what << " " << axis << " is out of range for rank "
                   << rank;
  return axis < 0 ? axis + rank : axis;
}

/// Collects the first diagnostic raised while `fn` runs instead of printing
/// it, so it can be re-issued with the node's name in its text.
static LogicalResult captureDiagnostics(MLIRContext *ctx, std::string &msg,
                                        function_ref<LogicalResult()> fn) {
  ScopedDiagnosticHandler handler(ctx, [&](Diagnostic &d) {
    if (msg.empty() && d.getSeverity() == DiagnosticSeverity::Error)
      msg = d.str();
    return success();
  });
  return fn();
}

LogicalResult NodeImporter::inferTypes(
    OperationState &state,
    function_ref<LogicalResult(std::optional<Location>)> infer) {
  std::string msg;
  if (succeeded(captureDiagnostics(ctx(), msg,
                                   [&] { return infer(location); })))
    return success();
  return error() << "cannot build " << state.name << ": "
                 << (msg.empty() ? "type inference failed" : msg);
}

FailureOr<Operation *> NodeImporter::finishBuild(OperationState &state) {
  Operation *op = builder.create(state);
  std::string msg;
  if (failed(captureDiagnostics(ctx(), msg, [&] {
        return mlir::verify(op, /*verifyRecursively=*/false);
      }))) {
    op->erase();
    return error() << "invalid " << state.name << ": " << msg;
  }
  return op;
}

FailureOr<Value> NodeImporter::finishSingle(Operation *op) {
  if (Value folded = tryFoldIntOp(op, builder, blobName())) {
    op->erase();
    return folded;
  }
  Value empty = replaceIfEmpty(op->getResult(0));
  if (empty != op->getResult(0))
    op->erase();
  return empty;
}

Value NodeImporter::replaceIfEmpty(Value v) {
  auto type = cast<RankedTensorType>(v.getType());
  if (type.getNumElements() != 0 || v.getDefiningOp<npu::ConstantOp>())
    return v;
  return constant(DenseElementsAttr::get(type, ArrayRef<Attribute>()));
}

Value NodeImporter::constant(ElementsAttr value) {
  return builder.create<npu::ConstantOp>(location, value.getShapedType(),
                                         value);
}

Value NodeImporter::scalar(Type elementType, double v) {
  auto type = RankedTensorType::get({}, elementType);
  if (isa<FloatType>(elementType))
    return constant(makeFloatElements(type, v, blobName()));
  return constant(makeIntElements(type, int64_t(v), blobName()));
}

FailureOr<Value> NodeImporter::reshape(Value v, ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(v.getType());
  if (type.getShape() == shape)
    return v;
  return createTyped<npu::ReshapeOp>(
      RankedTensorType::get(shape, type.getElementType()), v);
}

std::string NodeImporter::blobName(unsigned output) const {
  if (output < numOutputs() && !node.output(output).empty())
    return node.output(output);
  return nodeName;
}

//===----------------------------------------------------------------------===//
// Registry
//===----------------------------------------------------------------------===//

void OpRegistry::add(StringRef opType, int64_t minOpset, int64_t maxOpset,
                     OpHandlerFn fn, bool takesNonTensors) {
  handlers[opType] = OpHandler{minOpset, maxOpset, fn, takesNonTensors};
}

const OpHandler *OpRegistry::lookup(StringRef opType) const {
  auto it = handlers.find(opType);
  return it == handlers.end() ? nullptr : &it->second;
}

const OpRegistry &OpRegistry::get() {
  static const OpRegistry registry = [] {
    OpRegistry r;
    addMathHandlers(r);
    addNNHandlers(r);
    addNormHandlers(r);
    addAlgebraHandlers(r);
    addShapeHandlers(r);
    addFoldHandlers(r);
    addLogicHandlers(r);
    addLossHandlers(r);
    addIndexingHandlers(r);
    addQuantHandlers(r);
    addScanHandlers(r);
    addControlFlowHandlers(r);
    addRecurrentHandlers(r);
    addSequenceHandlers(r);
    addSamplingHandlers(r);
    addSignalHandlers(r);
    return r;
  }();
  return registry;
}
