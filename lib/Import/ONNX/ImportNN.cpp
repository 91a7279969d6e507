//===- ImportNN.cpp - Conv, ConvTranspose, pooling, normalization, Dropout =//
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

} // namespace

FailureOr<Value> npu::onnx_import::liftTo2D(NodeImporter &n, Value v) {
  auto type = cast<RankedTensorType>(v.getType());
  SmallVector<int64_t> shape(type.getShape());
  shape.insert(shape.begin() + 2, 1);
  return n.reshape(v, shape);
}

FailureOr<Value> npu::onnx_import::dropLift(NodeImporter &n,
                                            FailureOr<Value> v) {
  if (failed(v))
    return failure();
  auto type = cast<RankedTensorType>(v->getType());
  SmallVector<int64_t> shape(type.getShape());
  shape.erase(shape.begin() + 2);
  return n.reshape(*v, shape);
}

namespace {

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

/// Checks shared by Conv and ConvTranspose: a positive group, a 1-D or 2-D
/// window and a weight of the input's rank.
FailureOr<int64_t> readConvGroup(NodeImporter &n, RankedTensorType xType,
                                 RankedTensorType wType) {
  auto group = n.intAttr("group", 1);
  if (failed(group))
    return failure();
  if (*group <= 0)
    return n.attrError("group") << "must be positive, got " << *group;
  if (failed(checkSpatialRank(n, xType)))
    return failure();
  if (wType.getRank() != xType.getRank())
    return n.error() << "weight of shape " << shapeString(wType.getShape())
                     << " does not match the rank of input "
                     << shapeString(xType.getShape());
  return *group;
}

} // namespace

FailureOr<ConvWindow> npu::onnx_import::readConvWindow(NodeImporter &n,
                                                       RankedTensorType xType,
                                                       RankedTensorType wType) {
  auto group = readConvGroup(n, xType, wType);
  if (failed(group))
    return failure();
  ArrayRef<int64_t> kernel = wType.getShape().drop_front(2);
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
  return ConvWindow{w->strides, w->pads, w->dilations, *group, w->lifted};
}

namespace {

LogicalResult importConv(NodeImporter &n) {
  if (failed(n.checkInputs(2, 3)))
    return failure();
  auto w = readConvWindow(n, n.inputType(0), n.inputType(1));
  if (failed(w))
    return failure();
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
      n.b().getI64IntegerAttr(w->group));
  if (w->lifted)
    v = dropLift(n, v);
  if (failed(v))
    return failure();
  n.setOutput(0, *v);
  return success();
}

/// ConvTranspose as a stride-1 convolution: zeros are inserted between the
/// input's elements (stride), the weight is regrouped to [M, C / group, ..]
/// and flipped spatially, and the full result is cropped by the pads.
LogicalResult importConvTranspose(NodeImporter &n) {
  if (failed(n.checkInputs(2, 3)))
    return failure();
  auto xType = n.inputType(0), wType = n.inputType(1);
  auto group = readConvGroup(n, xType, wType);
  if (failed(group))
    return failure();
  int64_t channels = xType.getDimSize(1);
  if (wType.getDimSize(0) != channels || channels % *group)
    return n.error() << "weight of shape " << shapeString(wType.getShape())
                     << " does not match " << channels
                     << " input channels in " << *group << " groups";
  ArrayRef<int64_t> kernelRef = wType.getShape().drop_front(2);
  size_t s = kernelRef.size();
  auto kernelShape = n.intsAttr("kernel_shape", kernelRef);
  auto strides = n.intsAttrOfLength("strides", s, 1, isPositive,
                                    "positive and below 2^31");
  auto dilations = n.intsAttrOfLength("dilations", s, 1, isPositive,
                                      "positive and below 2^31");
  auto pads = n.intsAttrOfLength("pads", 2 * s, 0, isNonNegative,
                                 "non-negative and below 2^31");
  auto outPad = n.intsAttrOfLength("output_padding", s, 0, isNonNegative,
                                   "non-negative and below 2^31");
  auto outShape = n.intsAttr("output_shape", ArrayRef<int64_t>{});
  auto autoPad = n.stringAttr("auto_pad", StringRef("NOTSET"));
  if (failed(kernelShape) || failed(strides) || failed(dilations) ||
      failed(pads) || failed(outPad) || failed(outShape) || failed(autoPad))
    return failure();
  if (ArrayRef<int64_t>(*kernelShape) != kernelRef)
    return n.attrError("kernel_shape")
           << shapeString(*kernelShape) << " does not match the weight's "
           << "spatial shape " << shapeString(kernelRef);
  if (*autoPad != "NOTSET" && *autoPad != "VALID" &&
      *autoPad != "SAME_UPPER" && *autoPad != "SAME_LOWER")
    return n.attrError("auto_pad")
           << "must be NOTSET, SAME_UPPER, SAME_LOWER or VALID, got '"
           << *autoPad << "'";
  if (!outShape->empty() && outShape->size() != s)
    return n.attrError("output_shape") << "must have " << s << " entries";

  // Per spatial dim: begin/end crop of the full result (may be negative,
  // meaning extra zero padding).
  SmallVector<int64_t> in(xType.getShape().drop_front(2)), kernel(kernelRef),
      st(*strides), dil(*dilations), op(*outPad), begin(s), end(s);
  for (size_t i = 0; i < s; ++i) {
    int64_t effective = (kernel[i] - 1) * dil[i] + 1;
    int64_t full = st[i] * (in[i] - 1) + effective + op[i];
    bool same = *autoPad == "SAME_UPPER" || *autoPad == "SAME_LOWER";
    if (!outShape->empty() || same) {
      int64_t target = outShape->empty() ? in[i] * st[i] : (*outShape)[i];
      int64_t total = full - target;
      // Floor division, as the ONNX reference does: a negative total (a
      // larger output_shape) extends the end.
      int64_t half = total >= 0 ? total / 2 : -((-total + 1) / 2);
      begin[i] = *autoPad == "SAME_UPPER" ? half : total - half;
      end[i] = total - begin[i];
    } else if (*autoPad == "VALID") {
      begin[i] = end[i] = 0;
    } else {
      begin[i] = (*pads)[i];
      end[i] = (*pads)[i + s];
    }
    if (full - begin[i] - end[i] <= 0)
      return n.error() << "output dimension " << i << " would be empty";
  }

  Value x = n.input(0), weight = n.input(1), bias = n.input(2);
  bool lifted = s == 1;
  if (lifted) {
    auto lx = liftTo2D(n, x);
    auto lw = succeeded(lx) ? liftTo2D(n, weight) : FailureOr<Value>();
    if (failed(lx) || failed(lw))
      return failure();
    x = *lx;
    weight = *lw;
    for (auto *v : {&in, &kernel, &st, &dil, &op, &begin, &end})
      v->insert(v->begin(), v == &in || v == &kernel || v == &st || v == &dil
                                ? 1
                                : 0);
  }
  auto &b = n.b();
  int64_t batch = xType.getDimSize(0);
  // Zero insertion: [N,C,H,W] -> [N,C,H,1,W,1] -> pad to [N,C,H,sh,W,sw]
  // -> [N,C,H*sh,W*sw] -> drop the trailing zeros.
  if (st[0] > 1 || st[1] > 1) {
    auto r = n.reshape(x, {batch, channels, in[0], 1, in[1], 1});
    if (failed(r))
      return failure();
    SmallVector<int64_t> p(12, 0);
    p[6 + 3] = st[0] - 1;
    p[6 + 5] = st[1] - 1;
    auto padded = n.create<PadOp>(*r, b.getDenseI64ArrayAttr(p),
                                  b.getStringAttr("constant"),
                                  b.getF64FloatAttr(0.0));
    if (failed(padded))
      return failure();
    auto wide = n.reshape(*padded,
                          {batch, channels, in[0] * st[0], in[1] * st[1]});
    if (failed(wide))
      return failure();
    auto cut = n.create<SliceOp>(
        *wide, b.getDenseI64ArrayAttr({0, 0, 0, 0}),
        b.getDenseI64ArrayAttr({batch, channels, (in[0] - 1) * st[0] + 1,
                                (in[1] - 1) * st[1] + 1}),
        b.getDenseI64ArrayAttr({1, 1, 1, 1}));
    if (failed(cut))
      return failure();
    x = *cut;
  }
  // [C, M/g, kh, kw] -> [g, C/g, M/g, kh, kw] -> [g, M/g, C/g, kh, kw]
  // -> [M, C/g, kh, kw], flipped in kh and kw.
  int64_t g = *group, cg = channels / g,
          mg = cast<RankedTensorType>(weight.getType()).getDimSize(1);
  auto w5 = n.reshape(weight, {g, cg, mg, kernel[0], kernel[1]});
  if (failed(w5))
    return failure();
  auto wt = n.create<TransposeOp>(*w5, b.getDenseI64ArrayAttr({0, 2, 1, 3, 4}));
  if (failed(wt))
    return failure();
  auto w4 = n.reshape(*wt, {g * mg, cg, kernel[0], kernel[1]});
  if (failed(w4))
    return failure();
  FailureOr<Value> wf = *w4;
  if (kernel[0] > 1 || kernel[1] > 1)
    wf = n.create<SliceOp>(
        *w4, b.getDenseI64ArrayAttr({0, 0, kernel[0] - 1, kernel[1] - 1}),
        b.getDenseI64ArrayAttr({g * mg, cg, kernel[0], kernel[1]}),
        b.getDenseI64ArrayAttr({1, 1, -1, -1}));
  if (failed(wf))
    return failure();
  SmallVector<int64_t> convPads(4), crop(4, 0);
  for (size_t i = 0; i < 2; ++i) {
    int64_t effective = (kernel[i] - 1) * dil[i] + 1;
    int64_t lo = effective - 1 - begin[i];
    int64_t hi = effective - 1 + op[i] - end[i];
    convPads[i] = std::max<int64_t>(lo, 0);
    convPads[i + 2] = std::max<int64_t>(hi, 0);
    crop[i] = std::max<int64_t>(-lo, 0);
    crop[i + 2] = std::max<int64_t>(-hi, 0);
  }
  FailureOr<Value> v = n.create<Conv2DOp>(
      x, *wf, bias, b.getDenseI64ArrayAttr({1, 1}),
      b.getDenseI64ArrayAttr(convPads), b.getDenseI64ArrayAttr(dil),
      b.getI64IntegerAttr(g));
  if (succeeded(v) && llvm::any_of(crop, [](int64_t c) { return c != 0; })) {
    auto shape = cast<RankedTensorType>(v->getType()).getShape();
    v = n.create<SliceOp>(
        *v, b.getDenseI64ArrayAttr({0, 0, crop[0], crop[1]}),
        b.getDenseI64ArrayAttr({shape[0], shape[1],
                                shape[2] - crop[0] - crop[2],
                                shape[3] - crop[1] - crop[3]}),
        b.getDenseI64ArrayAttr({1, 1, 1, 1}));
  }
  if (lifted)
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

/// (x - mean) / sqrt(var + eps) * scale + bias, statistics over the
/// spatial dims of each (n, c).
LogicalResult importInstanceNorm(NodeImporter &n) {
  auto eps = n.floatAttr("epsilon", 1e-5);
  if (failed(eps) || failed(n.checkInputs(3, 3)))
    return failure();
  auto type = n.inputType(0);
  int64_t rank = type.getRank();
  Type et = type.getElementType();
  if (!isa<FloatType>(et))
    return n.error() << "input must be a float tensor";
  if (rank < 3)
    return n.error() << "input must have rank >= 3 (N, C, D1, ...), got rank "
                     << rank;
  int64_t channels = type.getDimSize(1);
  for (unsigned i = 1; i < 3; ++i)
    if (n.inputType(i).getShape() != ArrayRef<int64_t>{channels} ||
        n.inputType(i).getElementType() != et)
      return n.error() << (i == 1 ? "scale" : "B") << " must be a 1-D tensor "
                       << "of " << channels << " elements of the input's type";
  SmallVector<int64_t> axes, chanShape(rank, 1);
  for (int64_t d = 2; d < rank; ++d)
    axes.push_back(d);
  chanShape[1] = channels;
  auto axesAttr = n.b().getDenseI64ArrayAttr(axes);
  auto keep = n.b().getBoolAttr(true);
  Value x = n.input(0);
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
  auto ve = n.create<AddOp>(*var, n.scalar(et, *eps));
  if (failed(ve))
    return failure();
  auto sd = n.create<SqrtOp>(*ve);
  if (failed(sd))
    return failure();
  auto norm = n.create<DivOp>(*d, *sd);
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
  auto type = n.inputType(0);
  int64_t rank = type.getRank();
  Type et = type.getElementType();
  if (!isa<FloatType>(et))
    return n.error() << "input must be a float tensor";
  if (rank < 3)
    return n.error() << "input must have rank >= 3 (N, C, D1, ...), got rank "
                     << rank;
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
  // At inference nothing is dropped: the mask (bool from opset 10) is all
  // true.
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

void npu::onnx_import::addNNHandlers(OpRegistry &r) {
  r.add("Conv", 1, 17, importConv);
  r.add("ConvTranspose", 1, 17, importConvTranspose);
  r.add("MaxPool", 1, 17, importPool<true>);
  r.add("AveragePool", 1, 17, importPool<false>);
  r.add("GlobalAveragePool", 1, 17, importGlobalAveragePool);
  r.add("GlobalMaxPool", 1, 17, importGlobalMaxPool);
  r.add("BatchNormalization", 6, 17, importBatchNorm);
  r.add("LayerNormalization", 17, 17, importLayerNorm);
  r.add("Dropout", 7, 17, importDropout);
  r.add("InstanceNormalization", 6, 17, importInstanceNorm);
  r.add("LRN", 1, 17, importLRN);
}
