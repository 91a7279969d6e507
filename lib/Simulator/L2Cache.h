//===- L2Cache.h - Residency state of the shared L2 (timing only) ---------===//
//
// The L2 holds no data: GM always has the current bytes, so functional
// results never depend on it. It tracks which GM bytes are resident, at the
// granularity of 32-byte sectors (the ISA's burst unit) grouped into lines
// (the allocation unit, replaced LRU over the whole cache). Each sector is
// valid and dirty on its own, so a miss fetches and a write-back writes
// exactly the sectors involved. docs/isa.md ("L2") describes the model.
//===----------------------------------------------------------------------===//
#ifndef NPU_LIB_SIMULATOR_L2CACHE_H
#define NPU_LIB_SIMULATOR_L2CACHE_H

#include "npu/Target/ISA/Footprint.h"
#include <cstdint>
#include <vector>

namespace npu::sim::detail {

class L2Cache {
public:
  static constexpr uint64_t kSector = 32;

  /// An empty cache of sizeBytes / lineBytes lines (none: disabled) for a
  /// GM of gmBytes. lineBytes is a power of two in [32, 2048] (checkConfig).
  void init(uint64_t sizeBytes, uint64_t lineBytes, uint64_t gmBytes);
  bool enabled() const { return capacity != 0; }
  /// A launch starts at time 0: fill times of earlier launches are past.
  void newLaunch() { ++epoch; }

  /// What one transfer did, in bytes of its footprint.
  struct Traffic {
    uint64_t hit = 0, miss = 0; // Bytes found resident / fetched.
    uint64_t writeback = 0;     // Dirty bytes of lines it evicted.
    uint64_t ready = 0; // Latest fill (this launch) among the lines it hit.
  };
  /// A read of `s`: resident sectors hit, the others are fetched (become
  /// valid). Lines are allocated as needed, evicting the least recently used.
  void read(const isa::Span &s, Traffic &t);
  /// A write of `s` (write-allocate without fetch): its sectors become
  /// valid and dirty.
  void write(const isa::Span &s, Traffic &t);
  /// The lines the last read() fetched into hold their data from time t.
  void setFillTime(uint64_t t);
  /// The host wrote [lo, hi): its sectors are dropped, dirty ones too (the
  /// host's bytes supersede them); lines left with no valid sector are freed.
  void invalidate(uint64_t lo, uint64_t hi);
  /// Resident lines and valid bytes, for tests and reports.
  uint64_t lines() const { return resident; }
  uint64_t validBytes() const;

private:
  static constexpr uint32_t kNone = ~0u;
  struct Line {
    uint64_t tag;          // GM address / lineBytes.
    uint64_t valid, dirty; // Bit i: sector i.
    uint64_t ready;        // Fill time, valid in launch `epoch` only.
    uint32_t epoch, prev, next;
  };
  std::vector<Line> slots;
  std::vector<uint32_t> freeSlots;
  // tag -> slot or kNone, one entry per GM line: a direct index costs GM/128
  // bytes of host memory at 512-byte lines and avoids hashing.
  std::vector<uint32_t> index;
  uint32_t head = kNone, tail = kNone; // Most / least recently used.
  uint64_t capacity = 0, resident = 0, lineBytes = 512;
  unsigned lineShift = 9;
  uint32_t epoch = 0;
  std::vector<uint32_t> filled; // Slots the last read() fetched into.

  void unlink(uint32_t s);
  void pushFront(uint32_t s);
  void remove(uint32_t s);
  /// The slot of `tag`, allocated (and made most recent) if absent.
  uint32_t touch(uint64_t tag, Traffic &t);
  /// Calls f(slot, sectorMask, lo, hi) for each line piece of each run of s.
  template <typename F> void forEachPiece(const isa::Span &s, F f);
};

} // namespace npu::sim::detail

#endif // NPU_LIB_SIMULATOR_L2CACHE_H
