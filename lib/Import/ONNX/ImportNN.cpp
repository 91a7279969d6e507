//===- ImportNN.cpp - Conv, ConvTranspose, pooling, MaxUnpool -------------===//
//
// Window ops take any number of spatial dims (N, C, D1, .., Ds): the npu
// ops are rank-generic, so there is one code path for 1-D, 2-D and 3-D.
//
//===----------------------------------------------------------------------===//
#include "ImporterImpl.h"

using namespace mlir;
using namespace npu;
using namespace npu::onnx_import;

namespace {

/// Window attributes are bounded so that output sizes cannot overflow.
constexpr int64_t kMaxWindowValue = int64_t(1) << 31;
bool isPositive(int64_t v) { return v > 0 && v < kMaxWindowValue; }
bool isNonNegative(int64_t v) { return v >= 0 && v < kMaxWindowValue; }
constexpr StringLiteral kPositiveText = "positive and below 2^31";
constexpr StringLiteral kNonNegativeText = "non-negative and below 2^31";

/// Window attributes shared by Conv and the pooling ops.
struct Window {
  SmallVector<int64_t> kernel, strides, pads, dilations; // pads: ONNX order
};

DenseI64ArrayAttr i64s(NodeImporter &n, ArrayRef<int64_t> v) {
  return n.b().getDenseI64ArrayAttr(v);
}

UnitAttr flag(NodeImporter &n, bool set) {
  return set ? n.b().getUnitAttr() : UnitAttr();
}

/// Reads strides/pads/dilations/auto_pad for an input with spatial sizes
/// `in` and kernel `kernel`.
FailureOr<Window> readWindow(NodeImporter &n, ArrayRef<int64_t> in,
                             ArrayRef<int64_t> kernel, bool hasDilations) {
  size_t s = in.size();
  Window w;
  auto strides = n.intsAttrOfLength("strides", s, 1, isPositive, kPositiveText);
  if (failed(strides))
    return failure();
  SmallVector<int64_t> dilations(s, 1);
  if (hasDilations) {
    auto d = n.intsAttrOfLength("dilations", s, 1, isPositive, kPositiveText);
    if (failed(d))
      return failure();
    dilations = *d;
  }
  auto autoPad = n.stringAttr("auto_pad", StringRef("NOTSET"));
  auto pads = n.intsAttrOfLength("pads", 2 * s, 0, isNonNegative,
                                 kNonNegativeText);
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
  }
  w.kernel.assign(kernel.begin(), kernel.end());
  w.strides = *strides;
  w.dilations = dilations;
  w.pads = *pads;
  return w;
}

LogicalResult checkSpatialRank(NodeImporter &n, RankedTensorType type) {
  if (type.getRank() < 3)
    return n.error() << "input must have rank >= 3 (N, C, D1, ..), got shape "
                     << shapeString(type.getShape());
  return success();
}

/// The required kernel_shape of a pooling op.
FailureOr<SmallVector<int64_t>> readKernel(NodeImporter &n, size_t spatial) {
  auto kernel = n.intsAttr("kernel_shape", std::nullopt);
  if (failed(kernel))
    return failure();
  if (kernel->size() != spatial || !llvm::all_of(*kernel, isPositive))
    return n.attrError("kernel_shape")
           << "must have " << spatial << " positive values, got "
           << shapeString(*kernel);
  return kernel;
}

//===----------------------------------------------------------------------===//
// Conv
//===----------------------------------------------------------------------===//

/// Checks shared by Conv and ConvTranspose: 2 or 3 inputs, a positive
/// group, spatial dims, a weight of the input's rank and a kernel_shape
/// that agrees with it. Returns the group.
FailureOr<int64_t> readConvCommon(NodeImporter &n) {
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
  auto kernelShape = n.intsAttr("kernel_shape", kernel);
  if (failed(kernelShape))
    return failure();
  if (ArrayRef<int64_t>(*kernelShape) != kernel)
    return n.attrError("kernel_shape")
           << shapeString(*kernelShape) << " does not match the weight's "
           << "spatial shape " << shapeString(kernel);
  return *group;
}

LogicalResult importConv(NodeImporter &n) {
  auto group = readConvCommon(n);
  if (failed(group))
    return failure();
  auto xType = n.inputType(0), wType = n.inputType(1);
  auto w = readWindow(n, xType.getShape().drop_front(2),
                      wType.getShape().drop_front(2), /*hasDilations=*/true);
  if (failed(w))
    return failure();
  auto v = n.create<ConvOp>(n.input(0), n.input(1), n.input(2),
                            i64s(n, w->strides), i64s(n, w->pads),
                            i64s(n, w->dilations),
                            n.b().getI64IntegerAttr(*group));
  if (failed(v))
    return failure();
  n.setOutput(0, *v);
  return success();
}

/// [N, C, D1, .., Ds] -> [N, C, (D1 - 1) * s1 + 1, ..]: zeros inserted
/// between elements, through [N, C, D1, 1, .., Ds, 1] padded at each 1.
FailureOr<Value> insertZeros(NodeImporter &n, Value x,
                             ArrayRef<int64_t> strides) {
  if (llvm::all_of(strides, [](int64_t s) { return s == 1; }))
    return x;
  auto shape = cast<RankedTensorType>(x.getType()).getShape();
  size_t s = strides.size();
  SmallVector<int64_t> split(shape.take_front(2)), wide(split), sizes(split);
  SmallVector<int64_t> pads(2 * (2 + 2 * s), 0);
  for (size_t i = 0; i < s; ++i) {
    split.append({shape[2 + i], 1});
    pads[(2 + 2 * s) + 3 + 2 * i] = strides[i] - 1;
    wide.push_back(shape[2 + i] * strides[i]);
    sizes.push_back((shape[2 + i] - 1) * strides[i] + 1);
  }
  auto r = n.reshape(x, split);
  if (failed(r))
    return failure();
  auto padded = n.create<PadOp>(*r, i64s(n, pads), n.b().getStringAttr("constant"),
                                n.b().getF64FloatAttr(0.0));
  if (failed(padded))
    return failure();
  auto flat = n.reshape(*padded, wide);
  if (failed(flat))
    return failure();
  return n.create<SliceOp>(*flat, i64s(n, SmallVector<int64_t>(wide.size(), 0)),
                           i64s(n, sizes),
                           i64s(n, SmallVector<int64_t>(wide.size(), 1)));
}

/// [C, M/g, K..] -> [M, C/g, K..] flipped in every spatial dim: through
/// [g, C/g, M/g, K..] transposed to [g, M/g, C/g, K..].
FailureOr<Value> transposeWeight(NodeImporter &n, Value weight, int64_t g) {
  auto shape = cast<RankedTensorType>(weight.getType()).getShape();
  ArrayRef<int64_t> kernel = shape.drop_front(2);
  int64_t cg = shape[0] / g, mg = shape[1];
  SmallVector<int64_t> grouped{g, cg, mg}, perm{0, 2, 1}, regrouped{g * mg, cg};
  for (size_t i = 0; i < kernel.size(); ++i)
    perm.push_back(3 + i);
  llvm::append_range(grouped, kernel);
  llvm::append_range(regrouped, kernel);
  auto w = n.reshape(weight, grouped);
  if (failed(w))
    return failure();
  w = n.create<TransposeOp>(*w, i64s(n, perm));
  if (succeeded(w))
    w = n.reshape(*w, regrouped);
  if (failed(w) || llvm::all_of(kernel, [](int64_t k) { return k == 1; }))
    return w;
  SmallVector<int64_t> starts{0, 0}, steps{1, 1};
  for (int64_t k : kernel) {
    starts.push_back(k - 1);
    steps.push_back(-1);
  }
  return n.create<SliceOp>(*w, i64s(n, starts), i64s(n, regrouped),
                           i64s(n, steps));
}

/// ConvTranspose as a stride-1 convolution: zeros are inserted between the
/// input's elements (stride), the weight is regrouped to [M, C / group, ..]
/// and flipped spatially, and the full result is cropped by the pads.
LogicalResult importConvTranspose(NodeImporter &n) {
  auto group = readConvCommon(n);
  if (failed(group))
    return failure();
  auto xType = n.inputType(0), wType = n.inputType(1);
  int64_t channels = xType.getDimSize(1);
  if (wType.getDimSize(0) != channels || channels % *group)
    return n.error() << "weight of shape " << shapeString(wType.getShape())
                     << " does not match " << channels
                     << " input channels in " << *group << " groups";
  ArrayRef<int64_t> kernel = wType.getShape().drop_front(2);
  size_t s = kernel.size();
  auto strides = n.intsAttrOfLength("strides", s, 1, isPositive, kPositiveText);
  auto dilations =
      n.intsAttrOfLength("dilations", s, 1, isPositive, kPositiveText);
  auto pads = n.intsAttrOfLength("pads", 2 * s, 0, isNonNegative,
                                 kNonNegativeText);
  auto outPad = n.intsAttrOfLength("output_padding", s, 0, isNonNegative,
                                   kNonNegativeText);
  auto outShape = n.intsAttr("output_shape", ArrayRef<int64_t>{});
  auto autoPad = n.stringAttr("auto_pad", StringRef("NOTSET"));
  if (failed(strides) || failed(dilations) || failed(pads) ||
      failed(outPad) || failed(outShape) || failed(autoPad))
    return failure();
  if (*autoPad != "NOTSET" && *autoPad != "VALID" &&
      *autoPad != "SAME_UPPER" && *autoPad != "SAME_LOWER")
    return n.attrError("auto_pad")
           << "must be NOTSET, SAME_UPPER, SAME_LOWER or VALID, got '"
           << *autoPad << "'";
  if (!outShape->empty() && outShape->size() != s)
    return n.attrError("output_shape") << "must have " << s << " entries";

  // Per spatial dim: the begin/end crop of the full result (negative means
  // extra zeros), then the stride-1 conv's pads and the crop left after it.
  ArrayRef<int64_t> in = xType.getShape().drop_front(2);
  SmallVector<int64_t> convPads(2 * s), crop(2 * s);
  bool needCrop = false;
  for (size_t i = 0; i < s; ++i) {
    int64_t st = (*strides)[i], op = (*outPad)[i];
    int64_t effective = (kernel[i] - 1) * (*dilations)[i] + 1;
    int64_t full = st * (in[i] - 1) + effective + op;
    int64_t begin, end;
    bool same = *autoPad == "SAME_UPPER" || *autoPad == "SAME_LOWER";
    if (!outShape->empty() || same) {
      int64_t target = outShape->empty() ? in[i] * st : (*outShape)[i];
      int64_t total = full - target;
      // Floor division, as the ONNX reference does: a negative total (a
      // larger output_shape) extends the end.
      int64_t half = total >= 0 ? total / 2 : -((-total + 1) / 2);
      begin = *autoPad == "SAME_UPPER" ? half : total - half;
      end = total - begin;
    } else if (*autoPad == "VALID") {
      begin = end = 0;
    } else {
      begin = (*pads)[i];
      end = (*pads)[i + s];
    }
    if (full - begin - end <= 0)
      return n.error() << "output dimension " << i << " would be empty";
    int64_t lo = effective - 1 - begin, hi = effective - 1 + op - end;
    convPads[i] = std::max<int64_t>(lo, 0);
    convPads[i + s] = std::max<int64_t>(hi, 0);
    crop[i] = std::max<int64_t>(-lo, 0);
    crop[i + s] = std::max<int64_t>(-hi, 0);
    needCrop |= crop[i] || crop[i + s];
  }

  auto x = insertZeros(n, n.input(0), *strides);
  auto weight = succeeded(x) ? transposeWeight(n, n.input(1), *group)
                             : FailureOr<Value>();
  if (failed(weight))
    return failure();
  FailureOr<Value> v = n.create<ConvOp>(
      *x, *weight, n.input(2), i64s(n, SmallVector<int64_t>(s, 1)),
      i64s(n, convPads), i64s(n, *dilations), n.b().getI64IntegerAttr(*group));
  if (succeeded(v) && needCrop) {
    auto shape = cast<RankedTensorType>(v->getType()).getShape();
    SmallVector<int64_t> starts{0, 0}, sizes(shape.take_front(2));
    for (size_t i = 0; i < s; ++i) {
      starts.push_back(crop[i]);
      sizes.push_back(shape[2 + i] - crop[i] - crop[i + s]);
    }
    v = n.create<SliceOp>(*v, i64s(n, starts), i64s(n, sizes),
                          i64s(n, SmallVector<int64_t>(2 + s, 1)));
  }
  if (failed(v))
    return failure();
  n.setOutput(0, *v);
  return success();
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

/// MaxPool with its optional Indices output.
LogicalResult importMaxPool(NodeImporter &n, Value x, const Window &w,
                            bool ceilMode) {
  auto storage = n.intAttr("storage_order", 0);
  if (failed(storage))
    return failure();
  if (*storage != 0 && *storage != 1)
    return n.attrError("storage_order") << "must be 0 or 1, got " << *storage;
  if (n.isOutputUsed(1)) {
    auto op = n.createMulti<MaxPoolWithIndicesOp>(
        x, i64s(n, w.kernel), i64s(n, w.strides), i64s(n, w.pads),
        i64s(n, w.dilations), flag(n, ceilMode), flag(n, *storage == 1));
    if (failed(op))
      return failure();
    n.setOutput(0, (*op)->getResult(0));
    n.setOutput(1, (*op)->getResult(1));
    return success();
  }
  auto v = n.create<MaxPoolOp>(x, i64s(n, w.kernel), i64s(n, w.strides),
                               i64s(n, w.pads), i64s(n, w.dilations),
                               flag(n, ceilMode));
  if (failed(v))
    return failure();
  n.setOutput(0, *v);
  return success();
}

template <bool IsMax>
LogicalResult importPool(NodeImporter &n) {
  if (failed(n.checkInputs(1, 1)))
    return failure();
  auto type = n.inputType(0);
  if (failed(checkSpatialRank(n, type)))
    return failure();
  auto kernel = readKernel(n, type.getRank() - 2);
  auto ceilMode = n.intAttr("ceil_mode", 0);
  if (failed(kernel) || failed(ceilMode))
    return failure();
  bool hasDilations = IsMax && n.opset() >= 10;
  auto w = readWindow(n, type.getShape().drop_front(2), *kernel, hasDilations);
  if (failed(w))
    return failure();
  if constexpr (IsMax) {
    return importMaxPool(n, n.input(0), *w, *ceilMode != 0);
  } else {
    auto countPad = n.intAttr("count_include_pad", 0);
    if (failed(countPad))
      return failure();
    auto v = n.create<AvgPoolOp>(n.input(0), i64s(n, w->kernel),
                                 i64s(n, w->strides), i64s(n, w->pads),
                                 flag(n, *countPad), flag(n, *ceilMode));
    if (failed(v))
      return failure();
    n.setOutput(0, *v);
    return success();
  }
}

/// |x|^p, and the p-th root; p = 1 and 2 avoid pow.
FailureOr<Value> absPow(NodeImporter &n, Value x, int64_t p) {
  if (p == 2)
    return n.create<MulOp>(x, x);
  auto neg = n.create<NegOp>(x);
  auto abs = succeeded(neg) ? n.create<MaxOp>(x, *neg) : neg;
  if (failed(abs) || p == 1)
    return abs;
  Type et = cast<RankedTensorType>(x.getType()).getElementType();
  return n.create<PowOp>(*abs, n.scalar(et, double(p)));
}

FailureOr<Value> root(NodeImporter &n, Value x, int64_t p) {
  if (p == 1)
    return x;
  if (p == 2)
    return n.create<SqrtOp>(x);
  Type et = cast<RankedTensorType>(x.getType()).getElementType();
  return n.create<PowOp>(x, n.scalar(et, 1.0 / double(p)));
}

/// LpPool: (sum of |x|^p over each zero-padded window)^(1/p), the sum
/// being an average that counts padding times the kernel size.
/// GlobalLpPool: the same over all spatial dims.
template <bool Global>
LogicalResult importLpPool(NodeImporter &n) {
  auto p = n.intAttr("p", 2);
  if (failed(p) || failed(n.checkInputs(1, 1)))
    return failure();
  if (*p < 1)
    return n.attrError("p") << "must be positive, got " << *p;
  auto type = n.inputType(0);
  if (failed(checkSpatialRank(n, type)))
    return failure();
  size_t spatial = type.getRank() - 2;
  if (!isa<FloatType>(type.getElementType()))
    return n.error() << "input must be a float tensor";
  auto powered = absPow(n, n.input(0), *p);
  if (failed(powered))
    return failure();
  FailureOr<Value> sum;
  if constexpr (Global) {
    SmallVector<int64_t> axes;
    for (size_t i = 0; i < spatial; ++i)
      axes.push_back(2 + i);
    sum = n.create<ReduceSumOp>(*powered, i64s(n, axes),
                                n.b().getBoolAttr(true));
  } else {
    auto kernel = readKernel(n, spatial);
    if (failed(kernel))
      return failure();
    auto w = readWindow(n, type.getShape().drop_front(2), *kernel, false);
    if (failed(w))
      return failure();
    auto avg = n.create<AvgPoolOp>(*powered, i64s(n, w->kernel),
                                   i64s(n, w->strides), i64s(n, w->pads),
                                   n.b().getUnitAttr(), UnitAttr());
    double cells = 1;
    for (int64_t k : w->kernel)
      cells *= double(k);
    if (succeeded(avg))
      sum = n.create<MulOp>(*avg, n.scalar(type.getElementType(), cells));
  }
  auto v = succeeded(sum) ? root(n, *sum, *p) : sum;
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
  auto v = n.create<ReduceMaxOp>(n.input(0), i64s(n, axes),
                                 n.b().getBoolAttr(true));
  if (failed(v))
    return failure();
  n.setOutput(0, *v);
  return success();
}

/// MaxUnpool: X scattered into zeros at the flat positions I (from
/// MaxPool) of a tensor of the pooling's input size. A larger output_shape
/// extends that tensor with zeros at the end of each dim, as the ONNX
/// reference does (onnxruntime instead scatters into output_shape).
LogicalResult importMaxUnpool(NodeImporter &n) {
  if (failed(n.checkInputs(2, 3)))
    return failure();
  auto xType = n.inputType(0), iType = n.inputType(1);
  if (failed(checkSpatialRank(n, xType)))
    return failure();
  if (iType.getShape() != xType.getShape() ||
      !iType.getElementType().isInteger(64))
    return n.error() << "I must be an int64 tensor of X's shape "
                     << shapeString(xType.getShape());
  size_t s = xType.getRank() - 2;
  auto kernel = readKernel(n, s);
  if (failed(kernel))
    return failure();
  auto strides = n.intsAttrOfLength("strides", s, 1, isPositive, kPositiveText);
  auto pads = n.intsAttrOfLength("pads", 2 * s, 0, isNonNegative,
                                 kNonNegativeText);
  if (failed(strides) || failed(pads))
    return failure();
  SmallVector<int64_t> shape(xType.getShape().take_front(2));
  for (size_t i = 0; i < s; ++i)
    shape.push_back((xType.getDimSize(2 + i) - 1) * (*strides)[i] +
                    (*kernel)[i] - (*pads)[i] - (*pads)[i + s]);
  if (failed(checkShape(shape, xType.getElementType(), n.loc(),
                        "MaxUnpool output")))
    return failure();
  FailureOr<Value> v =
      n.create<ScatterFlatOp>(n.input(0), n.input(1), i64s(n, shape));
  if (succeeded(v) && n.hasInput(2)) {
    auto outShape = n.requireConstInts(2, "output_shape");
    if (failed(outShape))
      return failure();
    if (outShape->size() != shape.size())
      return n.error() << "output_shape " << shapeString(*outShape)
                       << " must have rank " << shape.size();
    SmallVector<int64_t> extra(2 * shape.size(), 0);
    for (size_t d = 0; d < shape.size(); ++d) {
      if ((*outShape)[d] < shape[d] || (d < 2 && (*outShape)[d] != shape[d]))
        return n.error() << "output_shape " << shapeString(*outShape)
                         << " must not be smaller than the unpooled shape "
                         << shapeString(shape) << " (nor differ in N or C)";
      extra[shape.size() + d] = (*outShape)[d] - shape[d];
    }
    if (llvm::any_of(extra, [](int64_t e) { return e != 0; }))
      v = n.create<PadOp>(*v, i64s(n, extra), n.b().getStringAttr("constant"),
                          n.b().getF64FloatAttr(0.0));
  }
  if (failed(v))
    return failure();
  n.setOutput(0, *v);
  return success();
}

} // namespace

void npu::onnx_import::addNNHandlers(OpRegistry &r) {
  r.add("Conv", 1, 17, importConv);
  r.add("ConvTranspose", 1, 17, importConvTranspose);
  r.add("MaxPool", 1, 17, importPool<true>);
  r.add("AveragePool", 1, 17, importPool<false>);
  r.add("LpPool", 2, 17, importLpPool<false>);
  r.add("GlobalLpPool", 2, 17, importLpPool<true>);
  r.add("GlobalAveragePool", 1, 17, importGlobalAveragePool);
  r.add("GlobalMaxPool", 1, 17, importGlobalMaxPool);
  r.add("MaxUnpool", 9, 17, importMaxUnpool);
}
