//===- Float.h - Bit-exact fp16 / bf16 <-> fp32 conversions (RNE) ---------===//
#ifndef NPU_SIMULATOR_FLOAT_H
#define NPU_SIMULATOR_FLOAT_H

#include <cmath>
#include <cstdint>
#include <cstring>

namespace npu::sim {

inline uint32_t floatBits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}
inline float bitsFloat(uint32_t u) {
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

/// fp16 -> fp32 is exact; a 64 K-entry table makes it one load.
const float *halfTable();
inline float halfToFloat(uint16_t h) { return halfTable()[h]; }

/// fp32 -> fp16, round to nearest even; overflow gives inf, every NaN gives
/// the canonical quiet NaN 0x7e00 with the input's sign.
inline uint16_t floatToHalf(float f) {
  uint32_t x = floatBits(f);
  uint16_t sign = uint16_t((x >> 16) & 0x8000);
  x &= 0x7fffffff;
  if (x >= 0x47800000) // >= 65536, inf or NaN.
    return sign | (x > 0x7f800000 ? 0x7e00 : 0x7c00);
  if (x < 0x38800000) { // Result is subnormal or zero: let the FPU round.
    float t = bitsFloat(x) + 0.5f;
    return sign | uint16_t(floatBits(t) - 0x3f000000);
  }
  uint32_t odd = (x >> 13) & 1;
  x += 0xc8000fffu + odd; // Rebias the exponent and round to nearest even.
  return sign | uint16_t(x >> 13);
}

inline float bf16ToFloat(uint16_t b) { return bitsFloat(uint32_t(b) << 16); }
inline uint16_t floatToBf16(float f) {
  uint32_t x = floatBits(f);
  if ((x & 0x7fffffff) > 0x7f800000)
    return uint16_t((x >> 16) | 0x40); // Quiet NaN.
  x += 0x7fff + ((x >> 16) & 1);
  return uint16_t(x >> 16);
}

} // namespace npu::sim

#endif // NPU_SIMULATOR_FLOAT_H
