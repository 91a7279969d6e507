//===- NPUSamplingOps.cpp - resize, grid sample and RoI align -------------===//
#include "npu/Dialect/NPU/IR/NPUSampling.h"

#include "mlir/IR/Builders.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace npu;

//===----------------------------------------------------------------------===//
// npu.resize
//===----------------------------------------------------------------------===//

static bool isOneOf(StringRef s, ArrayRef<StringRef> options) {
  return llvm::is_contained(options, s);
}

LogicalResult ResizeOp::verify() {
  auto in = getInput().getType();
  auto out = getResult().getType();
  int64_t rank = in.getRank();
  if (out.getRank() != rank)
    return emitOpError("result rank ")
           << out.getRank() << " differs from input rank " << rank;
  if (!isOneOf(getMode(), {"nearest", "linear", "cubic"}))
    return emitOpError("unknown mode '") << getMode() << "'";
  if (getMode() != "nearest" && !isa<FloatType>(in.getElementType()))
    return emitOpError("mode '") << getMode() << "' needs a float tensor";
  if (!isOneOf(getCoordinateMode(),
               {"half_pixel", "half_pixel_symmetric", "pytorch_half_pixel",
                "align_corners", "asymmetric", "tf_half_pixel_for_nn",
                "tf_crop_and_resize"}))
    return emitOpError("unknown coordinate_mode '")
           << getCoordinateMode() << "'";
  if (!isOneOf(getNearestMode(),
               {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"}))
    return emitOpError("unknown nearest_mode '") << getNearestMode() << "'";
  if ((int64_t)getScales().size() != rank)
    return emitOpError("expects ")
           << rank << " scales, got " << getScales().size();
  for (double s : getScales())
    if (!(s > 0) || !std::isfinite(s))
      return emitOpError("scales must be positive and finite");
  bool crop = getCoordinateMode() == "tf_crop_and_resize";
  if (crop != getRoi().has_value())
    return emitOpError("roi is required by tf_crop_and_resize and only by it");
  if (crop) {
    if ((int64_t)getRoi()->size() != 2 * rank)
      return emitOpError("expects ")
             << 2 * rank << " roi values, got " << getRoi()->size();
    if (!llvm::all_of(*getRoi(), [](double v) { return std::isfinite(v); }))
      return emitOpError("roi values must be finite");
  }
  if (!std::isfinite(getCubicCoeffA().convertToDouble()))
    return emitOpError("cubic_coeff_a must be finite");
  return success();
}

bool ResizeAxisTaps::isIdentity() const {
  int64_t positions = outside.size();
  if (hasOutside || positions != inputSize)
    return false;
  for (int64_t o = 0; o < positions; ++o) {
    double own = 0;
    for (int64_t k = 0; k < taps; ++k) {
      double w = weight[o * taps + k];
      if (index[o * taps + k] == o)
        own += w;
      else if (w != 0)
        return false;
    }
    if (own != 1)
      return false;
  }
  return true;
}

/// Input coordinate of output position x (ONNX reference: the "output
/// width" in the formulas is scale * in, not the rounded size).
static double sourceCoordinate(StringRef mode, double x, double scale,
                               int64_t in, int64_t out, double roiStart,
                               double roiEnd) {
  double outWidth = scale * double(in);
  if (mode == "half_pixel")
    return (x + 0.5) / scale - 0.5;
  if (mode == "half_pixel_symmetric") {
    double adjustment = double(out) / outWidth;
    double offset = double(in) / 2 * (1 - adjustment);
    return offset + (x + 0.5) / scale - 0.5;
  }
  if (mode == "pytorch_half_pixel")
    return outWidth == 1 ? -0.5 : (x + 0.5) / scale - 0.5;
  if (mode == "align_corners")
    return outWidth == 1 ? 0.0 : x * double(in - 1) / (outWidth - 1);
  if (mode == "asymmetric")
    return x / scale;
  if (mode == "tf_half_pixel_for_nn")
    return (x + 0.5) / scale;
  // tf_crop_and_resize
  double span = (roiEnd - roiStart) * double(in - 1);
  double start = roiStart * double(in - 1);
  return outWidth == 1 ? start + span / 2 : start + x * span / (outWidth - 1);
}

/// Keys cubic convolution weights of the 4 taps left-1 .. left+2 at
/// distance `t` in (0, 1] right of `left`.
static void cubicWeights(double t, double a, double w[4]) {
  auto near = [a](double x) { return ((a + 2) * x - (a + 3)) * x * x + 1; };
  auto far = [a](double x) {
    return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
  };
  w[0] = far(t + 1);
  w[1] = near(t);
  w[2] = near(1 - t);
  w[3] = far(2 - t);
}

ResizeAxisTaps npu::computeResizeTaps(ResizeOp op, int64_t axis) {
  int64_t in = op.getInput().getType().getDimSize(axis);
  int64_t out = op.getResult().getType().getDimSize(axis);
  int64_t rank = op.getInput().getType().getRank();
  double scale = op.getScales()[axis];
  StringRef coord = op.getCoordinateMode(), mode = op.getMode();
  double roiStart = 0, roiEnd = 1;
  if (auto roi = op.getRoi()) {
    roiStart = (*roi)[axis];
    roiEnd = (*roi)[axis + rank];
  }
  ResizeAxisTaps t;
  t.taps = mode == "nearest" ? 1 : mode == "linear" ? 2 : 4;
  t.inputSize = in;
  for (int64_t o = 0; o < out; ++o) {
    double x =
        sourceCoordinate(coord, double(o), scale, in, out, roiStart, roiEnd);
    bool outside =
        coord == "tf_crop_and_resize" && (x < 0 || x > double(in - 1));
    t.outside.push_back(outside);
    t.hasOutside |= outside;
    // The reference interpolates between `left` and left + 1 with the
    // fraction in (0, 1]: an integral coordinate is the right neighbour.
    double left = std::ceil(x) - 1;
    double frac = x - left;
    int64_t first = int64_t(left);
    double w[4] = {1, 0, 0, 0};
    if (mode == "nearest") {
      StringRef nm = op.getNearestMode();
      bool up = frac == 1 || nm == "ceil" ||
                (nm == "round_prefer_floor" && frac > 0.5) ||
                (nm == "round_prefer_ceil" && frac >= 0.5);
      first = up ? first + 1 : first;
    } else if (mode == "linear") {
      w[0] = 1 - frac;
      w[1] = frac;
    } else {
      cubicWeights(frac, op.getCubicCoeffA().convertToDouble(), w);
      first -= 1;
    }
    if (op.getExcludeOutside() && mode != "nearest") {
      double sum = 0;
      for (int64_t k = 0; k < t.taps; ++k) {
        if (first + k < 0 || first + k >= in)
          w[k] = 0;
        sum += w[k];
      }
      for (int64_t k = 0; k < t.taps; ++k)
        w[k] /= sum;
    }
    for (int64_t k = 0; k < t.taps; ++k) {
      t.index.push_back(std::clamp<int64_t>(first + k, 0, in - 1));
      t.weight.push_back(outside ? 0.0 : w[k]);
    }
  }
  return t;
}

//===----------------------------------------------------------------------===//
// npu.grid_sample
//===----------------------------------------------------------------------===//

LogicalResult GridSampleOp::inferReturnTypes(MLIRContext *,
                                             std::optional<Location> loc,
                                             Adaptor a,
                                             SmallVectorImpl<Type> &results) {
  auto in = cast<RankedTensorType>(a.getInput().getType());
  auto grid = cast<RankedTensorType>(a.getGrid().getType());
  if (in.getRank() != 4 || grid.getRank() != 4 || grid.getDimSize(3) != 2)
    return emitOptionalError(loc, "expects a rank-4 input and a "
                                  "[N, Ho, Wo, 2] grid");
  if (in.getDimSize(0) != grid.getDimSize(0))
    return emitOptionalError(loc, "input and grid batch sizes differ");
  results.push_back(
      RankedTensorType::get({in.getDimSize(0), in.getDimSize(1),
                             grid.getDimSize(1), grid.getDimSize(2)},
                            in.getElementType()));
  return success();
}

LogicalResult GridSampleOp::verify() {
  if (!isOneOf(getMode(), {"bilinear", "nearest", "bicubic"}))
    return emitOpError("unknown mode '") << getMode() << "'";
  if (!isOneOf(getPaddingMode(), {"zeros", "border", "reflection"}))
    return emitOpError("unknown padding_mode '") << getPaddingMode() << "'";
  return success();
}

//===----------------------------------------------------------------------===//
// npu.roi_align
//===----------------------------------------------------------------------===//

LogicalResult RoiAlignOp::inferReturnTypes(MLIRContext *,
                                           std::optional<Location> loc,
                                           Adaptor a,
                                           SmallVectorImpl<Type> &results) {
  auto in = cast<RankedTensorType>(a.getInput().getType());
  auto rois = cast<RankedTensorType>(a.getRois().getType());
  auto idx = cast<RankedTensorType>(a.getBatchIndices().getType());
  if (in.getRank() != 4)
    return emitOptionalError(loc, "expects a rank-4 (NCHW) input");
  if (rois.getRank() != 2 || rois.getDimSize(1) != 4)
    return emitOptionalError(loc, "rois must be [R, 4]");
  if (idx.getRank() != 1 || idx.getDimSize(0) != rois.getDimSize(0))
    return emitOptionalError(loc, "batch_indices must be [R] with R rois");
  results.push_back(RankedTensorType::get({rois.getDimSize(0), in.getDimSize(1),
                                           int64_t(a.getOutputHeight()),
                                           int64_t(a.getOutputWidth())},
                                          in.getElementType()));
  return success();
}

LogicalResult RoiAlignOp::verify() {
  if (getMode() != "avg" && getMode() != "max")
    return emitOpError("unknown mode '") << getMode() << "'";
  if (getRois().getType().getElementType() !=
      getInput().getType().getElementType())
    return emitOpError("rois and input element types differ");
  if (!std::isfinite(getSpatialScale().convertToDouble()))
    return emitOpError("spatial_scale must be finite");
  return success();
}
