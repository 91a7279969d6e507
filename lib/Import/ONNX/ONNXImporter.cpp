//===- ONNXImporter.cpp - ONNX graph to a func.func of npu ops ------------===//
//
// Parses the model, checks graph inputs and initializers, orders the nodes
// topologically (reporting missing tensors and cycles) and dispatches each
// node to its handler from the op registry. Subgraphs (If branches, Loop and
// Scan bodies) are imported by a nested GraphImporter whose names fall back
// to the enclosing graphs'.
//
//===----------------------------------------------------------------------===//
#include "npu/Import/ONNX/ONNXImporter.h"

#include "ImporterImpl.h"
#include "npu/Dialect/NPU/IR/ONNXLocation.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"

#include <queue>

using namespace mlir;
using namespace npu;
using namespace npu::onnx_import;

namespace {
class GraphImporter : public SubgraphImporter {
public:
  GraphImporter(const onnx::ModelProto &model, StringRef modelDir,
                StringRef displayName, MLIRContext *ctx,
                const ONNXImportOptions &opts)
      : model(model), graph(model.graph()), modelDir(modelDir),
        displayName(displayName), ctx(ctx), opts(opts), builder(ctx),
        fileLoc(FileLineColLoc::get(ctx, displayName, 0, 0)) {}
  /// Importer of `sub`, a graph attribute of a node of `parent`; its nodes
  /// are named "<prefix><node name>".
  GraphImporter(GraphImporter &parent, const onnx::GraphProto &sub,
                StringRef prefix)
      : model(parent.model), graph(sub), modelDir(parent.modelDir),
        displayName(parent.displayName), ctx(parent.ctx), opts(parent.opts),
        builder(parent.ctx), fileLoc(parent.fileLoc), opset(parent.opset),
        parent(&parent), prefix(prefix.str()) {}

  OwningOpRef<ModuleOp> run();
  FailureOr<SmallVector<TensorValue>>
  importSubgraph(NodeImporter &owner, StringRef attr,
                 const onnx::GraphProto &sub,
                 ArrayRef<TensorValue> args) override;

private:
  FailureOr<SmallVector<TensorValue>> importBody(ArrayRef<TensorValue> args,
                                                 NodeImporter &owner,
                                                 StringRef attr);
  bool definedOutside(StringRef name) const;
  SmallVector<StringRef> nodeInputs(const onnx::NodeProto &node);
  LogicalResult readOpset();
  LogicalResult importInitializers();
  LogicalResult bindInputs();
  LogicalResult importInputType(const std::string &name,
                                const onnx::TypeProto_Tensor &tt,
                                Location loc, RankedTensorType &type,
                                bool &isUnsigned);
  LogicalResult sortNodes(SmallVectorImpl<int> &order);
  LogicalResult importNode(int index);
  LogicalResult importOutputs(func::FuncOp func);
  FailureOr<TensorValue> lookup(StringRef name);
  void eraseDeadOps(Block &block);

  std::string nodeName(int i) const {
    const onnx::NodeProto &n = graph.node(i);
    return prefix + (n.name().empty() ? n.op_type() + "_" + std::to_string(i)
                                      : n.name());
  }
  std::string nodeDesc(int i) const {
    return "node '" + nodeName(i) + "' (" + graph.node(i).op_type() + ")";
  }
  Location nodeLoc(int i) const {
    Location name = NameLoc::get(StringAttr::get(ctx, nodeName(i)), fileLoc);
    return FusedLoc::get(ctx, {name},
                         StringAttr::get(ctx, graph.node(i).op_type()));
  }
  Location tensorLoc(StringRef name) const {
    return NameLoc::get(StringAttr::get(ctx, name), fileLoc);
  }

  const onnx::ModelProto &model;
  const onnx::GraphProto &graph;
  StringRef modelDir, displayName;
  MLIRContext *ctx;
  const ONNXImportOptions &opts;
  OpBuilder builder;
  Location fileLoc;
  int64_t opset = 0;

  llvm::StringMap<TensorValue> values;
  /// Initializers are converted up front (so bad ones are always reported)
  /// and materialized as npu.constant on first use.
  llvm::StringMap<std::pair<ElementsAttr, bool>> initializers;
  llvm::StringMap<unsigned> useCounts;

  /// The importer of the enclosing graph, for subgraphs.
  GraphImporter *parent = nullptr;
  std::string prefix;
  /// Names each node reads from enclosing scopes through its subgraphs.
  llvm::DenseMap<const onnx::NodeProto *, llvm::StringSet<>> implicitInputs;
};

/// Adds to `out` the names `graph` (and its nested subgraphs) reads without
/// defining them: references to enclosing scopes.
void collectOuterNames(const onnx::GraphProto &graph, llvm::StringSet<> &out) {
  llvm::StringSet<> defined;
  for (const auto &in : graph.input())
    defined.insert(in.name());
  for (const auto &init : graph.initializer())
    defined.insert(init.name());
  for (const auto &node : graph.node())
    for (const std::string &o : node.output())
      defined.insert(o);
  for (const auto &node : graph.node()) {
    llvm::StringSet<> used;
    for (const std::string &in : node.input())
      if (!in.empty())
        used.insert(in);
    for (const auto &attr : node.attribute()) {
      if (attr.has_g())
        collectOuterNames(attr.g(), used);
      for (const auto &g : attr.graphs())
        collectOuterNames(g, used);
    }
    for (const auto &name : used)
      if (!defined.contains(name.getKey()))
        out.insert(name.getKey());
  }
  for (const auto &o : graph.output())
    if (!defined.contains(o.name()))
      out.insert(o.name());
}
} // namespace

//===----------------------------------------------------------------------===//
// Model-level checks, initializers and inputs
//===----------------------------------------------------------------------===//

LogicalResult GraphImporter::readOpset() {
  bool found = false;
  for (const auto &imp : model.opset_import()) {
    if (imp.domain().empty() || imp.domain() == "ai.onnx") {
      opset = imp.version();
      found = true;
    }
  }
  if (!found)
    return emitError(fileLoc)
           << "model imports no default-domain ('ai.onnx') opset";
  return success();
}

LogicalResult GraphImporter::importInitializers() {
  for (const onnx::TensorProto &t : graph.initializer()) {
    Location loc = tensorLoc(t.name());
    if (t.name().empty())
      return emitError(loc) << "initializer without a name";
    if (initializers.count(t.name()))
      return emitError(loc) << "initializer '" << t.name()
                            << "' is defined twice";
    bool isUnsigned = false;
    auto attr = importTensor(t, modelDir, loc,
                             "initializer '" + t.name() + "'", &isUnsigned);
    if (failed(attr))
      return failure();
    initializers[t.name()] = {*attr, isUnsigned};
  }
  if (graph.sparse_initializer_size())
    return emitError(tensorLoc(graph.sparse_initializer(0).values().name()))
           << "sparse initializers are not supported";
  return success();
}

/// Graph inputs bound to compile-time values become initializers.
LogicalResult GraphImporter::bindInputs() {
  for (const auto &entry : opts.boundInputs) {
    StringRef name = entry.getKey();
    const onnx::ValueInfoProto *decl = nullptr;
    for (const onnx::ValueInfoProto &in : graph.input())
      if (in.name() == name)
        decl = &in;
    if (!decl)
      return emitError(fileLoc) << "--bind-input '" << name
                                << "' does not name a graph input";
    Location loc = tensorLoc(name);
    onnx::TensorProto value = *entry.getValue();
    value.set_name(name.str());
    if (decl->type().has_tensor_type()) {
      const auto &tt = decl->type().tensor_type();
      // .npy has no bfloat16: accept its uint16 bit patterns.
      if (tt.elem_type() == onnx::TensorProto::BFLOAT16 &&
          value.data_type() == onnx::TensorProto::UINT16 &&
          value.has_raw_data())
        value.set_data_type(onnx::TensorProto::BFLOAT16);
      if (tt.elem_type() != value.data_type())
        return emitError(loc) << "bound value of graph input '" << name
                              << "' has element type "
                              << dataTypeName(value.data_type())
                              << ", but the model declares "
                              << dataTypeName(tt.elem_type());
      if (tt.has_shape()) {
        const auto &dims = tt.shape().dim();
        bool fits = dims.size() == value.dims_size();
        for (int i = 0; fits && i < dims.size(); ++i)
          fits = !dims[i].has_dim_value() ||
                 dims[i].dim_value() == value.dims(i);
        if (!fits)
          return emitError(loc)
                 << "bound value of graph input '" << name << "' has shape "
                 << shapeString(SmallVector<int64_t>(value.dims().begin(),
                                                     value.dims().end()))
                 << ", which does not fit the declared shape";
      }
    }
    bool isUnsigned = false;
    auto attr = importTensor(value, modelDir, loc,
                             "bound graph input '" + name + "'", &isUnsigned);
    if (failed(attr))
      return failure();
    initializers[name] = {*attr, isUnsigned};
  }
  return success();
}

LogicalResult GraphImporter::importInputType(const std::string &name,
                                             const onnx::TypeProto_Tensor &tt,
                                             Location loc,
                                             RankedTensorType &type,
                                             bool &isUnsigned) {
  Type et = convertDataType(tt.elem_type(), ctx, &isUnsigned);
  if (!et)
    return emitError(loc) << "graph input '" << name
                          << "' has unsupported element type "
                          << dataTypeName(tt.elem_type());
  auto override = opts.inputShapes.find(name);
  SmallVector<int64_t> shape;
  if (override != opts.inputShapes.end()) {
    shape.assign(override->second.begin(), override->second.end());
    if (tt.has_shape()) {
      const auto &dims = tt.shape().dim();
      if (dims.size() != int(shape.size()))
        return emitError(loc)
               << "shape override " << shapeString(shape) << " for input '"
               << name << "' has rank " << shape.size()
               << ", but the model declares rank " << dims.size();
      for (int i = 0; i < dims.size(); ++i)
        if (dims[i].has_dim_value() && dims[i].dim_value() != shape[i])
          return emitError(loc)
                 << "shape override " << shapeString(shape) << " for input '"
                 << name << "' conflicts with the declared dimension " << i
                 << " = " << dims[i].dim_value();
    }
  } else {
    if (!tt.has_shape())
      return emitError(loc)
             << "graph input '" << name
             << "' has no shape; static shapes are required: pass "
                "--onnx-input-shape="
             << name << ":DIMxDIM... (ONNXImportOptions::inputShapes)";
    for (const auto &[i, d] : llvm::enumerate(tt.shape().dim())) {
      if (d.has_dim_value()) {
        shape.push_back(d.dim_value());
        continue;
      }
      auto diag = emitError(loc) << "graph input '" << name << "' has ";
      if (d.has_dim_param())
        diag << "symbolic dimension '" << d.dim_param() << "'";
      else
        diag << "an unknown dimension";
      return diag << " at index " << i
                  << "; static shapes are required: pass "
                     "--onnx-input-shape="
                  << name << ":DIMxDIM... (ONNXImportOptions::inputShapes)";
    }
  }
  // An empty input carries no data at run time; as a compile-time constant
  // (an empty axes list, say) it is fine.
  for (auto [i, d] : llvm::enumerate(shape))
    if (d == 0)
      return emitError(loc) << "graph input '" << name << "': dimension " << i
                            << " is 0; zero-sized graph inputs and outputs "
                               "are not supported; bind graph input '"
                            << name << "' at compile time with --bind-input "
                            << name << "=FILE";
  if (failed(checkShape(shape, et, loc, "graph input '" + name + "'")))
    return failure();
  type = RankedTensorType::get(shape, et);
  return success();
}

FailureOr<TensorValue> GraphImporter::lookup(StringRef name) {
  auto it = values.find(name);
  if (it != values.end())
    return it->second;
  // Values of enclosing graphs dominate this one; initializers (this
  // graph's or an enclosing one's) are materialized here.
  for (GraphImporter *g = this; g; g = g->parent) {
    if (g != this) {
      auto outer = g->values.find(name);
      if (outer != g->values.end())
        return outer->second;
    }
    auto init = g->initializers.find(name);
    if (init == g->initializers.end())
      continue;
    ElementsAttr attr = init->second.first;
    Value v = builder.create<npu::ConstantOp>(tensorLoc(name),
                                              attr.getShapedType(), attr);
    TensorValue tv{v, init->second.second};
    values[name] = tv;
    return tv;
  }
  return failure();
}

bool GraphImporter::definedOutside(StringRef name) const {
  for (const GraphImporter *g = parent; g; g = g->parent)
    if (g->values.count(name) || g->initializers.count(name))
      return true;
  return false;
}

SmallVector<StringRef> GraphImporter::nodeInputs(const onnx::NodeProto &node) {
  SmallVector<StringRef> names;
  for (const std::string &in : node.input())
    if (!in.empty())
      names.push_back(in);
  auto it = implicitInputs.find(&node);
  if (it != implicitInputs.end())
    for (const auto &name : it->second)
      names.push_back(name.getKey());
  return names;
}

//===----------------------------------------------------------------------===//
// Topological order
//===----------------------------------------------------------------------===//

LogicalResult GraphImporter::sortNodes(SmallVectorImpl<int> &order) {
  int n = graph.node_size();
  llvm::StringMap<int> producer;
  for (int i = 0; i < n; ++i) {
    for (const std::string &out : graph.node(i).output()) {
      if (out.empty())
        continue;
      if (values.count(out) || initializers.count(out))
        return emitError(nodeLoc(i))
               << nodeDesc(i) << ": output '" << out
               << "' redefines a graph input or initializer";
      auto [it, inserted] = producer.try_emplace(out, i);
      if (!inserted)
        return emitError(nodeLoc(i))
               << nodeDesc(i) << ": output '" << out
               << "' is also produced by " << nodeDesc(it->second);
    }
  }
  // Subgraphs read names of this graph (and enclosing ones): they are
  // inputs of the node that owns the subgraph.
  for (const onnx::NodeProto &node : graph.node()) {
    llvm::StringSet<> outer;
    for (const auto &attr : node.attribute()) {
      if (attr.has_g())
        collectOuterNames(attr.g(), outer);
      for (const auto &g : attr.graphs())
        collectOuterNames(g, outer);
    }
    if (!outer.empty())
      implicitInputs[&node] = std::move(outer);
  }
  // Edges producer -> consumer, with multiplicity, for Kahn's algorithm.
  SmallVector<SmallVector<int>> consumers(n);
  SmallVector<int> pending(n, 0);
  for (int i = 0; i < n; ++i) {
    for (StringRef in : nodeInputs(graph.node(i))) {
      ++useCounts[in];
      if (values.count(in) || initializers.count(in))
        continue;
      auto it = producer.find(in);
      if (it == producer.end() && definedOutside(in))
        continue;
      if (it == producer.end()) {
        bool direct = llvm::is_contained(graph.node(i).input(), in);
        return emitError(nodeLoc(i))
               << nodeDesc(i) << ": "
               << (direct ? "input '" : "a subgraph reads '") << in
               << (direct ? "' is" : "', which is")
               << " not a graph input, an initializer or the output of any "
                  "node (missing initializer?)";
      }
      consumers[it->second].push_back(i);
      ++pending[i];
    }
  }
  for (const auto &out : graph.output())
    ++useCounts[out.name()];

  // Kahn's algorithm, taking the lowest ready index first so that already
  // sorted graphs keep their order.
  std::priority_queue<int, std::vector<int>, std::greater<int>> ready;
  for (int i = 0; i < n; ++i)
    if (!pending[i])
      ready.push(i);
  while (!ready.empty()) {
    int i = ready.top();
    ready.pop();
    order.push_back(i);
    for (int c : consumers[i])
      if (--pending[c] == 0)
        ready.push(c);
  }
  if (int(order.size()) == n)
    return success();

  // Walk producer edges among the unsorted nodes until a node repeats.
  int start = 0;
  while (!pending[start])
    ++start;
  SmallVector<int> path;
  llvm::DenseMap<int, int> position;
  int cur = start;
  while (!position.count(cur)) {
    position[cur] = path.size();
    path.push_back(cur);
    int next = -1;
    for (StringRef in : nodeInputs(graph.node(cur))) {
      auto it = producer.find(in);
      if (it != producer.end() && pending[it->second]) {
        next = it->second;
        break;
      }
    }
    if (next < 0)
      break; // unreachable: every pending node has a pending producer
    cur = next;
  }
  // The path follows consumer <- producer; print it in data-flow order.
  SmallVector<int> cycle(path.begin() + position.lookup(cur), path.end());
  std::reverse(cycle.begin(), cycle.end());
  // Start at the first node in graph order so the report is stable.
  std::rotate(cycle.begin(), llvm::min_element(cycle), cycle.end());
  std::string text;
  for (int i : cycle)
    text += nodeDesc(i) + " -> ";
  text += nodeDesc(cycle.front());
  return emitError(nodeLoc(cycle.front()))
         << "graph has a cycle: " << text;
}

//===----------------------------------------------------------------------===//
// Nodes
//===----------------------------------------------------------------------===//

LogicalResult GraphImporter::importNode(int index) {
  const onnx::NodeProto &node = graph.node(index);
  std::string name = nodeName(index);
  Location loc = nodeLoc(index);
  const std::string &domain = node.domain();
  if (!domain.empty() && domain != "ai.onnx") {
    int64_t version = 0;
    for (const auto &imp : model.opset_import())
      if (imp.domain() == domain)
        version = imp.version();
    return emitError(loc) << "node '" << name << "' (" << node.op_type()
                          << ", domain '" << domain << "' opset " << version
                          << "): unsupported operator '" << domain << "."
                          << node.op_type() << "' (custom domains are not "
                          << "supported)";
  }
  const OpHandler *handler = OpRegistry::get().lookup(node.op_type());
  if (!handler)
    return emitError(loc) << "node '" << name << "' (" << node.op_type()
                          << ", opset " << opset << "): unsupported operator '"
                          << node.op_type() << "'";
  if (opset < handler->minOpset || opset > handler->maxOpset)
    return emitError(loc) << "node '" << name << "' (" << node.op_type()
                          << ", opset " << opset << "): operator '"
                          << node.op_type() << "' is supported for opsets "
                          << handler->minOpset << " to " << handler->maxOpset;
  if (node.output_size() == 0)
    return emitError(loc) << "node '" << name << "' (" << node.op_type()
                          << "): node has no outputs";

  SmallVector<TensorValue> inputs;
  for (const std::string &in : node.input()) {
    if (in.empty()) {
      inputs.push_back({});
      continue;
    }
    auto v = lookup(in);
    if (failed(v))
      return emitError(loc) << "node '" << name << "' (" << node.op_type()
                            << "): input '" << in << "' is undefined";
    if (v->isNonTensor() && !handler->takesNonTensors)
      return emitError(loc) << "node '" << name << "' (" << node.op_type()
                            << "): input '" << in << "' is "
                            << (v->sequence ? "a sequence" : "an optional")
                            << ", but this operator takes tensors";
    inputs.push_back(*v);
  }

  builder.setInsertionPointToEnd(builder.getBlock());
  NodeImporter importer(node, name, opset, loc, modelDir, builder, inputs,
                        values, useCounts, this);
  if (failed(handler->fn(importer)) || failed(importer.checkUnknownAttrs()))
    return failure();
  for (unsigned i = 0; i < importer.numOutputs(); ++i)
    if (importer.isOutputUsed(i) && !importer.outputSet(i))
      return importer.error() << "output " << i << " ('" << node.output(i)
                              << "') is used but not supported";
  return success();
}

LogicalResult GraphImporter::importOutputs(func::FuncOp func) {
  SmallVector<Value> results;
  SmallVector<Type> types;
  SmallVector<bool> unsignedResults;
  SmallVector<std::string> names;
  for (const onnx::ValueInfoProto &out : graph.output()) {
    Location loc = tensorLoc(out.name());
    auto v = lookup(out.name());
    if (failed(v))
      return emitError(loc) << "graph output '" << out.name()
                            << "' is not produced by any node";
    if (v->isNone())
      return emitError(loc) << "graph output '" << out.name()
                            << "' is an empty optional; an artifact returns "
                               "tensors only";
    if (v->sequence) {
      // A sequence's length is known at compile time: its elements become
      // the outputs NAME.0, NAME.1, ...
      for (const auto &[k, e] : llvm::enumerate(v->sequence->elements)) {
        names.push_back(out.name() + "." + std::to_string(k));
        auto type = cast<RankedTensorType>(e.value.getType());
        if (failed(checkShape(type.getShape(), type.getElementType(), loc,
                              "graph output '" + names.back() + "'",
                              /*allowEmpty=*/false)))
          return failure();
        results.push_back(e.value);
        types.push_back(e.value.getType());
        unsignedResults.push_back(e.isUnsigned);
      }
      continue;
    }
    names.push_back(out.name());
    auto type = cast<RankedTensorType>(v->value.getType());
    if (failed(checkShape(type.getShape(), type.getElementType(), loc,
                          "graph output '" + out.name() + "'",
                          /*allowEmpty=*/false)))
      return failure();
    unsignedResults.push_back(v->isUnsigned);
    if (out.type().has_tensor_type()) {
      const auto &tt = out.type().tensor_type();
      bool declaredUnsigned = false;
      Type et = convertDataType(tt.elem_type(), ctx, &declaredUnsigned);
      if (et)
        unsignedResults.back() = declaredUnsigned;
      if (tt.elem_type() != 0 && et && et != type.getElementType())
        return emitError(loc)
               << "graph output '" << out.name() << "' is declared as "
               << dataTypeName(tt.elem_type()) << " but computed as "
               << type.getElementType();
      if (tt.has_shape()) {
        const auto &dims = tt.shape().dim();
        bool mismatch = dims.size() != type.getRank();
        for (int i = 0; !mismatch && i < dims.size(); ++i)
          mismatch = dims[i].has_dim_value() &&
                     dims[i].dim_value() != type.getDimSize(i);
        if (mismatch)
          return emitError(loc)
                 << "graph output '" << out.name()
                 << "' is declared with a shape that differs from the "
                    "computed "
                 << shapeString(type.getShape());
      }
    }
    results.push_back(v->value);
    types.push_back(type);
  }
  builder.setInsertionPointToEnd(&func.getBody().front());
  builder.create<func::ReturnOp>(fileLoc, results);
  func.setType(FunctionType::get(ctx, func.getArgumentTypes(), types));
  for (const auto &[i, name] : llvm::enumerate(names)) {
    func.setResultAttr(i, "npu.name", StringAttr::get(ctx, name));
    if (unsignedResults[i])
      func.setResultAttr(i, "npu.unsigned", UnitAttr::get(ctx));
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Subgraphs
//===----------------------------------------------------------------------===//

FailureOr<SmallVector<TensorValue>>
GraphImporter::importSubgraph(NodeImporter &owner, StringRef attr,
                              const onnx::GraphProto &sub,
                              ArrayRef<TensorValue> args) {
  GraphImporter nested(*this, sub, (owner.name() + "/" + attr + "/").str());
  nested.builder.setInsertionPoint(owner.b().getInsertionBlock(),
                                   owner.b().getInsertionPoint());
  return nested.importBody(args, owner, attr);
}

FailureOr<SmallVector<TensorValue>>
GraphImporter::importBody(ArrayRef<TensorValue> args, NodeImporter &owner,
                          StringRef attr) {
  auto subgraphError = [&]() {
    return owner.error() << "subgraph '" << attr << "' ";
  };
  if (graph.input_size() != int(args.size()))
    return subgraphError() << "has " << graph.input_size()
                           << " inputs, expected " << args.size();
  if (failed(importInitializers()))
    return failure();
  for (auto [in, arg] : llvm::zip(graph.input(), args)) {
    if (arg.isNonTensor() && in.type().has_tensor_type())
      return subgraphError() << "input '" << in.name()
                             << "' is declared as a tensor but receives "
                             << (arg.sequence ? "a sequence" : "an optional");
    auto type = arg.value ? cast<RankedTensorType>(arg.value.getType())
                          : RankedTensorType();
    if (type && in.type().has_tensor_type() &&
        in.type().tensor_type().elem_type()) {
      bool isUnsigned = false;
      Type et = convertDataType(in.type().tensor_type().elem_type(), ctx,
                                &isUnsigned);
      if (et != type.getElementType() || isUnsigned != arg.isUnsigned)
        return subgraphError()
               << "input '" << in.name() << "' is declared as "
               << dataTypeName(in.type().tensor_type().elem_type())
               << " but receives " << type;
    }
    if (!values.try_emplace(in.name(), arg).second ||
        initializers.count(in.name()))
      return subgraphError() << "input '" << in.name()
                             << "' is defined twice";
  }
  SmallVector<int> order;
  if (failed(sortNodes(order)))
    return failure();
  for (int i : order)
    if (failed(importNode(i)))
      return failure();
  SmallVector<TensorValue> results;
  for (const onnx::ValueInfoProto &out : graph.output()) {
    auto v = lookup(out.name());
    if (failed(v))
      return subgraphError() << "output '" << out.name()
                             << "' is not produced by any node";
    results.push_back(*v);
  }
  return results;
}

void GraphImporter::eraseDeadOps(Block &block) {
  // Folding and unused initializers leave dead constants behind.
  for (Operation &op : llvm::make_early_inc_range(llvm::reverse(block)))
    if (isOpTriviallyDead(&op))
      op.erase();
}

OwningOpRef<ModuleOp> GraphImporter::run() {
  ctx->loadDialect<func::FuncDialect, npu::NPUDialect>();
  if (!model.has_graph()) {
    emitError(fileLoc) << "not an ONNX model: the file has no graph "
                          "(truncated or not an ONNX file)";
    return nullptr;
  }
  if (failed(readOpset()) || failed(importInitializers()) ||
      failed(bindInputs()))
    return nullptr;

  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  module->getOperation()->setAttr("npu.onnx.opset",
                                  builder.getI64IntegerAttr(opset));
  std::string producer = model.producer_name();
  if (!model.producer_version().empty())
    producer += (producer.empty() ? "" : " ") + model.producer_version();
  module->getOperation()->setAttr("npu.onnx.producer",
                                  builder.getStringAttr(producer));
  SmallVector<Attribute> nodes;
  for (int i = 0, e = graph.node_size(); i < e; ++i)
    nodes.push_back(
        builder.getStrArrayAttr({nodeName(i), graph.node(i).op_type()}));
  module->getOperation()->setAttr(kONNXNodesAttrName,
                                  builder.getArrayAttr(nodes));

  // Graph inputs that are also initializers are constants (IR >= 4). A
  // sequence input has one argument per element, a None optional none.
  SmallVector<Type> argTypes;
  SmallVector<GraphInputArg> args;
  SmallVector<std::pair<std::string, GraphInputPlan>> plans;
  llvm::StringSet<> named;
  auto tensorType = [&](const std::string &name,
                        const onnx::TypeProto_Tensor &tt, RankedTensorType &t,
                        bool &isUnsigned) {
    return importInputType(name, tt, tensorLoc(name), t, isUnsigned);
  };
  for (const onnx::ValueInfoProto &in : graph.input()) {
    if (initializers.count(in.name()))
      continue;
    Location loc = tensorLoc(in.name());
    if (!named.insert(in.name()).second) {
      emitError(loc) << "graph input '" << in.name() << "' is listed twice";
      return nullptr;
    }
    auto plan = planGraphInput(in, opts, loc, tensorType);
    if (failed(plan))
      return nullptr;
    for (GraphInputArg &a : plan->args) {
      argTypes.push_back(a.type);
      args.push_back(a);
    }
    plans.push_back({in.name(), std::move(*plan)});
  }
  auto checkNamed = [&](StringRef name) {
    // A bound input is a graph input too; its value fixes its shape.
    if (named.contains(name) || opts.boundInputs.count(name))
      return true;
    emitError(fileLoc) << "input shape override for '" << name
                       << "' does not name a graph input";
    return false;
  };
  for (const auto &entry : opts.inputShapes)
    if (!checkNamed(entry.getKey()))
      return nullptr;
  for (const auto &entry : opts.sequenceShapes)
    if (!checkNamed(entry.getKey()))
      return nullptr;
  for (const auto &entry : opts.noneInputs)
    if (!checkNamed(entry.getKey()))
      return nullptr;

  builder.setInsertionPointToEnd(module->getBody());
  auto func = builder.create<func::FuncOp>(
      fileLoc, opts.funcName, FunctionType::get(ctx, argTypes, {}));
  Block *entry = func.addEntryBlock();
  for (auto [i, arg] : llvm::enumerate(args)) {
    entry->getArgument(i).setLoc(tensorLoc(arg.name));
    func.setArgAttr(i, "npu.name", builder.getStringAttr(arg.name));
    if (arg.isUnsigned)
      func.setArgAttr(i, "npu.unsigned", builder.getUnitAttr());
  }
  unsigned next = 0;
  for (auto &[name, plan] : plans) {
    values[name] = plan.assemble(
        entry->getArguments().slice(next, plan.args.size()));
    next += plan.args.size();
  }
  builder.setInsertionPointToEnd(entry);

  SmallVector<int> order;
  if (failed(sortNodes(order)))
    return nullptr;
  for (int i : order)
    if (failed(importNode(i)))
      return nullptr;
  if (failed(importOutputs(func)))
    return nullptr;
  // Innermost blocks first, so that uses in dead regions go away first.
  SmallVector<Block *> blocks;
  func.walk<WalkOrder::PostOrder>([&](Block *b) { blocks.push_back(b); });
  for (Block *b : blocks)
    eraseDeadOps(*b);
  if (failed(mlir::verify(*module)))
    return nullptr;
  return module;
}

OwningOpRef<ModuleOp> npu::detail::importGraph(const onnx::ModelProto &model,
                                              StringRef modelDir,
                                              StringRef displayName,
                                              MLIRContext *ctx,
                                              const ONNXImportOptions &opts) {
  return GraphImporter(model, modelDir, displayName, ctx, opts).run();
}
