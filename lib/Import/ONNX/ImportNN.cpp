//===- ImportNN.cpp - Conv, pooling, normalization and Dropout ------------===//
#include "ImporterImpl.h"

using namespace mlir;
using namespace npu;
using namespace npu::onnx_import;

namespace {

/// Window attributes are bounded so that output sizes cannot overflow.
constexpr int64_t kMaxWindowValue = int64_t(1) << 31;
bool isPositive(int64_t v) { return v > 0 && v < kMaxWindowValue; }
bool isNonNegative(int64_t v) { return v >= 0 && v < kMaxWindowValue; }

/// Window attributes shared by Conv, MaxPool and AveragePool, normalized to
/// 2-D (1-D windows get a leading unit spatial dimension).
struct Window {
  SmallVector<int64_t> kernel, strides, pads, dilations; // pads: 2-D ONNX order
  bool lifted = false; // the op is 1-D and was lifted to 2-D
};

/// Reads strides/pads/dilations/auto_pad for `spatial` spatial dims of an
/// input with spatial sizes `in` and kernel `kernel`.
FailureOr<Window> readWindow(NodeImporter &n, ArrayRef<int64_t> in,
                             ArrayRef<int64_t> kernel, bool hasDilations,
                             bool ceilMode) {
  size_t s = in.size();
  Window w;
  auto strides = n.intsAttrOfLength("strides", s, 1, isPositive, "positive and below 2^31");
  if (failed(strides))
    return failure();
  SmallVector<int64_t> dilations(s, 1);
  if (hasDilations) {
    auto d = n.intsAttrOfLength("dilations", s, 1, isPositive, "positive and below 2^31");
    if (failed(d))
      return failure();
    dilations = *d;
  }
  auto autoPad = n.stringAttr("auto_pad", StringRef("NOTSET"));
  auto pads = n.intsAttrOfLength("pads", 2 * s, 0, isNonNegative,
                                 "non-negative and below 2^31");
  if (failed(autoPad) || failed(pads))
    return failure();
  if (*autoPad != "NOTSET") {
    if (llvm::any_of(*pads, [](int64_t p) { return p != 0; }))
      return n.attrError("pads") << "cannot be combined with auto_pad '"
                                 << *autoPad << "'";
    for (size_t i = 0; i < s; ++i) {
      int64_t effective = (kernel[i] - 1) * dilations[i] + 1;
      if (*autoPad == "VALID") {
        (*pads)[i] = (*pads)[i + s] = 0;
      } else if (*autoPad == "SAME_UPPER" || *autoPad == "SAME_LOWER") {
        int64_t out = (in[i] + (*strides)[i] - 1) / (*strides)[i];
        int64_t total =
            std::max<int64_t>(0, (out - 1) * (*strides)[i] + effective - in[i]);
        int64_t small = total / 2, big = total - small;
        bool upper = *autoPad == "SAME_UPPER";
        (*pads)[i] = upper ? small : big;
        (*pads)[i + s] = upper ? big : small;
      } else {
        return n.attrError("auto_pad")
               << "must be NOTSET, SAME_UPPER, SAME_LOWER or VALID, got '"
               << *autoPad << "'";
      }
    }
    (void)ceilMode;
  }
  w.kernel.assign(kernel.begin(), kernel.end());
  w.strides = *strides;
  w.dilations = dilations;
  w.pads = *pads;
  if (s == 1) {
    // [N, C, L] -> [N, C, 1, L]: the lifted dimension has a unit window.
    w.lifted = true;
    w.kernel.insert(w.kernel.begin(), 1);
    w.strides.insert(w.strides.begin(), 1);
    w.dilations.insert(w.dilations.begin(), 1);
    w.pads = {0, (*pads)[0], 0, (*pads)[1]};
  }
  return w;
}

/// Inserts the unit height dimension of a lifted 1-D window op.
FailureOr<Value> liftTo2D(NodeImporter &n, Value v) {
  auto type = cast<RankedTensorType>(v.getType());
  SmallVector<int64_t> shape(type.getShape());
  shape.insert(shape.begin() + 2, 1);
  return n.reshape(v, shape);
}

FailureOr<Value> dropLift(NodeImporter &n, FailureOr<Value> v) {
  if (failed(v))
    return failure();
  auto type = cast<RankedTensorType>(v->getType());
  SmallVector<int64_t> shape(type.getShape());
  shape.erase(shape.begin() + 2);
  return n.reshape(*v, shape);
}

LogicalResult checkSpatialRank(NodeImporter &n, RankedTensorType type) {
  if (type.getRank() != 3 && type.getRank() != 4)
    return n.error() << "only 1-D and 2-D windows are supported; input has "
                        "shape "
                     << shapeString(type.getShape());
  return success();
}

//===----------------------------------------------------------------------===//
// Conv
//===----------------------------------------------------------------------===//

LogicalResult importConv(NodeImporter &n) {
  if (failed(n.checkInputs(2, 3)))
    return failure();
  auto group = n.intAttr("group", 1);
  if (failed(group))
    return failure();
  if (*group <= 0)
    return n.attrError("group") << "must be positive, got " << *group;
  auto xType = n.inputType(0), wType = n.inputType(1);
  if (failed(checkSpatialRank(n, xType)))
    return failure();
  if (wType.getRank() != xType.getRank())
    return n.error() << "weight of shape " << shapeString(wType.getShape())
                     << " does not match the rank of input "
                     << shapeString(xType.getShape());
  ArrayRef<int64_t> kernel = wType.getShape().drop_front(2);
  size_t spatial = kernel.size();
  auto kernelShape = n.intsAttr("kernel_shape", kernel);
  if (failed(kernelShape))
    return failure();
  if (ArrayRef<int64_t>(*kernelShape) != kernel)
    return n.attrError("kernel_shape")
           << shapeString(*kernelShape) << " does not match the weight's "
           << "spatial shape " << shapeString(kernel);
  auto w = readWindow(n, xType.getShape().drop_front(2), kernel,
                      /*hasDilations=*/true, false);
  if (failed(w))
    return failure();
  (void)spatial;
  Value x = n.input(0), weight = n.input(1), bias = n.input(2);
  if (w->lifted) {
    auto lx = liftTo2D(n, x);
    auto lw = succeeded(lx) ? liftTo2D(n, weight) : FailureOr<Value>();
    if (failed(lx) || failed(lw))
      return failure();
    x = *lx;
    weight = *lw;
  }
  FailureOr<Value> v = n.create<Conv2DOp>(
      x, weight, bias, n.b().getDenseI64ArrayAttr(w->strides),
      n.b().getDenseI64ArrayAttr(w->pads),
      n.b().getDenseI64ArrayAttr(w->dilations),
      n.b().getI64IntegerAttr(*group));
  if (w->lifted)
    v = dropLift(n, v);
  if (failed(v))
    return failure();
  n.setOutput(0, *v);
  return success();
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

template <bool IsMax>
LogicalResult importPool(NodeImporter &n) {
  if (failed(n.checkInputs(1, 1)))
    return failure();
  auto type = n.inputType(0);
  if (failed(checkSpatialRank(n, type)))
    return failure();
  size_t spatial = type.getRank() - 2;
  auto kernel = n.intsAttr("kernel_shape", std::nullopt);
  if (failed(kernel))
    return failure();
  if (kernel->size() != spatial || !llvm::all_of(*kernel, isPositive))
    return n.attrError("kernel_shape")
           << "must have " << spatial << " positive values, got "
           << shapeString(*kernel);
  auto ceilMode = n.intAttr("ceil_mode", 0);
  if (failed(ceilMode))
    return failure();
  bool hasDilations = IsMax && n.opset() >= 10;
  auto w = readWindow(n, type.getShape().drop_front(2), *kernel, hasDilations,
                      *ceilMode != 0);
  if (failed(w))
    return failure();
  Value x = n.input(0);
  if (w->lifted) {
    auto lx = liftTo2D(n, x);
    if (failed(lx))
      return failure();
    x = *lx;
  }
  auto &b = n.b();
  FailureOr<Value> v;
  if constexpr (IsMax) {
    auto storage = n.intAttr("storage_order", 0);
    if (failed(storage) || failed(n.rejectUsedOutputs(
                               1, "MaxPool's Indices output is not supported")))
      return failure();
    v = n.create<MaxPool2DOp>(
        x, b.getDenseI64ArrayAttr(w->kernel),
        b.getDenseI64ArrayAttr(w->strides), b.getDenseI64ArrayAttr(w->pads),
        b.getDenseI64ArrayAttr(w->dilations),
        *ceilMode ? b.getUnitAttr() : UnitAttr());
  } else {
    auto countPad = n.intAttr("count_include_pad", 0);
    if (failed(countPad))
      return failure();
    v = n.create<AvgPool2DOp>(
        x, b.getDenseI64ArrayAttr(w->kernel),
        b.getDenseI64ArrayAttr(w->strides), b.getDenseI64ArrayAttr(w->pads),
        *countPad ? b.getUnitAttr() : UnitAttr(),
        *ceilMode ? b.getUnitAttr() : UnitAttr());
  }
  if (w->lifted)
    v = dropLift(n, v);
  if (failed(v))
    return failure();
  n.setOutput(0, *v);
  return success();
}

LogicalResult importGlobalAveragePool(NodeImporter &n) {
  if (failed(n.checkInputs(1, 1)))
    return failure();
  auto v = n.create<GlobalAvgPoolOp>(n.input(0));
  if (failed(v))
    return failure();
  n.setOutput(0, *v);
  return success();
}

LogicalResult importGlobalMaxPool(NodeImporter &n) {
  if (failed(n.checkInputs(1, 1)))
    return failure();
  int64_t rank = n.inputType(0).getRank();
  if (rank < 3)
    return n.error() << "input must have rank >= 3, got " << rank;
  SmallVector<int64_t> axes;
  for (int64_t d = 2; d < rank; ++d)
    axes.push_back(d);
  auto v = n.create<ReduceMaxOp>(n.input(0), n.b().getDenseI64ArrayAttr(axes),
                                 n.b().getBoolAttr(true));
  if (failed(v))
    return failure();
  n.setOutput(0, *v);
  return success();
}

//===----------------------------------------------------------------------===//
// Normalization
//===----------------------------------------------------------------------===//

LogicalResult importBatchNorm(NodeImporter &n) {
  auto eps = n.floatAttr("epsilon", 1e-5);
  if (failed(eps) || failed(n.checkInputs(5, 5)))
    return failure();
  n.ignoreAttr("momentum");
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
    if (*training != 0)
      return n.attrError("training_mode")
             << "must be 0; only inference is supported";
  }
  if (failed(n.rejectUsedOutputs(1, "training outputs of BatchNormalization "
                                    "are not supported (inference only)")))
    return failure();
  if (*eps < 0)
    return n.attrError("epsilon") << "must be non-negative, got " << *eps;
  auto v = n.createTyped<BatchNormOp>(n.inputType(0), n.input(0), n.input(1),
                                      n.input(2), n.input(3), n.input(4),
                                      n.b().getF64FloatAttr(*eps));
  if (failed(v))
    return failure();
  n.setOutput(0, *v);
  return success();
}

/// LayerNormalization's optional outputs: Mean and InvStdDev over the
/// normalized dims, kept as size 1.
LogicalResult importLayerNormStats(NodeImporter &n, int64_t axis,
                                   double eps) {
  Value x = n.input(0);
  auto type = n.inputType(0);
  SmallVector<int64_t> axes;
  for (int64_t d = axis; d < type.getRank(); ++d)
    axes.push_back(d);
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
  auto ve = n.create<AddOp>(*var, n.scalar(type.getElementType(), eps));
  if (failed(ve))
    return failure();
  auto sd = n.create<SqrtOp>(*ve);
  if (failed(sd))
    return failure();
  auto inv = n.create<ReciprocalOp>(*sd);
  if (failed(inv))
    return failure();
  n.setOutput(1, *mean);
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
    if (*training != 0)
      return n.error() << "training_mode is true; only inference is "
                          "supported";
  }
  if (failed(n.rejectUsedOutputs(1, "Dropout's mask output is not supported "
                                    "(inference only)")))
    return failure();
  n.setOutput(0, n.input(0), n.inputIsUnsigned(0));
  return success();
}

} // namespace

void npu::onnx_import::addNNHandlers(OpRegistry &r) {
  r.add("Conv", 1, 17, importConv);
  r.add("MaxPool", 1, 17, importPool<true>);
  r.add("AveragePool", 1, 17, importPool<false>);
  r.add("GlobalAveragePool", 1, 17, importGlobalAveragePool);
  r.add("GlobalMaxPool", 1, 17, importGlobalMaxPool);
  r.add("BatchNormalization", 6, 17, importBatchNorm);
  r.add("LayerNormalization", 17, 17, importLayerNorm);
  r.add("Dropout", 7, 17, importDropout);
}
