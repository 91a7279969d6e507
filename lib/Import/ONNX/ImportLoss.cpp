//===- ImportLoss.cpp - NegativeLogLikelihoodLoss, SoftmaxCrossEntropyLoss ===//
//
// Both losses are compositions of existing npu ops. The class picked by each
// target is selected with a one-hot mask (target == iota over the class
// axis) and a sum over that axis, instead of a gather: an ignore_index
// outside [0, C) then simply selects nothing, and no new op is needed.
//
//===----------------------------------------------------------------------===//
#include "ImporterImpl.h"

using namespace mlir;
using namespace npu;
using namespace npu::onnx_import;

namespace {

enum class Reduction { None, Sum, Mean };

FailureOr<Reduction> reductionAttr(NodeImporter &n) {
  auto r = n.stringAttr("reduction", StringRef("mean"));
  if (failed(r))
    return failure();
  if (*r == "none")
    return Reduction::None;
  if (*r == "sum")
    return Reduction::Sum;
  if (*r == "mean")
    return Reduction::Mean;
  return n.attrError("reduction") << "must be none, sum or mean, got '" << *r
                                  << "'";
}

/// The loss from log-probabilities `logp` [N, C, d1..dk], integer `target`
/// [N, d1..dk] and optional `weight` [C] (null when absent).
FailureOr<Value> buildNLL(NodeImporter &n, Value logp, Value target,
                          Value weight, std::optional<int64_t> ignoreIndex,
                          Reduction reduction) {
  auto xType = cast<RankedTensorType>(logp.getType());
  auto tType = cast<RankedTensorType>(target.getType());
  Type et = xType.getElementType();
  Type it = tType.getElementType();
  int64_t rank = xType.getRank();
  if (rank < 2)
    return n.error() << "input must have rank >= 2 (N, C, ...), got rank "
                     << rank;
  if (!isa<IntegerType>(it) || it.isInteger(1))
    return n.error() << "target must be an integer tensor";
  // Target has the input's shape without the class axis.
  SmallVector<int64_t> expected(xType.getShape());
  int64_t numClasses = expected[1];
  expected.erase(expected.begin() + 1);
  if (tType.getShape() != ArrayRef<int64_t>(expected))
    return n.error() << "target of shape " << shapeString(tType.getShape())
                     << " does not match input of shape "
                     << shapeString(xType.getShape());
  if (weight) {
    auto wType = cast<RankedTensorType>(weight.getType());
    if (wType.getShape() != ArrayRef<int64_t>{numClasses} ||
        wType.getElementType() != et)
      return n.error() << "weight must be a 1-D tensor of " << numClasses
                       << " elements of the input's type";
  }

  // [N, 1, d1..dk] == [1, C, 1..1] -> one-hot mask [N, C, d1..dk].
  SmallVector<int64_t> tShape(expected);
  tShape.insert(tShape.begin() + 1, 1);
  auto t = n.reshape(target, tShape);
  if (failed(t))
    return failure();
  SmallVector<int64_t> classShape(rank, 1);
  classShape[1] = numClasses;
  SmallVector<int64_t> iota(numClasses);
  for (int64_t c = 0; c < numClasses; ++c)
    iota[c] = c;
  Value classes = n.constant(makeIntElements(
      RankedTensorType::get(classShape, it), iota, n.blobName()));
  auto mask = n.create<CompareOp>(*t, classes, n.b().getStringAttr("eq"),
                                  UnitAttr());
  if (failed(mask))
    return failure();

  auto classAxis = n.b().getDenseI64ArrayAttr({1});
  auto noKeep = n.b().getBoolAttr(false);
  Value zero = n.scalar(et, 0.0);
  auto picked = n.create<SelectOp>(*mask, logp, zero);
  if (failed(picked))
    return failure();
  picked = n.create<ReduceSumOp>(*picked, classAxis, noKeep);
  if (failed(picked))
    return failure();

  // Per-element weight w[target]; 1 without weights, 0 where ignored.
  Value w;
  if (weight) {
    auto wb = n.reshape(weight, classShape);
    if (failed(wb))
      return failure();
    auto sel = n.create<SelectOp>(*mask, *wb, zero);
    if (failed(sel))
      return failure();
    auto sum = n.create<ReduceSumOp>(*sel, classAxis, noKeep);
    if (failed(sum))
      return failure();
    w = *sum;
  }
  if (ignoreIndex) {
    auto valid = n.create<CompareOp>(target, n.scalar(it, *ignoreIndex),
                                     n.b().getStringAttr("ne"), UnitAttr());
    if (failed(valid))
      return failure();
    auto sel = n.create<SelectOp>(*valid, w ? w : n.scalar(et, 1.0), zero);
    if (failed(sel))
      return failure();
    w = *sel;
  }

  FailureOr<Value> loss = n.create<NegOp>(*picked);
  if (succeeded(loss) && w)
    loss = n.create<MulOp>(*loss, w);
  if (failed(loss) || reduction == Reduction::None)
    return loss;

  SmallVector<int64_t> all;
  for (int64_t d = 0; d < rank - 1; ++d)
    all.push_back(d);
  auto allAxes = n.b().getDenseI64ArrayAttr(all);
  loss = n.create<ReduceSumOp>(*loss, allAxes, noKeep);
  if (failed(loss) || reduction == Reduction::Sum)
    return loss;
  if (!w) {
    int64_t count = 1;
    for (int64_t d : expected)
      count *= d;
    return n.create<DivOp>(*loss, n.scalar(et, double(count)));
  }
  auto total = n.create<ReduceSumOp>(w, allAxes, noKeep);
  if (failed(total))
    return failure();
  return n.create<DivOp>(*loss, *total);
}

FailureOr<std::optional<int64_t>> ignoreIndexAttr(NodeImporter &n) {
  if (!n.hasAttr("ignore_index"))
    return std::optional<int64_t>();
  auto ii = n.intAttr("ignore_index", std::nullopt);
  if (failed(ii))
    return failure();
  return std::optional<int64_t>(*ii);
}

LogicalResult importNLLLoss(NodeImporter &n) {
  auto reduction = reductionAttr(n);
  auto ii = ignoreIndexAttr(n);
  if (failed(reduction) || failed(ii) || failed(n.checkInputs(2, 3)))
    return failure();
  auto loss = buildNLL(n, n.input(0), n.input(1), n.input(2), *ii,
                       *reduction);
  if (failed(loss))
    return failure();
  n.setOutput(0, *loss);
  return success();
}

/// log_softmax over axis 1, as x - max - log(sum(exp(x - max))) so that
/// large scores neither overflow nor lose the small probabilities.
FailureOr<Value> logSoftmax(NodeImporter &n, Value x) {
  auto axis = n.b().getDenseI64ArrayAttr({1});
  auto keep = n.b().getBoolAttr(true);
  auto max = n.create<ReduceMaxOp>(x, axis, keep);
  if (failed(max))
    return failure();
  auto shifted = n.create<SubOp>(x, *max);
  if (failed(shifted))
    return failure();
  auto e = n.create<ExpOp>(*shifted);
  if (failed(e))
    return failure();
  auto sum = n.create<ReduceSumOp>(*e, axis, keep);
  if (failed(sum))
    return failure();
  auto lse = n.create<LogOp>(*sum);
  if (failed(lse))
    return failure();
  return n.create<SubOp>(*shifted, *lse);
}

LogicalResult importSoftmaxCrossEntropyLoss(NodeImporter &n) {
  auto reduction = reductionAttr(n);
  auto ii = ignoreIndexAttr(n);
  if (failed(reduction) || failed(ii) || failed(n.checkInputs(2, 3)))
    return failure();
  auto type = n.inputType(0);
  if (!isa<FloatType>(type.getElementType()))
    return n.error() << "scores must be a float tensor";
  if (type.getRank() < 2)
    return n.error() << "scores must have rank >= 2 (N, C, ...), got rank "
                     << type.getRank();
  auto logp = logSoftmax(n, n.input(0));
  if (failed(logp))
    return failure();
  auto loss = buildNLL(n, *logp, n.input(1), n.input(2), *ii, *reduction);
  if (failed(loss))
    return failure();
  n.setOutput(0, *loss);
  if (n.numOutputs() > 1)
    n.setOutput(1, *logp);
  return success();
}

} // namespace

void npu::onnx_import::addLossHandlers(OpRegistry &r) {
  r.add("NegativeLogLikelihoodLoss", 12, 17, importNLLLoss);
  r.add("SoftmaxCrossEntropyLoss", 12, 17, importSoftmaxCrossEntropyLoss);
}
