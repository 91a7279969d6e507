//===- NPUKLayout.cpp - NPU data layouts: shapes, index maps, constants ---===//
#include "npu/Dialect/NPUK/IR/NPUKLayout.h"

#include "npu/Simulator/Float.h"
#include "npu/Transforms/ConstantBytes.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MathExtras.h"

#include <cmath>
#include <cstring>

using namespace mlir;
using namespace npu::npuk;
using llvm::SmallVector;

bool npu::npuk::isSupportedElementType(Type type) {
  return type.isF32() || type.isF16() || type.isBF16();
}

static SmallVector<int64_t> rowMajorStrides(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t d = (int64_t)shape.size() - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  return strides;
}

static int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

/// Groups of one dim each: an expand/collapse that changes nothing.
static SmallVector<SmallVector<int64_t, 2>> unitGroups(int64_t rank) {
  SmallVector<SmallVector<int64_t, 2>> groups;
  for (int64_t d = 0; d < rank; ++d)
    groups.push_back({d});
  return groups;
}

/// Fills the tensor-op form (padded/split shapes, expand, perm, collapse)
/// for each layout; the offset terms are derived from it.
static LogicalResult buildTensorForm(LayoutMap &m, std::string &error) {
  ArrayRef<int64_t> s = m.logicalShape;
  int64_t rank = s.size();
  auto needRank = [&](int64_t r, StringRef dims) {
    if (rank == r)
      return success();
    error = llvm::formatv("layout {0} needs a rank-{1} {2} tensor, got rank "
                          "{3}",
                          stringifyLayout(m.layout), r, dims, rank)
                .str();
    return failure();
  };
  switch (m.layout) {
  case Layout::nchw:
    if (failed(needRank(4, "NCHW")))
      return failure();
    [[fallthrough]];
  case Layout::nd:
    m.paddedShape.assign(s.begin(), s.end());
    m.splitShape.assign(s.begin(), s.end());
    m.expand = unitGroups(rank);
    m.perm = llvm::to_vector(llvm::seq<int64_t>(0, rank));
    m.collapse = unitGroups(rank);
    return success();
  case Layout::nc1hwc0: {
    if (failed(needRank(4, "NCHW")))
      return failure();
    int64_t c1 = ceilDiv(s[1], kC0);
    m.paddedShape = {s[0], c1 * kC0, s[2], s[3]};
    m.splitShape = {s[0], c1, kC0, s[2], s[3]};
    m.expand = {{0}, {1, 2}, {3}, {4}};
    m.perm = {0, 1, 3, 4, 2}; // [N][C1][H][W][C0]
    m.collapse = unitGroups(5);
    return success();
  }
  case Layout::fz: {
    if (failed(needRank(4, "OIHW")))
      return failure();
    int64_t nf = ceilDiv(s[0], kC0), c1 = ceilDiv(s[1], kC0);
    m.paddedShape = {nf * kC0, c1 * kC0, s[2], s[3]};
    m.splitShape = {nf, kC0, c1, kC0, s[2], s[3]};
    m.expand = {{0, 1}, {2, 3}, {4}, {5}};
    m.perm = {2, 4, 5, 0, 1, 3}; // [C1][KH][KW][NF][16 o][16 i]
    m.collapse = {{0, 1, 2}, {3}, {4}, {5}};
    return success();
  }
  case Layout::fnz: {
    if (failed(needRank(2, "K x N")))
      return failure();
    int64_t kf = ceilDiv(s[0], kC0), nf = ceilDiv(s[1], kC0);
    m.paddedShape = {kf * kC0, nf * kC0};
    m.splitShape = {kf, kC0, nf, kC0};
    m.expand = {{0, 1}, {2, 3}};
    m.perm = {0, 2, 3, 1}; // [KF][NF][16 n][16 k]
    m.collapse = unitGroups(4);
    return success();
  }
  }
  error = "unknown layout";
  return failure();
}

FailureOr<LayoutMap> npu::npuk::getLayoutMap(ArrayRef<int64_t> logicalShape,
                                             Layout layout,
                                             std::string *error) {
  LayoutMap m;
  m.layout = layout;
  m.logicalShape.assign(logicalShape.begin(), logicalShape.end());
  std::string err;
  if (llvm::any_of(logicalShape, [](int64_t d) { return d < 0; }))
    err = "dims must be static and non-negative";
  else
    (void)buildTensorForm(m, err);
  if (!err.empty()) {
    if (error)
      *error = err;
    return failure();
  }
  SmallVector<int64_t> tiled;
  for (int64_t p : m.perm)
    tiled.push_back(m.splitShape[p]);
  for (const auto &group : m.collapse) {
    int64_t size = 1;
    for (int64_t d : group)
      size *= tiled[d];
    m.physicalShape.push_back(size);
  }
  // Collapsing keeps linear offsets, so a split dim's physical stride is its
  // row-major stride in the transposed (tiled) shape.
  SmallVector<int64_t> tiledStrides = rowMajorStrides(tiled);
  SmallVector<int64_t> splitStride(m.splitShape.size());
  for (auto [i, p] : llvm::enumerate(m.perm))
    splitStride[p] = tiledStrides[i];
  for (const auto &group : m.expand) {
    bool blocked = group.size() == 2;
    m.block.push_back(blocked ? m.splitShape[group[1]] : 1);
    m.outer.push_back(splitStride[group[0]]);
    m.inner.push_back(blocked ? splitStride[group[1]] : 0);
  }
  return m;
}

int64_t LayoutMap::physicalSize() const {
  int64_t n = 1;
  for (int64_t d : physicalShape)
    n *= d;
  return n;
}

int64_t LayoutMap::physicalOffset(ArrayRef<int64_t> idx) const {
  int64_t offset = 0;
  for (auto [d, i] : llvm::enumerate(idx))
    offset += (i / block[d]) * outer[d] + (i % block[d]) * inner[d];
  return offset;
}

SmallVector<int64_t> LayoutMap::physicalIndex(ArrayRef<int64_t> idx) const {
  int64_t offset = physicalOffset(idx);
  SmallVector<int64_t> strides = rowMajorStrides(physicalShape), out;
  for (int64_t s : strides) {
    out.push_back(offset / s);
    offset %= s;
  }
  return out;
}

std::optional<SmallVector<int64_t>>
LayoutMap::logicalIndex(ArrayRef<int64_t> physIdx) const {
  // Undo collapse (delinearize each physical dim over its group), the
  // transpose, then the expand (linearize each group).
  SmallVector<int64_t> tiled(perm.size());
  for (auto [g, group] : llvm::enumerate(collapse)) {
    int64_t v = physIdx[g];
    for (int64_t d : llvm::reverse(group)) {
      int64_t size = splitShape[perm[d]];
      tiled[d] = v % size;
      v /= size;
    }
  }
  SmallVector<int64_t> split(perm.size());
  for (auto [i, p] : llvm::enumerate(perm))
    split[p] = tiled[i];
  SmallVector<int64_t> logical;
  for (auto [d, group] : llvm::enumerate(expand)) {
    int64_t v = 0;
    for (int64_t s : group)
      v = v * splitShape[s] + split[s];
    if (v >= logicalShape[d])
      return std::nullopt;
    logical.push_back(v);
  }
  return logical;
}

FailureOr<SmallVector<int64_t>>
npu::npuk::physicalShape(ArrayRef<int64_t> logicalShape, Layout layout,
                         Type dtype) {
  if (!isSupportedElementType(dtype))
    return failure();
  FailureOr<LayoutMap> m = getLayoutMap(logicalShape, layout);
  if (failed(m))
    return failure();
  return m->physicalShape;
}

bool npu::npuk::isExactRoundTrip(Layout a, Layout b, Type sourceType,
                                 Type midType, int32_t scaleExp1,
                                 int32_t scaleExp2) {
  (void)a;
  (void)b; // Every layout round trip is exact under the pad-lane invariant.
  if (scaleExp1 + scaleExp2 != 0)
    return false;
  if (sourceType == midType)
    return scaleExp1 == 0;
  if (!midType.isF32() || !(sourceType.isF16() || sourceType.isBF16()))
    return false; // Narrowing rounds.
  // f16 * 2^±64 stays a normal f32; bf16 has f32's exponent range.
  return scaleExp1 == 0 || sourceType.isF16();
}

//===----------------------------------------------------------------------===//
// Constant conversion
//===----------------------------------------------------------------------===//

namespace {
enum class Elem { F32, F16, BF16 };

Elem elemKind(Type t) {
  return t.isF32() ? Elem::F32 : t.isF16() ? Elem::F16 : Elem::BF16;
}

/// fp16 -> fp32, exact (the simulator's is a table in its library).
float halfToFloat(uint16_t h) {
  uint32_t sign = uint32_t(h & 0x8000) << 16;
  uint32_t exp = (h >> 10) & 0x1f, mant = h & 0x3ff;
  if (exp == 0) {
    float f = std::ldexp(float(mant), -24);
    return sign ? -f : f;
  }
  if (exp == 0x1f)
    return npu::sim::bitsFloat(sign | 0x7f800000 | (mant << 13));
  return npu::sim::bitsFloat(sign | ((exp + 112) << 23) | (mant << 13));
}

template <Elem E> float load(const char *p) {
  if constexpr (E == Elem::F32) {
    float f;
    std::memcpy(&f, p, 4);
    return f;
  } else {
    uint16_t h;
    std::memcpy(&h, p, 2);
    return E == Elem::F16 ? halfToFloat(h) : npu::sim::bf16ToFloat(h);
  }
}

/// Rounds like the JIT's arith.truncf and the simulator (RNE).
template <Elem E> void store(char *p, float f) {
  if constexpr (E == Elem::F32) {
    std::memcpy(p, &f, 4);
  } else {
    uint16_t h =
        E == Elem::F16 ? npu::sim::floatToHalf(f) : npu::sim::floatToBf16(f);
    std::memcpy(p, &h, 2);
  }
}

constexpr size_t elemSize(Elem e) { return e == Elem::F32 ? 4 : 2; }

/// Calls fn(logical linear index, physical offset) for every logical
/// element in row-major order; the offset is a sum of per-dim table terms.
template <typename Fn> void forEachElement(const LayoutMap &m, Fn fn) {
  int64_t rank = m.logicalShape.size();
  for (int64_t d : m.logicalShape)
    if (d == 0)
      return;
  if (rank == 0)
    return fn(0, 0);
  SmallVector<SmallVector<int64_t>> table(rank);
  for (int64_t d = 0; d < rank; ++d)
    for (int64_t i = 0; i < m.logicalShape[d]; ++i)
      table[d].push_back((i / m.block[d]) * m.outer[d] +
                         (i % m.block[d]) * m.inner[d]);
  SmallVector<int64_t> idx(rank, 0);
  ArrayRef<int64_t> last = table[rank - 1];
  int64_t linear = 0;
  while (true) {
    int64_t base = 0;
    for (int64_t d = 0; d + 1 < rank; ++d)
      base += table[d][idx[d]];
    for (int64_t off : last)
      fn(linear++, base + off);
    int64_t d = rank - 2;
    for (; d >= 0; --d) {
      if (++idx[d] < m.logicalShape[d])
        break;
      idx[d] = 0;
    }
    if (d < 0)
      return;
  }
}

template <Elem S, Elem D>
void convertElements(const LayoutMap &m, bool toPhysical, const char *src,
                     bool splat, char *dst, int32_t scaleExp) {
  constexpr size_t ss = elemSize(S), ds = elemSize(D);
  float scale = std::ldexp(1.0f, -scaleExp);
  auto cvt = [&](char *out, const char *in) {
    float v = load<S>(in);
    if (scaleExp != 0)
      v *= scale;
    store<D>(out, v);
  };
  if (splat) {
    // Every logical element is the same; pad lanes stay zero.
    char value[4];
    cvt(value, src);
    forEachElement(m, [&](int64_t linear, int64_t offset) {
      std::memcpy(dst + (toPhysical ? offset : linear) * ds, value, ds);
    });
    return;
  }
  if (toPhysical)
    forEachElement(m, [&](int64_t linear, int64_t offset) {
      cvt(dst + offset * ds, src + linear * ss);
    });
  else
    forEachElement(m, [&](int64_t linear, int64_t offset) {
      cvt(dst + linear * ds, src + offset * ss);
    });
}

using ConvertFn = void (*)(const LayoutMap &, bool, const char *, bool, char *,
                           int32_t);

template <Elem S> ConvertFn pickDest(Elem d) {
  switch (d) {
  case Elem::F32:
    return convertElements<S, Elem::F32>;
  case Elem::F16:
    return convertElements<S, Elem::F16>;
  case Elem::BF16:
    return convertElements<S, Elem::BF16>;
  }
  return nullptr;
}

ConvertFn pickConvert(Elem s, Elem d) {
  switch (s) {
  case Elem::F32:
    return pickDest<Elem::F32>(d);
  case Elem::F16:
    return pickDest<Elem::F16>(d);
  case Elem::BF16:
    return pickDest<Elem::BF16>(d);
  }
  return nullptr;
}
} // namespace

ElementsAttr npu::npuk::convertConstant(ElementsAttr value, Layout from,
                                        Layout to, RankedTensorType resultType,
                                        int32_t scaleExp) {
  auto inType = dyn_cast<RankedTensorType>(value.getType());
  if (!inType || !inType.hasStaticShape() || !resultType.hasStaticShape() ||
      !isSupportedElementType(inType.getElementType()) ||
      !isSupportedElementType(resultType.getElementType()) ||
      std::abs(scaleExp) > 64)
    return {};
  // The physical side's map; an identity map if no side is physical.
  bool toPhysical = isLogical(from) && !isLogical(to);
  bool fromPhysical = !isLogical(from) && isLogical(to);
  if (!toPhysical && !fromPhysical &&
      (inType.getShape() != resultType.getShape() ||
       (from != to && !(isLogical(from) && isLogical(to)))))
    return {};
  ArrayRef<int64_t> logical =
      fromPhysical ? resultType.getShape() : inType.getShape();
  ArrayRef<int64_t> physical =
      fromPhysical ? inType.getShape() : resultType.getShape();
  FailureOr<LayoutMap> m = getLayoutMap(logical, toPhysical     ? to
                                                 : fromPhysical ? from
                                                                : Layout::nd);
  if (failed(m) || ArrayRef<int64_t>(m->physicalShape) != physical)
    return {};

  std::optional<ConstantBytes> bytes = getConstantBytes(value);
  Elem s = elemKind(inType.getElementType());
  Elem d = elemKind(resultType.getElementType());
  if (!bytes ||
      (int64_t)bytes->data.size() !=
          (bytes->splat ? 1 : inType.getNumElements()) * (int64_t)elemSize(s))
    return {};
  ConvertFn fn = pickConvert(s, d);
  return npu::makeConstant(resultType, stringifyLayout(to),
                           [&](MutableArrayRef<char> out) {
                             fn(*m, toPhysical, bytes->data.data(),
                                bytes->splat, out.data(), scaleExp);
                           });
}

ElementsAttr npu::npuk::convertConstant(ElementsAttr value, Layout from,
                                        Layout to, Type dtype,
                                        int32_t scaleExp) {
  auto inType = dyn_cast<RankedTensorType>(value.getType());
  if (!inType || !(isLogical(from) || from == to))
    return {};
  FailureOr<SmallVector<int64_t>> shape =
      isLogical(from) && !isLogical(to)
          ? physicalShape(inType.getShape(), to, dtype)
          : FailureOr<SmallVector<int64_t>>(llvm::to_vector(inType.getShape()));
  if (failed(shape))
    return {};
  return convertConstant(value, from, to, RankedTensorType::get(*shape, dtype),
                         scaleExp);
}
