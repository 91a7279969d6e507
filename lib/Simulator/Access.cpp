//===- Access.cpp - Bounds, alignment and race checks of footprints -------===//
#include "Machine.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include <algorithm>

using namespace llvm;

namespace npu::sim::detail {

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
                             const AccessList &acc, bool record) {
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
      for (const isa::GMBuffer &b : prog->buffers)
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
  if (!opts.checkRaces || !record)
    return Error::success();
  uint64_t seq = c.vc[p][p] + 1;
  for (unsigned i = 0; i < acc.n; ++i) {
    const Access &a = acc.a[i];
    if (a.buf == Buffer::GM && numCores > 1)
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
                    r.pc, isa::printInstruction(prog->code[r.pc]))
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
                    r.core, isa::pipeName(Pipe(r.pipe)), w ? "writes" : "reads",
                    r.pc, isa::printInstruction(prog->code[r.pc]))
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

} // namespace npu::sim::detail
