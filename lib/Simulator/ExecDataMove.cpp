//===- ExecDataMove.cpp - Functional semantics of copies, nd2nz, load2d/3d ===//
#include "Machine.h"
#include <cstring>

namespace npu::sim::detail {

using namespace isa::fmt;

void Machine::execDMA(Core &c, const Instruction &inst, const Entry &e) {
  const uint64_t *v = e.v;
  const isa::OperandSpec *ops = isa::formatOperands(inst.info().format);
  switch (inst.info().format) {
  case isa::Format::CopyGmL1:
  case isa::Format::CopyGmUb:
  case isa::Format::CopyUbGm:
  case isa::Format::CopyL1Ub:
  case isa::Format::CopyUbL1:
  case isa::Format::CopyUbUb: {
    Buffer db = isa::addressBuffer(ops[CopyGmL1::dst].kind);
    Buffer sb = isa::addressBuffer(ops[CopyGmL1::src].kind);
    uint64_t len = v[CopyGmL1::burstlen] * 32;
    for (uint64_t i = 0; i < v[CopyGmL1::nburst]; ++i)
      std::memmove(ptr(c, db, v[CopyGmL1::dst] + i * v[CopyGmL1::dststride] * 32),
                   ptr(c, sb, v[CopyGmL1::src] + i * v[CopyGmL1::srcstride] * 32),
                   len);
    return;
  }
  case isa::Format::Nd2Nz: {
    // Row-major [rows][srcstride] in GM -> [cols/c0][dstrows][c0] in L1.
    uint64_t es = isa::dtypeSize(DType(v[Nd2Nz::type]));
    uint64_t c0 = 32 / es, rows = v[Nd2Nz::rows], cols = v[Nd2Nz::cols];
    uint64_t dr = v[Nd2Nz::dstrows] ? v[Nd2Nz::dstrows] : (rows + 15) / 16 * 16;
    uint8_t *d = ptr(c, Buffer::L1, v[Nd2Nz::dst]);
    const uint8_t *s = ptr(c, Buffer::GM, v[Nd2Nz::src]);
    for (uint64_t cb = 0; cb < cols / c0; ++cb)
      for (uint64_t r = 0; r < dr; ++r) {
        uint8_t *out = d + (cb * dr + r) * 32;
        if (r < rows)
          std::memcpy(out, s + (r * v[Nd2Nz::srcstride] + cb * c0) * es, 32);
        else
          std::memset(out, 0, 32);
      }
    return;
  }
  case isa::Format::Load2dA:
  case isa::Format::Load2dB: {
    Buffer db = isa::addressBuffer(ops[Load2dA::dst].kind);
    for (uint64_t i = 0; i < v[Load2dA::repeat]; ++i) {
      const uint8_t *s =
          ptr(c, Buffer::L1, v[Load2dA::src] + i * v[Load2dA::srcstride] * 512);
      uint8_t *d = ptr(c, db, v[Load2dA::dst] + i * v[Load2dA::dststride] * 512);
      if (!v[Load2dA::transpose]) {
        std::memmove(d, s, 512);
        continue;
      }
      // Transpose a 16x16 fractal of 16-bit elements.
      uint16_t tmp[256];
      std::memcpy(tmp, s, 512);
      uint16_t out[256];
      for (unsigned r = 0; r < 16; ++r)
        for (unsigned col = 0; col < 16; ++col)
          out[col * 16 + r] = tmp[r * 16 + col];
      std::memcpy(d, out, 512);
    }
    return;
  }
  case isa::Format::Load3d: {
    // img2col of an NC1HWC0 feature map into zZ fractals of L0A.
    const auto &fm = c.fmap;
    int64_t kh = int64_t(v[Load3d::kh]), kw = int64_t(v[Load3d::kw]);
    int64_t sh = int64_t(v[Load3d::sh]), sw = int64_t(v[Load3d::sw]);
    int64_t dh = int64_t(v[Load3d::dh]), dw = int64_t(v[Load3d::dw]);
    int64_t hNum = int64_t(fm.h) + fm.pt + fm.pb - dh * (kh - 1) - 1;
    int64_t wNum = int64_t(fm.w) + fm.pl + fm.pr - dw * (kw - 1) - 1;
    int64_t ho = hNum < 0 ? 0 : hNum / sh + 1, wo = wNum < 0 ? 0 : wNum / sw + 1;
    uint64_t mfrac = v[Load3d::mfrac], kfrac = v[Load3d::kfrac];
    uint64_t xm = v[Load3d::xm], xk = v[Load3d::xk];
    const uint8_t *src = ptr(c, Buffer::L1, v[Load3d::src]);
    uint8_t *dst = ptr(c, Buffer::L0A, v[Load3d::dst]);
    for (uint64_t i = 0; i < mfrac; ++i)
      for (unsigned r = 0; r < 16; ++r) {
        uint64_t p = xm + i * 16 + r;
        bool rowValid = int64_t(p) < ho * wo && wo > 0;
        int64_t oy = rowValid ? int64_t(p) / wo : 0;
        int64_t ox = rowValid ? int64_t(p) % wo : 0;
        for (uint64_t j = 0; j < kfrac; ++j) {
          uint8_t *out = dst + (i * kfrac + j) * 512 + r * 32;
          uint64_t kf = xk + j;
          uint64_t c1 = kf / uint64_t(kh * kw), rem = kf % uint64_t(kh * kw);
          int64_t ky = int64_t(rem) / kw, kx = int64_t(rem) % kw;
          int64_t iy = oy * sh - fm.pt + ky * dh, ix = ox * sw - fm.pl + kx * dw;
          if (rowValid && c1 < fm.c1 && iy >= 0 && iy < int64_t(fm.h) &&
              ix >= 0 && ix < int64_t(fm.w))
            std::memcpy(out, src + ((c1 * fm.h + uint64_t(iy)) * fm.w +
                                    uint64_t(ix)) * 32,
                        32);
          else
            std::memset(out, 0, 32);
        }
      }
    return;
  }
  default:
    return;
  }
}

} // namespace npu::sim::detail
