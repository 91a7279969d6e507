//===- Footprint.cpp - Operand byte ranges of every instruction -----------===//
#include "npu/Target/ISA/Footprint.h"
#include <algorithm>

namespace npu::isa {

using namespace fmt;

/// Elements per vector repeat (256 bytes) for a type.
static uint64_t elemsPerRepeat(DType t) { return 256 / dtypeSize(t); }

void resolveOperands(const Instruction &inst, llvm::ArrayRef<uint64_t> regs,
                     uint64_t resolved[kMaxOperands]) {
  const OperandSpec *ops = formatOperands(inst.info().format);
  for (unsigned i = 0; i < kMaxOperands; ++i)
    resolved[i] = inst.f[i];
  for (unsigned i = 0; ops[i].kind != OperandKind::End; ++i) {
    if (isAddress(ops[i].kind))
      resolved[i] = regs[inst.addrReg(i)] + inst.addrOff(i);
    else if (ops[i].kind == OperandKind::Reg)
      resolved[i] = regs[inst.f[i]];
  }
}

static uint64_t ceilDiv(uint64_t a, uint64_t b) { return (a + b - 1) / b; }

/// Bounding range of a strided vector operand: `rep` repeats of 8 blocks.
static void vecRange(AccessList &out, uint64_t base, uint64_t rep, uint64_t blk,
                     uint64_t repStride, uint64_t blockBytes, bool write,
                     const char *what) {
  uint64_t hi =
      base + (rep - 1) * repStride * 32 + 7 * blk * blockBytes + blockBytes;
  out.add(Buffer::UB, base, hi, write, 32, what);
}

void footprint(const Instruction &inst, const uint64_t v[],
               const FmapState &fmap, AccessList &out) {
  const Format format = inst.info().format;
  const OperandSpec *ops = formatOperands(format);
  auto buf = [&](unsigned i) { return addressBuffer(ops[i].kind); };
  auto natural = [&](Buffer b) -> uint64_t {
    switch (b) {
    case Buffer::L0A:
    case Buffer::L0B:
      return 512;
    case Buffer::L0C:
      return 64;
    default:
      return 32;
    }
  };
  switch (format) {
  case Format::CopyGmL1:
  case Format::CopyGmUb:
  case Format::CopyUbGm:
  case Format::CopyL1Ub:
  case Format::CopyUbL1:
  case Format::CopyUbUb: {
    uint64_t n = v[CopyGmL1::nburst], len = v[CopyGmL1::burstlen] * 32;
    uint64_t s = v[CopyGmL1::src], d = v[CopyGmL1::dst];
    out.addRows(buf(CopyGmL1::src), s, n, len, v[CopyGmL1::srcstride] * 32,
                false, 32, "src");
    out.addRows(buf(CopyGmL1::dst), d, n, len, v[CopyGmL1::dststride] * 32,
                true, 32, "dst");
    return;
  }
  case Format::Prefetch: // A GM read with no destination.
    out.addRows(Buffer::GM, v[Prefetch::src], v[Prefetch::nburst],
                v[Prefetch::burstlen] * 32, v[Prefetch::srcstride] * 32, false,
                32, "src");
    return;
  case Format::Nd2Nz: {
    uint64_t es = dtypeSize(DType(v[Nd2Nz::type]));
    uint64_t rows = v[Nd2Nz::rows], cols = v[Nd2Nz::cols];
    uint64_t dr =
        v[Nd2Nz::dstrows] ? v[Nd2Nz::dstrows] : ceilDiv(rows, 16) * 16;
    uint64_t s = v[Nd2Nz::src], d = v[Nd2Nz::dst];
    out.addRows(Buffer::GM, s, rows, cols * es, v[Nd2Nz::srcstride] * es, false,
                es, "src");
    out.add(Buffer::L1, d, d + (cols * es / 32) * dr * 32, true, 32, "dst");
    return;
  }
  case Format::Load2dA:
  case Format::Load2dB: {
    uint64_t rep = v[Load2dA::repeat];
    uint64_t s = v[Load2dA::src], d = v[Load2dA::dst];
    out.add(Buffer::L1, s, s + ((rep - 1) * v[Load2dA::srcstride] + 1) * 512,
            false, 32, "src");
    out.add(buf(Load2dA::dst), d,
            d + ((rep - 1) * v[Load2dA::dststride] + 1) * 512, true, 512,
            "dst");
    return;
  }
  case Format::Load3d: {
    uint64_t s = v[Load3d::src], d = v[Load3d::dst];
    out.add(Buffer::L1, s, s + uint64_t(fmap.c1) * fmap.h * fmap.w * 32, false,
            32, "src");
    out.add(Buffer::L0A, d, d + v[Load3d::mfrac] * v[Load3d::kfrac] * 512, true,
            512, "dst");
    return;
  }
  case Format::Mmad:
  case Format::MmadBias: {
    bool bias = inst.op == Opcode::MMAD_BIAS;
    unsigned im = bias ? unsigned(MmadBias::m) : unsigned(Mmad::m);
    uint64_t k0 = DType(v[0]) == DType::S8 ? 32 : 16;
    uint64_t mf = ceilDiv(v[im], 16), nf = ceilDiv(v[im + 1], 16),
             kf = ceilDiv(v[im + 2], k0);
    unsigned id = bias ? unsigned(MmadBias::dst) : unsigned(Mmad::dst);
    out.add(Buffer::L0A, v[id + 1], v[id + 1] + mf * kf * 512, false, 512, "a");
    out.add(Buffer::L0B, v[id + 2], v[id + 2] + kf * nf * 512, false, 512, "b");
    out.add(Buffer::L0C, v[id], v[id] + nf * mf * 16 * 16 * 4, true, 64, "dst");
    if (bias)
      out.add(Buffer::L1, v[MmadBias::bias], v[MmadBias::bias] + v[im + 1] * 4,
              false, 32, "bias");
    return;
  }
  case Format::VBin:
    vecRange(out, v[VBin::a], v[VBin::repeat], v[VBin::ablk], v[VBin::arep], 32,
             false, "a");
    vecRange(out, v[VBin::b], v[VBin::repeat], v[VBin::bblk], v[VBin::brep], 32,
             false, "b");
    vecRange(out, v[VBin::dst], v[VBin::repeat], v[VBin::dstblk],
             v[VBin::dstrep], 32, true, "dst");
    return;
  case Format::VUn:
    vecRange(out, v[VUn::a], v[VUn::repeat], v[VUn::ablk], v[VUn::arep], 32,
             false, "a");
    vecRange(out, v[VUn::dst], v[VUn::repeat], v[VUn::dstblk], v[VUn::dstrep],
             32, true, "dst");
    return;
  case Format::VScalar:
    vecRange(out, v[VScalar::a], v[VScalar::repeat], v[VScalar::ablk],
             v[VScalar::arep], 32, false, "a");
    vecRange(out, v[VScalar::dst], v[VScalar::repeat], v[VScalar::dstblk],
             v[VScalar::dstrep], 32, true, "dst");
    return;
  case Format::VDup:
    vecRange(out, v[VDup::dst], v[VDup::repeat], v[VDup::dstblk],
             v[VDup::dstrep], 32, true, "dst");
    return;
  case Format::VConv: {
    unsigned ed = dtypeSize(DType(v[VConv::type]));
    unsigned es = dtypeSize(DType(v[VConv::srctype]));
    unsigned blockElems = 256 / std::max(ed, es) / 8;
    vecRange(out, v[VConv::a], v[VConv::repeat], v[VConv::ablk], v[VConv::arep],
             blockElems * es, false, "a");
    vecRange(out, v[VConv::dst], v[VConv::repeat], v[VConv::dstblk],
             v[VConv::dstrep], blockElems * ed, true, "dst");
    return;
  }
  case Format::VCmp: {
    uint64_t rep = v[VCmp::repeat];
    vecRange(out, v[VCmp::a], rep, v[VCmp::ablk], v[VCmp::arep], 32, false,
             "a");
    vecRange(out, v[VCmp::b], rep, v[VCmp::bblk], v[VCmp::brep], 32, false,
             "b");
    uint64_t bytes = rep * elemsPerRepeat(DType(v[VCmp::type])) / 8;
    out.add(Buffer::UB, v[VCmp::dst], v[VCmp::dst] + bytes, true, 32, "dst");
    return;
  }
  case Format::VSel: {
    uint64_t rep = v[VSel::repeat];
    vecRange(out, v[VSel::a], rep, 1, v[VSel::arep], 32, false, "a");
    vecRange(out, v[VSel::b], rep, 1, v[VSel::brep], 32, false, "b");
    uint64_t bytes = rep * elemsPerRepeat(DType(v[VSel::type])) / 8;
    out.add(Buffer::UB, v[VSel::sel], v[VSel::sel] + bytes, false, 32, "sel");
    vecRange(out, v[VSel::dst], rep, 1, v[VSel::dstrep], 32, true, "dst");
    return;
  }
  case Format::VReduce: {
    uint64_t rep = v[VReduce::repeat];
    vecRange(out, v[VReduce::a], rep, v[VReduce::ablk], v[VReduce::arep], 32,
             false, "a");
    uint64_t es = dtypeSize(DType(v[VReduce::type]));
    out.add(Buffer::UB, v[VReduce::dst], v[VReduce::dst] + rep * es, true, 32,
            "dst");
    return;
  }
  case Format::FixGm:
  case Format::FixL1:
  case Format::FixUb: {
    uint64_t m = v[FixGm::m], n = v[FixGm::n];
    uint64_t mp = ceilDiv(m, 16) * 16, nf = ceilDiv(n, 16);
    uint64_t es = dtypeSize(DType(v[FixGm::type]));
    out.add(Buffer::L0C, v[FixGm::src], v[FixGm::src] + nf * mp * 16 * 4, false,
            64, "src");
    Buffer db = buf(FixGm::dst);
    uint64_t d = v[FixGm::dst], align = db == Buffer::GM ? es : natural(db);
    if (v[FixGm::nz2nd])
      out.addRows(db, d, m, n * es, v[FixGm::dststride] * es, true, align,
                  "dst");
    else
      out.add(db, d, d + nf * mp * 16 * es, true, align, "dst");
    return;
  }
  default:
    return;
  }
}

/// Does any run of `p` intersect [x, x + w)?
static bool rowsHit(const Span &p, uint64_t x, uint64_t w) {
  if (!p.strided())
    return p.lo < x + w && x < p.hi;
  if (x + w <= p.lo || x >= p.hi)
    return false;
  // Runs i with lo + i*stride < x + w and lo + i*stride + rowBytes > x.
  uint64_t iMax = std::min((x + w - 1 - p.lo) / p.stride, p.rows - 1);
  uint64_t iMin =
      x < p.lo + p.rowBytes ? 0 : (x - p.lo - p.rowBytes) / p.stride + 1;
  return iMin <= iMax;
}

bool spansOverlap(const Span &a, const Span &b) {
  if (!(a.lo < b.hi && b.lo < a.hi))
    return false;
  const Span &s = a.rows <= b.rows ? a : b;
  const Span &o = &s == &a ? b : a;
  if (!s.strided())
    return rowsHit(o, s.lo, s.hi - s.lo);
  for (uint64_t i = 0; i < s.rows; ++i)
    if (rowsHit(o, s.lo + i * s.stride, s.rowBytes))
      return true;
  return false;
}

bool spanCovers(const Span &outer, const Span &inner) {
  if (!outer.strided())
    return outer.lo <= inner.lo && inner.hi <= outer.hi;
  return outer.lo == inner.lo && outer.rows == inner.rows &&
         outer.rowBytes == inner.rowBytes && outer.stride == inner.stride;
}

} // namespace npu::isa
