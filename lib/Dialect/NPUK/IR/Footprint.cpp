//===- Footprint.cpp - operand byte ranges of NPU instructions ------------===//
//
// Same ranges as the simulator's race checker (docs/isa.md, "Checks"):
// copy bursts, nd2nz source rows and fix ND destination rows exactly, every
// other operand by its bounding range. To be replaced by isa::footprint.
//===----------------------------------------------------------------------===//
#include "npu/Dialect/NPUK/IR/Footprint.h"

#include <algorithm>

using namespace npu;
using namespace npu::npuk;
using isa::Buffer;
using isa::DType;

static uint64_t ceilDiv(uint64_t a, uint64_t b) { return (a + b - 1) / b; }

/// Does a run of `s` intersect [x, x + w)?
static bool rowsHit(const Span &s, uint64_t x, uint64_t w) {
  if (x + w <= s.lo || x >= s.hi)
    return false;
  if (!s.strided())
    return true;
  uint64_t last = std::min((x + w - 1 - s.lo) / s.stride, s.rows - 1);
  uint64_t first =
      x < s.lo + s.rowBytes ? 0 : (x - s.lo - s.rowBytes) / s.stride + 1;
  return first <= last;
}

bool npu::npuk::spansOverlap(const Span &a, const Span &b) {
  if (!(a.lo < b.hi && b.lo < a.hi))
    return false;
  const Span &few = a.rows <= b.rows ? a : b;
  const Span &many = &few == &a ? b : a;
  if (!few.strided())
    return rowsHit(many, few.lo, few.hi - few.lo);
  for (uint64_t i = 0; i < few.rows; ++i)
    if (rowsHit(many, few.lo + i * few.stride, few.rowBytes))
      return true;
  return false;
}

namespace {
/// Collects accesses; `f` holds the resolved fields.
struct Collector {
  const uint64_t *f;
  const isa::OperandSpec *specs;
  llvm::SmallVectorImpl<Access> &out;

  Buffer buf(unsigned i) const { return isa::addressBuffer(specs[i].kind); }
  void range(unsigned i, uint64_t bytes, bool write) {
    out.push_back({buf(i), {f[i], f[i] + bytes}, write, specs[i].name});
  }
  void rows(unsigned i, uint64_t n, uint64_t rowBytes, uint64_t stride,
            bool write) {
    Span s{f[i], f[i] + (n - 1) * stride + rowBytes, n, rowBytes, stride};
    out.push_back({buf(i), s, write, specs[i].name});
  }
  /// A vector operand: `rep` repeats `repStride` 32 B units apart, each of
  /// 8 blocks of `blockBytes`, `blk` blocks apart.
  void vec(unsigned i, uint64_t rep, uint64_t blk, uint64_t repStride,
           uint64_t blockBytes, bool write) {
    range(i, (rep - 1) * repStride * 32 + 7 * blk * blockBytes + blockBytes,
          write);
  }
};
} // namespace

void npu::npuk::footprint(const isa::Instruction &inst,
                          const uint64_t resolved[], const FmapState &fmap,
                          llvm::SmallVectorImpl<Access> &out) {
  namespace F = isa::fmt;
  const isa::Format format = inst.info().format;
  const uint64_t *f = resolved;
  Collector c{f, isa::formatOperands(format), out};
  auto size = [&](unsigned i) { return isa::dtypeSize(DType(f[i])); };
  switch (format) {
  case isa::Format::CopyGmL1:
  case isa::Format::CopyGmUb:
  case isa::Format::CopyUbGm:
  case isa::Format::CopyL1Ub:
  case isa::Format::CopyUbL1:
  case isa::Format::CopyUbUb: {
    // Every copy format has the same field order.
    uint64_t n = f[F::CopyGmL1::nburst], len = f[F::CopyGmL1::burstlen] * 32;
    c.rows(F::CopyGmL1::src, n, len, f[F::CopyGmL1::srcstride] * 32, false);
    c.rows(F::CopyGmL1::dst, n, len, f[F::CopyGmL1::dststride] * 32, true);
    return;
  }
  case isa::Format::Nd2Nz: {
    uint64_t es = size(F::Nd2Nz::type), r = f[F::Nd2Nz::rows];
    uint64_t cols = f[F::Nd2Nz::cols];
    uint64_t rp =
        f[F::Nd2Nz::dstrows] ? f[F::Nd2Nz::dstrows] : ceilDiv(r, 16) * 16;
    c.rows(F::Nd2Nz::src, r, cols * es, f[F::Nd2Nz::srcstride] * es, false);
    c.range(F::Nd2Nz::dst, cols * es / 32 * rp * 32, true);
    return;
  }
  case isa::Format::Load2dA:
  case isa::Format::Load2dB: {
    uint64_t rep = f[F::Load2dA::repeat];
    c.range(F::Load2dA::src, ((rep - 1) * f[F::Load2dA::srcstride] + 1) * 512,
            false);
    c.range(F::Load2dA::dst, ((rep - 1) * f[F::Load2dA::dststride] + 1) * 512,
            true);
    return;
  }
  case isa::Format::Load3d:
    c.range(F::Load3d::src, uint64_t(fmap.c1) * fmap.h * fmap.w * 32, false);
    c.range(F::Load3d::dst, f[F::Load3d::mfrac] * f[F::Load3d::kfrac] * 512,
            true);
    return;
  case isa::Format::Mmad:
  case isa::Format::MmadBias: {
    bool bias = format == isa::Format::MmadBias;
    unsigned m = bias ? unsigned(F::MmadBias::m) : unsigned(F::Mmad::m);
    unsigned dst = bias ? unsigned(F::MmadBias::dst) : unsigned(F::Mmad::dst);
    uint64_t k0 = DType(f[0]) == DType::S8 ? 32 : 16;
    uint64_t mf = ceilDiv(f[m], 16), nf = ceilDiv(f[m + 1], 16);
    uint64_t kf = ceilDiv(f[m + 2], k0);
    c.range(dst + 1, mf * kf * 512, false); // a
    c.range(dst + 2, kf * nf * 512, false); // b
    c.range(dst, mf * nf * 1024, true);
    if (bias)
      c.range(F::MmadBias::bias, f[m + 1] * 4, false);
    return;
  }
  case isa::Format::VBin:
    c.vec(F::VBin::a, f[F::VBin::repeat], f[F::VBin::ablk], f[F::VBin::arep],
          32, false);
    c.vec(F::VBin::b, f[F::VBin::repeat], f[F::VBin::bblk], f[F::VBin::brep],
          32, false);
    c.vec(F::VBin::dst, f[F::VBin::repeat], f[F::VBin::dstblk],
          f[F::VBin::dstrep], 32, true);
    return;
  case isa::Format::VUn:
  case isa::Format::VScalar: {
    // VScalar is VUn with a scalar between the addresses and the counts.
    unsigned k = format == isa::Format::VScalar ? 1 : 0;
    uint64_t rep = f[F::VUn::repeat + k];
    c.vec(F::VUn::a, rep, f[F::VUn::ablk + k], f[F::VUn::arep + k], 32, false);
    c.vec(F::VUn::dst, rep, f[F::VUn::dstblk + k], f[F::VUn::dstrep + k], 32,
          true);
    return;
  }
  case isa::Format::VDup:
    c.vec(F::VDup::dst, f[F::VDup::repeat], f[F::VDup::dstblk],
          f[F::VDup::dstrep], 32, true);
    return;
  case isa::Format::VConv: {
    // A block holds E/8 elements, E = 256 / the wider element size.
    uint64_t ed = size(F::VConv::type), es = size(F::VConv::srctype);
    uint64_t blockElems = 32 / std::max(ed, es);
    c.vec(F::VConv::a, f[F::VConv::repeat], f[F::VConv::ablk],
          f[F::VConv::arep], blockElems * es, false);
    c.vec(F::VConv::dst, f[F::VConv::repeat], f[F::VConv::dstblk],
          f[F::VConv::dstrep], blockElems * ed, true);
    return;
  }
  case isa::Format::VCmp: {
    uint64_t rep = f[F::VCmp::repeat];
    c.vec(F::VCmp::a, rep, f[F::VCmp::ablk], f[F::VCmp::arep], 32, false);
    c.vec(F::VCmp::b, rep, f[F::VCmp::bblk], f[F::VCmp::brep], 32, false);
    c.range(F::VCmp::dst, rep * (256 / size(F::VCmp::type)) / 8, true);
    return;
  }
  case isa::Format::VSel: {
    uint64_t rep = f[F::VSel::repeat];
    c.vec(F::VSel::a, rep, 1, f[F::VSel::arep], 32, false);
    c.vec(F::VSel::b, rep, 1, f[F::VSel::brep], 32, false);
    c.range(F::VSel::sel, rep * (256 / size(F::VSel::type)) / 8, false);
    c.vec(F::VSel::dst, rep, 1, f[F::VSel::dstrep], 32, true);
    return;
  }
  case isa::Format::VReduce: {
    uint64_t rep = f[F::VReduce::repeat];
    c.vec(F::VReduce::a, rep, f[F::VReduce::ablk], f[F::VReduce::arep], 32,
          false);
    c.range(F::VReduce::dst, rep * size(F::VReduce::type), true);
    return;
  }
  case isa::Format::FixGm:
  case isa::Format::FixL1:
  case isa::Format::FixUb: {
    uint64_t m = f[F::FixGm::m], n = f[F::FixGm::n];
    uint64_t mp = ceilDiv(m, 16) * 16, nf = ceilDiv(n, 16);
    uint64_t es = size(F::FixGm::type);
    c.range(F::FixGm::src, nf * mp * 16 * 4, false);
    if (f[F::FixGm::nz2nd])
      c.rows(F::FixGm::dst, m, n * es, f[F::FixGm::dststride] * es, true);
    else
      c.range(F::FixGm::dst, nf * mp * 16 * es, true);
    return;
  }
  default:
    return; // Scalar, sync and state instructions touch no buffer.
  }
}
