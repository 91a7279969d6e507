//===- Machine.h - Internal simulator state shared by the lib/Simulator files ===//
#ifndef NPU_LIB_SIMULATOR_MACHINE_H
#define NPU_LIB_SIMULATOR_MACHINE_H

#include "L2Cache.h"
#include "npu/Simulator/Simulator.h"
#include "npu/Target/ISA/Footprint.h"
#include <deque>
#include <map>
#include <string>
#include <vector>

namespace npu::sim::detail {

using isa::Buffer;
using isa::DType;
using isa::Instruction;
using isa::Opcode;
using isa::Pipe;
constexpr unsigned kPipes = isa::kNumPipes;

/// One queued instruction. Register reads happen at issue (the scalar unit
/// reads them), so address fields hold full byte addresses and register
/// fields hold register values; other fields are copied from the word.
struct Entry {
  uint32_t pc;
  uint64_t issue;
  uint64_t v[isa::kMaxOperands];
};

/// A fixed-capacity FIFO.
class Queue {
public:
  void init(unsigned cap) { buf.resize(cap), cap_ = cap, head = 0, size_ = 0; }
  void clear() { head = 0, size_ = 0; }
  bool empty() const { return size_ == 0; }
  bool full() const { return size_ == cap_; }
  unsigned size() const { return size_; }
  Entry &front() { return buf[head]; }
  Entry &push() {
    unsigned i = head + size_;
    if (i >= cap_)
      i -= cap_;
    ++size_;
    return buf[i];
  }
  void pop() {
    if (++head == cap_)
      head = 0;
    --size_;
  }

private:
  std::vector<Entry> buf;
  unsigned cap_ = 0, head = 0, size_ = 0;
};

/// Happens-before knowledge: vc[q] = how many instructions of pipe q are
/// known to be ordered before the current point.
using VClock = std::array<uint64_t, kPipes>;
inline void join(VClock &a, const VClock &b) {
  for (unsigned i = 0; i < kPipes; ++i)
    a[i] = std::max(a[i], b[i]);
}

struct FlagState {
  bool set = false;
  uint64_t time = 0;
  uint32_t setPc = 0;
  VClock vc{};
};

using isa::Access;
using isa::AccessList;
using isa::Span;

struct AccessRecord {
  Span span;
  uint64_t seq;
  uint32_t pc;
  uint8_t pipe;
  bool write;
};

/// Recent accesses to one buffer, ordered by start address (span.lo; equal
/// starts in insertion order) so a check only visits records that can overlap
/// (those starting within maxLen before it). A flat vector: most checks only
/// update a record in place, and the window being checked is contiguous.
struct AccessLog {
  std::vector<AccessRecord> recs;
  uint64_t maxLen = 0;
  uint64_t insertsSincePrune = 0;
};

struct Core {
  unsigned id = 0;
  std::array<uint64_t, 32> regs{};
  uint32_t pc = 0;
  uint64_t sTime = 0;
  bool ended = false;
  std::array<Queue, kPipes> q;
  std::array<uint64_t, kPipes> pipeFree{}, pipeDone{}, lastPop{};
  uint64_t prefetchDone = 0;    // When this core's L2 prefetches have landed.
  std::vector<FlagState> flags; // [src][dst][event]
  uint64_t maskHi = ~0ull, maskLo = ~0ull;
  isa::FmapState fmap;
  std::array<std::vector<uint8_t>, isa::kNumBuffers> mem; // [GM] unused.
  std::array<VClock, kPipes> vc{};
  std::array<AccessLog, isa::kNumBuffers> records;
  CoreStats stats;
  // Scratch for the cube, reused across mmads.
  std::vector<float> af, bf, cf;
  std::vector<int32_t> ai, bi, ci;

  /// Allocate queues, flags and zeroed on-chip memories.
  void allocate(unsigned id, const Config &cfg);
  /// The state a core starts a launch in; memory contents are kept.
  void reset();
};

/// A shared bandwidth (HBM, L2 hits): time is cut into bins of gmBinCycles;
/// each bin can carry bytesPerCycle * gmBinCycles bytes, handed out first
/// come, first served (transfers are reserved in start-time order).
class BandwidthArbiter {
public:
  void init(double bytesPerCycle, unsigned binCycles);
  /// Reserve `bytes` starting at `start` at most `port` bytes/cycle; returns
  /// the finish time.
  uint64_t reserve(uint64_t start, double bytes, double port);

private:
  std::deque<double> used;
  uint64_t firstBin = 0;
  double perCycle = 1;
  unsigned bin = 32;
};

/// GM accesses of all cores, for cross-core races (cores never synchronize,
/// so any overlap involving a write is one).
struct GMRecord {
  Span span;
  uint32_t core, pc;
  uint8_t pipe;
  bool write;
};

/// Per-instruction facts the engine needs on every issue/execute, computed
/// once per program instead of through the opcode tables each time.
struct Decoded {
  const isa::OperandSpec *ops; // Operand list, terminated by End.
  isa::Format format;
  Opcode op;
  uint8_t pipe;      // Instruction::pipe().
  uint16_t addrMask; // Bit i: operand i is an address (reg + offset).
  uint16_t regMask;  // Bit i: operand i is a register read at issue.
};

/// The machine: GM, cores and the program being run. Simulator runs one
/// program on it; Device runs many launches back to back on the same GM.
struct Machine {
  const isa::Program *prog = nullptr; // Owned by the caller; see loadProgram.
  std::vector<Decoded> dec;           // [pc], filled by decode().
  Config cfg;
  SimOptions opts;
  std::vector<uint8_t> gm;
  std::vector<Core> cores; // Allocated; the first numCores run.
  unsigned numCores = 0;
  BandwidthArbiter gmArbiter;    // HBM.
  BandwidthArbiter l2Arbiter;    // L2 to the cores (with cfg.l2Size > 0).
  L2Cache l2;                    // Persists across launches, like GM.
  std::vector<TraceEvent> trace; // Across launches, limited by traceLimit.
  bool traceTruncated = false;   // Events were dropped in this launch.
  uint64_t traceOffset = 0;      // Added to this launch's trace times.
  uint32_t launchIndex = 0;      // Stored in this launch's trace events.
  /// A flag still set when a core ends is an error (Device), not a warning.
  bool leftoverFlagsAreErrors = false;
  std::vector<std::string> warnings;
  // Cross-core GM accesses; reads only conflict with writes, so they are
  // kept apart and a read never scans the other reads.
  std::multimap<uint64_t, GMRecord> gmLog[2]; // [0] reads, [1] writes.
  uint64_t gmLogMaxLen[2] = {0, 0};

  /// Sets the config and options, gmBytes of zeroed GM and an empty L2
  /// (checkConfig first).
  void configure(const Config &c, const SimOptions &o, uint64_t gmBytes);
  /// Checks the program against the config: event ids in range.
  static llvm::Error checkProgram(const isa::Program &p, const Config &cfg);
  /// Host bytes of on-chip state per core (memories and queues).
  static uint64_t bytesPerCore(const Config &cfg);
  /// Host bytes of the L2 state for gmBytes of GM (its direct index).
  static uint64_t l2StateBytes(const Config &cfg, uint64_t gmBytes) {
    return cfg.l2Size ? gmBytes / cfg.l2LineBytes * sizeof(uint32_t) : 0;
  }
  /// Run `p` next (kept by reference until the next loadProgram).
  void loadProgram(const isa::Program &p);
  /// Make sure n cores are allocated (memories are allocated once).
  void allocateCores(unsigned n);
  /// Fresh queues, flags, registers, fmap, masks, race logs, bandwidth
  /// arbiters and stats for a launch on the first n cores (allocated
  /// before). The L2's contents persist.
  void resetForLaunch(unsigned n);
  llvm::MutableArrayRef<Core> active() { return {cores.data(), numCores}; }

  llvm::Error run(SimResult &res);
  void decode();

  // Engine.cpp
  enum class StepResult { Ran, Later, Stuck };
  uint64_t laterTime = 0; // With StepResult::Later: when the core can go on.
  llvm::Error step(Core &c, uint64_t limit, StepResult &out);
  llvm::Error issueScalar(Core &c, uint64_t t);
  llvm::Error execHead(Core &c, unsigned p, uint64_t t);
  static constexpr uint64_t kNever = ~0ull;
  uint64_t candidate(Core &c, unsigned p);
  llvm::Error deadlock(Core &c);

  // Access.cpp: bounds/alignment and races of isa::footprint's ranges.
  /// `record` = false checks bounds only (prefetch has no data effect).
  llvm::Error checkAccesses(Core &c, unsigned pipe, const Entry &e,
                            const AccessList &acc, bool record = true);
  llvm::Error checkCrossCore(Core &c, unsigned pipe, const Entry &e,
                             const Access &a);
  uint64_t bufferSize(const Core &c, Buffer b) const;
  uint8_t *ptr(Core &c, Buffer b, uint64_t addr);

  // Exec*.cpp: functional semantics.
  void execDMA(Core &c, const Instruction &inst, const Entry &e);
  void execCube(Core &c, const Instruction &inst, const Entry &e);
  void execVector(Core &c, const Instruction &inst, const Entry &e);
  void execFix(Core &c, const Instruction &inst, const Entry &e);

  // Cost.cpp: timing. Returns occupancy and completion (absolute times).
  struct Timing {
    uint64_t occupancy, done;
  };
  Timing cost(Core &c, const Instruction &inst, const Entry &e, uint64_t start,
              const AccessList &acc);
  /// A GM transfer of `bytes` over footprint `span`: the port, the HBM
  /// arbiter and, with an L2, its residency and hit bandwidth.
  Timing gmTransfer(Core &c, uint64_t start, double bytes, bool read,
                    const Span &span);
  /// An L2 prefetch of `span` (issued at `start`, one cycle of MTE2): its
  /// missing sectors are fetched from HBM at the port rate in the
  /// background; Core::prefetchDone records when they have landed.
  Timing prefetch(Core &c, uint64_t start, const Span &span);

  /// "core C, pipe P, pc N 'asm': msg".
  llvm::Error instError(const Core &c, unsigned pipe, uint32_t pc,
                        const llvm::Twine &msg) const;
};

/// Elements per vector repeat and mask width for a type.
inline unsigned elemsPerRepeat(DType t) { return 256 / isa::dtypeSize(t); }

} // namespace npu::sim::detail

#endif // NPU_LIB_SIMULATOR_MACHINE_H
