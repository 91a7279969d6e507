//===- ExecCube.cpp - Functional mmad (cube) and the FIX pipe -------------===//
//
// mmad semantics (docs/isa.md): every C[m][n] starts from 0, from L0C, or from
// bias[n], then adds A[m][k] * B[k][n] for k = 0, 1, ..., K-1 in that order,
// rounding to fp32 after each add (the fp16/bf16 products are exact in fp32,
// so fused and unfused multiply-add agree). int8 accumulates in int32 with
// wrap-around. The operands are converted to fp32/int32 once per mmad and the
// inner loop is a register-blocked, vectorizable FMA loop.
//===----------------------------------------------------------------------===//
#include "Machine.h"
#include "npu/Simulator/Float.h"
#include <cmath>
#include <cstring>

namespace npu::sim::detail {

using namespace isa::fmt;

namespace {

/// C[Mp][Np] += A[Mp][K] * B[K][Np] with a 4 x W register block;
/// Mp % 4 == 0, Np % W == 0. Per element, k still runs 0, 1, ..., K-1.
template <typename T, typename U, unsigned W>
__attribute__((always_inline)) inline void
gemmBlock(const T *__restrict A, const T *__restrict B,
                      T *__restrict C, unsigned Mp, unsigned Np, unsigned K) {
  for (unsigned m = 0; m < Mp; m += 4)
    for (unsigned n = 0; n < Np; n += W) {
      T acc[4][W];
      for (unsigned r = 0; r < 4; ++r)
        for (unsigned x = 0; x < W; ++x)
          acc[r][x] = C[(m + r) * Np + n + x];
      for (unsigned k = 0; k < K; ++k) {
        const T *b = B + size_t(k) * Np + n;
        for (unsigned r = 0; r < 4; ++r) {
          T a = A[(m + r) * size_t(K) + k];
          for (unsigned x = 0; x < W; ++x)
            acc[r][x] = T(U(acc[r][x]) + U(a) * U(b[x]));
        }
      }
      for (unsigned r = 0; r < 4; ++r)
        for (unsigned x = 0; x < W; ++x)
          C[(m + r) * Np + n + x] = acc[r][x];
    }
}

#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
#define NPU_MULTIVERSION __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define NPU_MULTIVERSION
#endif

NPU_MULTIVERSION
void gemmF32(const float *A, const float *B, float *C, unsigned Mp,
             unsigned Np, unsigned K) {
  if (Np % 32 == 0)
    gemmBlock<float, float, 32>(A, B, C, Mp, Np, K);
  else
    gemmBlock<float, float, 16>(A, B, C, Mp, Np, K);
}

NPU_MULTIVERSION
void gemmS32(const int32_t *A, const int32_t *B, int32_t *C, unsigned Mp,
             unsigned Np, unsigned K) {
  gemmBlock<int32_t, uint32_t, 16>(A, B, C, Mp, Np, K);
}

} // namespace

void Machine::execCube(Core &c, const Instruction &inst, const Entry &e) {
  const uint64_t *v = e.v;
  bool bias = inst.op == Opcode::MMAD_BIAS;
  unsigned im = bias ? unsigned(MmadBias::m) : unsigned(Mmad::m);
  unsigned id = bias ? unsigned(MmadBias::dst) : unsigned(Mmad::dst);
  DType t = DType(v[0]);
  bool accumulate = !bias && v[Mmad::init] == 1;
  unsigned M = unsigned(v[im]), N = unsigned(v[im + 1]), K = unsigned(v[im + 2]);
  unsigned k0 = t == DType::S8 ? 32 : 16, es = t == DType::S8 ? 1 : 2;
  unsigned mf = (M + 15) / 16, nf = (N + 15) / 16, kf = (K + k0 - 1) / k0;
  unsigned Mp = mf * 16, Np = nf * 16;
  const uint8_t *a = ptr(c, Buffer::L0A, v[id + 1]);
  const uint8_t *b = ptr(c, Buffer::L0B, v[id + 2]);
  uint8_t *cc = ptr(c, Buffer::L0C, v[id]);
  const uint8_t *biasPtr = bias ? ptr(c, Buffer::L1, v[MmadBias::bias]) : nullptr;

  // Element offsets: A fractal (i,j) is 16 rows (m) x k0; B fractal (j,l) is
  // 16 rows (n) x k0; C is NZ, [nf][Mp][16] of 32-bit.
  auto aOff = [&](unsigned m, unsigned k) {
    return ((size_t(m / 16) * kf + k / k0) * 16 * k0 + (m % 16) * k0 + k % k0) *
           es;
  };
  auto bOff = [&](unsigned k, unsigned n) {
    return ((size_t(k / k0) * nf + n / 16) * 16 * k0 + (n % 16) * k0 + k % k0) *
           es;
  };
  auto cOff = [&](unsigned m, unsigned n) {
    return ((size_t(n / 16) * Mp + m) * 16 + n % 16) * 4;
  };

  if (t == DType::S8) {
    c.ai.assign(size_t(Mp) * K, 0);
    c.bi.assign(size_t(K) * Np, 0);
    c.ci.assign(size_t(Mp) * Np, 0);
    for (unsigned m = 0; m < M; ++m)
      for (unsigned k = 0; k < K; ++k)
        c.ai[size_t(m) * K + k] = int8_t(a[aOff(m, k)]);
    for (unsigned k = 0; k < K; ++k)
      for (unsigned n = 0; n < N; ++n)
        c.bi[size_t(k) * Np + n] = int8_t(b[bOff(k, n)]);
    for (unsigned m = 0; m < M; ++m)
      for (unsigned n = 0; n < N; ++n) {
        int32_t init = 0;
        if (accumulate)
          std::memcpy(&init, cc + cOff(m, n), 4);
        else if (bias)
          std::memcpy(&init, biasPtr + n * 4, 4);
        c.ci[size_t(m) * Np + n] = init;
      }
    gemmS32(c.ai.data(), c.bi.data(), c.ci.data(), Mp, Np, K);
    for (unsigned m = 0; m < M; ++m)
      for (unsigned n = 0; n < N; ++n)
        std::memcpy(cc + cOff(m, n), &c.ci[size_t(m) * Np + n], 4);
    return;
  }

  // Convert once per fractal: a fractal row is k0 contiguous elements.
  // Padding rows/columns are zero so the register-blocked kernel may compute
  // them; only real elements are written back.
  c.af.resize(size_t(Mp) * K);
  c.bf.resize(size_t(K) * Np);
  c.cf.assign(size_t(Mp) * Np, 0.0f);
  const float *half = halfTable();
  auto cvt = [&](const uint8_t *p, float *out, unsigned count) {
    uint16_t h[32];
    std::memcpy(h, p, size_t(count) * 2);
    if (t == DType::F16)
      for (unsigned i = 0; i < count; ++i)
        out[i] = half[h[i]];
    else
      for (unsigned i = 0; i < count; ++i)
        out[i] = bf16ToFloat(h[i]);
  };
  for (unsigned i = 0; i < mf; ++i)
    for (unsigned j = 0; j < kf; ++j) {
      const uint8_t *frac = a + (size_t(i) * kf + j) * 512;
      unsigned cols = std::min(k0, K - j * k0);
      for (unsigned r = 0; r < 16; ++r) {
        float *row = &c.af[size_t(i * 16 + r) * K + j * k0];
        if (i * 16 + r < M)
          cvt(frac + r * k0 * 2, row, cols);
        else
          std::fill(row, row + cols, 0.0f);
      }
    }
  for (unsigned j = 0; j < kf; ++j)
    for (unsigned l = 0; l < nf; ++l) {
      const uint8_t *frac = b + (size_t(j) * nf + l) * 512;
      unsigned ks = std::min(k0, K - j * k0);
      float tmp[16][16];
      for (unsigned nn = 0; nn < 16; ++nn) // Fractal rows are n, columns k.
        cvt(frac + nn * k0 * 2, tmp[nn], ks);
      for (unsigned kk = 0; kk < ks; ++kk) {
        float *row = &c.bf[size_t(j * k0 + kk) * Np + l * 16];
        for (unsigned nn = 0; nn < 16; ++nn)
          row[nn] = l * 16 + nn < N ? tmp[nn][kk] : 0.0f;
      }
    }
  if (accumulate) {
    for (unsigned nb = 0; nb < nf; ++nb)
      for (unsigned m = 0; m < M; ++m)
        std::memcpy(&c.cf[size_t(m) * Np + nb * 16], cc + cOff(m, nb * 16), 64);
  } else if (bias) {
    for (unsigned m = 0; m < M; ++m)
      std::memcpy(&c.cf[size_t(m) * Np], biasPtr, size_t(N) * 4);
  }
  gemmF32(c.af.data(), c.bf.data(), c.cf.data(), Mp, Np, K);
  for (unsigned nb = 0; nb < nf; ++nb) {
    unsigned cols = std::min(16u, N - nb * 16);
    for (unsigned m = 0; m < M; ++m)
      std::memcpy(cc + cOff(m, nb * 16), &c.cf[size_t(m) * Np + nb * 16],
                  size_t(cols) * 4);
  }
}

namespace {
/// Round-to-nearest-even float -> integer with saturation (NaN -> 0).
int64_t saturate(double x, int64_t lo, int64_t hi) {
  if (std::isnan(x))
    return 0;
  x = std::nearbyint(x);
  if (x <= double(lo))
    return lo;
  if (x >= double(hi))
    return hi;
  return int64_t(x);
}
} // namespace

void Machine::execFix(Core &c, const Instruction &inst, const Entry &e) {
  const uint64_t *v = e.v;
  const isa::OperandSpec *ops = isa::formatOperands(inst.info().format);
  Buffer db = isa::addressBuffer(ops[FixGm::dst].kind);
  DType dt = DType(v[FixGm::type]), st = DType(v[FixGm::srctype]);
  unsigned M = unsigned(v[FixGm::m]), N = unsigned(v[FixGm::n]);
  unsigned Mp = (M + 15) / 16 * 16;
  bool relu = v[FixGm::relu], nd = v[FixGm::nz2nd];
  // xscale = x0 means "no scaling"; otherwise the register's low 32 bits are
  // an fp32 scale.
  bool scaled = inst.f[FixGm::xscale] != 0;
  float scale = bitsFloat(uint32_t(v[FixGm::xscale]));
  const uint8_t *src = ptr(c, Buffer::L0C, v[FixGm::src]);
  uint8_t *dst = ptr(c, db, v[FixGm::dst]);
  unsigned es = isa::dtypeSize(dt);
  uint64_t stride = v[FixGm::dststride];
  for (unsigned n = 0; n < N; ++n)
    for (unsigned m = 0; m < M; ++m) {
      size_t so = ((size_t(n / 16) * Mp + m) * 16 + n % 16) * 4;
      size_t dOff = nd ? (size_t(m) * stride + n) * es
                       : ((size_t(n / 16) * Mp + m) * 16 + n % 16) * es;
      uint8_t *out = dst + dOff;
      if (st == DType::S32 && !scaled && !isa::isFloat(dt)) {
        int32_t x;
        std::memcpy(&x, src + so, 4);
        if (relu && x < 0)
          x = 0;
        int64_t lo = dt == DType::S8 ? -128 : dt == DType::S16 ? -32768 : INT32_MIN;
        int64_t hi = dt == DType::S8 ? 127 : dt == DType::S16 ? 32767 : INT32_MAX;
        int64_t y = std::min<int64_t>(std::max<int64_t>(x, lo), hi);
        std::memcpy(out, &y, es); // Little-endian truncation.
        continue;
      }
      float f;
      if (st == DType::S32) {
        int32_t x;
        std::memcpy(&x, src + so, 4);
        f = float(x);
      } else {
        std::memcpy(&f, src + so, 4);
      }
      if (scaled)
        f = f * scale;
      if (relu && f < 0)
        f = 0;
      switch (dt) {
      case DType::F16: {
        uint16_t h = floatToHalf(f);
        std::memcpy(out, &h, 2);
        break;
      }
      case DType::BF16: {
        uint16_t h = floatToBf16(f);
        std::memcpy(out, &h, 2);
        break;
      }
      case DType::F32:
        std::memcpy(out, &f, 4);
        break;
      default: {
        int64_t lo = dt == DType::S8 ? -128 : dt == DType::S16 ? -32768 : INT32_MIN;
        int64_t hi = dt == DType::S8 ? 127 : dt == DType::S16 ? 32767 : INT32_MAX;
        int64_t y = saturate(f, lo, hi);
        std::memcpy(out, &y, es);
      }
      }
    }
}

} // namespace npu::sim::detail
