//===- VectorTest.cpp - Functional semantics of vector instructions -------===//
#include "SimTestUtil.h"
#include <cmath>

using namespace npu;
using namespace npu::sim;
using namespace npu::sim::test;

namespace {
/// Runs `body` with X (in) copied to ub[0] and ub[0x1000..] copied to Y.
struct VecRun {
  std::unique_ptr<Simulator> sim;
  std::string err;
  VecRun(const std::string &body, const std::vector<uint8_t> &x) {
    std::string src = ".gm X, 4096\n.gm Y, 4096\n  li x1, X\n  li x2, Y\n"
                      "  copy ub[0], gm[x1], 1, 128, 0, 0\n  barrier\n" +
                      body +
                      "  barrier\n  copy gm[x2], ub[0x1000], 1, 128, 0, 0\n"
                      "  end\n";
    sim = makeSim(src);
    if (!sim)
      return;
    std::copy(x.begin(), x.end(), sim->gm("X").begin());
    err = runError(*sim);
  }
  llvm::ArrayRef<uint8_t> y() { return sim->gm("Y"); }
};

template <typename T> std::vector<uint8_t> bytesOf(const std::vector<T> &v) {
  std::vector<uint8_t> b(v.size() * sizeof(T));
  std::memcpy(b.data(), v.data(), b.size());
  return b;
}
} // namespace

TEST(Vector, F16ArithmeticRoundsOnceFromFp32) {
  std::vector<uint16_t> x(2048);
  for (size_t i = 0; i < x.size(); ++i)
    x[i] = floatToHalf(float(i) * 0.37f - 100.0f);
  // a = x[0..127], b = x[128..255]; 1 repeat each.
  VecRun r("  vadd.f16 ub[0x1000], ub[0], ub[0x100], 1, 1, 1, 1, 8, 8, 8\n"
           "  vmul.f16 ub[0x1100], ub[0], ub[0x100], 1, 1, 1, 1, 8, 8, 8\n"
           "  vdiv.f16 ub[0x1200], ub[0], ub[0x100], 1, 1, 1, 1, 8, 8, 8\n"
           "  vexp.f16 ub[0x1300], ub[0x200], 1, 1, 1, 8, 8\n"
           "  vmuls.f16 ub[0x1400], ub[0], 0.1, 1, 1, 1, 8, 8\n",
           bytesOf(x));
  ASSERT_EQ(r.err, "");
  for (int i = 0; i < 128; ++i) {
    float a = halfToFloat(x[i]), b = halfToFloat(x[128 + i]);
    EXPECT_EQ(elem<uint16_t>(r.y(), i), floatToHalf(a + b)) << i;
    EXPECT_EQ(elem<uint16_t>(r.y(), 128 + i), floatToHalf(a * b)) << i;
    EXPECT_EQ(elem<uint16_t>(r.y(), 256 + i), floatToHalf(a / b)) << i;
    EXPECT_EQ(elem<uint16_t>(r.y(), 384 + i),
              floatToHalf(std::exp(halfToFloat(x[256 + i]))))
        << i;
    float s = halfToFloat(floatToHalf(0.1f)); // Scalar rounded to f16 first.
    EXPECT_EQ(elem<uint16_t>(r.y(), 512 + i), floatToHalf(a * s)) << i;
  }
}

TEST(Vector, MaskAndStrides) {
  std::vector<float> x(1024);
  for (size_t i = 0; i < x.size(); ++i)
    x[i] = float(i);
  // Only elements 0..3 and 63; dst blocks spaced 2 apart; two repeats.
  VecRun r("  li x3, 0x800000000000000f\n  set_mask x0, x3\n"
           "  vadds.f32 ub[0x1000], ub[0], 1000, 2, 2, 1, 16, 8\n",
           bytesOf(x));
  ASSERT_EQ(r.err, "");
  auto y = [&](size_t i) { return elem<float>(r.y(), i); };
  for (int rep = 0; rep < 2; ++rep) {
    size_t base = rep * 128; // 16 blocks of 8 floats per repeat.
    for (int i = 0; i < 4; ++i)
      EXPECT_EQ(y(base + i), 1000.0f + float(rep * 64 + i));
    EXPECT_EQ(y(base + 4), 0.0f);             // Masked off.
    EXPECT_EQ(y(base + 14 * 8 + 7), 1000.0f + float(rep * 64 + 63)); // Block 7.
    EXPECT_EQ(y(base + 8), 0.0f);             // Gap left by the block stride.
  }
}

TEST(Vector, ConversionRoundingModes) {
  std::vector<float> x(1024, 0.0f);
  const float in[8] = {2.5f, -2.5f, 3.5f, 0.4f, -0.6f, 1e10f, -1e10f, NAN};
  std::copy(in, in + 8, x.begin());
  const char *modes[] = {"rne", "rz", "floor", "ceil", "away"};
  const int32_t want[5][8] = {
      {2, -2, 4, 0, -1, INT32_MAX, INT32_MIN, 0},
      {2, -2, 3, 0, 0, INT32_MAX, INT32_MIN, 0},
      {2, -3, 3, 0, -1, INT32_MAX, INT32_MIN, 0},
      {3, -2, 4, 1, 0, INT32_MAX, INT32_MIN, 0},
      {3, -3, 4, 0, -1, INT32_MAX, INT32_MIN, 0}};
  for (int m = 0; m < 5; ++m) {
    VecRun r(std::string("  vconv.s32.f32.") + modes[m] +
                 " ub[0x1000], ub[0], 1, 1, 1, 8, 8\n"
                 "  vconv.f16.f32 ub[0x1800], ub[0], 1, 1, 1, 4, 8\n",
             bytesOf(x));
    ASSERT_EQ(r.err, "");
    for (int i = 0; i < 8; ++i)
      EXPECT_EQ(elem<int32_t>(r.y(), i), want[m][i]) << modes[m] << " " << i;
    for (int i = 0; i < 8; ++i) // fp16 overflow -> inf; NaN stays NaN.
      EXPECT_EQ(elem<uint16_t>(r.y(), 1024 + i), floatToHalf(in[i]));
  }
}

TEST(Vector, CompareSelectReduceDup) {
  std::vector<float> x(1024);
  for (int i = 0; i < 64; ++i) {
    x[i] = float(i % 7);       // a
    x[64 + i] = 3.0f;          // b
  }
  VecRun r("  vcmp.lt.f32 ub[0x800], ub[0], ub[0x100], 1, 1, 1, 8, 8\n"
           "  vsel.f32 ub[0x1000], ub[0], ub[0x100], ub[0x800], 1, 8, 8, 8\n"
           "  vcadd.f32 ub[0x1100], ub[0], 1, 1, 8\n"
           "  vcmax.f32 ub[0x1120], ub[0], 1, 1, 8\n"
           "  vdup.s32 ub[0x1200], -7, 1, 1, 8\n",
           bytesOf(x));
  ASSERT_EQ(r.err, "");
  float sum = 0;
  for (int i = 0; i < 64; ++i) {
    EXPECT_EQ(elem<float>(r.y(), i), std::min(x[i], 3.0f)) << i;
    sum += x[i];
    EXPECT_EQ(elem<int32_t>(r.y(), 128 + i), -7);
  }
  EXPECT_EQ(elem<float>(r.y(), 64), sum);
  EXPECT_EQ(elem<float>(r.y(), 72), 6.0f);
}

// Every comparison on every float type: the comparison and the element
// type are separate fields (vcmp.lt.f32 once passed only because lt and
// f32 share the value 2).
TEST(Vector, CompareModesAndTypes) {
  const char *modes[] = {"eq", "ne", "lt", "le", "gt", "ge"};
  auto holds = [](int mode, float a, float b) {
    switch (mode) {
    case 0:
      return a == b;
    case 1:
      return a != b;
    case 2:
      return a < b;
    case 3:
      return a <= b;
    case 4:
      return a > b;
    default:
      return a >= b;
    }
  };
  for (isa::DType t : {isa::DType::F16, isa::DType::BF16, isa::DType::F32}) {
    unsigned es = isa::dtypeSize(t), n = 256 / es;
    std::vector<uint8_t> in(2048, 0);
    std::vector<float> a(n), b(n);
    for (unsigned i = 0; i < n; ++i) {
      a[i] = float(int(i % 5) - 2), b[i] = float(int(i % 3) - 1);
      auto put = [&](unsigned at, float f) {
        uint32_t bits = t == isa::DType::F32   ? floatBits(f)
                        : t == isa::DType::F16 ? floatToHalf(f)
                                               : floatToBf16(f);
        std::memcpy(in.data() + at, &bits, es);
      };
      put(i * es, a[i]);
      put(256 + i * es, b[i]);
    }
    std::string ty = isa::dtypeName(t).str();
    for (int m = 0; m < 6; ++m) {
      VecRun r(std::string("  vcmp.") + modes[m] + "." + ty +
                   " ub[0x1000], ub[0], ub[0x100], 1, 1, 1, 8, 8\n",
               in);
      ASSERT_EQ(r.err, "") << modes[m] << " " << ty;
      // The bits land at the start of the output copy (ub[0x1000]).
      for (unsigned i = 0; i < n; ++i) {
        bool bit = (r.y()[i / 8] >> (i % 8)) & 1;
        EXPECT_EQ(bit, holds(m, a[i], b[i]))
            << modes[m] << "." << ty << " element " << i;
      }
    }
  }
}

TEST(Vector, IntegerOpsWrap) {
  std::vector<int16_t> x(2048);
  for (int i = 0; i < 128; ++i) {
    x[i] = int16_t(32760 + i % 8);
    x[128 + i] = int16_t(i);
  }
  VecRun r("  vadd.s16 ub[0x1000], ub[0], ub[0x100], 1, 1, 1, 1, 8, 8, 8\n",
           bytesOf(x));
  ASSERT_EQ(r.err, "");
  for (int i = 0; i < 128; ++i)
    EXPECT_EQ(elem<int16_t>(r.y(), i), int16_t(uint16_t(32760 + i % 8 + i)));
}
