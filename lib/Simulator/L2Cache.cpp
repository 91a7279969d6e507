//===- L2Cache.cpp - Residency state of the shared L2 (timing only) -------===//
#include "L2Cache.h"
#include "llvm/ADT/bit.h"
#include "llvm/Support/MathExtras.h"
#include <algorithm>

namespace npu::sim::detail {

void L2Cache::init(uint64_t sizeBytes, uint64_t line, uint64_t gmBytes) {
  lineBytes = line;
  lineShift = unsigned(llvm::Log2_64(line));
  capacity = sizeBytes / line;
  slots.clear();
  freeSlots.clear();
  index.assign(capacity ? (gmBytes + line - 1) / line : 0, kNone);
  resident = 0;
  filled.clear();
  head = tail = kNone;
  epoch = 0;
}

void L2Cache::unlink(uint32_t s) {
  Line &l = slots[s];
  (l.prev == kNone ? head : slots[l.prev].next) = l.next;
  (l.next == kNone ? tail : slots[l.next].prev) = l.prev;
}

void L2Cache::pushFront(uint32_t s) {
  Line &l = slots[s];
  l.prev = kNone;
  l.next = head;
  (head == kNone ? tail : slots[head].prev) = s;
  head = s;
}

void L2Cache::remove(uint32_t s) {
  unlink(s);
  index[slots[s].tag] = kNone;
  freeSlots.push_back(s);
  --resident;
}

uint32_t L2Cache::touch(uint64_t tag, Traffic &t) {
  if (uint32_t s = index[tag]; s != kNone) {
    if (s != head) {
      unlink(s);
      pushFront(s);
    }
    return s;
  }
  if (resident >= capacity) { // Evict the least recently used line.
    uint32_t victim = tail;
    t.writeback += uint64_t(llvm::popcount(slots[victim].dirty)) * kSector;
    remove(victim);
  }
  uint32_t s;
  if (!freeSlots.empty()) {
    s = freeSlots.back();
    freeSlots.pop_back();
  } else {
    s = uint32_t(slots.size());
    slots.emplace_back();
  }
  slots[s] = {tag, 0, 0, 0, epoch, kNone, kNone};
  index[tag] = s;
  ++resident;
  pushFront(s);
  return s;
}

/// Sectors s0..s1 (s1 - s0 < 64) as a mask.
static uint64_t sectorMask(uint64_t s0, uint64_t s1) {
  return (s1 - s0 == 63 ? ~0ull : (2ull << (s1 - s0)) - 1) << s0;
}

/// Bytes of [lo, hi) (inside one line starting at `base`) that fall in the
/// sectors of `mask`.
static uint64_t bytesIn(uint64_t mask, uint64_t base, uint64_t lo,
                        uint64_t hi) {
  if (!mask)
    return 0;
  const uint64_t S = L2Cache::kSector;
  uint64_t s0 = (lo - base) / S, s1 = (hi - 1 - base) / S;
  uint64_t n = uint64_t(llvm::popcount(mask)) * S;
  if (mask >> s0 & 1)
    n -= lo - (base + s0 * S);
  if (mask >> s1 & 1)
    n -= base + (s1 + 1) * S - hi;
  return n;
}

template <typename F> void L2Cache::forEachPiece(const isa::Span &s, F f) {
  uint64_t rows = s.rows > 1 ? s.rows : 1;
  for (uint64_t r = 0; r < rows; ++r) {
    uint64_t lo = s.rows > 1 ? s.lo + r * s.stride : s.lo;
    uint64_t hi = s.rows > 1 ? lo + s.rowBytes : s.hi;
    while (lo < hi) {
      uint64_t tag = lo >> lineShift, base = tag << lineShift;
      uint64_t end = std::min(hi, base + lineBytes);
      uint64_t s0 = (lo - base) / kSector, s1 = (end - 1 - base) / kSector;
      f(tag, sectorMask(s0, s1), base, lo, end);
      lo = end;
    }
  }
}

void L2Cache::read(const isa::Span &s, Traffic &t) {
  filled.clear();
  forEachPiece(s, [&](uint64_t tag, uint64_t mask, uint64_t base, uint64_t lo,
                      uint64_t hi) {
    uint32_t slot = touch(tag, t);
    Line &l = slots[slot];
    uint64_t hits = mask & l.valid, misses = mask & ~l.valid;
    t.hit += bytesIn(hits, base, lo, hi);
    t.miss += bytesIn(misses, base, lo, hi);
    if (hits && l.epoch == epoch)
      t.ready = std::max(t.ready, l.ready);
    if (misses) {
      l.valid |= misses;
      filled.push_back(slot);
    }
  });
}

void L2Cache::write(const isa::Span &s, Traffic &t) {
  filled.clear();
  forEachPiece(s,
               [&](uint64_t tag, uint64_t mask, uint64_t, uint64_t, uint64_t) {
                 Line &l = slots[touch(tag, t)];
                 l.valid |= mask;
                 l.dirty |= mask;
               });
}

void L2Cache::setFillTime(uint64_t time) {
  for (uint32_t s : filled) {
    Line &l = slots[s];
    if (l.epoch != epoch)
      l.epoch = epoch, l.ready = 0;
    l.ready = std::max(l.ready, time);
  }
  filled.clear();
}

void L2Cache::invalidate(uint64_t lo, uint64_t hi) {
  if (lo >= hi || !resident)
    return;
  filled.clear();
  auto drop = [&](uint32_t slot) {
    Line &l = slots[slot];
    uint64_t base = l.tag << lineShift;
    uint64_t a = std::max(lo, base), b = std::min(hi, base + lineBytes);
    if (a >= b)
      return;
    uint64_t s0 = (a - base) / kSector, s1 = (b - 1 - base) / kSector;
    uint64_t mask = sectorMask(s0, s1);
    l.valid &= ~mask;
    l.dirty &= ~mask;
    if (!l.valid)
      remove(slot);
  };
  uint64_t first = lo >> lineShift, last = (hi - 1) >> lineShift;
  if (last - first >= resident) {
    // A large range: visit the resident lines instead of the range's.
    for (uint32_t s = head; s != kNone;) {
      uint32_t next = slots[s].next;
      drop(s);
      s = next;
    }
    return;
  }
  for (uint64_t tag = first; tag <= last; ++tag)
    if (index[tag] != kNone)
      drop(index[tag]);
}

uint64_t L2Cache::validBytes() const {
  uint64_t n = 0;
  for (uint32_t s = head; s != kNone; s = slots[s].next)
    n += uint64_t(llvm::popcount(slots[s].valid)) * kSector;
  return n;
}

} // namespace npu::sim::detail
