//===- ImportControlFlow.cpp - If, Loop and Scan --------------------------===//
//
// Subgraphs are imported into the regions of npu.if and npu.loop, reading
// values of the enclosing graphs directly. An If on a constant condition
// is replaced by its taken branch. A Loop needs a constant trip count when
// it has scan outputs (their length is the number of iterations); a loop
// whose condition stays true (the body passes it through or yields true)
// becomes a counted loop, any other a conditional one.
//
//===----------------------------------------------------------------------===//
#include "ImportControlFlow.h"

#include <limits>

using namespace mlir;
using namespace npu;
using namespace npu::onnx_import;

//===----------------------------------------------------------------------===//
// LoopBuilder
//===----------------------------------------------------------------------===//

LoopBuilder::LoopBuilder(NodeImporter &n, TypeRange carried, TypeRange slices)
    : n(n), region(std::make_unique<Region>()),
      saved(n.b().saveInsertionPoint()), numCarried(carried.size()) {
  SmallVector<Type> types{RankedTensorType::get({}, n.b().getI64Type())};
  types.append(carried.begin(), carried.end());
  types.append(slices.begin(), slices.end());
  SmallVector<Location> locs(types.size(), n.loc());
  n.b().createBlock(region.get(), {}, types, locs);
}

LoopBuilder::~LoopBuilder() { n.b().restoreInsertionPoint(saved); }

void LoopBuilder::eraseCarried(unsigned i) {
  body().eraseArgument(1 + i);
  --numCarried;
}

/// The op's own invariants and verifier. mlir::verify would also check
/// dominance in its regions, which fails while they sit in a loop body
/// under construction; the whole module is verified after import.
static LogicalResult verifyOp(Operation *op) {
  return op->getName().verifyInvariants(op);
}

/// `type` with a dimension of `size` inserted at `axis`.
static RankedTensorType insertDim(RankedTensorType type, int64_t axis,
                                  int64_t size) {
  SmallVector<int64_t> shape(type.getShape());
  shape.insert(shape.begin() + axis, size);
  return type.clone(shape);
}

FailureOr<SmallVector<Value>> LoopBuilder::finish(const LoopSpec &spec,
                                                  ValueRange inits,
                                                  ValueRange scanInputs,
                                                  ValueRange yields) {
  OpBuilder &b = n.b();
  assert(inits.size() == numCarried && "one init per carried value");
  if (yields.size() < numCarried ||
      spec.outAxes.size() != yields.size() - numCarried)
    return n.error() << "loop body yields " << yields.size()
                     << " values, expected " << numCarried
                     << " carried values and " << spec.outAxes.size()
                     << " scan outputs";
  SmallVector<Type> resultTypes;
  for (unsigned i = 0; i < numCarried; ++i) {
    if (yields[i].getType() != inits[i].getType())
      return n.error() << "loop-carried value " << i << " is "
                       << inits[i].getType() << " initially but "
                       << yields[i].getType()
                       << " after an iteration; carried values must keep "
                          "their static type";
    resultTypes.push_back(inits[i].getType());
  }
  for (auto [k, axis] : llvm::enumerate(spec.outAxes)) {
    auto type = cast<RankedTensorType>(yields[numCarried + k].getType());
    if (axis < 0 || axis > type.getRank())
      return n.error() << "scan output " << k << " axis " << axis
                       << " is out of range for slices of type " << type;
    resultTypes.push_back(insertDim(type, axis, spec.tripCount));
  }
  if (spec.tripCount == 0) {
    b.restoreInsertionPoint(saved);
    SmallVector<Value> results(inits);
    for (Type t : ArrayRef(resultTypes).drop_front(numCarried))
      results.push_back(n.constant(DenseElementsAttr::get(
          cast<RankedTensorType>(t), ArrayRef<Attribute>())));
    return results;
  }
  b.setInsertionPointToEnd(&body());
  b.create<YieldOp>(n.loc(), yields);
  b.restoreInsertionPoint(saved);
  auto loop = b.create<LoopOp>(n.loc(), resultTypes, inits, scanInputs,
                               spec.tripCount, spec.inAxes, spec.inReverse,
                               spec.outAxes, spec.outReverse, spec.conditional);
  loop.getBody().takeBody(*region);
  if (failed(verifyOp(loop)))
    return failure();
  SmallVector<Value> results;
  for (Value r : loop.getResults())
    results.push_back(n.replaceIfEmpty(r));
  return results;
}

namespace {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

Value boolConstant(NodeImporter &n, bool v) {
  auto type = RankedTensorType::get({}, n.b().getI1Type());
  return n.constant(makeIntElements(type, {int64_t(v)}, n.blobName()));
}

/// A single-element boolean input as tensor<i1>.
FailureOr<Value> condition(NodeImporter &n, Value v, StringRef what) {
  auto type = cast<RankedTensorType>(v.getType());
  if (!type.getElementType().isInteger(1) || type.getNumElements() != 1)
    return n.error() << what << " must be a single boolean, got " << type;
  return n.reshape(v, {});
}

/// The value of a constant single boolean, if it is one.
std::optional<bool> constCondition(Value v) {
  auto c = v.getDefiningOp<ConstantOp>();
  if (!c)
    return std::nullopt;
  auto ints = readInts(c.getValue(), 1);
  if (!ints || ints->size() != 1)
    return std::nullopt;
  return (*ints)[0] != 0;
}

SmallVector<Value> valuesOf(ArrayRef<TensorValue> tvs) {
  return llvm::to_vector(llvm::map_range(tvs, [](auto &t) { return t.value; }));
}

SmallVector<Type> typesOf(ValueRange values) {
  return SmallVector<Type>(values.getTypes());
}

/// `type` without dimension `axis`.
RankedTensorType dropDim(RankedTensorType type, int64_t axis) {
  SmallVector<int64_t> shape(type.getShape());
  shape.erase(shape.begin() + axis);
  return type.clone(shape);
}

LogicalResult setOutputs(NodeImporter &n, ArrayRef<TensorValue> values) {
  if (n.numOutputs() > values.size())
    return n.error() << "has " << n.numOutputs() << " outputs, but its body "
                     << "produces " << values.size();
  for (unsigned i = 0; i < n.numOutputs(); ++i)
    n.setOutputValue(i, values[i]);
  return success();
}

LogicalResult setOutputs(NodeImporter &n, ValueRange values,
                         ArrayRef<bool> isUnsigned) {
  SmallVector<TensorValue> tvs;
  for (auto [v, u] : llvm::zip(values, isUnsigned))
    tvs.push_back({v, u});
  return setOutputs(n, tvs);
}

//===----------------------------------------------------------------------===//
// If
//===----------------------------------------------------------------------===//

LogicalResult importIf(NodeImporter &n) {
  if (failed(n.checkInputs(1, 1)) || failed(n.graphAttr("then_branch")) ||
      failed(n.graphAttr("else_branch")))
    return failure();
  auto cond = condition(n, n.input(0), "condition");
  if (failed(cond))
    return failure();
  SmallVector<bool> isUnsigned;
  if (std::optional<bool> taken = constCondition(*cond)) {
    auto outs = n.importSubgraph(*taken ? "then_branch" : "else_branch", {});
    if (failed(outs))
      return failure();
    return setOutputs(n, *outs);
  }

  // Both branches go into regions; their results must agree in type.
  OpBuilder &b = n.b();
  OpBuilder::InsertPoint saved = b.saveInsertionPoint();
  Region regions[2];
  SmallVector<Value> outs[2];
  const char *names[2] = {"then_branch", "else_branch"};
  for (int i = 0; i < 2; ++i) {
    b.createBlock(&regions[i]);
    auto o = n.importSubgraph(names[i], {});
    b.restoreInsertionPoint(saved);
    if (failed(o))
      return failure();
    if (llvm::any_of(*o, [](auto &v) { return v.isNonTensor(); }))
      return n.error() << "the condition must be constant when the branches "
                          "produce sequences or optionals"
                       << n.bindHint(0);
    outs[i] = valuesOf(*o);
    if (i == 0)
      for (const TensorValue &v : *o)
        isUnsigned.push_back(v.isUnsigned);
  }
  if (outs[0].size() != outs[1].size())
    return n.error() << "then_branch has " << outs[0].size()
                     << " outputs but else_branch " << outs[1].size();
  for (auto [i, t, e] : llvm::enumerate(outs[0], outs[1]))
    if (t.getType() != e.getType())
      return n.error() << "output " << i << " is " << t.getType()
                       << " in then_branch but " << e.getType()
                       << " in else_branch; both branches must produce the "
                          "same static types";
  for (int i = 0; i < 2; ++i) {
    b.setInsertionPointToEnd(&regions[i].front());
    b.create<YieldOp>(n.loc(), outs[i]);
  }
  b.restoreInsertionPoint(saved);
  auto ifOp = b.create<IfOp>(n.loc(), typesOf(outs[0]), *cond);
  ifOp.getThenRegion().takeBody(regions[0]);
  ifOp.getElseRegion().takeBody(regions[1]);
  if (failed(verifyOp(ifOp)))
    return failure();
  return setOutputs(n, ifOp.getResults(), isUnsigned);
}

//===----------------------------------------------------------------------===//
// Loop
//===----------------------------------------------------------------------===//

/// A Loop node's operands, read once for both ways of importing it.
struct LoopParts {
  std::optional<int64_t> trips; // absent: the condition alone ends it
  Value cond;                   // tensor<i1>
  std::optional<bool> constCond;
  SmallVector<TensorValue> inits; // may hold sequences and optionals
  SmallVector<bool> isUnsigned;   // carried values, then scan outputs
  unsigned numCarried = 0;
  int numScans = 0;
};

/// The body as an npu.loop region, the iteration number a block argument.
LogicalResult importLoopRegion(NodeImporter &n, LoopParts p) {
  // Body arguments: iteration number, condition, carried values.
  SmallVector<Value> inits = valuesOf(p.inits);
  SmallVector<Type> carriedTypes{p.cond.getType()};
  llvm::append_range(carriedTypes, typesOf(inits));
  LoopBuilder loop(n, carriedTypes, {});
  SmallVector<TensorValue> args{{loop.iteration()}};
  for (auto [i, v] : llvm::enumerate(loop.carried()))
    args.push_back({v, i > 0 && p.isUnsigned[i - 1]});
  auto outs = n.importSubgraph("body", args);
  if (failed(outs))
    return failure();
  auto condOut = condition(n, (*outs)[0].value, "the body's condition output");
  if (failed(condOut))
    return failure();
  for (int k = 0; k < p.numScans; ++k)
    p.isUnsigned.push_back((*outs)[1 + p.numCarried + k].isUnsigned);

  Value condArg = loop.carried()[0];
  bool condInvariant = *condOut == condArg || constCondition(*condOut) == true;
  if (condInvariant && p.constCond == true && !p.trips)
    return n.error() << "never ends: it has no trip count and its condition "
                        "stays true";
  LoopSpec spec;
  SmallVector<Value> yields;
  if ((condInvariant && p.constCond == true) || p.trips == 0) {
    // A counted loop: the condition is true throughout (or irrelevant).
    OpBuilder::InsertionGuard guard(n.b());
    n.b().setInsertionPointToStart(&loop.body());
    condArg.replaceAllUsesWith(boolConstant(n, true));
    loop.eraseCarried(0);
    spec.tripCount = *p.trips;
  } else {
    if (p.numScans > 0) {
      if (!condInvariant)
        return n.error() << "has scan outputs and a condition that may end "
                            "it early: their length would depend on run-time "
                            "values (static shapes only)";
      if (!p.trips)
        return n.error() << "has scan outputs but no trip count 'M': their "
                            "length would depend on run-time values (static "
                            "shapes only)";
      // The condition is a run-time input: it must be bound.
      (void)n.requireConstInts(1, "cond");
      return failure();
    }
    spec.conditional = true;
    spec.tripCount = p.trips.value_or(std::numeric_limits<int64_t>::max());
    inits.insert(inits.begin(), p.cond);
    yields.push_back(*condOut);
  }
  for (const TensorValue &o : ArrayRef(*outs).drop_front())
    yields.push_back(o.value);
  spec.outAxes.assign(p.numScans, 0);
  spec.outReverse.assign(p.numScans, false);
  auto results = loop.finish(spec, inits, {}, yields);
  if (failed(results))
    return failure();
  return setOutputs(n, ArrayRef(*results).drop_front(spec.conditional ? 1 : 0),
                    p.isUnsigned);
}

/// A counted loop with the body imported once per iteration, so that the
/// iteration number is a constant in each copy (bodies that slice with it)
/// and carried values may change shape or be sequences and optionals.
LogicalResult importLoopUnrolled(NodeImporter &n, LoopParts p) {
  Type i64 = n.b().getI64Type();
  SmallVector<TensorValue> carried = p.inits;
  SmallVector<SmallVector<Value>> scans(p.numScans);
  for (int64_t i = 0; i < *p.trips; ++i) {
    SmallVector<TensorValue> args{{n.scalar(i64, double(i))},
                                  {boolConstant(n, true)}};
    llvm::append_range(args, carried);
    auto outs = n.importSubgraph("body", args);
    if (failed(outs))
      return failure();
    if (!(*outs)[0].value || constCondition((*outs)[0].value) != true)
      return n.error() << "the body's condition output is not constant";
    for (unsigned j = 0; j < p.numCarried; ++j)
      carried[j] = (*outs)[1 + j];
    for (int k = 0; k < p.numScans; ++k) {
      Value slice = (*outs)[1 + p.numCarried + k].value;
      if (!slice)
        return n.error() << "scan output " << k << " must be a tensor";
      SmallVector<int64_t> shape{1};
      llvm::append_range(shape,
                         cast<RankedTensorType>(slice.getType()).getShape());
      auto r = n.reshape(slice, shape);
      if (failed(r))
        return failure();
      scans[k].push_back(*r);
      if (i == 0)
        p.isUnsigned.push_back((*outs)[1 + p.numCarried + k].isUnsigned);
    }
  }
  for (auto [k, slices] : llvm::enumerate(scans)) {
    auto c = n.create<ConcatOp>(slices, n.b().getI64IntegerAttr(0));
    if (failed(c))
      return failure();
    carried.push_back({*c, p.isUnsigned[p.numCarried + k]});
  }
  return setOutputs(n, carried);
}

/// Loops up to this trip count are unrolled when their body cannot be
/// imported with a run-time iteration number.
constexpr int64_t kMaxUnrolledTrips = 64;

LogicalResult importLoop(NodeImporter &n) {
  auto body = n.graphAttr("body");
  if (failed(body))
    return failure();
  LoopParts p;
  p.numCarried = n.numInputs() > 2 ? n.numInputs() - 2 : 0;
  p.numScans = (*body)->output_size() - 1 - int(p.numCarried);
  if (p.numScans < 0)
    return n.attrError("body") << "has " << (*body)->output_size()
                               << " outputs; expected the condition and "
                               << p.numCarried << " loop-carried values";
  for (unsigned i = 2; i < n.numInputs(); ++i) {
    if (!n.hasInput(i))
      return n.error() << "loop-carried input " << i << " is missing";
    p.inits.push_back(n.inputValue(i));
    p.isUnsigned.push_back(n.inputIsUnsigned(i));
  }
  if (n.hasInput(0)) {
    auto m = n.requireConstInts(0, "M");
    if (failed(m))
      return failure();
    if (m->size() != 1)
      return n.error() << "trip count 'M' must be a single value";
    p.trips = std::max<int64_t>(0, m->front());
  }
  if (n.hasInput(1)) {
    auto c = condition(n, n.input(1), "condition 'cond'");
    if (failed(c))
      return failure();
    p.cond = *c;
  } else {
    if (!p.trips)
      return n.error() << "has neither a trip count nor a condition (an "
                          "infinite loop)";
    p.cond = boolConstant(n, true);
  }
  p.constCond = constCondition(p.cond);
  // No iteration at all: the carried values pass through and scan outputs
  // are empty (their type comes from importing the body, then dropped).
  if ((p.trips && *p.trips == 0) || p.constCond == false) {
    bool scansUsed = false;
    for (unsigned i = p.numCarried; i < n.numOutputs(); ++i)
      scansUsed |= n.isOutputUsed(i);
    if (!scansUsed ||
        llvm::any_of(p.inits, [](auto &v) { return v.isNonTensor(); }))
      return setOutputs(n, p.inits);
    p.trips = 0;
    p.constCond = true;
    return importLoopRegion(n, p);
  }
  // Sequences and optionals exist only at import time: unroll.
  bool tensorsOnly =
      llvm::none_of(p.inits, [](auto &v) { return v.isNonTensor(); });
  if (!tensorsOnly &&
      !(p.trips && *p.trips <= kMaxUnrolledTrips && p.constCond == true))
    return n.error() << "carries sequences or optionals, so it is unrolled, "
                        "which needs a constant trip count of at most "
                     << kMaxUnrolledTrips << " and a constant true condition"
                     << n.bindHint(p.trips ? 1 : 0);
  if (!tensorsOnly)
    return importLoopUnrolled(n, p);

  // Import as a loop; if that fails and the loop is short, unroll it. The
  // loop's diagnostics are reported when both fail.
  SmallVector<std::tuple<Location, DiagnosticSeverity, std::string>> diags;
  size_t loopDiags = 0;
  {
    ScopedDiagnosticHandler collect(n.ctx(), [&](Diagnostic &d) {
      diags.emplace_back(d.getLocation(), d.getSeverity(), d.str());
      return success();
    });
    if (succeeded(importLoopRegion(n, p)))
      return success();
    loopDiags = diags.size();
    if (p.trips && *p.trips <= kMaxUnrolledTrips && p.constCond == true &&
        succeeded(importLoopUnrolled(n, p)))
      return success();
  }
  for (auto &[loc, severity, text] : ArrayRef(diags).take_front(loopDiags)) {
    if (severity == DiagnosticSeverity::Error)
      emitError(loc) << text;
    else if (severity == DiagnosticSeverity::Warning)
      emitWarning(loc) << text;
    else
      emitRemark(loc) << text;
  }
  // Unrolling would have been tried with a constant condition.
  if (p.trips && *p.trips <= kMaxUnrolledTrips && !p.constCond)
    (void)n.requireConstInts(1, "cond");
  return failure();
}

//===----------------------------------------------------------------------===//
// Scan
//===----------------------------------------------------------------------===//

/// Reads an ints attribute with one entry per scan input or output,
/// defaulting to zeros.
FailureOr<SmallVector<int64_t>> perScanAttr(NodeImporter &n, StringRef name,
                                            size_t count) {
  SmallVector<int64_t> zeros(count, 0);
  auto v = n.intsAttr(name, ArrayRef<int64_t>(zeros));
  if (failed(v))
    return failure();
  if (v->size() != count)
    return n.attrError(name)
           << "must have " << count << " entries, got " << v->size();
  return v;
}

SmallVector<bool> asFlags(ArrayRef<int64_t> v) {
  return llvm::to_vector(llvm::map_range(v, [](int64_t x) { return x != 0; }));
}

/// Imports the Scan body as a loop over `trips` slices of `scanInputs`
/// along `spec.inAxes` with carried `states`; fills in the output spec.
FailureOr<SmallVector<Value>>
buildScanLoop(NodeImporter &n, LoopSpec &spec, ValueRange states,
              ValueRange scanInputs, ArrayRef<bool> stateUnsigned,
              ArrayRef<bool> scanUnsigned, SmallVectorImpl<bool> &outUnsigned,
              ArrayRef<int64_t> outAxes, ArrayRef<bool> outReverse) {
  SmallVector<Type> sliceTypes;
  for (auto [v, axis] : llvm::zip(scanInputs, spec.inAxes))
    sliceTypes.push_back(dropDim(cast<RankedTensorType>(v.getType()), axis));
  LoopBuilder loop(n, typesOf(states), sliceTypes);
  SmallVector<TensorValue> args;
  for (auto [v, u] : llvm::zip(loop.carried(), stateUnsigned))
    args.push_back({v, u});
  for (auto [v, u] : llvm::zip(loop.slices(), scanUnsigned))
    args.push_back({v, u});
  auto outs = n.importSubgraph("body", args);
  if (failed(outs))
    return failure();
  if (outs->size() < states.size())
    return n.attrError("body")
           << "has " << outs->size() << " outputs, expected at least the "
           << states.size() << " state variables";
  size_t numScans = outs->size() - states.size();
  if (outAxes.size() != numScans)
    return n.error() << "scan_output_axes/directions have " << outAxes.size()
                     << " entries but the body produces " << numScans
                     << " scan outputs";
  outUnsigned.assign(stateUnsigned.begin(), stateUnsigned.end());
  for (size_t k = 0; k < numScans; ++k)
    outUnsigned.push_back((*outs)[states.size() + k].isUnsigned);
  // Negative output axes count from the end of the stacked output.
  spec.outAxes.clear();
  for (auto [k, axis] : llvm::enumerate(outAxes)) {
    auto slice =
        cast<RankedTensorType>((*outs)[states.size() + k].value.getType());
    int64_t rank = slice.getRank() + 1;
    auto a = n.normalizeAxis(axis, rank, "scan output axis");
    if (failed(a))
      return failure();
    spec.outAxes.push_back(*a);
  }
  spec.outReverse.assign(outReverse.begin(), outReverse.end());
  return loop.finish(spec, states, scanInputs, valuesOf(*outs));
}

LogicalResult importScan(NodeImporter &n) {
  auto numScanIn = n.intAttr("num_scan_inputs", std::nullopt);
  if (failed(numScanIn) || failed(n.graphAttr("body")))
    return failure();
  bool batched = n.opset() < 9; // Scan-8: batch axis 0, sequence axis 1
  unsigned first = batched ? 1 : 0;
  if (*numScanIn < 1 || first + *numScanIn > n.numInputs())
    return n.attrError("num_scan_inputs")
           << "must be between 1 and the number of inputs, got " << *numScanIn;
  unsigned numStates = n.numInputs() - first - *numScanIn;
  SmallVector<Value> states, xs;
  SmallVector<bool> stateUnsigned, xUnsigned;
  for (unsigned i = first; i < n.numInputs(); ++i) {
    if (!n.hasInput(i))
      return n.error() << "input " << i << " is missing";
    bool isState = i < first + numStates;
    (isState ? states : xs).push_back(n.input(i));
    (isState ? stateUnsigned : xUnsigned).push_back(n.inputIsUnsigned(i));
  }
  int64_t numBodyOut = 0;
  if (auto body = n.graphAttr("body"); succeeded(body))
    numBodyOut = (*body)->output_size();
  size_t numScanOut = std::max<int64_t>(0, numBodyOut - numStates);

  LoopSpec spec;
  SmallVector<int64_t> outAxes(numScanOut, 0);
  SmallVector<bool> outReverse(numScanOut, false);
  if (batched) {
    auto dirs = perScanAttr(n, "directions", xs.size());
    if (failed(dirs))
      return failure();
    spec.inAxes.assign(xs.size(), 0);
    spec.inReverse = asFlags(*dirs);
    if (n.hasInput(0)) {
      auto lens = n.requireConstInts(0, "sequence_lens");
      if (failed(lens))
        return failure();
      auto xType = cast<RankedTensorType>(xs[0].getType());
      for (int64_t len : *lens)
        if (xType.getRank() < 2 || len != xType.getDimSize(1))
          return n.error() << "sequence_lens shorter than the sequence "
                              "length are not supported";
    }
  } else {
    auto axes = perScanAttr(n, "scan_input_axes", xs.size());
    auto dirs = perScanAttr(n, "scan_input_directions", xs.size());
    auto oAxes = perScanAttr(n, "scan_output_axes", numScanOut);
    auto oDirs = perScanAttr(n, "scan_output_directions", numScanOut);
    if (failed(axes) || failed(dirs) || failed(oAxes) || failed(oDirs))
      return failure();
    for (auto [k, x] : llvm::enumerate(xs)) {
      auto a = n.normalizeAxis((*axes)[k],
                               cast<RankedTensorType>(x.getType()).getRank(),
                               "scan input axis");
      if (failed(a))
        return failure();
      spec.inAxes.push_back(*a);
    }
    spec.inReverse = asFlags(*dirs);
    outAxes = *oAxes;
    outReverse = asFlags(*oDirs);
  }

  // The sequence axis (in each batch entry for Scan-8) gives the trip count.
  int64_t seqAxisOffset = batched ? 1 : 0;
  for (auto [k, x] : llvm::enumerate(xs)) {
    auto type = cast<RankedTensorType>(x.getType());
    if (type.getRank() <= spec.inAxes[k] + seqAxisOffset)
      return n.error() << "scan input " << k << " of type " << type
                       << " has no sequence axis";
    int64_t len = type.getDimSize(spec.inAxes[k] + seqAxisOffset);
    if (k == 0)
      spec.tripCount = len;
    else if (len != spec.tripCount)
      return n.error() << "scan input " << k << " has " << len
                       << " slices, but scan input 0 has " << spec.tripCount;
  }

  SmallVector<bool> outUnsigned;
  FailureOr<SmallVector<Value>> loop;
  if (!batched) {
    loop = buildScanLoop(n, spec, states, xs, stateUnsigned, xUnsigned,
                         outUnsigned, outAxes, outReverse);
  } else {
    // An outer loop over the batch runs the sequence loop on each entry.
    LoopSpec outer;
    SmallVector<Value> all(states);
    llvm::append_range(all, xs);
    outer.tripCount = cast<RankedTensorType>(all[0].getType()).getDimSize(0);
    for (Value v : all)
      if (cast<RankedTensorType>(v.getType()).getDimSize(0) != outer.tripCount)
        return n.error() << "inputs must share the batch dimension "
                         << outer.tripCount;
    outer.inAxes.assign(all.size(), 0);
    outer.inReverse.assign(all.size(), false);
    SmallVector<Type> sliceTypes;
    for (Value v : all)
      sliceTypes.push_back(dropDim(cast<RankedTensorType>(v.getType()), 0));
    LoopBuilder batch(n, {}, sliceTypes);
    ValueRange slices = batch.slices();
    auto inner = buildScanLoop(n, spec, slices.take_front(numStates),
                               slices.drop_front(numStates), stateUnsigned,
                               xUnsigned, outUnsigned, outAxes, outReverse);
    if (failed(inner))
      return failure();
    outer.outAxes.assign(inner->size(), 0);
    outer.outReverse.assign(inner->size(), false);
    loop = batch.finish(outer, {}, all, *inner);
  }
  if (failed(loop))
    return failure();
  return setOutputs(n, *loop, outUnsigned);
}

//===----------------------------------------------------------------------===//
// SequenceMap
//===----------------------------------------------------------------------===//

/// Sequences exist at import time, so the body is imported once per
/// element; tensor inputs are passed to every copy.
LogicalResult importSequenceMap(NodeImporter &n) {
  auto body = n.graphAttr("body");
  if (failed(body) || failed(n.checkInputs(1, 1u << 16)))
    return failure();
  if (!n.inputValue(0).sequence)
    return n.error() << "input 0 must be a sequence";
  size_t len = n.inputValue(0).sequence->elements.size();
  for (unsigned i = 0; i < n.numInputs(); ++i) {
    const TensorValue &v = n.inputValue(i);
    if (!v || v.isOptional)
      return n.error() << "input " << i << " must be a tensor or a sequence";
    if (v.sequence && v.sequence->elements.size() != len)
      return n.error() << "sequence input " << i << " has "
                       << v.sequence->elements.size()
                       << " elements, but input 0 has " << len;
  }
  int numOut = (*body)->output_size();
  SmallVector<SequenceValue> outs(numOut);
  for (size_t k = 0; k < len; ++k) {
    SmallVector<TensorValue> args;
    for (unsigned i = 0; i < n.numInputs(); ++i) {
      const TensorValue &v = n.inputValue(i);
      args.push_back(v.sequence ? v.sequence->elements[k] : v);
    }
    auto o = n.importSubgraph("body", args);
    if (failed(o))
      return failure();
    for (int j = 0; j < numOut; ++j) {
      if (!(*o)[j].value)
        return n.error() << "body output " << j << " must be a tensor";
      outs[j].elements.push_back((*o)[j]);
    }
  }
  for (int j = 0; j < numOut; ++j) {
    if (len) {
      outs[j].elementType =
          cast<RankedTensorType>(outs[j].elements[0].value.getType())
              .getElementType();
    } else {
      // An empty result takes its element type from the declaration.
      const onnx::TypeProto &t = (*body)->output(j).type();
      int32_t et = t.has_sequence_type()
                       ? t.sequence_type().elem_type().tensor_type().elem_type()
                       : t.tensor_type().elem_type();
      outs[j].elementType = convertDataType(et, n.ctx());
      if (!outs[j].elementType)
        return n.error() << "cannot type output " << j
                         << " (an empty sequence) from the body";
    }
    TensorValue v;
    v.sequence = std::make_shared<SequenceValue>(std::move(outs[j]));
    n.setOutputValue(j, std::move(v));
  }
  return success();
}

} // namespace

void npu::onnx_import::addControlFlowHandlers(OpRegistry &r) {
  r.add("If", 1, 17, importIf);
  r.add("Loop", 1, 17, importLoop, /*takesNonTensors=*/true);
  r.add("Scan", 8, 17, importScan);
  r.add("SequenceMap", 17, 17, importSequenceMap, /*takesNonTensors=*/true);
}
