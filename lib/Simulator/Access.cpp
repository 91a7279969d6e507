//===- Access.cpp - Operand byte ranges, bounds/alignment and race checks -===//
#include "Machine.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include <algorithm>

using namespace llvm;

namespace npu::sim::detail {

using namespace isa::fmt;

static uint64_t ceilDiv(uint64_t a, uint64_t b) { return (a + b - 1) / b; }

/// Bounding range of a strided vector operand: `rep` repeats of 8 blocks.
static void vecRange(AccessList &out, uint64_t base, uint64_t rep,
                     uint64_t blk, uint64_t repStride, uint64_t blockBytes,
                     bool write, const char *what) {
  uint64_t hi = base + (rep - 1) * repStride * 32 + 7 * blk * blockBytes +
                blockBytes;
  out.add(Buffer::UB, base, hi, write, 32, what);
}

void Machine::accesses(const Core &c, const Instruction &inst, const Entry &e,
                       AccessList &out) {
  const auto *v = e.v;
  const Decoded &dc = dec[e.pc];
  const isa::OperandSpec *ops = dc.ops;
  auto buf = [&](unsigned i) { return isa::addressBuffer(ops[i].kind); };
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
  switch (dc.format) {
  case isa::Format::CopyGmL1:
  case isa::Format::CopyGmUb:
  case isa::Format::CopyUbGm:
  case isa::Format::CopyL1Ub:
  case isa::Format::CopyUbL1:
  case isa::Format::CopyUbUb: {
    uint64_t n = v[CopyGmL1::nburst], len = v[CopyGmL1::burstlen] * 32;
    uint64_t s = v[CopyGmL1::src], d = v[CopyGmL1::dst];
    out.addRows(buf(CopyGmL1::src), s, n, len, v[CopyGmL1::srcstride] * 32,
                false, 32, "src");
    out.addRows(buf(CopyGmL1::dst), d, n, len, v[CopyGmL1::dststride] * 32,
                true, 32, "dst");
    return;
  }
  case isa::Format::Nd2Nz: {
    uint64_t es = isa::dtypeSize(DType(v[Nd2Nz::type]));
    uint64_t rows = v[Nd2Nz::rows], cols = v[Nd2Nz::cols];
    uint64_t dr = v[Nd2Nz::dstrows] ? v[Nd2Nz::dstrows] : ceilDiv(rows, 16) * 16;
    uint64_t s = v[Nd2Nz::src], d = v[Nd2Nz::dst];
    out.addRows(Buffer::GM, s, rows, cols * es, v[Nd2Nz::srcstride] * es,
                false, es, "src");
    out.add(Buffer::L1, d, d + (cols * es / 32) * dr * 32, true, 32, "dst");
    return;
  }
  case isa::Format::Load2dA:
  case isa::Format::Load2dB: {
    uint64_t rep = v[Load2dA::repeat];
    uint64_t s = v[Load2dA::src], d = v[Load2dA::dst];
    out.add(Buffer::L1, s, s + ((rep - 1) * v[Load2dA::srcstride] + 1) * 512,
            false, 32, "src");
    out.add(buf(Load2dA::dst), d, d + ((rep - 1) * v[Load2dA::dststride] + 1) * 512,
            true, 512, "dst");
    return;
  }
  case isa::Format::Load3d: {
    uint64_t s = v[Load3d::src], d = v[Load3d::dst];
    out.add(Buffer::L1, s, s + uint64_t(c.fmap.c1) * c.fmap.h * c.fmap.w * 32,
            false, 32, "src");
    out.add(Buffer::L0A, d, d + v[Load3d::mfrac] * v[Load3d::kfrac] * 512, true,
            512, "dst");
    return;
  }
  case isa::Format::Mmad:
  case isa::Format::MmadBias: {
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
  case isa::Format::VBin:
    vecRange(out, v[VBin::a], v[VBin::repeat], v[VBin::ablk], v[VBin::arep], 32,
             false, "a");
    vecRange(out, v[VBin::b], v[VBin::repeat], v[VBin::bblk], v[VBin::brep], 32,
             false, "b");
    vecRange(out, v[VBin::dst], v[VBin::repeat], v[VBin::dstblk],
             v[VBin::dstrep], 32, true, "dst");
    return;
  case isa::Format::VUn:
    vecRange(out, v[VUn::a], v[VUn::repeat], v[VUn::ablk], v[VUn::arep], 32,
             false, "a");
    vecRange(out, v[VUn::dst], v[VUn::repeat], v[VUn::dstblk], v[VUn::dstrep],
             32, true, "dst");
    return;
  case isa::Format::VScalar:
    vecRange(out, v[VScalar::a], v[VScalar::repeat], v[VScalar::ablk],
             v[VScalar::arep], 32, false, "a");
    vecRange(out, v[VScalar::dst], v[VScalar::repeat], v[VScalar::dstblk],
             v[VScalar::dstrep], 32, true, "dst");
    return;
  case isa::Format::VDup:
    vecRange(out, v[VDup::dst], v[VDup::repeat], v[VDup::dstblk],
             v[VDup::dstrep], 32, true, "dst");
    return;
  case isa::Format::VConv: {
    unsigned ed = isa::dtypeSize(DType(v[VConv::type]));
    unsigned es = isa::dtypeSize(DType(v[VConv::srctype]));
    unsigned blockElems = 256 / std::max(ed, es) / 8;
    vecRange(out, v[VConv::a], v[VConv::repeat], v[VConv::ablk],
             v[VConv::arep], blockElems * es, false, "a");
    vecRange(out, v[VConv::dst], v[VConv::repeat], v[VConv::dstblk],
             v[VConv::dstrep], blockElems * ed, true, "dst");
    return;
  }
  case isa::Format::VCmp: {
    uint64_t rep = v[VCmp::repeat];
    vecRange(out, v[VCmp::a], rep, v[VCmp::ablk], v[VCmp::arep], 32, false, "a");
    vecRange(out, v[VCmp::b], rep, v[VCmp::bblk], v[VCmp::brep], 32, false, "b");
    uint64_t bytes = rep * elemsPerRepeat(DType(v[VCmp::type])) / 8;
    out.add(Buffer::UB, v[VCmp::dst], v[VCmp::dst] + bytes, true, 32, "dst");
    return;
  }
  case isa::Format::VSel: {
    uint64_t rep = v[VSel::repeat];
    vecRange(out, v[VSel::a], rep, 1, v[VSel::arep], 32, false, "a");
    vecRange(out, v[VSel::b], rep, 1, v[VSel::brep], 32, false, "b");
    uint64_t bytes = rep * elemsPerRepeat(DType(v[VSel::type])) / 8;
    out.add(Buffer::UB, v[VSel::sel], v[VSel::sel] + bytes, false, 32, "sel");
    vecRange(out, v[VSel::dst], rep, 1, v[VSel::dstrep], 32, true, "dst");
    return;
  }
  case isa::Format::VReduce: {
    uint64_t rep = v[VReduce::repeat];
    vecRange(out, v[VReduce::a], rep, v[VReduce::ablk], v[VReduce::arep], 32,
             false, "a");
    uint64_t es = isa::dtypeSize(DType(v[VReduce::type]));
    out.add(Buffer::UB, v[VReduce::dst], v[VReduce::dst] + rep * es, true, 32,
            "dst");
    return;
  }
  case isa::Format::FixGm:
  case isa::Format::FixL1:
  case isa::Format::FixUb: {
    uint64_t m = v[FixGm::m], n = v[FixGm::n];
    uint64_t mp = ceilDiv(m, 16) * 16, nf = ceilDiv(n, 16);
    uint64_t es = isa::dtypeSize(DType(v[FixGm::type]));
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

uint64_t Machine::bufferSize(const Core &c, Buffer b) const {
  return b == Buffer::GM ? gm.size() : c.mem[unsigned(b)].size();
}

uint8_t *Machine::ptr(Core &c, Buffer b, uint64_t addr) {
  return b == Buffer::GM ? gm.data() + addr : c.mem[unsigned(b)].data() + addr;
}

/// Pipes that can touch each buffer (for pruning race records).
static const std::initializer_list<Pipe> kUsers[] = {
    {Pipe::MTE2, Pipe::MTE3, Pipe::FIX},                     // GM
    {Pipe::MTE2, Pipe::MTE1, Pipe::MTE3, Pipe::M, Pipe::FIX}, // L1
    {Pipe::MTE1, Pipe::M},                                   // L0A
    {Pipe::MTE1, Pipe::M},                                   // L0B
    {Pipe::M, Pipe::FIX},                                    // L0C
    {Pipe::MTE2, Pipe::MTE1, Pipe::V, Pipe::MTE3, Pipe::FIX}, // UB
};

static std::string range(Buffer b, uint64_t lo, uint64_t hi) {
  return formatv("{0}[{1:x}, {2:x})", isa::bufferName(b), lo, hi).str();
}

/// Index of the first record with span.lo >= lo (std::lower_bound without
/// data-dependent branches, which mispredict on these small logs).
static size_t firstAtOrAfter(const std::vector<AccessRecord> &recs,
                             uint64_t lo) {
  size_t n = recs.size();
  if (n <= 8) { // Typical: a handful of live records.
    size_t k = 0;
    while (k < n && recs[k].span.lo < lo)
      ++k;
    return k;
  }
  const AccessRecord *base = recs.data();
  while (n > 1) {
    size_t half = n / 2;
    base = base[half].span.lo < lo ? base + half : base;
    n -= half;
  }
  return size_t(base - recs.data()) + (base->span.lo < lo);
}

Error Machine::checkAccesses(Core &c, unsigned p, const Entry &e,
                             const AccessList &acc) {
  for (unsigned i = 0; i < acc.n; ++i) {
    const Access &a = acc.a[i];
    const uint64_t lo = a.span.lo, hi = a.span.hi;
    // Alignments are powers of two; avoid a 64-bit division per operand.
    uint64_t misalign =
        (a.align & (a.align - 1)) == 0 ? lo & (a.align - 1) : lo % a.align;
    if (misalign)
      return instError(c, p, e.pc,
                       formatv("misaligned access: operand '{0}' at {1}[{2:x}] "
                               "is not {3}-byte aligned",
                               a.what, isa::bufferName(a.buf), lo, a.align)
                           .str());
    bool ok = lo <= hi && hi <= bufferSize(c, a.buf);
    if (ok && a.buf == Buffer::GM) {
      // A GM access must stay inside one declared buffer.
      ok = false;
      for (const isa::GMBuffer &b : prog.buffers)
        if (lo >= b.addr && hi <= b.addr + b.size)
          ok = true;
    }
    if (!ok)
      return instError(
          c, p, e.pc,
          formatv("out-of-bounds access: operand '{0}' touches {1}, outside "
                  "{2}",
                  a.what, range(a.buf, lo, hi),
                  a.buf == Buffer::GM
                      ? std::string("every declared GM buffer")
                      : range(a.buf, 0, bufferSize(c, a.buf)))
              .str());
  }
  if (!opts.checkRaces)
    return Error::success();
  uint64_t seq = c.vc[p][p] + 1;
  for (unsigned i = 0; i < acc.n; ++i) {
    const Access &a = acc.a[i];
    if (a.buf == Buffer::GM && cores.size() > 1)
      if (Error err = checkCrossCore(c, p, e, a))
        return err;
    AccessLog &log = c.records[unsigned(a.buf)];
    std::vector<AccessRecord> &recs = log.recs;
    const Span &sp = a.span;
    size_t k =
        firstAtOrAfter(recs, sp.lo > log.maxLen ? sp.lo - log.maxLen : 0);
    // Records this access supersedes are dropped by compacting the window
    // [k, end of scan) in place: kept records move down to `out`.
    size_t out = k;
    bool reused = false;
    for (; k < recs.size() && recs[k].span.lo < sp.hi; ++k) {
      AccessRecord &r = recs[k];
      if (r.pipe != p && (a.write || r.write) && c.vc[p][r.pipe] < r.seq &&
          spansOverlap(sp, r.span)) {
        Error err = instError(
            c, p, e.pc,
            formatv("data race: {0} {1} which pipe {2} {3} at pc {4} '{5}', "
                    "with no flag or barrier ordering them",
                    a.write ? "writes" : "reads", range(a.buf, sp.lo, sp.hi),
                    isa::pipeName(Pipe(r.pipe)), r.write ? "writes" : "reads",
                    r.pc, isa::printInstruction(prog.code[r.pc]))
                .str());
        recs.erase(recs.begin() + out, recs.begin() + k);
        return err;
      }
      // Drop records this access supersedes (same pipe, every byte covered):
      // any later access racing with them races with this one too.
      bool superseded =
          r.pipe == p && (a.write || !r.write) && spanCovers(sp, r.span);
      if (superseded && !reused && r.span.lo == sp.lo) {
        // Same start: update in place (field by field, which compiles to
        // plain stores rather than a temporary and a copy).
        r.span = sp;
        r.seq = seq;
        r.pc = e.pc;
        r.write = a.write;
        reused = true;
      } else if (superseded) {
        continue;
      }
      if (out != k)
        recs[out] = r;
      ++out;
    }
    size_t gapEnd = k;
    if (!reused) {
      // The new record goes after every record starting at or before sp.lo,
      // as a multimap insert would; reuse the gap when that is where it is.
      AccessRecord rec{sp, seq, e.pc, uint8_t(p), a.write};
      if (out < gapEnd && (out == 0 || recs[out - 1].span.lo <= sp.lo) &&
          (gapEnd == recs.size() || recs[gapEnd].span.lo > sp.lo)) {
        recs[out++] = rec;
      } else {
        recs.erase(recs.begin() + out, recs.begin() + gapEnd);
        gapEnd = out;
        auto at = std::upper_bound(
            recs.begin(), recs.end(), sp.lo,
            [](uint64_t lo, const AccessRecord &r) { return lo < r.span.lo; });
        recs.insert(at, rec);
      }
    }
    if (out < gapEnd)
      recs.erase(recs.begin() + out, recs.begin() + gapEnd);
    log.maxLen = std::max(log.maxLen, sp.hi - sp.lo);
    if (++log.insertsSincePrune >= 4096) {
      // Drop records every pipe that can touch this buffer is ordered after.
      log.insertsSincePrune = 0;
      llvm::erase_if(recs, [&](const AccessRecord &r) {
        for (Pipe q : kUsers[unsigned(a.buf)])
          if (unsigned(q) != r.pipe && c.vc[unsigned(q)][r.pipe] < r.seq)
            return false;
        return true;
      });
      if (recs.size() > (1u << 20)) {
        recs.clear();
        warnings.push_back("race records overflowed on core " +
                           std::to_string(c.id) +
                           "; some races may go unreported");
      }
    }
  }
  c.vc[p][p] = seq;
  return Error::success();
}

Error Machine::checkCrossCore(Core &c, unsigned p, const Entry &e,
                              const Access &a) {
  const Span &sp = a.span;
  for (int w = a.write ? 0 : 1; w < 2; ++w) {
    std::multimap<uint64_t, GMRecord> &log = gmLog[w];
    uint64_t maxLen = gmLogMaxLen[w];
    auto it = log.lower_bound(sp.lo > maxLen ? sp.lo - maxLen : 0);
    while (it != log.end() && it->first < sp.hi) {
      GMRecord &r = it->second;
      if (r.core != c.id && spansOverlap(sp, r.span))
        return instError(
            c, p, e.pc,
            formatv("data race between cores: {0} {1} which core {2} pipe "
                    "{3} {4} at pc {5} '{6}'; cores do not synchronize, so "
                    "their GM accesses must not overlap unless all of them "
                    "read",
                    a.write ? "writes" : "reads", range(a.buf, sp.lo, sp.hi),
                    r.core, isa::pipeName(Pipe(r.pipe)),
                    w ? "writes" : "reads", r.pc,
                    isa::printInstruction(prog.code[r.pc]))
                .str());
      // Same core, same kind, every byte covered: the new record suffices.
      bool superseded =
          r.core == c.id && w == int(a.write) && spanCovers(sp, r.span);
      it = superseded ? log.erase(it) : std::next(it);
    }
  }
  std::multimap<uint64_t, GMRecord> &log = gmLog[a.write];
  log.insert({sp.lo, {sp, c.id, e.pc, uint8_t(p), a.write}});
  gmLogMaxLen[a.write] = std::max(gmLogMaxLen[a.write], sp.hi - sp.lo);
  if (log.size() > (1u << 22)) {
    log.clear();
    warnings.push_back("cross-core race records overflowed; some races may "
                       "go unreported");
  }
  return Error::success();
}

/// Does any run of `p` intersect [x, x + w)?
static bool rowsHit(const Span &p, uint64_t x, uint64_t w) {
  if (!p.strided())
    return p.lo < x + w && x < p.hi;
  if (x + w <= p.lo || x >= p.hi)
    return false;
  // Runs i with lo + i*stride < x + w and lo + i*stride + rowBytes > x.
  uint64_t iMax = std::min((x + w - 1 - p.lo) / p.stride, p.rows - 1);
  uint64_t iMin = x < p.lo + p.rowBytes
                      ? 0
                      : (x - p.lo - p.rowBytes) / p.stride + 1;
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

} // namespace npu::sim::detail
