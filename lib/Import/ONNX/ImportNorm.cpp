//===- ImportNorm.cpp - normalization ops and Dropout ---------------------===//
//
// BatchNormalization (inference and training), LayerNormalization,
// InstanceNormalization, MeanVarianceNormalization, LRN and Dropout.
// Statistics are decomposed into npu reductions and elementwise ops; only
// inference BatchNormalization and LayerNormalization have their own ops.
//
//===----------------------------------------------------------------------===//
#include "ImporterImpl.h"

#include "llvm/Support/Format.h"

using namespace mlir;
using namespace npu;
using namespace npu::onnx_import;

namespace {

/// Mean and (population) variance of `x` over `axes`, kept as size 1, and
/// the centered input x - mean.
struct Moments {
  Value mean, centered, variance;
};

FailureOr<Moments> moments(NodeImporter &n, Value x, ArrayRef<int64_t> axes) {
  auto axesAttr = n.b().getDenseI64ArrayAttr(axes);
  auto keep = n.b().getBoolAttr(true);
  auto mean = n.create<ReduceMeanOp>(x, axesAttr, keep);
  if (failed(mean))
    return failure();
  auto d = n.create<SubOp>(x, *mean);
  if (failed(d))
    return failure();
  auto sq = n.create<MulOp>(*d, *d);
  if (failed(sq))
    return failure();
  auto var = n.create<ReduceMeanOp>(*sq, axesAttr, keep);
  if (failed(var))
    return failure();
  return Moments{*mean, *d, *var};
}

/// sqrt(v + eps).
FailureOr<Value> stdDev(NodeImporter &n, Value v, double eps) {
  Type et = cast<RankedTensorType>(v.getType()).getElementType();
  auto ve = n.create<AddOp>(v, n.scalar(et, eps));
  if (failed(ve))
    return failure();
  return n.create<SqrtOp>(*ve);
}

/// Axes [from, rank) of input 0.
SmallVector<int64_t> axesFrom(NodeImporter &n, int64_t from) {
  SmallVector<int64_t> axes;
  for (int64_t d = from; d < n.inputType(0).getRank(); ++d)
    axes.push_back(d);
  return axes;
}

LogicalResult requireFloatInput(NodeImporter &n, int64_t minRank) {
  auto type = n.inputType(0);
  if (!isa<FloatType>(type.getElementType()))
    return n.error() << "input must be a float tensor";
  if (type.getRank() < minRank)
    return n.error() << "input must have rank >= " << minRank << ", got rank "
                     << type.getRank();
  return success();
}

//===----------------------------------------------------------------------===//
// BatchNormalization
//===----------------------------------------------------------------------===//

/// Training mode (opset >= 14): Y is normalized with the batch statistics
/// over all axes but 1; running_mean and running_var are the inputs'
/// moving averages with momentum: input * momentum + batch * (1 - momentum)
/// (the variance being the population variance, as in the ONNX reference).
LogicalResult importBatchNormTraining(NodeImporter &n, double eps,
                                      double momentum) {
  if (failed(requireFloatInput(n, 2)))
    return failure();
  auto type = n.inputType(0);
  Type et = type.getElementType();
  int64_t channels = type.getDimSize(1);
  for (unsigned i = 1; i < 5; ++i)
    if (n.inputType(i).getShape() != ArrayRef<int64_t>{channels} ||
        n.inputType(i).getElementType() != et)
      return n.error() << "input " << i << " ('" << n.inputName(i)
                       << "') must be a 1-D tensor of " << channels
                       << " elements of the input's type";
  SmallVector<int64_t> axes{0};
  llvm::append_range(axes, axesFrom(n, 2));
  auto m = moments(n, n.input(0), axes);
  if (failed(m))
    return failure();
  auto mean = n.reshape(m->mean, {channels});
  auto var = n.reshape(m->variance, {channels});
  if (failed(mean) || failed(var))
    return failure();
  auto y = n.createTyped<BatchNormOp>(type, n.input(0), n.input(1),
                                      n.input(2), *mean, *var,
                                      n.b().getF64FloatAttr(eps));
  if (failed(y))
    return failure();
  n.setOutput(0, *y);
  Value stats[2] = {*mean, *var};
  for (unsigned i = 0; i < 2; ++i) {
    if (!n.isOutputUsed(1 + i))
      continue;
    auto kept = n.create<MulOp>(n.input(3 + i), n.scalar(et, momentum));
    auto added = n.create<MulOp>(stats[i], n.scalar(et, 1.0 - momentum));
    auto v = succeeded(kept) && succeeded(added)
                 ? n.create<AddOp>(*kept, *added)
                 : FailureOr<Value>();
    if (failed(v))
      return failure();
    n.setOutput(1 + i, *v);
  }
  return success();
}

LogicalResult importBatchNorm(NodeImporter &n) {
  auto eps = n.floatAttr("epsilon", 1e-5);
  auto momentum = n.floatAttr("momentum", 0.9);
  if (failed(eps) || failed(momentum) || failed(n.checkInputs(5, 5)))
    return failure();
  if (*eps < 0)
    return n.attrError("epsilon") << "must be non-negative, got " << *eps;
  if (n.opset() < 7)
    n.ignoreAttr("is_test");
  if (n.opset() < 9) {
    auto spatial = n.intAttr("spatial", 1);
    if (failed(spatial))
      return failure();
    if (*spatial != 1)
      return n.attrError("spatial") << "must be 1, got " << *spatial;
  }
  if (n.opset() >= 14) {
    auto training = n.intAttr("training_mode", 0);
    if (failed(training))
      return failure();
    if (*training != 0 && *training != 1)
      return n.attrError("training_mode") << "must be 0 or 1, got "
                                          << *training;
    if (*training)
      return importBatchNormTraining(n, *eps, *momentum);
  }
  if (failed(n.rejectUsedOutputs(
          1, n.opset() >= 14
                 ? "running statistics are outputs of training mode only"
                 : "training outputs of BatchNormalization before opset 14 "
                   "are not supported")))
    return failure();
  auto v = n.createTyped<BatchNormOp>(n.inputType(0), n.input(0), n.input(1),
                                      n.input(2), n.input(3), n.input(4),
                                      n.b().getF64FloatAttr(*eps));
  if (failed(v))
    return failure();
  n.setOutput(0, *v);
  return success();
}

//===----------------------------------------------------------------------===//
// LayerNormalization, InstanceNormalization, MeanVarianceNormalization
//===----------------------------------------------------------------------===//

/// LayerNormalization's optional outputs: Mean and InvStdDev over the
/// normalized dims, kept as size 1.
LogicalResult importLayerNormStats(NodeImporter &n, int64_t axis,
                                   double eps) {
  auto m = moments(n, n.input(0), axesFrom(n, axis));
  if (failed(m))
    return failure();
  auto sd = stdDev(n, m->variance, eps);
  if (failed(sd))
    return failure();
  auto inv = n.create<ReciprocalOp>(*sd);
  if (failed(inv))
    return failure();
  n.setOutput(1, m->mean);
  n.setOutput(2, *inv);
  return success();
}

LogicalResult importLayerNorm(NodeImporter &n) {
  auto axisAttr = n.intAttr("axis", -1);
  auto eps = n.floatAttr("epsilon", 1e-5);
  auto stash = n.intAttr("stash_type", 1);
  if (failed(axisAttr) || failed(eps) || failed(stash) ||
      failed(n.checkInputs(2, 3)))
    return failure();
  if (*eps < 0)
    return n.attrError("epsilon") << "must be non-negative, got " << *eps;
  auto axis = n.normalizeAxis(*axisAttr, n.inputType(0).getRank(), "axis");
  if (failed(axis))
    return failure();
  if ((n.isOutputUsed(1) || n.isOutputUsed(2)) &&
      failed(importLayerNormStats(n, *axis, *eps)))
    return failure();
  auto v = n.createTyped<LayerNormOp>(n.inputType(0), n.input(0), n.input(1),
                                      n.input(2),
                                      n.b().getI64IntegerAttr(*axis),
                                      n.b().getF64FloatAttr(*eps));
  if (failed(v))
    return failure();
  n.setOutput(0, *v);
  return success();
}

/// (x - mean) / sqrt(var + eps) * scale + bias, statistics over the
/// spatial dims of each (n, c).
LogicalResult importInstanceNorm(NodeImporter &n) {
  auto eps = n.floatAttr("epsilon", 1e-5);
  if (failed(eps) || failed(n.checkInputs(3, 3)) ||
      failed(requireFloatInput(n, 3)))
    return failure();
  auto type = n.inputType(0);
  int64_t rank = type.getRank();
  Type et = type.getElementType();
  int64_t channels = type.getDimSize(1);
  for (unsigned i = 1; i < 3; ++i)
    if (n.inputType(i).getShape() != ArrayRef<int64_t>{channels} ||
        n.inputType(i).getElementType() != et)
      return n.error() << (i == 1 ? "scale" : "B") << " must be a 1-D tensor "
                       << "of " << channels << " elements of the input's type";
  SmallVector<int64_t> chanShape(rank, 1);
  chanShape[1] = channels;
  auto m = moments(n, n.input(0), axesFrom(n, 2));
  if (failed(m))
    return failure();
  auto sd = stdDev(n, m->variance, *eps);
  if (failed(sd))
    return failure();
  auto norm = n.create<DivOp>(m->centered, *sd);
  auto scale = n.reshape(n.input(1), chanShape);
  auto bias = n.reshape(n.input(2), chanShape);
  if (failed(norm) || failed(scale) || failed(bias))
    return failure();
  auto y = n.create<MulOp>(*norm, *scale);
  if (failed(y))
    return failure();
  y = n.create<AddOp>(*y, *bias);
  if (failed(y))
    return failure();
  n.setOutput(0, *y);
  return success();
}

/// (x - mean) / (sqrt(var) + 1e-9) over `axes` (default N and the spatial
/// dims), as the ONNX function body defines it.
LogicalResult importMVN(NodeImporter &n) {
  if (failed(n.checkInputs(1, 1)) || failed(requireFloatInput(n, 1)))
    return failure();
  int64_t rank = n.inputType(0).getRank();
  auto axesAttr = n.intsAttr("axes", ArrayRef<int64_t>{0, 2, 3});
  if (failed(axesAttr))
    return failure();
  SmallVector<int64_t> axes;
  for (int64_t a : *axesAttr) {
    auto axis = n.normalizeAxis(a, rank, "axes");
    if (failed(axis))
      return failure();
    axes.push_back(*axis);
  }
  llvm::sort(axes);
  if (std::adjacent_find(axes.begin(), axes.end()) != axes.end())
    return n.attrError("axes") << "has repeated axes";
  auto m = moments(n, n.input(0), axes);
  if (failed(m))
    return failure();
  Type et = n.inputType(0).getElementType();
  auto sd = n.create<SqrtOp>(m->variance);
  auto den = succeeded(sd) ? n.create<AddOp>(*sd, n.scalar(et, 1e-9)) : sd;
  auto y = succeeded(den) ? n.create<DivOp>(m->centered, *den) : den;
  if (failed(y))
    return failure();
  n.setOutput(0, *y);
  return success();
}

//===----------------------------------------------------------------------===//
// LRN and Dropout
//===----------------------------------------------------------------------===//

/// x / (bias + alpha / size * sum of x^2 over a window of channels)^beta;
/// the window sum adds `size` channel-shifted slices of the padded squares.
LogicalResult importLRN(NodeImporter &n) {
  auto alpha = n.floatAttr("alpha", 1e-4);
  auto beta = n.floatAttr("beta", 0.75);
  auto bias = n.floatAttr("bias", 1.0);
  auto size = n.intAttr("size", std::nullopt);
  if (failed(alpha) || failed(beta) || failed(bias) || failed(size) ||
      failed(n.checkInputs(1, 1)))
    return failure();
  if (*size < 1)
    return n.attrError("size") << "must be positive, got " << *size;
  if (failed(requireFloatInput(n, 3)))
    return failure();
  auto type = n.inputType(0);
  int64_t rank = type.getRank();
  Type et = type.getElementType();
  Value x = n.input(0);
  auto sq = n.create<MulOp>(x, x);
  if (failed(sq))
    return failure();
  SmallVector<int64_t> pads(2 * rank, 0);
  pads[1] = (*size - 1) / 2;
  pads[rank + 1] = *size - 1 - pads[1];
  FailureOr<Value> padded = *sq;
  if (*size > 1)
    padded = n.create<PadOp>(*sq, n.b().getDenseI64ArrayAttr(pads),
                             n.b().getStringAttr("constant"),
                             n.b().getF64FloatAttr(0.0));
  if (failed(padded))
    return failure();
  SmallVector<int64_t> starts(rank, 0), sizes(type.getShape()),
      steps(rank, 1);
  FailureOr<Value> sum;
  for (int64_t i = 0; i < *size; ++i) {
    starts[1] = i;
    FailureOr<Value> s = *padded;
    if (*size > 1)
      s = n.create<SliceOp>(*padded, n.b().getDenseI64ArrayAttr(starts),
                            n.b().getDenseI64ArrayAttr(sizes),
                            n.b().getDenseI64ArrayAttr(steps));
    if (failed(s))
      return failure();
    sum = i == 0 ? s : n.create<AddOp>(*sum, *s);
    if (failed(sum))
      return failure();
  }
  auto scaled = n.create<MulOp>(*sum, n.scalar(et, *alpha / double(*size)));
  if (failed(scaled))
    return failure();
  auto base = n.create<AddOp>(*scaled, n.scalar(et, *bias));
  if (failed(base))
    return failure();
  auto den = n.create<PowOp>(*base, n.scalar(et, *beta));
  if (failed(den))
    return failure();
  auto y = n.create<DivOp>(x, *den);
  if (failed(y))
    return failure();
  n.setOutput(0, *y);
  return success();
}

/// Dropout is the identity at inference, and in training mode with ratio
/// 0; random dropping (training with ratio > 0) is not supported. The mask
/// (bool from opset 10) is then all true.
LogicalResult importDropout(NodeImporter &n) {
  if (failed(n.checkInputs(1, n.opset() >= 12 ? 3 : 1)))
    return failure();
  n.ignoreAttr("seed");
  if (n.opset() < 12)
    n.ignoreAttr("ratio");
  if (n.opset() < 7)
    n.ignoreAttr("is_test");
  if (n.hasInput(2)) {
    auto training = n.requireConstScalar(2, "training_mode");
    if (failed(training))
      return failure();
    double ratio = 0.5;
    if (*training != 0 && n.hasInput(1)) {
      auto r = n.requireConstScalar(1, "ratio");
      if (failed(r))
        return failure();
      ratio = *r;
    }
    if (*training != 0 && ratio != 0) {
      std::string text;
      llvm::raw_string_ostream(text) << llvm::format("%g", ratio);
      return n.error() << "training_mode is true with ratio " << text
                       << ": random dropout is not supported (only ratio 0 "
                          "is deterministic)";
    }
  }
  if (n.opset() < 10 &&
      failed(n.rejectUsedOutputs(1, "Dropout's mask output before opset 10 "
                                    "is not supported")))
    return failure();
  if (n.opset() >= 10 && n.isOutputUsed(1)) {
    auto maskType = n.inputType(0).clone(n.b().getI1Type());
    n.setOutput(1, n.constant(DenseElementsAttr::get(maskType, true)));
  }
  n.setOutput(0, n.input(0), n.inputIsUnsigned(0));
  return success();
}

} // namespace

void npu::onnx_import::addNormHandlers(OpRegistry &r) {
  r.add("BatchNormalization", 6, 17, importBatchNorm);
  r.add("LayerNormalization", 17, 17, importLayerNorm);
  r.add("InstanceNormalization", 6, 17, importInstanceNorm);
  r.add("MeanVarianceNormalization", 9, 17, importMVN);
  r.add("LRN", 1, 17, importLRN);
  r.add("Dropout", 7, 17, importDropout);
}
