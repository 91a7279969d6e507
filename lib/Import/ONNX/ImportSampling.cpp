//===- ImportSampling.cpp - Resize, Upsample, GridSample, RoiAlign --------===//
#include "ImporterImpl.h"

#include <cmath>
#include <cstdio>

using namespace mlir;
using namespace npu;
using namespace npu::onnx_import;

namespace {

/// A double for messages ("%g").
std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

/// Float contents of constant input i; the error names `what`.
FailureOr<SmallVector<double>> requireConstFloats(NodeImporter &n, unsigned i,
                                                  StringRef what) {
  ElementsAttr attr = n.constInput(i);
  if (!attr)
    return n.error() << "input '" << what << "' ('" << n.inputName(i)
                     << "') must be a constant" << n.bindHint(i);
  auto values = readFloats(attr);
  if (!values)
    return n.error() << "input '" << what << "' must be a small tensor, got "
                     << attr.getShapedType();
  return *values;
}

//===----------------------------------------------------------------------===//
// Resize and Upsample
//===----------------------------------------------------------------------===//

/// A resolved Resize: per-axis scales (as used by the coordinate
/// transformation) and result sizes.
struct ResizeShape {
  SmallVector<double> scales;
  SmallVector<int64_t> sizes;
};

/// Result sizes from per-axis scales: floor(in * scale), with the product
/// in float as ONNX shape inference and ONNX Runtime compute it.
LogicalResult sizesFromScales(NodeImporter &n, ArrayRef<int64_t> in,
                              ResizeShape &r) {
  for (auto [d, s] : llvm::enumerate(r.scales)) {
    if (!(s > 0) || !std::isfinite(s))
      return n.error() << "scales must be positive and finite, got " << num(s)
                       << " for axis " << d;
    double size = std::floor(double(float(in[d]) * float(s)));
    if (size < 1)
      return n.error() << "scale " << num(s) << " turns axis " << d
                       << " of size " << in[d]
                       << " into 0 elements; only non-empty results are "
                          "supported";
    if (size > double(kMaxTensorBytes))
      return n.error() << "scale " << num(s) << " makes axis " << d
                       << " too large";
    r.sizes.push_back(int64_t(size));
  }
  return success();
}

FailureOr<Value>
createResize(NodeImporter &n, Value x, StringRef mode, StringRef coord,
             StringRef nearestMode, const ResizeShape &r,
             std::optional<ArrayRef<double>> roi = {}, double cubicA = -0.75,
             bool excludeOutside = false, double extrapolation = 0) {
  auto type = cast<RankedTensorType>(x.getType());
  OpBuilder &b = n.b();
  return n.createTyped<ResizeOp>(
      RankedTensorType::get(r.sizes, type.getElementType()), x,
      b.getStringAttr(mode), b.getStringAttr(coord),
      b.getStringAttr(nearestMode), b.getDenseF64ArrayAttr(r.scales),
      roi ? b.getDenseF64ArrayAttr(*roi) : DenseF64ArrayAttr(),
      b.getF64FloatAttr(cubicA), excludeOutside ? b.getUnitAttr() : UnitAttr(),
      b.getF64FloatAttr(extrapolation));
}

LogicalResult checkResizeMode(NodeImporter &n, StringRef mode,
                              RankedTensorType type, bool allowCubic) {
  if (mode != "nearest" && mode != "linear" && (!allowCubic || mode != "cubic"))
    return n.attrError("mode")
           << "must be nearest, linear" << (allowCubic ? " or cubic" : "")
           << ", got '" << mode << "'";
  if (mode != "nearest" && !isa<FloatType>(type.getElementType()))
    return n.error() << "mode '" << mode << "' on " << type.getElementType()
                     << " is not supported; only nearest resizes integers";
  return success();
}

/// Upsample 7-9 and Resize 10: asymmetric coordinates, nearest or linear.
/// Nearest truncates the source coordinate when upsampling and rounds it up
/// when downsampling (as ONNX Runtime does), so an op that does both becomes
/// two resizes.
LogicalResult importResizeLegacy(NodeImporter &n) {
  bool scalesAttr = n.opType() == "Upsample" && n.opset() < 9;
  if (failed(n.checkInputs(scalesAttr ? 1 : 2, scalesAttr ? 1 : 2)))
    return failure();
  auto mode = n.stringAttr("mode", StringRef("nearest"));
  if (failed(mode))
    return failure();
  auto type = n.inputType(0);
  if (failed(checkResizeMode(n, *mode, type, /*allowCubic=*/false)))
    return failure();
  ResizeShape r;
  if (scalesAttr) {
    auto s = n.floatsAttr("scales", std::nullopt);
    if (failed(s))
      return failure();
    r.scales = *s;
  } else {
    auto s = requireConstFloats(n, 1, "scales");
    if (failed(s))
      return failure();
    r.scales = *s;
  }
  if ((int64_t)r.scales.size() != type.getRank())
    return n.error() << "expects " << type.getRank() << " scales, got "
                     << r.scales.size();
  if (n.opType() == "Upsample")
    for (double s : r.scales)
      if (s < 1)
        return n.error() << "Upsample scales must be >= 1, got " << num(s);
  if (failed(sizesFromScales(n, type.getShape(), r)))
    return failure();
  bool isUnsigned = n.inputIsUnsigned(0);
  if (*mode == "linear")
    return n.setResult(createResize(n, n.input(0), "linear", "asymmetric",
                                    "round_prefer_floor", r));
  bool anyDown = llvm::any_of(r.scales, [](double s) { return s < 1; });
  bool anyUp = llvm::any_of(r.scales, [](double s) { return s > 1; });
  if (!anyDown || !anyUp)
    return n.setResult(createResize(n, n.input(0), "nearest", "asymmetric",
                                    anyDown ? "ceil" : "floor", r),
                       isUnsigned);
  // Downsampled axes first (rounding up), then the others (truncating).
  ResizeShape down = r, up = r;
  auto inShape = type.getShape();
  for (auto [d, s] : llvm::enumerate(r.scales)) {
    if (s < 1) {
      up.scales[d] = 1;
    } else {
      down.scales[d] = 1;
      down.sizes[d] = inShape[d];
    }
  }
  auto v = createResize(n, n.input(0), "nearest", "asymmetric", "ceil", down);
  if (failed(v))
    return failure();
  return n.setResult(createResize(n, *v, "nearest", "asymmetric", "floor", up),
                     isUnsigned);
}

/// Resize 11-19.
LogicalResult importResize(NodeImporter &n) {
  if (n.opset() < 11)
    return importResizeLegacy(n);
  if (failed(n.checkInputs(1, 4)))
    return failure();
  auto type = n.inputType(0);
  int64_t rank = type.getRank();
  auto mode = n.stringAttr("mode", StringRef("nearest"));
  auto coord =
      n.stringAttr("coordinate_transformation_mode", StringRef("half_pixel"));
  auto nearest = n.stringAttr("nearest_mode", StringRef("round_prefer_floor"));
  auto cubicA = n.floatAttr("cubic_coeff_a", -0.75);
  auto exclude = n.intAttr("exclude_outside", 0);
  auto extrapolation = n.floatAttr("extrapolation_value", 0.0);
  if (failed(mode) || failed(coord) || failed(nearest) || failed(cubicA) ||
      failed(exclude) || failed(extrapolation))
    return failure();
  if (failed(checkResizeMode(n, *mode, type, /*allowCubic=*/true)))
    return failure();
  static constexpr StringRef coords[] = {
      "half_pixel",          "pytorch_half_pixel",   "align_corners",
      "asymmetric",          "tf_half_pixel_for_nn", "tf_crop_and_resize",
      "half_pixel_symmetric"};
  ArrayRef<StringRef> known(coords, n.opset() >= 19 ? 7 : 6);
  if (!llvm::is_contained(known, *coord))
    return n.attrError("coordinate_transformation_mode")
           << "'" << *coord << "' is not supported at opset " << n.opset();
  if (!llvm::is_contained(
          {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"},
          *nearest))
    return n.attrError("nearest_mode") << "unknown value '" << *nearest << "'";

  // Opset 18: resized axes, aspect-ratio policy, antialiasing.
  SmallVector<int64_t> axes;
  std::string policy = "stretch";
  bool antialias = false;
  if (n.opset() >= 18) {
    auto a = n.intsAttr("axes", ArrayRef<int64_t>{});
    auto p = n.stringAttr("keep_aspect_ratio_policy", StringRef("stretch"));
    auto aa = n.intAttr("antialias", 0);
    if (failed(a) || failed(p) || failed(aa))
      return failure();
    for (int64_t axis : *a) {
      auto d = n.normalizeAxis(axis, rank, "axes");
      if (failed(d))
        return failure();
      if (llvm::is_contained(axes, *d))
        return n.attrError("axes") << "repeats axis " << *d;
      axes.push_back(*d);
    }
    policy = *p;
    if (policy != "stretch" && policy != "not_larger" &&
        policy != "not_smaller")
      return n.attrError("keep_aspect_ratio_policy")
             << "must be stretch, not_larger or not_smaller, got '" << policy
             << "'";
    antialias = *aa != 0;
  }
  if (axes.empty())
    for (int64_t d = 0; d < rank; ++d)
      axes.push_back(d);
  size_t k = axes.size();

  ResizeShape r;
  r.scales.assign(rank, 1.0);
  // Opset 11 exporters pass an empty tensor for the unused one.
  auto given = [&](unsigned i) {
    return n.hasInput(i) && n.inputType(i).getNumElements() > 0;
  };
  bool hasScales = given(2), hasSizes = given(3);
  if (hasScales == hasSizes)
    return n.error() << "exactly one of the 'scales' and 'sizes' inputs must "
                        "be given";
  if (hasScales) {
    auto s = requireConstFloats(n, 2, "scales");
    if (failed(s))
      return failure();
    if (s->size() != k)
      return n.error() << "expects " << k << " scales, got " << s->size();
    for (auto [i, d] : llvm::enumerate(axes))
      r.scales[d] = (*s)[i];
    if (failed(sizesFromScales(n, type.getShape(), r)))
      return failure();
  } else {
    auto s = n.requireConstInts(3, "sizes");
    if (failed(s))
      return failure();
    if (s->size() != k)
      return n.error() << "expects " << k << " sizes, got " << s->size();
    r.sizes.assign(type.getShape().begin(), type.getShape().end());
    for (auto [i, d] : llvm::enumerate(axes)) {
      if ((*s)[i] <= 0)
        return n.error() << "sizes must be positive, got " << (*s)[i]
                         << " for axis " << d;
      r.sizes[d] = (*s)[i];
      r.scales[d] = double((*s)[i]) / double(type.getDimSize(d));
    }
    if (policy != "stretch") {
      // One scale for all resized axes; sizes are rounded from it.
      double scale = r.scales[axes[0]];
      for (int64_t d : axes)
        scale = policy == "not_larger" ? std::min(scale, r.scales[d])
                                       : std::max(scale, r.scales[d]);
      for (int64_t d : axes) {
        r.scales[d] = scale;
        r.sizes[d] = int64_t(std::floor(scale * type.getDimSize(d) + 0.5));
      }
    }
  }
  if (antialias && *mode != "nearest" &&
      llvm::any_of(r.scales, [](double s) { return s < 1; }))
    return n.attrError("antialias") << "is not supported when downsampling";

  std::optional<SmallVector<double>> roi;
  if (*coord == "tf_crop_and_resize") {
    if (!n.hasInput(1))
      return n.error() << "tf_crop_and_resize needs the 'roi' input";
    auto given = requireConstFloats(n, 1, "roi");
    if (failed(given))
      return failure();
    if (given->size() != 2 * k)
      return n.error() << "expects " << 2 * k << " roi values, got "
                       << given->size();
    roi = SmallVector<double>(rank, 0.0);
    roi->append(rank, 1.0);
    for (auto [i, d] : llvm::enumerate(axes)) {
      (*roi)[d] = (*given)[i];
      (*roi)[d + rank] = (*given)[i + k];
    }
  }
  return n.setResult(
      createResize(n, n.input(0), *mode, *coord, *nearest, r,
                   roi ? std::optional<ArrayRef<double>>(*roi) : std::nullopt,
                   *cubicA, *exclude != 0, *extrapolation),
      n.inputIsUnsigned(0));
}

//===----------------------------------------------------------------------===//
// GridSample and RoiAlign
//===----------------------------------------------------------------------===//

LogicalResult requireFloat(NodeImporter &n, unsigned i, StringRef what) {
  if (!isa<FloatType>(n.inputType(i).getElementType()))
    return n.error() << what << " must be a float tensor, got "
                     << n.inputType(i);
  return success();
}

LogicalResult importGridSample(NodeImporter &n) {
  if (failed(n.checkInputs(2, 2)) || failed(requireFloat(n, 0, "input X")) ||
      failed(requireFloat(n, 1, "grid")))
    return failure();
  auto align = n.intAttr("align_corners", 0);
  auto mode = n.stringAttr("mode", StringRef("bilinear"));
  auto padding = n.stringAttr("padding_mode", StringRef("zeros"));
  if (failed(align) || failed(mode) || failed(padding))
    return failure();
  if (!llvm::is_contained({"bilinear", "nearest", "bicubic"}, *mode))
    return n.attrError("mode")
           << "must be bilinear, nearest or bicubic, got '" << *mode << "'";
  if (!llvm::is_contained({"zeros", "border", "reflection"}, *padding))
    return n.attrError("padding_mode")
           << "must be zeros, border or reflection, got '" << *padding << "'";
  if (n.inputType(0).getRank() != 4)
    return n.error() << "only 4-D (N, C, H, W) inputs are supported, got "
                     << shapeString(n.inputType(0).getShape());
  OpBuilder &b = n.b();
  return n.setResult(n.create<GridSampleOp>(
      n.input(0), n.input(1), b.getStringAttr(*mode), b.getStringAttr(*padding),
      *align ? b.getUnitAttr() : UnitAttr()));
}

LogicalResult importRoiAlign(NodeImporter &n) {
  if (failed(n.checkInputs(3, 3)) || failed(requireFloat(n, 0, "input X")) ||
      failed(requireFloat(n, 1, "rois")))
    return failure();
  if (n.inputType(1).getElementType() != n.inputType(0).getElementType())
    return n.error() << "rois element type " << n.inputType(1).getElementType()
                     << " differs from the input's "
                     << n.inputType(0).getElementType();
  if (!n.inputType(2).getElementType().isInteger(64))
    return n.error() << "batch_indices must be int64, got " << n.inputType(2);
  auto mode = n.stringAttr("mode", StringRef("avg"));
  auto height = n.intAttr("output_height", 1);
  auto width = n.intAttr("output_width", 1);
  auto ratio = n.intAttr("sampling_ratio", 0);
  auto scale = n.floatAttr("spatial_scale", 1.0);
  FailureOr<std::string> coord = std::string("output_half_pixel");
  if (n.opset() >= 16)
    coord =
        n.stringAttr("coordinate_transformation_mode", StringRef("half_pixel"));
  if (failed(mode) || failed(height) || failed(width) || failed(ratio) ||
      failed(scale) || failed(coord))
    return failure();
  if (*mode != "avg" && *mode != "max")
    return n.attrError("mode") << "must be avg or max, got '" << *mode << "'";
  if (*coord != "half_pixel" && *coord != "output_half_pixel")
    return n.attrError("coordinate_transformation_mode")
           << "must be half_pixel or output_half_pixel, got '" << *coord << "'";
  constexpr int64_t kMax = int64_t(1) << 31;
  if (*height <= 0 || *height >= kMax)
    return n.attrError("output_height") << "must be positive, got " << *height;
  if (*width <= 0 || *width >= kMax)
    return n.attrError("output_width") << "must be positive, got " << *width;
  if (*ratio < 0 || *ratio >= kMax)
    return n.attrError("sampling_ratio")
           << "must be non-negative, got " << *ratio;
  if (!std::isfinite(*scale))
    return n.attrError("spatial_scale") << "must be finite";
  if (n.inputType(0).getRank() != 4)
    return n.error() << "input X must be 4-D (N, C, H, W), got "
                     << shapeString(n.inputType(0).getShape());
  OpBuilder &b = n.b();
  return n.setResult(n.create<RoiAlignOp>(
      n.input(0), n.input(1), n.input(2), b.getStringAttr(*mode),
      b.getI64IntegerAttr(*height), b.getI64IntegerAttr(*width),
      b.getI64IntegerAttr(*ratio), b.getF64FloatAttr(*scale),
      *coord == "half_pixel" ? b.getUnitAttr() : UnitAttr()));
}

} // namespace

void npu::onnx_import::addSamplingHandlers(OpRegistry &r) {
  r.add("Resize", 10, 19, importResize);
  r.add("Upsample", 7, 9, importResizeLegacy);
  r.add("GridSample", 16, 19, importGridSample);
  r.add("RoiAlign", 10, 19, importRoiAlign);
}
