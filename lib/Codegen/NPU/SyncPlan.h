//===- SyncPlan.h - the flags npuk-insert-sync places ---------------------===//
//
// A plan is a list of flags over the sync model. An intra flag is set after
// one node and waited before a later one of the same block; a token guards
// a loop-carried dependence: each of its sections waits before a node and
// sets after a later (or the same) node of one block, and the token is
// primed at kernel entry and drained at the end. A handshake flag orders
// another flag's wait before its next set (the simulator rejects a set on a
// flag still set): its set follows the other's wait in the same gap, its
// wait precedes the other's set. Flags become gap ops of the model (so the
// analysis checks them) and finally IR ops.
//===----------------------------------------------------------------------===//
#ifndef NPU_LIB_CODEGEN_NPU_SYNCPLAN_H
#define NPU_LIB_CODEGEN_NPU_SYNCPLAN_H

#include "SyncModel.h"

namespace npu::npuk::sync {

/// Buffer and base address of a slot copy or GM region a flag guards.
using Resource = std::pair<unsigned, uint64_t>;

struct Section {
  Seq *blk;
  unsigned waitGap, setGap; // Gap indices in blk.
  bool enabled = true;
};

struct PlanFlag {
  enum Kind { Intra, Token, Barrier } kind;
  isa::Pipe src, dst;
  // Intra: one section whose setGap <= waitGap; Token: sections whose
  // waitGap <= setGap; Barrier: a barrier before each section's waitGap.
  std::vector<Section> sections;
  std::set<Resource> resources;
  bool alive = true; // False once merged into another flag.
  bool handshake = false;
  int event = -1; // -1 until coloured: a flag of its own.

  bool enabled() const {
    return alive &&
           llvm::any_of(sections, [](const Section &s) { return s.enabled; });
  }
};

struct Plan {
  std::vector<PlanFlag> flags;

  /// Rebuilds the model's inserted gap ops from the plan (IR gap ops stay).
  /// Coloured flags of one pipe pair and event are one flag of the model.
  void apply(Model &m) const;
  /// The linear interval an intra flag (set..wait) or a token section
  /// (wait..set) occupies.
  static std::pair<unsigned, unsigned> interval(const PlanFlag &f,
                                                const Section &s);
  /// Fits every pipe pair into `events` events, keeping the analysis clean:
  /// tokens share an event, then overlapping intra flags merge, and a
  /// barrier is the last resort. Returns the number of flags turned into
  /// barriers.
  unsigned assignEvents(Model &m, unsigned events);
  /// Writes the plan into the IR as npuk.i.set_flag/wait_flag/barrier.
  void materialize(Model &m, mlir::func::FuncOp f) const;

private:
  bool colourPair(Model &m, isa::Pipe src, isa::Pipe dst, unsigned events);
  bool shrink(Model &m, llvm::ArrayRef<unsigned> tokens,
              llvm::ArrayRef<unsigned> intras);
};

/// True if the analysis finds nothing with the plan applied.
bool planIsClean(Model &m, const Plan &plan);

} // namespace npu::npuk::sync

#endif // NPU_LIB_CODEGEN_NPU_SYNCPLAN_H
