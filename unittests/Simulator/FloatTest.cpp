//===- FloatTest.cpp - fp16/bf16 conversions against slow references ------===//
#include "npu/Simulator/Float.h"
#include "gtest/gtest.h"
#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

using namespace npu::sim;

namespace {
double refHalfValue(uint16_t h) {
  int e = (h >> 10) & 31, m = h & 1023;
  double v = e == 0 ? std::ldexp(m, -24) : std::ldexp(1024 + m, e - 25);
  return (h & 0x8000) ? -v : v;
}

/// Nearest fp16 by search over all finite positive values, ties to even.
uint16_t refFloatToHalf(float f) {
  static std::vector<double> vals = [] {
    std::vector<double> v;
    for (uint16_t h = 0; h < 0x7c00; ++h)
      v.push_back(refHalfValue(h));
    return v;
  }();
  if (std::isnan(f))
    return (std::signbit(f) ? 0x8000 : 0) | 0x7e00;
  uint16_t sign = std::signbit(f) ? 0x8000 : 0;
  double x = std::fabs(double(f));
  if (x >= 65520.0) // Halfway between 65504 and 65536 rounds to inf.
    return sign | 0x7c00;
  auto it = std::lower_bound(vals.begin(), vals.end(), x);
  size_t hi = size_t(it - vals.begin());
  if (hi == vals.size())
    return sign | 0x7bff;
  if (vals[hi] == x || hi == 0)
    return sign | uint16_t(hi);
  size_t lo = hi - 1;
  double dl = x - vals[lo], dh = vals[hi] - x;
  if (dl < dh)
    return sign | uint16_t(lo);
  if (dh < dl)
    return sign | uint16_t(hi);
  return sign | uint16_t((lo & 1) ? hi : lo);
}
} // namespace

TEST(Float, HalfToFloatIsExactForAllValues) {
  for (uint32_t h = 0; h < 65536; ++h) {
    float f = halfToFloat(uint16_t(h));
    if (((h >> 10) & 31) == 31) {
      EXPECT_TRUE((h & 1023) ? std::isnan(f) : std::isinf(f));
      continue;
    }
    EXPECT_EQ(double(f), refHalfValue(uint16_t(h))) << h;
  }
}

TEST(Float, FloatToHalfRoundsToNearestEven) {
  std::vector<float> probes;
  for (uint32_t h = 0; h < 0x7c00; ++h) {
    double v = refHalfValue(uint16_t(h));
    double next = h + 1 < 0x7c00 ? refHalfValue(uint16_t(h + 1)) : 65536.0;
    float mid = float((v + next) / 2); // Exact: halves have few bits.
    probes.push_back(float(v));
    probes.push_back(mid);
    probes.push_back(std::nextafter(mid, 0.0f));
    probes.push_back(std::nextafter(mid, 1e9f));
  }
  std::mt19937 rng(7);
  for (int i = 0; i < 200000; ++i) {
    uint32_t bits = rng();
    probes.push_back(bitsFloat(bits));
  }
  for (float f : probes) {
    EXPECT_EQ(floatToHalf(f), refFloatToHalf(f)) << f;
    EXPECT_EQ(floatToHalf(-f), refFloatToHalf(-f)) << -f;
  }
}

TEST(Float, Bf16RoundsToNearestEven) {
  EXPECT_EQ(floatToBf16(1.0f), 0x3f80);
  EXPECT_EQ(floatToBf16(bitsFloat(0x3f808000)), 0x3f80); // Tie -> even.
  EXPECT_EQ(floatToBf16(bitsFloat(0x3f818000)), 0x3f82); // Tie -> even.
  EXPECT_EQ(floatToBf16(bitsFloat(0x3f808001)), 0x3f81);
  EXPECT_EQ(floatToBf16(bitsFloat(0x7f7fffff)), 0x7f80); // Overflow -> inf.
  EXPECT_TRUE(std::isnan(bf16ToFloat(floatToBf16(NAN))));
  for (uint32_t b = 0; b < 65536; ++b)
    if (!std::isnan(bf16ToFloat(uint16_t(b)))) {
      EXPECT_EQ(floatToBf16(bf16ToFloat(uint16_t(b))), b);
    }
}
