//===- NPUKLayoutCubeTest.cpp - npuk layouts are what the cube reads ------===//
//
// Weights and activations converted by npuk::convertConstant are copied to
// L1 unchanged and fed to the simulated cube exactly as docs/isa.md and
// bench/npu say (fz/fnz: one `load2d l0b` without transpose; nc1hwc0: the
// `load3d` source map); FIX's NZ output read back through the nc1hwc0 map
// must equal a naive convolution. Small integers keep every sum exact.
//
//===----------------------------------------------------------------------===//
#include "npu/Dialect/NPUK/IR/NPUKLayout.h"
#include "npu/Simulator/Simulator.h"
#include "npu/Transforms/ConstantBytes.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/FormatVariadic.h"
#include "gtest/gtest.h"

#include <cstring>
#include <random>

using namespace npu;
using npuk::Layout;

namespace {

struct Tensor {
  std::vector<int64_t> shape;
  std::vector<float> data;
};

Tensor randomInts(std::vector<int64_t> shape, std::mt19937 &rng) {
  Tensor t{shape, {}};
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  for (int64_t i = 0; i < n; ++i)
    t.data.push_back(float(int(rng() % 7) - 3));
  return t;
}

/// convertConstant of an f32 tensor; returns the result's bytes.
std::vector<uint8_t> convert(mlir::MLIRContext &ctx, const Tensor &t,
                             Layout from, Layout to, mlir::Type dtype) {
  auto type =
      mlir::RankedTensorType::get(t.shape, mlir::Float32Type::get(&ctx));
  auto attr = mlir::DenseElementsAttr::get(type, llvm::ArrayRef(t.data));
  mlir::ElementsAttr out = npuk::convertConstant(attr, from, to, dtype, 0);
  EXPECT_TRUE(out);
  if (!out)
    return {};
  auto bytes = getConstantBytes(out);
  EXPECT_TRUE(bytes && !bytes->splat);
  return std::vector<uint8_t>(bytes->data.begin(), bytes->data.end());
}

std::unique_ptr<sim::Simulator> runProgram(const std::string &text) {
  auto prog = isa::parseAssembly(text, "layout.s");
  if (!prog) {
    ADD_FAILURE() << llvm::toString(prog.takeError()) << "\n" << text;
    return nullptr;
  }
  auto sim = sim::Simulator::create(
      *prog, llvm::cantFail(sim::presetConfig("dv-910")));
  if (!sim) {
    ADD_FAILURE() << llvm::toString(sim.takeError());
    return nullptr;
  }
  return std::move(*sim);
}

void fill(sim::Simulator &s, llvm::StringRef name,
          const std::vector<uint8_t> &bytes) {
  llvm::MutableArrayRef<uint8_t> gm = s.gm(name);
  ASSERT_GE(gm.size(), bytes.size());
  std::copy(bytes.begin(), bytes.end(), gm.begin());
}

float readF32(llvm::ArrayRef<uint8_t> bytes, int64_t i) {
  float f;
  std::memcpy(&f, bytes.data() + i * 4, 4);
  return f;
}

// 3x3 convolution, padding 1, stride 1: X [1][C][H][W] in nc1hwc0, W
// [O][C][3][3] in fz, f16; the cube computes all NF*16 output channels
// (pad weights are 0) and FIX writes NZ = nc1hwc0 f32.
TEST(LayoutOnCube, ConvReadsNC1HWC0AndFZ) {
  mlir::MLIRContext ctx;
  mlir::Type f16 = mlir::Float16Type::get(&ctx);
  const int64_t C = 20, O = 20, H = 8, Wd = 8, K = 3;
  const int64_t C1 = 2, NF = 2, KF = C1 * K * K, M = H * Wd;
  std::mt19937 rng(7);
  Tensor x = randomInts({1, C, H, Wd}, rng);
  Tensor w = randomInts({O, C, K, K}, rng);
  std::vector<uint8_t> xb = convert(ctx, x, Layout::nchw, Layout::nc1hwc0, f16);
  std::vector<uint8_t> wb = convert(ctx, w, Layout::nchw, Layout::fz, f16);
  ASSERT_EQ(int64_t(xb.size()), C1 * H * Wd * 32);
  ASSERT_EQ(int64_t(wb.size()), KF * NF * 512);

  std::string text = llvm::formatv(R"(.gm X, {0}
.gm W, {1}
.gm Y, {2}
  li x1, X
  li x2, W
  li x3, Y
  copy l1[0], gm[x1], 1, {3}, 0, 0
  copy l1[0x10000], gm[x2], 1, {4}, 0, 0
  barrier
  set_fmap {5}, {6}, {7}, 1, 1, 1, 1
  load2d l0b[0], l1[0x10000], {8}, 1, 1, 0
  load3d.f16 l0a[0], l1[0], x0, x0, 3, 3, 1, 1, 1, 1, {9}, {10}
  barrier
  mmad.f16.zero l0c[0], l0a[0], l0b[0], {11}, {12}, {13}
  barrier
  fix.f32.f32 gm[x3], l0c[0], {11}, {12}, 0, 0, 0, x0
  end
)",
                                   xb.size(), wb.size(), NF * M * 16 * 4,
                                   xb.size() / 32, wb.size() / 32, H, Wd, C1,
                                   KF * NF, M / 16, KF, M, NF * 16, KF * 16)
                         .str();
  auto s = runProgram(text);
  ASSERT_TRUE(s);
  fill(*s, "X", xb);
  fill(*s, "W", wb);
  // Garbage in Y: the pad lanes must be written as +0, not left alone.
  llvm::MutableArrayRef<uint8_t> y = s->gm("Y");
  std::fill(y.begin(), y.end(), 0xff);
  auto r = s->run();
  ASSERT_TRUE(bool(r)) << llvm::toString(r.takeError());

  // FIX's NZ [NF][M][16] is nc1hwc0 [1][NF][H][W][16]: read it back.
  Tensor phys{{1, NF, H, Wd, 16}, {}};
  for (int64_t i = 0; i < NF * M * 16; ++i)
    phys.data.push_back(readF32(s->gm("Y"), i));
  for (int64_t o = O; o < NF * 16; ++o)
    for (int64_t p = 0; p < M; ++p) {
      float v = phys.data[((o / 16) * M + p) * 16 + o % 16];
      ASSERT_TRUE(v == 0.0f && !std::signbit(v)) << "pad lane " << o;
    }
  mlir::Type f32 = mlir::Float32Type::get(&ctx);
  auto resultType = mlir::RankedTensorType::get({1, O, H, Wd}, f32);
  auto physAttr = mlir::DenseElementsAttr::get(
      mlir::RankedTensorType::get(phys.shape, f32), llvm::ArrayRef(phys.data));
  mlir::ElementsAttr logical = npuk::convertConstant(
      physAttr, Layout::nc1hwc0, Layout::nchw, resultType, 0);
  ASSERT_TRUE(logical);
  auto got = getConstantBytes(logical);
  ASSERT_TRUE(got);
  llvm::ArrayRef<uint8_t> gotBytes(
      reinterpret_cast<const uint8_t *>(got->data.data()), got->data.size());
  for (int64_t o = 0; o < O; ++o)
    for (int64_t oy = 0; oy < H; ++oy)
      for (int64_t ox = 0; ox < Wd; ++ox) {
        float acc = 0;
        for (int64_t c = 0; c < C; ++c)
          for (int64_t ky = 0; ky < K; ++ky)
            for (int64_t kx = 0; kx < K; ++kx) {
              int64_t iy = oy + ky - 1, ix = ox + kx - 1;
              if (iy < 0 || iy >= H || ix < 0 || ix >= Wd)
                continue;
              acc += x.data[(c * H + iy) * Wd + ix] *
                     w.data[((o * C + c) * K + ky) * K + kx];
            }
        ASSERT_EQ(readF32(gotBytes, (o * H + oy) * Wd + ox), acc)
            << "o " << o << " y " << oy << " x " << ox;
      }
}

// Matmul with a constant B in fnz (K = 40, N = 33: both ragged): A is ND in
// GM, nd2nz to L1 and load2d per K fractal column (as gemm_f16.s); B is one
// copy and one load2d without transpose.
TEST(LayoutOnCube, MatmulReadsFNZ) {
  mlir::MLIRContext ctx;
  mlir::Type f16 = mlir::Float16Type::get(&ctx);
  const int64_t M = 20, K = 40, N = 33, KP = 48, KF = 3, NF = 3, MP = 32;
  std::mt19937 rng(11);
  Tensor a = randomInts({M, KP}, rng); // Columns K..KP-1 meet zero B rows.
  Tensor b = randomInts({K, N}, rng);
  std::vector<uint8_t> ab = convert(ctx, a, Layout::nd, Layout::nd, f16);
  std::vector<uint8_t> bb = convert(ctx, b, Layout::nd, Layout::fnz, f16);
  ASSERT_EQ(int64_t(bb.size()), KF * NF * 512);
  std::string loadA;
  for (int64_t j = 0; j < KF; ++j)
    loadA += llvm::formatv("  load2d l0a[{0}], l1[{1}], {2}, 1, {3}, 0\n",
                           j * 512, j * MP * 32, MP / 16, KF)
                 .str();
  std::string text = llvm::formatv(R"(.gm A, {0}
.gm B, {1}
.gm C, {2}
  li x1, A
  li x2, B
  li x3, C
  nd2nz.f16 l1[0], gm[x1], {3}, {4}, {4}, 0
  copy l1[0x10000], gm[x2], 1, {5}, 0, 0
  barrier
{6}  load2d l0b[0], l1[0x10000], {7}, 1, 1, 0
  barrier
  mmad.f16.zero l0c[0], l0a[0], l0b[0], {3}, {8}, {4}
  barrier
  fix.f32.f32 gm[x3], l0c[0], {3}, {8}, {8}, 0, 1, x0
  end
)",
                                   ab.size(), bb.size(), M * N * 4, M, KP,
                                   bb.size() / 32, loadA, KF * NF, N)
                         .str();
  auto s = runProgram(text);
  ASSERT_TRUE(s);
  fill(*s, "A", ab);
  fill(*s, "B", bb);
  auto r = s->run();
  ASSERT_TRUE(bool(r)) << llvm::toString(r.takeError());
  for (int64_t m = 0; m < M; ++m)
    for (int64_t n = 0; n < N; ++n) {
      float acc = 0;
      for (int64_t k = 0; k < K; ++k)
        acc += a.data[m * KP + k] * b.data[k * N + n];
      ASSERT_EQ(readF32(s->gm("C"), m * N + n), acc) << m << " " << n;
    }
}

} // namespace
