//===- ImportSignal.cpp - DFT, STFT, window functions, MelWeightMatrix ----===//
//
// Opset 17 signal ops, composed from existing npu ops:
// - DFT and STFT are direct DFTs: a matmul against a twiddle matrix built
//   at import. A transform of length L with K output bins costs O(L*K)
//   multiply-adds per signal and a constant of (L*C) x (2*K) elements
//   (C = 1 real or 2 complex input components); lengths are bounded by
//   kMaxTwiddleElements. Exact for the sizes seen in practice (no FFT
//   rounding pattern, one f32 dot product per bin).
// - STFT frames the signal with a Gather of constant indices, multiplies by
//   the window and reuses the DFT matmul.
// - Hann/Hamming/Blackman windows and MelWeightMatrix depend only on their
//   (constant) scalar inputs: they become constants.
//
//===----------------------------------------------------------------------===//
#include "ImporterImpl.h"

#include <cmath>

using namespace mlir;
using namespace npu;
using namespace npu::onnx_import;

namespace {

/// Largest twiddle matrix (elements) a DFT or STFT may build: 64 MB in f32.
constexpr int64_t kMaxTwiddleElements = int64_t(1) << 24;
/// Largest window or mel matrix built at import.
constexpr int64_t kMaxSignalConstElements = int64_t(1) << 24;

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

/// The element type named by the `output_datatype` attribute (default
/// float); integer types truncate the computed values toward zero.
FailureOr<Type> outputDataType(NodeImporter &n, bool &isUnsigned) {
  auto dt = n.intAttr("output_datatype", onnx::TensorProto::FLOAT);
  if (failed(dt))
    return failure();
  Type et = convertDataType(int32_t(*dt), n.ctx(), &isUnsigned);
  if (!et || et.isInteger(1))
    return n.attrError("output_datatype")
           << "must name a numeric type, got " << dataTypeName(int32_t(*dt));
  return et;
}

/// Sets output 0 to a constant of `shape` and element type `et`.
LogicalResult setConstOutput(NodeImporter &n, ArrayRef<int64_t> shape, Type et,
                             bool isUnsigned, ArrayRef<double> values) {
  auto type = RankedTensorType::get(shape, et);
  ElementsAttr attr;
  if (isa<FloatType>(et)) {
    attr = makeFloatElements(type, values, n.blobName());
  } else {
    SmallVector<int64_t> ints(
        llvm::map_range(values, [](double v) { return int64_t(v); }));
    attr = makeIntElements(type, ints, n.blobName());
  }
  n.setOutput(0, n.constant(attr), isUnsigned);
  return success();
}

/// A constant scalar integer input (window size, frame_step, ...).
FailureOr<int64_t> constScalarInt(NodeImporter &n, unsigned i, StringRef what) {
  auto v = n.requireConstInts(i, what);
  if (failed(v))
    return failure();
  if (v->size() != 1)
    return n.error() << "input '" << what << "' must be a scalar, got "
                     << v->size() << " values";
  return v->front();
}

//===----------------------------------------------------------------------===//
// Window functions
//===----------------------------------------------------------------------===//

/// w[i] = a0 - a1 cos(2 pi i / N) + a2 cos(4 pi i / N), N = size when
/// periodic, size - 1 when symmetric. A one-point symmetric window (0/0 in
/// the formula, NaN in ONNX's function body) is [1], as in numpy and torch.
LogicalResult importCosineWindow(NodeImporter &n, double a0, double a1,
                                 double a2) {
  bool isUnsigned = false;
  auto et = outputDataType(n, isUnsigned);
  auto periodic = n.intAttr("periodic", 1);
  if (failed(et) || failed(periodic) || failed(n.checkInputs(1, 1)))
    return failure();
  auto size = constScalarInt(n, 0, "size");
  if (failed(size))
    return failure();
  if (*size < 0 || *size > kMaxSignalConstElements)
    return n.error() << "window size " << *size << " is out of range [0, "
                     << kMaxSignalConstElements << "]";
  double period = double(*periodic ? *size : *size - 1);
  SmallVector<double> w;
  for (int64_t i = 0; i < *size; ++i) {
    double phase = 2.0 * M_PI * double(i) / period;
    w.push_back(period > 0
                    ? a0 - a1 * std::cos(phase) + a2 * std::cos(2.0 * phase)
                    : 1.0);
  }
  return setConstOutput(n, {*size}, *et, isUnsigned, w);
}

LogicalResult importHannWindow(NodeImporter &n) {
  return importCosineWindow(n, 0.5, 0.5, 0.0);
}

LogicalResult importHammingWindow(NodeImporter &n) {
  return importCosineWindow(n, 25.0 / 46.0, 21.0 / 46.0, 0.0);
}

LogicalResult importBlackmanWindow(NodeImporter &n) {
  return importCosineWindow(n, 0.42, 0.5, 0.08);
}

//===----------------------------------------------------------------------===//
// MelWeightMatrix
//===----------------------------------------------------------------------===//

/// Triangular filters [dft_length / 2 + 1, num_mel_bins] on the mel scale
/// (mel = 2595 log10(1 + hz / 700)), as the ONNX reference computes them:
/// num_mel_bins + 2 edges evenly spaced in mel, mapped to spectrogram bins
/// floor((dft_length + 1) * hz / sample_rate).
LogicalResult importMelWeightMatrix(NodeImporter &n) {
  bool isUnsigned = false;
  auto et = outputDataType(n, isUnsigned);
  if (failed(et) || failed(n.checkInputs(5, 5)))
    return failure();
  auto bins = constScalarInt(n, 0, "num_mel_bins");
  if (failed(bins))
    return failure();
  auto dftLength = constScalarInt(n, 1, "dft_length");
  if (failed(dftLength))
    return failure();
  auto rate = constScalarInt(n, 2, "sample_rate");
  if (failed(rate))
    return failure();
  auto lower = n.requireConstScalar(3, "lower_edge_hertz");
  if (failed(lower))
    return failure();
  auto upper = n.requireConstScalar(4, "upper_edge_hertz");
  if (failed(upper))
    return failure();
  if (*bins <= 0 || *dftLength <= 0 || *rate <= 0)
    return n.error() << "num_mel_bins, dft_length and sample_rate must be "
                        "positive, got "
                     << *bins << ", " << *dftLength << " and " << *rate;
  if (!(*lower >= 0.0 && *lower < *upper))
    return n.error() << "edges must satisfy 0 <= lower_edge_hertz < "
                        "upper_edge_hertz, got "
                     << *lower << " and " << *upper;
  int64_t specBins = *dftLength / 2 + 1;
  if (specBins * *bins > kMaxSignalConstElements)
    return n.error() << "mel weight matrix of " << specBins << " x " << *bins
                     << " is too large to build at import";
  auto toMel = [](double hz) { return 2595.0 * std::log10(1.0 + hz / 700.0); };
  double lowMel = toMel(*lower), highMel = toMel(*upper);
  double step = (highMel - lowMel) / double(*bins + 2);
  SmallVector<int64_t> edges;
  for (int64_t i = 0; i < *bins + 2; ++i) {
    double hz = 700.0 * (std::pow(10.0, (lowMel + step * i) / 2595.0) - 1.0);
    edges.push_back(
        int64_t(std::floor(double(*dftLength + 1) * hz / double(*rate))));
    if (edges.back() >= specBins)
      return n.error() << "upper_edge_hertz is too high for sample_rate "
                       << *rate << ": a filter edge maps to spectrogram bin "
                       << edges.back() << ", past the last bin "
                       << specBins - 1;
  }
  SmallVector<double> w(specBins * *bins, 0.0);
  for (int64_t i = 0; i < *bins; ++i) {
    int64_t lo = edges[i], center = edges[i + 1], hi = edges[i + 2];
    if (center == lo)
      w[center * *bins + i] = 1.0;
    for (int64_t j = lo; center > lo && j <= center; ++j)
      w[j * *bins + i] = double(j - lo) / double(center - lo);
    for (int64_t j = center; j < hi; ++j)
      w[j * *bins + i] = double(hi - j) / double(hi - center);
  }
  return setConstOutput(n, {specBins, *bins}, *et, isUnsigned, w);
}

//===----------------------------------------------------------------------===//
// DFT and STFT
//===----------------------------------------------------------------------===//

/// Multiplies `x` [P, rows * comps] (rows samples of `comps` = 1 or 2
/// components, real first) by the twiddle matrix of a length-`length` DFT
/// keeping the first `bins` bins: the result is [P, bins * 2] (real,
/// imaginary per bin). Samples past `rows` are zeros (padding).
FailureOr<Value> applyDFT(NodeImporter &n, Value x, int64_t rows, int64_t comps,
                          int64_t length, int64_t bins, bool inverse) {
  Type et = cast<RankedTensorType>(x.getType()).getElementType();
  double elements = double(rows) * double(comps) * double(bins) * 2;
  if (elements > double(kMaxTwiddleElements))
    return n.error() << "a DFT of length " << length << " with " << bins
                     << " bins needs a twiddle matrix of "
                     << int64_t(std::min(elements, 9e18))
                     << " elements (direct O(n^2) DFT); at most "
                     << kMaxTwiddleElements << " are supported";
  // e^{sign 2 pi i n k / L}: row n*comps + c, column k*2 + c'.
  double sign = inverse ? 1.0 : -1.0, scale = inverse ? 1.0 / length : 1.0;
  SmallVector<double> m(rows * comps * bins * 2);
  for (int64_t s = 0; s < rows; ++s)
    for (int64_t k = 0; k < bins; ++k) {
      double phase = 2.0 * M_PI * double((s * k) % length) / double(length);
      double re = scale * std::cos(phase), im = scale * sign * std::sin(phase);
      int64_t row = s * comps, col = k * 2, width = bins * 2;
      m[row * width + col] = re;     // real in -> real out
      m[row * width + col + 1] = im; // real in -> imaginary out
      if (comps == 2) {
        m[(row + 1) * width + col] = -im; // imaginary in -> real out
        m[(row + 1) * width + col + 1] = re;
      }
    }
  auto type = RankedTensorType::get({rows * comps, bins * 2}, et);
  Value w = n.constant(makeFloatElements(type, m, n.blobName()));
  return n.create<MatMulOp>(x, w);
}

/// The trailing dimension of a signal: 1 (real) or 2 (complex).
FailureOr<int64_t> signalComponents(NodeImporter &n, RankedTensorType type,
                                    int64_t minRank, StringRef what) {
  if (!isa<FloatType>(type.getElementType()))
    return n.error() << what << " must be a float tensor, got "
                     << type.getElementType();
  if (type.getRank() < minRank)
    return n.error() << what << " must have rank >= " << minRank << ", got "
                     << shapeString(type.getShape());
  int64_t comps = type.getShape().back();
  if (comps != 1 && comps != 2)
    return n.error() << what
                     << " must end in a dimension of 1 (real) or 2 "
                        "(complex), got "
                     << shapeString(type.getShape());
  return comps;
}

LogicalResult importDFT(NodeImporter &n) {
  auto axisAttr = n.intAttr("axis", 1);
  auto inverse = n.intAttr("inverse", 0);
  auto onesided = n.intAttr("onesided", 0);
  if (failed(axisAttr) || failed(inverse) || failed(onesided) ||
      failed(n.checkInputs(1, 2)))
    return failure();
  auto type = n.inputType(0);
  auto comps = signalComponents(n, type, 2, "input");
  if (failed(comps))
    return failure();
  int64_t rank = type.getRank();
  auto axis = n.normalizeAxis(*axisAttr, rank, "axis");
  if (failed(axis))
    return failure();
  if (*axis == rank - 1)
    return n.attrError("axis") << "must not name the last (component) "
                                  "dimension";
  if (*onesided && (*comps == 2 || *inverse))
    return n.attrError("onesided")
           << "is only supported for a forward transform of real input";
  int64_t dim = type.getDimSize(*axis), length = dim;
  if (n.hasInput(1)) {
    auto l = constScalarInt(n, 1, "dft_length");
    if (failed(l))
      return failure();
    if (*l <= 0)
      return n.error() << "dft_length must be positive, got " << *l;
    length = *l;
  }
  int64_t bins = *onesided ? length / 2 + 1 : length;
  int64_t rows = std::min(dim, length);

  // Keep the first `rows` samples (a longer dft_length zero-pads, which the
  // twiddle matrix does by having no rows for them).
  Value x = n.input(0);
  if (rows < dim) {
    SmallVector<int64_t> starts(rank, 0), sizes(type.getShape()),
        steps(rank, 1);
    sizes[*axis] = rows;
    auto s = n.create<SliceOp>(x, n.b().getDenseI64ArrayAttr(starts),
                               n.b().getDenseI64ArrayAttr(sizes),
                               n.b().getDenseI64ArrayAttr(steps));
    if (failed(s))
      return failure();
    x = *s;
  }
  // [..., rows at axis, ..., C] -> [outer..., rows, C] -> [P, rows * C].
  SmallVector<int64_t> perm, outer;
  for (int64_t d = 0; d < rank - 1; ++d)
    if (d != *axis) {
      perm.push_back(d);
      outer.push_back(type.getDimSize(d));
    }
  perm.append({*axis, rank - 1});
  bool moved = *axis != rank - 2;
  if (moved) {
    auto t = n.create<TransposeOp>(x, n.b().getDenseI64ArrayAttr(perm));
    if (failed(t))
      return failure();
    x = *t;
  }
  int64_t p = 1;
  for (int64_t d : outer)
    p *= d;
  auto flat = n.reshape(x, {p, rows * *comps});
  if (failed(flat))
    return failure();
  auto y = applyDFT(n, *flat, rows, *comps, length, bins, *inverse);
  if (failed(y))
    return failure();
  // [P, bins * 2] -> [outer..., bins, 2] -> bins back at `axis`.
  SmallVector<int64_t> shape(outer);
  shape.append({bins, 2});
  auto v = n.reshape(*y, shape);
  if (failed(v))
    return failure();
  if (moved) {
    SmallVector<int64_t> back(rank);
    for (int64_t d = 0; d < rank; ++d)
      back[perm[d]] = d;
    v = n.create<TransposeOp>(*v, n.b().getDenseI64ArrayAttr(back));
    if (failed(v))
      return failure();
  }
  n.setOutput(0, *v);
  return success();
}

/// Output [batch, frames, bins, 2] of frames of `frame_length` samples
/// taken every `frame_step` samples, each multiplied by `window`.
LogicalResult importSTFT(NodeImporter &n) {
  auto onesided = n.intAttr("onesided", 1);
  if (failed(onesided) || failed(n.checkInputs(2, 4)))
    return failure();
  auto type = n.inputType(0);
  auto comps = signalComponents(n, type, 3, "signal");
  if (failed(comps))
    return failure();
  if (type.getRank() != 3)
    return n.error() << "signal must be [batch, length, 1 or 2], got "
                     << shapeString(type.getShape());
  auto step = constScalarInt(n, 1, "frame_step");
  if (failed(step))
    return failure();
  if (*step <= 0)
    return n.error() << "frame_step must be positive, got " << *step;
  Value window = n.input(2);
  int64_t length = -1;
  if (window) {
    auto wType = n.inputType(2);
    if (wType.getRank() != 1 || wType.getElementType() != type.getElementType())
      return n.error() << "window must be a 1-D tensor of the signal's type, "
                          "got "
                       << wType;
    length = wType.getDimSize(0);
  }
  if (n.hasInput(3)) {
    auto l = constScalarInt(n, 3, "frame_length");
    if (failed(l))
      return failure();
    if (length >= 0 && *l != length)
      return n.error() << "frame_length " << *l
                       << " differs from the window length " << length;
    length = *l;
  }
  if (length < 0)
    return n.error() << "needs a window or a frame_length";
  int64_t batch = type.getDimSize(0), samples = type.getDimSize(1);
  if (length <= 0 || length > samples)
    return n.error() << "frame length " << length
                     << " must be in [1, signal length " << samples << "]";
  int64_t frames = (samples - length) / *step + 1;
  if (frames * length > kMaxSignalConstElements)
    return n.error() << frames << " frames of " << length
                     << " samples are too many to index";
  // A complex signal has no conjugate symmetry: onesided does not apply.
  int64_t bins = *onesided && *comps == 1 ? length / 2 + 1 : length;

  // Gather the frames: [B, S, C] -> [B, F, L, C].
  SmallVector<int64_t> idx;
  for (int64_t f = 0; f < frames; ++f)
    for (int64_t i = 0; i < length; ++i)
      idx.push_back(f * *step + i);
  auto idxType =
      RankedTensorType::get({frames, length}, n.b().getIntegerType(64));
  Value indices = n.constant(makeIntElements(idxType, idx, n.blobName()));
  auto x = n.create<GatherOp>(n.input(0), indices, n.b().getI64IntegerAttr(1));
  if (failed(x))
    return failure();
  if (window) {
    auto w = n.reshape(window, {length, 1});
    if (failed(w))
      return failure();
    x = n.create<MulOp>(*x, *w);
    if (failed(x))
      return failure();
  }
  auto flat = n.reshape(*x, {batch * frames, length * *comps});
  if (failed(flat))
    return failure();
  auto y = applyDFT(n, *flat, length, *comps, length, bins, false);
  if (failed(y))
    return failure();
  auto v = n.reshape(*y, {batch, frames, bins, 2});
  if (failed(v))
    return failure();
  n.setOutput(0, *v);
  return success();
}

} // namespace

void npu::onnx_import::addSignalHandlers(OpRegistry &r) {
  r.add("DFT", 17, 17, importDFT);
  r.add("STFT", 17, 17, importSTFT);
  r.add("HannWindow", 17, 17, importHannWindow);
  r.add("HammingWindow", 17, 17, importHammingWindow);
  r.add("BlackmanWindow", 17, 17, importBlackmanWindow);
  r.add("MelWeightMatrix", 17, 17, importMelWeightMatrix);
}
