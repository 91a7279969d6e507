//===- SyncModel.h - a tile kernel as seen by sync insertion and checking -===//
//
// The structured program reduced to what matters for pipe ordering: virtual
// instructions on queued pipes with their footprints, scf.for and scf.if,
// and the flag operations between them. Flag operations live in the gaps
// between nodes, so sync insertion can switch candidates on and off without
// touching the IR. The analysis (design §7.4, step 5) is a must-analysis:
// for every pipe q and instruction j, "the latest instance of j is ordered
// before q's next operation", met over paths and iterated to a fixpoint
// around loops. The last wait_flag of each flag counts as an instruction of
// its pipe: a set_flag must be ordered after it, or the simulator may find
// the flag still set (a set takes effect when it reaches the head of its
// queue, whatever the program order).
//===----------------------------------------------------------------------===//
#ifndef NPU_LIB_CODEGEN_NPU_SYNCMODEL_H
#define NPU_LIB_CODEGEN_NPU_SYNCMODEL_H

#include "TileAnalysis.h"
#include "llvm/ADT/BitVector.h"
#include <memory>
#include <set>
#include <vector>

namespace npu::npuk::sync {

constexpr unsigned kPipes = isa::kNumPipes;

enum class NodeKind : uint8_t { Inst, For, If };
enum class GapKind : uint8_t { Set, Wait, Barrier };

struct Seq;

/// A flag operation in a gap. `candidate` >= 0 marks one a sync plan
/// inserted (the plan's flag index); IR ops have candidate -1 and `op` set.
struct GapOp {
  GapKind kind;
  unsigned flag = 0;
  isa::Pipe src = isa::Pipe::S, dst = isa::Pipe::S;
  int candidate = -1;
  mlir::Operation *op = nullptr;
  /// Order within the gap for inserted ops: ranks <= 0 follow the node
  /// before the gap, ranks > 0 precede the node after it.
  int rank = 0;
};

struct Node {
  NodeKind kind;
  mlir::Operation *op;
  Seq *parent = nullptr;
  unsigned index = 0;            // Position in the parent block.
  isa::Pipe pipe = isa::Pipe::S; // Inst.
  unsigned inst = 0;             // Inst: dense index.
  bool mayBeEmpty = true;        // For: the trip count may be 0.
  unsigned pipes = 0;            // Bit p: some instruction inside runs on p.
  std::vector<std::unique_ptr<Seq>> regions; // For: body; If: then, else.
  unsigned begin = 0, end = 0;               // Linear positions of the subtree.
};

/// The nodes of one block, with the gaps between them.
struct Seq {
  Node *owner = nullptr; // The For/If node; null for the function body.
  mlir::Block *ir = nullptr;
  unsigned depth = 0; // Nesting depth of the block.
  std::vector<std::unique_ptr<Node>> nodes;
  std::vector<std::vector<GapOp>> gaps; // nodes.size() + 1 gaps.
  std::vector<unsigned> gapPos;         // Linear position of each gap.
};

/// One access of an instruction, with the base it goes through.
struct InstInfo {
  Node *node;
  llvm::SmallVector<ResolvedAccess, 4> accesses;
  std::vector<unsigned> conflicts; // Instructions on other pipes.
};

struct Model {
  Seq root;
  std::vector<InstInfo> insts;
  unsigned numFlags = 0;

  /// Builds the model of `f`. With `keepFlags`, set_flag/wait_flag become
  /// gap ops keyed by (src, dst, event) (`flagKeys`); otherwise they are an
  /// error. Barriers are always kept. Emits errors and fails on
  /// unsupported control flow or unresolved addresses.
  mlir::LogicalResult build(mlir::func::FuncOp f, bool keepFlags);
  /// The key (src, dst, event) of each flag id read from the IR.
  std::vector<std::tuple<isa::Pipe, isa::Pipe, unsigned>> flagKeys;
  /// Assigns linear positions (after gaps change shape, never needed).
  void number();
};

/// Something the analysis found.
struct Issue {
  enum Kind { Race, DoubleSet, SetRace, WaitUnset, Unbalanced, LeftSet } kind;
  unsigned a = 0, b = 0;       // Race: consumer, producer instructions.
  unsigned flag = 0;           // Flag issues.
  const GapOp *gap = nullptr;  // DoubleSet, WaitUnset.
  const Node *where = nullptr; // Unbalanced: the For/If.
};

/// Runs the analysis; with `firstOnly` it stops at the first issue.
std::vector<Issue> analyze(const Model &m, bool firstOnly);

/// Emits one error per issue, on the instruction, flag op or loop concerned.
void reportIssues(const Model &m, mlir::func::FuncOp f,
                  llvm::ArrayRef<Issue> issues);

} // namespace npu::npuk::sync

#endif // NPU_LIB_CODEGEN_NPU_SYNCMODEL_H
