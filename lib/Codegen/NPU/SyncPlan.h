//===- SyncPlan.h - the flags npuk-insert-sync places ---------------------===//
//
// A plan is a list of flags over the sync model. An intra flag is set after
// one node and waited before a later one of the same block; a token guards
// a loop-carried dependence: each of its sections waits before a node of a
// loop body and sets after a later (or the same) node, and the token is
// primed at kernel entry and drained at the end. Flags become gap ops of the
// model (so the analysis can check them) and finally IR ops.
//===----------------------------------------------------------------------===//
#ifndef NPU_LIB_CODEGEN_NPU_SYNCPLAN_H
#define NPU_LIB_CODEGEN_NPU_SYNCPLAN_H

#include "SyncModel.h"

namespace npu::npuk::sync {

/// Buffer and base address of a slot copy or GM region a flag guards.
using Resource = std::pair<unsigned, uint64_t>;

struct Section {
  Seq *blk;
  unsigned waitGap, setGap; // Gap indices in blk (wait before set).
  bool enabled = true;
};

struct PlanFlag {
  enum Kind { Intra, Token, Barrier } kind;
  isa::Pipe src, dst;
  // Intra: one section whose setGap <= waitGap; Token: its sections;
  // Barrier: a barrier before each section's waitGap.
  std::vector<Section> sections;
  std::set<Resource> resources;
  bool alive = true; // False once merged into another flag.
  unsigned event = 0;
};

struct Plan {
  std::vector<PlanFlag> flags;

  /// Rebuilds the model's inserted gap ops from the plan (IR gap ops stay).
  void apply(Model &m) const;
  /// Linear interval an intra flag (set..wait) or a section (wait..set)
  /// occupies.
  static std::pair<unsigned, unsigned> interval(const PlanFlag &f,
                                                const Section &s);
  /// Fits every pipe pair into `events` events: tokens share an event, then
  /// overlapping intra flags merge, and a barrier is the last resort. Sets
  /// each flag's event. Returns the number of flags turned into barriers.
  unsigned assignEvents(Model &m, unsigned events);
  /// Writes the plan into the IR as npuk.i.set_flag/wait_flag/barrier.
  void materialize(Model &m, mlir::func::FuncOp f) const;

private:
  /// One step towards fewer events for a pair: unify two tokens or merge
  /// two overlapping intra flags. False if neither is possible.
  bool fitOnce(llvm::ArrayRef<unsigned> tokens,
               llvm::ArrayRef<unsigned> intras);
};

} // namespace npu::npuk::sync

#endif // NPU_LIB_CODEGEN_NPU_SYNCPLAN_H
