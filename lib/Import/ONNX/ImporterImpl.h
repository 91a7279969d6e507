//===- ImporterImpl.h - state shared by the ONNX importer's parts -*- C++ -*-===//
//
// The importer is split by op family (ImportMath, ImportNN, ImportNorm,
// ImportAlgebra, ImportShape, ImportFold, ImportLogic, ImportLoss,
// ImportIndexing, ImportQuant, ImportScan, ImportSequence, ImportSampling,
// ImportSignal, ImportControlFlow, ImportRecurrent); they meet here:
// NodeImporter is the per-node view every op handler receives, OpRegistry
// maps op types to handlers and their opsets, and the tensor helpers turn
// ONNX TensorProtos into MLIR attributes.
//
//===----------------------------------------------------------------------===//
#ifndef NPU_LIB_IMPORT_ONNX_IMPORTERIMPL_H
#define NPU_LIB_IMPORT_ONNX_IMPORTERIMPL_H

#include "npu/Dialect/NPU/IR/NPUOps.h"
#include "npu/Import/ONNX/ONNXImporter.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

#include "onnx/onnx_pb.h"

#include <memory>
#include <optional>
#include <string>

namespace npu::onnx_import {

/// Tensors with more elements than this become dense_resource blobs so that
/// importing large weights never uniques them element by element.
constexpr int64_t kMaxDenseElements = 64;
/// Constant integer tensors up to this size are evaluated at import time.
constexpr int64_t kMaxFoldElements = 4096;
/// Largest tensor the importer accepts (bytes).
constexpr uint64_t kMaxTensorBytes = uint64_t(1) << 40;

struct SequenceValue;

/// An imported ONNX value. MLIR integers are signless, so ONNX's unsigned
/// types are remembered here for the ops whose meaning depends on it.
/// ONNX sequences and optionals exist only at import time: a sequence is a
/// list of tensors whose length is known at compile time, an optional is
/// the value it holds (or None), flagged `isOptional`.
struct TensorValue {
  mlir::Value value;
  bool isUnsigned = false;
  /// Set when the ONNX value is a sequence (then `value` is null).
  std::shared_ptr<const SequenceValue> sequence;
  /// ONNX optional; None when it holds neither a value nor a sequence.
  bool isOptional = false;

  bool isNone() const { return isOptional && !value && !sequence; }
  /// Whether the ONNX value is something other than a plain tensor.
  bool isNonTensor() const { return sequence || isOptional; }
  /// Whether a value is there at all (omitted inputs have none).
  explicit operator bool() const { return value || isNonTensor(); }
};

struct SequenceValue {
  llvm::SmallVector<TensorValue> elements;
  /// Element type, known even when the sequence is empty.
  mlir::Type elementType;
};

//===----------------------------------------------------------------------===//
// Tensors (ImportTensors.cpp)
//===----------------------------------------------------------------------===//

/// ONNX TensorProto::DataType name, for messages.
std::string dataTypeName(int32_t dataType);
/// Maps an ONNX data type to an element type; null when unsupported.
mlir::Type convertDataType(int32_t dataType, mlir::MLIRContext *ctx,
                           bool *isUnsigned = nullptr);
/// "[1,3,224,224]".
std::string shapeString(llvm::ArrayRef<int64_t> shape);
/// Checks that no dimension is negative (nor 0 unless `allowEmpty`: ONNX
/// permits empty constants and intermediate values, but graph inputs and
/// outputs must hold data) and that the tensor is addressable; emits
/// "<what>: ..." at `loc` otherwise.
mlir::LogicalResult checkShape(llvm::ArrayRef<int64_t> shape,
                               mlir::Type elementType, mlir::Location loc,
                               const llvm::Twine &what, bool allowEmpty = true);
/// Converts an initializer or Constant value, reading external data relative
/// to `modelDir`. Diagnostics start with `what`.
mlir::FailureOr<mlir::ElementsAttr>
importTensor(const onnx::TensorProto &tensor, llvm::StringRef modelDir,
             mlir::Location loc, const llvm::Twine &what,
             bool *isUnsigned = nullptr);
/// Builds a constant from little-endian raw bytes (one byte per i1):
/// dense for small tensors, a dense_resource blob named after `name` above
/// kMaxDenseElements.
mlir::ElementsAttr makeElements(mlir::RankedTensorType type,
                                llvm::ArrayRef<char> raw,
                                llvm::StringRef name);
/// Integer/bool constant from int64 values (truncated to the element type).
mlir::ElementsAttr makeIntElements(mlir::RankedTensorType type,
                                   llvm::ArrayRef<int64_t> values,
                                   llvm::StringRef name);
/// Float constant from doubles (rounded to the element type).
mlir::ElementsAttr makeFloatElements(mlir::RankedTensorType type,
                                     llvm::ArrayRef<double> values,
                                     llvm::StringRef name);
/// Contents of an integer constant, sign-extended (i1 and `isUnsigned`
/// zero-extended); nullopt for non-integers or more than `maxElements`.
std::optional<llvm::SmallVector<int64_t>>
readInts(mlir::ElementsAttr attr, int64_t maxElements = kMaxFoldElements,
         bool isUnsigned = false);
/// Contents of a float or integer constant as doubles.
std::optional<llvm::SmallVector<double>>
readFloats(mlir::ElementsAttr attr, int64_t maxElements = kMaxFoldElements);

//===----------------------------------------------------------------------===//
// NodeImporter (NodeImporter.cpp): what an op handler sees of one node
//===----------------------------------------------------------------------===//

class NodeImporter;

/// Imports the graph attributes of a node (If branches, Loop and Scan
/// bodies); implemented by the graph importer (ONNXImporter.cpp).
class SubgraphImporter {
public:
  virtual ~SubgraphImporter() = default;
  /// Imports `graph`, the attribute `attr` of node `owner`, at the
  /// insertion point of the owner's builder with its inputs bound to `args`.
  /// Names it does not define resolve to values visible at the node; its
  /// nodes are named "owner/attr/name". Returns the graph's outputs.
  virtual mlir::FailureOr<llvm::SmallVector<TensorValue>>
  importSubgraph(NodeImporter &owner, llvm::StringRef attr,
                 const onnx::GraphProto &graph,
                 llvm::ArrayRef<TensorValue> args) = 0;
};

class NodeImporter {
public:
  NodeImporter(const onnx::NodeProto &node, llvm::StringRef name,
               int64_t opset, mlir::Location loc, llvm::StringRef modelDir,
               mlir::OpBuilder &builder,
               llvm::ArrayRef<TensorValue> inputs,
               llvm::StringMap<TensorValue> &values,
               const llvm::StringMap<unsigned> &useCounts,
               SubgraphImporter *subgraphs = nullptr);

  const onnx::NodeProto &proto() const { return node; }
  llvm::StringRef opType() const { return node.op_type(); }
  llvm::StringRef name() const { return nodeName; }
  int64_t opset() const { return opsetVersion; }
  mlir::Location loc() const { return location; }
  /// Folder that external data of Constant nodes is relative to.
  llvm::StringRef modelDir() const { return modelDirectory; }
  mlir::OpBuilder &b() { return builder; }
  mlir::MLIRContext *ctx() { return builder.getContext(); }

  /// Error at this node; the text starts with "node 'n' (Op): ".
  mlir::InFlightDiagnostic error();
  /// Error about one attribute: "node 'n' (Op): attribute 'a' ".
  mlir::InFlightDiagnostic attrError(llvm::StringRef attr);

  //===--- Inputs ---------------------------------------------------------===//
  /// Number of inputs, not counting trailing omitted ones.
  unsigned numInputs() const { return inputs.size(); }
  bool hasInput(unsigned i) const {
    return i < inputs.size() && bool(inputs[i]);
  }
  /// The whole ONNX value of input i (for sequence and optional ops).
  const TensorValue &inputValue(unsigned i) const { return inputs[i]; }
  mlir::Value input(unsigned i) const {
    return hasInput(i) ? inputs[i].value : mlir::Value();
  }
  bool inputIsUnsigned(unsigned i) const {
    return hasInput(i) && inputs[i].isUnsigned;
  }
  mlir::RankedTensorType inputType(unsigned i) const {
    return hasInput(i)
               ? mlir::cast<mlir::RankedTensorType>(input(i).getType())
               : mlir::RankedTensorType();
  }
  llvm::StringRef inputName(unsigned i) const;
  /// Fails unless there are `min` to `max` inputs and the first `min` are
  /// present.
  mlir::LogicalResult checkInputs(unsigned min, unsigned max);
  /// The constant behind input i (an npu.constant), or null.
  mlir::ElementsAttr constInput(unsigned i) const;
  /// For an input that must be constant but is a run-time graph input:
  /// "; bind graph input 'x' at compile time with --bind-input x=FILE";
  /// for one computed only from integer scalar/1-D graph inputs, the same
  /// for each of those. Empty otherwise. Tools look for "--bind-input
  /// NAME=" in errors.
  std::string bindHint(unsigned i) const;
  /// Integer contents of a constant input; the error names `what`.
  mlir::FailureOr<llvm::SmallVector<int64_t>>
  requireConstInts(unsigned i, llvm::StringRef what);
  /// A constant scalar (single element) input as double.
  mlir::FailureOr<double> requireConstScalar(unsigned i, llvm::StringRef what);
  /// Fails for unsigned integer inputs where only signed semantics exist.
  mlir::LogicalResult rejectUnsignedInputs();

  //===--- Outputs --------------------------------------------------------===//
  unsigned numOutputs() const { return node.output_size(); }
  /// Whether output i is consumed by another node or by the graph.
  bool isOutputUsed(unsigned i) const;
  /// Fails if any output from `first` on is used; `what` says why not.
  mlir::LogicalResult rejectUsedOutputs(unsigned first, llvm::StringRef what);
  void setOutput(unsigned i, mlir::Value v, bool isUnsigned = false);
  /// Sets output 0 from a build step, or fails with it.
  mlir::LogicalResult setResult(mlir::FailureOr<mlir::Value> v,
                                bool isUnsigned = false) {
    if (mlir::failed(v))
      return mlir::failure();
    setOutput(0, *v, isUnsigned);
    return mlir::success();
  }
  /// Sets any ONNX value, including sequences and optionals.
  void setOutputValue(unsigned i, TensorValue v);
  bool outputSet(unsigned i) const { return setOutputs.contains(i); }

  //===--- Attributes -----------------------------------------------------===//
  // Getters return the default when the attribute is absent, fail with a
  // diagnostic on a wrong type or a missing required attribute, and mark
  // the attribute as understood.
  bool hasAttr(llvm::StringRef name) const { return attrs.count(name); }
  mlir::FailureOr<int64_t> intAttr(llvm::StringRef name,
                                   std::optional<int64_t> dflt);
  mlir::FailureOr<double> floatAttr(llvm::StringRef name,
                                    std::optional<double> dflt);
  mlir::FailureOr<std::string> stringAttr(llvm::StringRef name,
                                          std::optional<llvm::StringRef> dflt);
  mlir::FailureOr<llvm::SmallVector<int64_t>>
  intsAttr(llvm::StringRef name,
           std::optional<llvm::ArrayRef<int64_t>> dflt);
  mlir::FailureOr<llvm::SmallVector<double>>
  floatsAttr(llvm::StringRef name, std::optional<llvm::ArrayRef<double>> dflt);
  /// The tensor attribute or null when absent (fails on wrong type).
  mlir::FailureOr<const onnx::TensorProto *> tensorAttr(llvm::StringRef name);
  /// The (required) graph attribute.
  mlir::FailureOr<const onnx::GraphProto *> graphAttr(llvm::StringRef name);
  /// Imports the graph attribute `attr` at the builder's insertion point
  /// (see SubgraphImporter::importSubgraph).
  mlir::FailureOr<llvm::SmallVector<TensorValue>>
  importSubgraph(llvm::StringRef attr, llvm::ArrayRef<TensorValue> args);
  /// ints attribute whose length must be `len` and entries pass `pred`.
  mlir::FailureOr<llvm::SmallVector<int64_t>>
  intsAttrOfLength(llvm::StringRef name, size_t len, int64_t dflt,
                   bool (*pred)(int64_t), llvm::StringRef predText);
  /// Accepts an attribute the importer does not need (e.g. momentum).
  void ignoreAttr(llvm::StringRef name) { usedAttrs.insert(name); }
  /// Fails on attributes no handler asked for (typos, newer-opset attrs).
  mlir::LogicalResult checkUnknownAttrs();

  //===--- Building --------------------------------------------------------===//
  /// Normalizes axis in [-rank, rank) (or [-rank, rank] with `inclusive`).
  mlir::FailureOr<int64_t> normalizeAxis(int64_t axis, int64_t rank,
                                         llvm::StringRef what,
                                         bool inclusive = false);
  /// Creates an op whose result types are inferred; diagnostics from type
  /// inference and the verifier are reported against this node. Constant
  /// integer operands are evaluated (see ImportFold.cpp).
  template <typename OpTy, typename... Args>
  mlir::FailureOr<mlir::Value> create(Args &&...args) {
    auto op = build<OpTy>(/*infer=*/true, mlir::TypeRange(),
                          std::forward<Args>(args)...);
    if (mlir::failed(op))
      return mlir::failure();
    return finishSingle(*op);
  }
  /// Like create() but for ops with several results.
  template <typename OpTy, typename... Args>
  mlir::FailureOr<mlir::Operation *> createMulti(Args &&...args) {
    return build<OpTy>(/*infer=*/true, mlir::TypeRange(),
                       std::forward<Args>(args)...);
  }
  /// Creates an op with an explicit result type.
  template <typename OpTy, typename... Args>
  mlir::FailureOr<mlir::Value> createTyped(mlir::Type type, Args &&...args) {
    auto op = build<OpTy>(/*infer=*/false, mlir::TypeRange(type),
                          std::forward<Args>(args)...);
    if (mlir::failed(op))
      return mlir::failure();
    return finishSingle(*op);
  }
  /// A unit attribute when `set`, else none (optional flags of npu ops).
  mlir::UnitAttr flag(bool set) {
    return set ? builder.getUnitAttr() : mlir::UnitAttr();
  }
  /// npu.constant at this node.
  mlir::Value constant(mlir::ElementsAttr value);
  /// A zero-element value is never computed: this returns an empty
  /// constant for it (`v` itself when it has elements or is a constant).
  /// create() and setOutput() apply it, so no op produces an empty tensor.
  mlir::Value replaceIfEmpty(mlir::Value v);
  /// Rank-0 constant of `elementType` holding `v`.
  mlir::Value scalar(mlir::Type elementType, double v);
  /// npu.reshape unless `v` already has `shape`.
  mlir::FailureOr<mlir::Value> reshape(mlir::Value v,
                                       llvm::ArrayRef<int64_t> shape);
  /// Name for blobs created by this node.
  std::string blobName(unsigned output = 0) const;

private:
  template <typename OpTy, typename... Args>
  mlir::FailureOr<mlir::Operation *> build(bool infer, mlir::TypeRange types,
                                           Args &&...args) {
    mlir::OperationState state(location, OpTy::getOperationName());
    OpTy::build(builder, state, types, std::forward<Args>(args)...);
    if constexpr (OpTy::template hasTrait<mlir::InferTypeOpInterface::Trait>()) {
      if (infer) {
        state.types.clear();
        auto fn = [&](std::optional<mlir::Location> l) {
          return OpTy::inferReturnTypes(
              ctx(), l, state.operands, state.attributes.getDictionary(ctx()),
              state.getRawProperties(), state.regions, state.types);
        };
        if (mlir::failed(inferTypes(state, fn)))
          return mlir::failure();
      }
    } else {
      assert(!infer && "op has no result type inference");
    }
    return finishBuild(state);
  }
  mlir::LogicalResult inferTypes(
      mlir::OperationState &state,
      llvm::function_ref<mlir::LogicalResult(std::optional<mlir::Location>)>
          infer);
  mlir::FailureOr<mlir::Operation *> finishBuild(mlir::OperationState &state);
  mlir::FailureOr<mlir::Value> finishSingle(mlir::Operation *op);
  const onnx::AttributeProto *lookupAttr(llvm::StringRef name);

  const onnx::NodeProto &node;
  std::string nodeName;
  int64_t opsetVersion;
  mlir::Location location;
  llvm::StringRef modelDirectory;
  mlir::OpBuilder &builder;
  llvm::SmallVector<TensorValue> inputs;
  llvm::StringMap<TensorValue> &values;
  const llvm::StringMap<unsigned> &useCounts;
  llvm::StringMap<const onnx::AttributeProto *> attrs;
  llvm::StringSet<> usedAttrs;
  llvm::DenseSet<unsigned> setOutputs;
  SubgraphImporter *subgraphs;
};

/// Handler for ops that map one-to-one onto a unary npu op.
template <typename OpTy> mlir::LogicalResult importUnaryOp(NodeImporter &n) {
  if (mlir::failed(n.checkInputs(1, 1)))
    return mlir::failure();
  return n.setResult(n.create<OpTy>(n.input(0)), n.inputIsUnsigned(0));
}

/// AttributeProto type, inferred from the set fields for old models.
int attrType(const onnx::AttributeProto &attr);
/// "int", "floats", ... for messages.
llvm::StringRef attrTypeName(int type);

//===----------------------------------------------------------------------===//
// Op handlers
//===----------------------------------------------------------------------===//

using OpHandlerFn = mlir::LogicalResult (*)(NodeImporter &);

/// A handler and the default-domain opsets whose semantics it implements.
struct OpHandler {
  int64_t minOpset;
  int64_t maxOpset;
  OpHandlerFn fn;
  /// Whether the handler takes sequence and optional inputs; other handlers
  /// are never called with them.
  bool takesNonTensors = false;
};

class OpRegistry {
public:
  void add(llvm::StringRef opType, int64_t minOpset, int64_t maxOpset,
           OpHandlerFn fn, bool takesNonTensors = false);
  const OpHandler *lookup(llvm::StringRef opType) const;
  /// All handlers, built once.
  static const OpRegistry &get();

private:
  llvm::StringMap<OpHandler> handlers;
};

void addMathHandlers(OpRegistry &registry);
void addNNHandlers(OpRegistry &registry);
void addNormHandlers(OpRegistry &registry);
void addAlgebraHandlers(OpRegistry &registry);
void addShapeHandlers(OpRegistry &registry);
void addFoldHandlers(OpRegistry &registry);
void addLogicHandlers(OpRegistry &registry);
void addLossHandlers(OpRegistry &registry);
void addIndexingHandlers(OpRegistry &registry);
void addQuantHandlers(OpRegistry &registry);
void addScanHandlers(OpRegistry &registry);
void addControlFlowHandlers(OpRegistry &registry);
void addRecurrentHandlers(OpRegistry &registry);
void addSignalHandlers(OpRegistry &registry);
void addSequenceHandlers(OpRegistry &registry);
void addSamplingHandlers(OpRegistry &registry);

/// Conv window attributes (group, kernel_shape, strides, pads, dilations,
/// auto_pad) for input `x` and weight `w` with any number of spatial dims
/// (ImportNN.cpp; used by Conv, ConvInteger and QLinearConv).
struct ConvWindow {
  llvm::SmallVector<int64_t> strides, pads, dilations; // pads: ONNX order
  int64_t group;
};
mlir::FailureOr<ConvWindow> readConvWindow(NodeImporter &n,
                                           mlir::RankedTensorType x,
                                           mlir::RankedTensorType w);

//===----------------------------------------------------------------------===//
// Graph inputs (ImportSequence.cpp for sequences and optionals)
//===----------------------------------------------------------------------===//

/// One function argument of a graph input.
struct GraphInputArg {
  std::string name;
  mlir::RankedTensorType type;
  bool isUnsigned = false;
};

/// How a graph input maps to function arguments: one for a tensor, one per
/// element for a sequence ("NAME.K"), none for a None optional.
struct GraphInputPlan {
  llvm::SmallVector<GraphInputArg> args;
  bool isSequence = false;
  bool isOptional = false;
  mlir::Type elementType;
  /// The ONNX value of the input, from its arguments.
  TensorValue assemble(llvm::ArrayRef<mlir::BlockArgument> values) const;
};

/// Types a tensor graph input (or a sequence/optional's tensor element).
using TensorTypeFn = llvm::function_ref<mlir::LogicalResult(
    const std::string &name, const onnx::TypeProto_Tensor &,
    mlir::RankedTensorType &, bool &isUnsigned)>;
mlir::FailureOr<GraphInputPlan>
planGraphInput(const onnx::ValueInfoProto &input,
               const ONNXImportOptions &opts, mlir::Location loc,
               TensorTypeFn tensorType);

/// General (run-time) forms of ops that ImportFold evaluates when all their
/// inputs are constant integers (ImportLogic.cpp).
mlir::LogicalResult importEqualRuntime(NodeImporter &n);
mlir::LogicalResult importWhereRuntime(NodeImporter &n);
mlir::LogicalResult importNotRuntime(NodeImporter &n);
mlir::LogicalResult importReduceProdRuntime(NodeImporter &n);

/// Evaluates `op` when all its operands are small integer constants and it
/// is one of the data-movement/arithmetic ops the evaluator knows; returns
/// the constant that replaces its single result, or null.
mlir::Value tryFoldIntOp(mlir::Operation *op, mlir::OpBuilder &builder,
                         llvm::StringRef name);

//===----------------------------------------------------------------------===//
// Model parsing (ONNXText.cpp, compiled with exceptions for OnnxParser)
//===----------------------------------------------------------------------===//

/// ONNX text syntax ("<ir_version: 8, ...> graph (...) => (...) {...}").
bool parseONNXTextModel(llvm::StringRef text, onnx::ModelProto &model,
                        std::string &error);
/// Protobuf text format of ModelProto.
bool parseProtoTextModel(llvm::StringRef text, onnx::ModelProto &model,
                         std::string &error);

} // namespace npu::onnx_import

namespace npu::detail {
/// Imports `model`'s main graph (ONNXImporter.cpp); importONNXModel wraps it.
mlir::OwningOpRef<mlir::ModuleOp>
importGraph(const onnx::ModelProto &model, llvm::StringRef modelDir,
            llvm::StringRef displayName, mlir::MLIRContext *ctx,
            const ONNXImportOptions &opts);
} // namespace npu::detail

#endif // NPU_LIB_IMPORT_ONNX_IMPORTERIMPL_H
