//===- NPUKLayoutTest.cpp - npuk layouts against naive index formulas -----===//
//
// Every layout and element type pair: npuk.convert and its inverse through
// the CPU JIT, compared bit for bit with a naive reference written from the
// op description's formulas (and the runtime's own fp16/bf16 rounding);
// npuk::convertConstant must give the JIT's bytes, pad lanes must be +0.
//
//===----------------------------------------------------------------------===//
#include "npu/Dialect/NPUK/IR/NPUKLayout.h"
#include "npu/Compiler/Compiler.h"
#include "npu/InitAll.h"
#include "npu/Transforms/ConstantBytes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"

#include <cmath>
#include <cstring>
#include <random>

using namespace npu;
using npuk::Layout;

namespace {

using Shape = std::vector<int64_t>;

int64_t product(const Shape &s) {
  int64_t n = 1;
  for (int64_t d : s)
    n *= d;
  return n;
}

int64_t up16(int64_t x) { return (x + 15) / 16; }

//===--- The naive reference: formulas from the npuk.convert docs. --------===//

Shape refPhysicalShape(Layout l, const Shape &s) {
  switch (l) {
  case Layout::nc1hwc0:
    return {s[0], up16(s[1]), s[2], s[3], 16};
  case Layout::fz:
    return {up16(s[1]) * s[2] * s[3], up16(s[0]), 16, 16};
  case Layout::fnz:
    return {up16(s[0]), up16(s[1]), 16, 16};
  default:
    return s;
  }
}

/// Physical linear offset of logical element `linear` (row-major).
int64_t refOffset(Layout l, const Shape &s, int64_t linear) {
  Shape idx(s.size());
  for (int64_t d = s.size() - 1; d >= 0; --d) {
    idx[d] = linear % s[d];
    linear /= s[d];
  }
  switch (l) {
  case Layout::nc1hwc0: {
    int64_t n = idx[0], c = idx[1], h = idx[2], w = idx[3];
    int64_t C1 = up16(s[1]), H = s[2], W = s[3];
    return (((n * C1 + c / 16) * H + h) * W + w) * 16 + c % 16;
  }
  case Layout::fz: {
    int64_t o = idx[0], i = idx[1], ky = idx[2], kx = idx[3];
    int64_t NF = up16(s[0]), KH = s[2], KW = s[3];
    int64_t kfrac = ((i / 16) * KH + ky) * KW + kx;
    return ((kfrac * NF + o / 16) * 16 + o % 16) * 16 + i % 16;
  }
  case Layout::fnz: {
    int64_t k = idx[0], n = idx[1], NF = up16(s[1]);
    return (((k / 16) * NF + n / 16) * 16 + n % 16) * 16 + k % 16;
  }
  default: {
    int64_t off = 0;
    for (size_t d = 0; d < s.size(); ++d)
      off = off * s[d] + idx[d];
    return off;
  }
  }
}

enum class T { F32, F16, BF16 };
const char *typeName(T t) {
  return t == T::F32 ? "f32" : t == T::F16 ? "f16" : "bf16";
}
size_t typeSize(T t) { return t == T::F32 ? 4 : 2; }
rt::DType dtypeOf(T t) {
  return t == T::F32   ? rt::DType::F32
         : t == T::F16 ? rt::DType::F16
                       : rt::DType::BF16;
}
mlir::Type mlirType(mlir::MLIRContext &ctx, T t) {
  mlir::Builder b(&ctx);
  return t == T::F32   ? b.getF32Type()
         : t == T::F16 ? b.getF16Type()
                       : b.getBF16Type();
}

float readElem(T t, const char *p) {
  if (t == T::F32) {
    float f;
    std::memcpy(&f, p, 4);
    return f;
  }
  uint16_t h;
  std::memcpy(&h, p, 2);
  return t == T::F16 ? rt::halfToFloat(h) : rt::bf16ToFloat(h);
}

void writeElem(T t, char *p, float f) {
  if (t == T::F32)
    return (void)std::memcpy(p, &f, 4);
  uint16_t h = t == T::F16 ? rt::floatToHalf(f) : rt::floatToBF16(f);
  std::memcpy(p, &h, 2);
}

/// Reference convert: x * 2^-e in f32, then RNE; pad lanes +0 (zero bits).
std::vector<char> refConvert(Layout l, const Shape &logical, bool toPhysical,
                             const std::vector<char> &src, T from, T to,
                             int e) {
  Shape phys = refPhysicalShape(l, logical);
  int64_t n = product(logical);
  std::vector<char> out((toPhysical ? product(phys) : n) * typeSize(to), 0);
  float scale = std::ldexp(1.0f, -e);
  for (int64_t i = 0; i < n; ++i) {
    int64_t off = refOffset(l, logical, i);
    int64_t si = toPhysical ? i : off, di = toPhysical ? off : i;
    float v = readElem(from, src.data() + si * typeSize(from));
    if (e != 0)
      v *= scale;
    writeElem(to, out.data() + di * typeSize(to), v);
  }
  return out;
}

/// Random values that reach fp16 subnormals, ties and overflow; no NaN.
std::vector<char> randomData(T t, int64_t n, std::mt19937 &rng) {
  std::vector<char> out(n * typeSize(t));
  std::uniform_int_distribution<uint32_t> bits;
  std::uniform_int_distribution<int> expo(-30, 20);
  for (int64_t i = 0; i < n; ++i) {
    char *p = out.data() + i * typeSize(t);
    if (t == T::F32) {
      float f = std::ldexp(1.0f + (bits(rng) & 0xffffff) * 0x1p-24f, expo(rng));
      f = (bits(rng) & 1) ? -f : f;
      std::memcpy(p, &f, 4);
    } else {
      uint16_t h;
      do // Exponent all ones is inf/NaN in both formats.
        h = uint16_t(bits(rng));
      while (t == T::F16 ? (h & 0x7c00) == 0x7c00 : (h & 0x7f80) == 0x7f80);
      std::memcpy(p, &h, 2);
    }
  }
  return out;
}

std::string tensorType(const Shape &s, T t) {
  std::string str = "tensor<";
  for (int64_t d : s)
    str += std::to_string(d) + "x";
  return str + typeName(t) + ">";
}

const char *layoutName(Layout l) { return npuk::stringifyLayout(l).data(); }

Layout logicalOf(Layout l, const Shape &s) {
  return s.size() == 4 ? Layout::nchw : Layout::nd;
}

struct Case {
  Shape logical;
  int scaleExp;
};

/// JIT-compiles `main` converting each case (logical -> physical if
/// `toPhysical`, else back with -scaleExp) and runs it on `inputs`.
std::vector<rt::Tensor> runJIT(Layout l, const std::vector<Case> &cases,
                               bool toPhysical, T from, T to,
                               const std::vector<std::vector<char>> &inputs) {
  std::string args, results, body, rets;
  std::vector<rt::Tensor> tensors;
  for (size_t i = 0; i < cases.size(); ++i) {
    const Shape &s = cases[i].logical;
    Shape phys = refPhysicalShape(l, s);
    Layout logicalLayout = l == Layout::nd ? Layout::nd : logicalOf(l, s);
    std::string in = tensorType(toPhysical ? s : phys, from);
    std::string out = tensorType(toPhysical ? phys : s, to);
    std::string sep = i ? ", " : "";
    args += llvm::formatv("{0}%a{1}: {2}", sep, i, in).str();
    results += sep + out;
    rets += llvm::formatv("{0}%r{1}", sep, i).str();
    body += llvm::formatv(
                "  %r{0} = npuk.convert %a{0} <{1}> -> <{2}> scale {3} : "
                "{4} -> {5}\n",
                i, layoutName(toPhysical ? logicalLayout : l),
                layoutName(toPhysical ? l : logicalLayout),
                toPhysical ? cases[i].scaleExp : -cases[i].scaleExp, in, out)
                .str();
    rt::Tensor t(dtypeOf(from), toPhysical ? s : phys);
    EXPECT_EQ(t.byteSize(), inputs[i].size());
    std::memcpy(t.data(), inputs[i].data(), inputs[i].size());
    tensors.push_back(std::move(t));
  }
  std::string text =
      llvm::formatv("func.func @main({0}) -> ({1}) {{\n{2}  return {3} : "
                    "{1}\n}\n",
                    args, results, body, rets)
          .str();
  llvm::SmallString<128> path;
  if (llvm::sys::fs::createTemporaryFile("npuk-layout", "mlir", path))
    return {};
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec);
    os << text;
  }
  Compiler compiler;
  auto model = compiler.compileToJIT(path);
  llvm::sys::fs::remove(path);
  if (!model) {
    ADD_FAILURE() << llvm::toString(model.takeError()) << "\n" << text;
    return {};
  }
  auto outs = model->run(tensors);
  if (!outs) {
    ADD_FAILURE() << llvm::toString(outs.takeError());
    return {};
  }
  return std::move(*outs);
}

mlir::ElementsAttr makeAttr(mlir::MLIRContext &ctx, const Shape &s, T t,
                            const std::vector<char> &bytes, bool resource) {
  auto type = mlir::RankedTensorType::get(s, mlirType(ctx, t));
  if (!resource)
    return mlir::DenseElementsAttr::getFromRawBuffer(type, bytes);
  return mlir::DenseResourceElementsAttr::get(
      type, "input",
      mlir::HeapAsmResourceBlob::allocateAndCopyWithAlign(bytes, 8));
}

/// The first differing element, or -1.
int64_t firstDiff(const char *a, const char *b, int64_t n, size_t elem) {
  for (int64_t i = 0; i < n; ++i)
    if (std::memcmp(a + i * elem, b + i * elem, elem))
      return i;
  return -1;
}

/// "got 0x.. expected 0x.." for element i of two buffers.
std::string describe(const char *got, const char *expect, int64_t i,
                     size_t elem) {
  if (i < 0)
    return "";
  auto hex = [&](const char *p) {
    uint32_t v = 0;
    std::memcpy(&v, p + i * elem, elem);
    return llvm::formatv("{0:x}", v).str();
  };
  return "got 0x" + hex(got) + ", expected 0x" + hex(expect);
}

/// All `n` elements of a constant (a splat holds one).
std::vector<char> expand(const ConstantBytes &bytes, int64_t n) {
  std::vector<char> full(bytes.data.begin(), bytes.data.end());
  for (int64_t j = 1; bytes.splat && j < n; ++j)
    full.insert(full.end(), bytes.data.begin(), bytes.data.end());
  return full;
}

struct TypePair {
  T from, to;
};

class LayoutRoundTrip
    : public ::testing::TestWithParam<std::tuple<Layout, TypePair>> {};

std::vector<Case> casesFor(Layout l) {
  switch (l) {
  case Layout::nc1hwc0: // C = 3 and 17 are ragged, 16 exact, 1 tiny.
    return {{{1, 3, 5, 7}, 0},
            {{2, 17, 3, 2}, 3},
            {{1, 16, 2, 2}, -2},
            {{1, 1, 1, 1}, 0}};
  case Layout::fz:
    return {{{20, 3, 3, 3}, 0},
            {{5, 17, 2, 3}, -3},
            {{33, 1, 1, 1}, 2},
            {{16, 16, 1, 1}, 0}};
  case Layout::fnz: // K = 1000, N = 1.
    return {{{1000, 1}, 0}, {{17, 33}, 4}, {{16, 16}, -1}, {{1, 1}, 0}};
  default:
    return {{{3, 5}, 0}, {{1}, 2}, {{2, 3, 4}, -3}};
  }
}

TEST_P(LayoutRoundTrip, JITMatchesReferenceAndConstantFolding) {
  auto [layout, types] = GetParam();
  std::vector<Case> cases = casesFor(layout);
  std::mt19937 rng(1234 + int(layout) * 16 + int(types.from) * 4 +
                   int(types.to));
  std::vector<std::vector<char>> logical, expectPhys;
  for (const Case &c : cases)
    logical.push_back(randomData(types.from, product(c.logical), rng));
  for (size_t i = 0; i < cases.size(); ++i)
    expectPhys.push_back(refConvert(layout, cases[i].logical, true, logical[i],
                                    types.from, types.to, cases[i].scaleExp));

  mlir::MLIRContext ctx;
  mlir::DialectRegistry registry;
  registerAllDialects(registry);
  ctx.appendDialectRegistry(registry);
  ctx.loadAllAvailableDialects();

  // Forward: logical -> physical.
  std::vector<rt::Tensor> phys =
      runJIT(layout, cases, true, types.from, types.to, logical);
  ASSERT_EQ(phys.size(), cases.size());
  for (size_t i = 0; i < cases.size(); ++i) {
    const Case &c = cases[i];
    Shape physShape = refPhysicalShape(layout, c.logical);
    SCOPED_TRACE(llvm::formatv("{0} {1}->{2} case {3} scale {4}",
                               layoutName(layout), typeName(types.from),
                               typeName(types.to), i, c.scaleExp)
                     .str());
    ASSERT_EQ(Shape(phys[i].shape().begin(), phys[i].shape().end()), physShape);
    size_t es = typeSize(types.to);
    const char *got = static_cast<const char *>(phys[i].data());
    ASSERT_EQ(phys[i].byteSize(), expectPhys[i].size());
    int64_t d = firstDiff(got, expectPhys[i].data(), product(physShape), es);
    EXPECT_EQ(d, -1) << "JIT differs from the reference at physical offset "
                     << d;

    // Pad lanes: exactly the offsets no logical element maps to, all +0.
    std::vector<bool> used(product(physShape), false);
    for (int64_t j = 0; j < product(c.logical); ++j)
      used[refOffset(layout, c.logical, j)] = true;
    for (int64_t j = 0; j < product(physShape); ++j) {
      if (used[j])
        continue;
      for (size_t b = 0; b < es; ++b)
        ASSERT_EQ(got[j * es + b], 0) << "pad lane " << j << " is not +0";
    }

    // Compile-time conversion of dense and dense_resource constants.
    for (bool resource : {false, true}) {
      mlir::ElementsAttr folded = npuk::convertConstant(
          makeAttr(ctx, c.logical, types.from, logical[i], resource),
          logicalOf(layout, c.logical), layout, mlirType(ctx, types.to),
          c.scaleExp);
      ASSERT_TRUE(folded) << "convertConstant failed";
      auto bytes = getConstantBytes(folded);
      ASSERT_TRUE(bytes);
      std::vector<char> full = expand(*bytes, product(physShape));
      ASSERT_EQ(full.size(), phys[i].byteSize());
      d = firstDiff(full.data(), got, product(physShape), es);
      EXPECT_EQ(d, -1) << "convertConstant (resource=" << resource
                       << ") differs from the JIT at offset " << d;
    }
  }

  // Inverse: physical -> logical with -scaleExp, from the JIT's output.
  std::vector<std::vector<char>> physBytes;
  for (const rt::Tensor &t : phys) {
    const char *p = static_cast<const char *>(t.data());
    physBytes.emplace_back(p, p + t.byteSize());
  }
  std::vector<rt::Tensor> back =
      runJIT(layout, cases, false, types.to, types.from, physBytes);
  ASSERT_EQ(back.size(), cases.size());
  for (size_t i = 0; i < cases.size(); ++i) {
    const Case &c = cases[i];
    SCOPED_TRACE(llvm::formatv("inverse {0} {1}->{2} case {3} scale {4}",
                               layoutName(layout), typeName(types.to),
                               typeName(types.from), i, -c.scaleExp)
                     .str());
    std::vector<char> expect =
        refConvert(layout, c.logical, false, physBytes[i], types.to, types.from,
                   -c.scaleExp);
    size_t es = typeSize(types.from);
    int64_t n = product(c.logical);
    const char *got = static_cast<const char *>(back[i].data());
    ASSERT_EQ(back[i].byteSize(), expect.size());
    int64_t d = firstDiff(got, expect.data(), n, es);
    EXPECT_EQ(d, -1) << "JIT inverse differs from the reference at " << d
                     << ": " << describe(got, expect.data(), d, es);
    if (npuk::isExactRoundTrip(
            logicalOf(layout, c.logical), layout, mlirType(ctx, types.from),
            mlirType(ctx, types.to), c.scaleExp, -c.scaleExp)) {
      d = firstDiff(got, logical[i].data(), n, es);
      EXPECT_EQ(d, -1) << "an exact round trip changed element " << d;
    }
    auto resultType =
        mlir::RankedTensorType::get(c.logical, mlirType(ctx, types.from));
    mlir::ElementsAttr folded = npuk::convertConstant(
        makeAttr(ctx, refPhysicalShape(layout, c.logical), types.to,
                 physBytes[i], /*resource=*/true),
        layout, logicalOf(layout, c.logical), resultType, -c.scaleExp);
    ASSERT_TRUE(folded);
    auto bytes = getConstantBytes(folded);
    ASSERT_TRUE(bytes);
    std::vector<char> full = expand(*bytes, n);
    ASSERT_EQ(full.size(), back[i].byteSize());
    d = firstDiff(full.data(), got, n, es);
    EXPECT_EQ(d, -1) << "inverse convertConstant differs from the JIT at " << d;
  }
}

const TypePair kTypePairs[] = {
    {T::F32, T::F16}, {T::F32, T::BF16}, {T::F16, T::F32},  {T::BF16, T::F32},
    {T::F32, T::F32}, {T::F16, T::F16},  {T::BF16, T::BF16}};

std::string
caseName(const ::testing::TestParamInfo<std::tuple<Layout, TypePair>> &info) {
  Layout l = std::get<0>(info.param);
  TypePair p = std::get<1>(info.param);
  return std::string(layoutName(l)) + "_" + typeName(p.from) + "_" +
         typeName(p.to);
}

INSTANTIATE_TEST_SUITE_P(
    AllLayoutsAndTypes, LayoutRoundTrip,
    ::testing::Combine(::testing::Values(Layout::nc1hwc0, Layout::fz,
                                         Layout::fnz, Layout::nd),
                       ::testing::ValuesIn(kTypePairs)),
    caseName);

//===--- The C++ index-map API against the same reference. ----------------===//

TEST(LayoutMap, OffsetsIndicesAndPadsMatchReference) {
  mlir::MLIRContext ctx;
  for (Layout l : {Layout::nc1hwc0, Layout::fz, Layout::fnz, Layout::nd})
    for (const Case &c : casesFor(l)) {
      SCOPED_TRACE(layoutName(l));
      auto m = npuk::getLayoutMap(c.logical, l);
      ASSERT_TRUE(mlir::succeeded(m));
      auto shape =
          npuk::physicalShape(c.logical, l, mlir::Float16Type::get(&ctx));
      ASSERT_TRUE(mlir::succeeded(shape));
      Shape ref = refPhysicalShape(l, c.logical);
      EXPECT_EQ(Shape(shape->begin(), shape->end()), ref);
      EXPECT_EQ(m->physicalSize(), product(ref));
      std::vector<int64_t> owner(product(ref), -1);
      for (int64_t i = 0; i < product(c.logical); ++i) {
        Shape idx(c.logical.size());
        for (int64_t d = idx.size() - 1, r = i; d >= 0; --d) {
          idx[d] = r % c.logical[d];
          r /= c.logical[d];
        }
        int64_t off = refOffset(l, c.logical, i);
        ASSERT_EQ(m->physicalOffset(idx), off);
        auto pidx = m->physicalIndex(idx);
        int64_t lin = 0;
        for (size_t d = 0; d < pidx.size(); ++d)
          lin = lin * ref[d] + pidx[d];
        ASSERT_EQ(lin, off);
        ASSERT_EQ(owner[off], -1) << "two elements share offset " << off;
        owner[off] = i;
      }
      // logicalIndex inverts the map and reports every pad lane.
      Shape pidx(ref.size(), 0);
      for (int64_t off = 0; off < product(ref); ++off) {
        auto back = m->logicalIndex(pidx);
        ASSERT_EQ(back.has_value(), owner[off] >= 0) << "offset " << off;
        if (back) {
          ASSERT_EQ(m->physicalOffset(*back), off);
        }
        for (int64_t d = ref.size() - 1; d >= 0; --d) {
          if (++pidx[d] < ref[d])
            break;
          pidx[d] = 0;
        }
      }
    }
}

TEST(LayoutMap, RejectsBadRanksAndTypes) {
  mlir::MLIRContext ctx;
  std::string error;
  EXPECT_TRUE(mlir::failed(npuk::getLayoutMap({3, 4, 5}, Layout::fz, &error)));
  EXPECT_EQ(error, "layout fz needs a rank-4 OIHW tensor, got rank 3");
  EXPECT_TRUE(mlir::failed(npuk::getLayoutMap({3}, Layout::fnz)));
  EXPECT_TRUE(mlir::failed(npuk::getLayoutMap({1, 2, 3}, Layout::nc1hwc0)));
  EXPECT_TRUE(mlir::failed(npuk::getLayoutMap({1, 2, 3}, Layout::nchw)));
  EXPECT_TRUE(mlir::failed(npuk::physicalShape(
      {1, 3, 4, 4}, Layout::nc1hwc0, mlir::IntegerType::get(&ctx, 32))));
  // Physical -> logical needs the logical shape: the dtype overload refuses.
  auto attr = mlir::DenseElementsAttr::get(
      mlir::RankedTensorType::get({1, 1, 16, 16}, mlir::Float32Type::get(&ctx)),
      0.0f);
  EXPECT_FALSE(npuk::convertConstant(attr, Layout::fnz, Layout::nd,
                                     mlir::Float32Type::get(&ctx), 0));
  // A mismatched result shape is refused, not misread.
  EXPECT_FALSE(npuk::convertConstant(
      attr, Layout::fnz, Layout::nd,
      mlir::RankedTensorType::get({17, 3}, mlir::Float32Type::get(&ctx)), 0));
}

TEST(LayoutMap, ExactRoundTrips) {
  mlir::MLIRContext ctx;
  mlir::Builder b(&ctx);
  auto f32 = b.getF32Type(), f16 = b.getF16Type(), bf16 = b.getBF16Type();
  Layout a = Layout::nchw, p = Layout::nc1hwc0;
  EXPECT_TRUE(npuk::isExactRoundTrip(a, p, f32, f32, 0, 0));
  EXPECT_TRUE(npuk::isExactRoundTrip(a, p, f16, f32, 0, 0));
  EXPECT_TRUE(npuk::isExactRoundTrip(a, p, f16, f32, 64, -64));
  EXPECT_TRUE(npuk::isExactRoundTrip(a, p, bf16, f32, 0, 0));
  EXPECT_FALSE(npuk::isExactRoundTrip(a, p, bf16, f32, 1, -1));
  EXPECT_FALSE(npuk::isExactRoundTrip(a, p, f32, f16, 0, 0));
  EXPECT_FALSE(npuk::isExactRoundTrip(a, p, f32, bf16, 0, 0));
  EXPECT_FALSE(npuk::isExactRoundTrip(a, p, f16, f32, 2, -1));
  EXPECT_FALSE(npuk::isExactRoundTrip(a, p, f32, f32, 3, -3));
}

} // namespace
