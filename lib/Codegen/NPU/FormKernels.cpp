//===- FormKernels.cpp - group placed ops into npuk.kernel regions --------===//
//
// Ops are visited in program order. An op joins a group of its kind when
// doing so keeps every group convex: no producer outside the group may
// depend on the group itself (that path would leave and re-enter it).
// deps(op) = the groups op transitively depends on.
//
//===----------------------------------------------------------------------===//
#include "npu/Codegen/NPU/Passes.h"

#include "Rules.h"
#include "npu/Codegen/NPU/Placement.h"
#include "npu/Dialect/NPU/IR/NPUOps.h"
#include "npu/Dialect/NPU/IR/ONNXLocation.h"
#include "npu/Dialect/NPUK/IR/NPUKOps.h"

#include "mlir/Analysis/TopologicalSortUtils.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FormatVariadic.h"

namespace npu {
#define GEN_PASS_DEF_FORMKERNELS
#include "npu/Codegen/NPU/Passes.h.inc"
} // namespace npu

using namespace mlir;
using namespace npu;

namespace {
struct Group {
  npuk::KernelKind kind;
  SmallVector<Operation *> ops;
  SmallVector<Attribute> log; // Fusion decisions (kFusionLogAttr).
};

/// Every value `op` reads, including values its regions use from above.
static SetVector<Value> operandsOf(Operation *op) {
  SetVector<Value> values(op->getOperands().begin(), op->getOperands().end());
  for (Region &region : op->getRegions())
    getUsedValuesDefinedAbove(region, values);
  return values;
}

static bool isConstantLike(Value v) {
  Operation *def = v.getDefiningOp();
  return def && def->hasTrait<OpTrait::ConstantLike>();
}

class KernelFormer {
public:
  explicit KernelFormer(func::FuncOp func) : func_(func) {}

  LogicalResult assignGroups() {
    for (Operation &op : func_.getBody().front().without_terminator()) {
      std::optional<Placement> p = getPlacement(&op);
      if (!p)
        continue;
      npuk::KernelKind kind = !p->onNPU ? npuk::KernelKind::cpu
                              : p->code.starts_with("npu.cube")
                                  ? npuk::KernelKind::cube
                                  : npuk::KernelKind::vector;
      llvm::BitVector deps(groups_.size());
      SmallVector<Operation *> producers;
      for (Value v : operandsOf(&op)) {
        Operation *def = v.getDefiningOp();
        if (!def || !groupOf_.count(def))
          continue;
        producers.push_back(def);
        deps |= depsOf(def);
        deps.set(groupOf_[def]);
      }
      unsigned group;
      if (!p->onNPU) {
        group = pickGroup(kind, producers);
      } else if (p->code.starts_with("fused.")) {
        // An epilogue joins its anchor's kernel (Partition checked it is
        // the sole consumer, so the group stays convex).
        auto anchor = llvm::find_if(producers, [&](Operation *d) {
          return groups_[groupOf_[d]].kind != npuk::KernelKind::cpu;
        });
        if (anchor == producers.end()) {
          op.emitError("npuk-form-kernels: epilogue '")
              << p->code << "' has no NPU producer";
          return failure();
        }
        group = groupOf_[*anchor];
      } else if (std::optional<unsigned> g = kind == npuk::KernelKind::vector
                                                 ? joinVector(&op, producers)
                                                 : std::nullopt) {
        group = *g;
      } else {
        groups_.push_back({kind, {}});
        group = groups_.size() - 1;
      }
      groups_[group].ops.push_back(&op);
      groupOf_[&op] = group;
      deps.resize(groups_.size());
      deps_[&op] = std::move(deps);
    }
    return success();
  }

  /// Replaces each group by an npuk.kernel; returns failure on IR errors.
  LogicalResult materialize() {
    // NPU kernels are k000, k001, ...; CPU parts cpu000, cpu001, ...
    unsigned npuCount = 0, cpuCount = 0;
    for (Group &g : groups_) {
      bool cpu = g.kind == npuk::KernelKind::cpu;
      std::string name = llvm::formatv("{0}{1:3}", cpu ? "cpu" : "k",
                                       cpu ? cpuCount++ : npuCount++)
                             .str();
      materializeGroup(g, name);
    }
    wrapForwardedResults(cpuCount);
    // Constants cloned into kernels may have no users left.
    for (Operation &op : llvm::make_early_inc_range(func_.getBody().front()))
      if (op.hasTrait<OpTrait::ConstantLike>() && op.use_empty())
        op.erase();
    if (!sortTopologically(&func_.getBody().front()))
      return func_.emitError("kernel grouping created a cycle");
    return success();
  }

private:
  const llvm::BitVector &depsOf(Operation *op) { return deps_[op]; }

  /// True if no producer of `op` outside group `g` depends on `g`.
  bool convexWith(unsigned g, ArrayRef<Operation *> producers) {
    return llvm::all_of(producers, [&](Operation *p) {
      const llvm::BitVector &d = depsOf(p);
      return groupOf_[p] == g || g >= d.size() || !d.test(g);
    });
  }

  void log(unsigned g, Operation *op, bool fused, StringRef code,
           const Twine &text) {
    Builder b(op->getContext());
    groups_[g].log.push_back(b.getDictionaryAttr(
        {b.getNamedAttr("node", b.getStringAttr(onnxNodeName(op->getLoc()))),
         b.getNamedAttr("decision",
                        b.getStringAttr(fused ? "fused" : "rejected")),
         b.getNamedAttr("code", b.getStringAttr(code)),
         b.getNamedAttr("text", b.getStringAttr(text))}));
  }

  /// The vector kernel of a producer that `op` extends (design §5: one
  /// iteration space, at most 4 inputs, convex); each producer kernel
  /// considered logs why `op` joined it or not.
  std::optional<unsigned> joinVector(Operation *op,
                                     ArrayRef<Operation *> producers) {
    Type type = op->getResult(0).getType();
    llvm::SmallDenseSet<unsigned> seen;
    for (Operation *p : producers) {
      unsigned g = groupOf_[p];
      if (groups_[g].kind != npuk::KernelKind::vector || !seen.insert(g).second)
        continue;
      if (isRowOp(op) || llvm::any_of(groups_[g].ops, isRowOp)) {
        if (std::optional<unsigned> j = joinRow(op, g, producers))
          return j;
        continue;
      }
      Operation *first = groups_[g].ops.front();
      if (first->getResult(0).getType() != type) {
        log(g, op, false, "rej.shape",
            llvm::formatv("{0} is not the kernel's iteration space {1}", type,
                          first->getResult(0).getType()));
        continue;
      }
      if (!convexWith(g, producers)) {
        log(g, op, false, "rej.cycle",
            "another operand depends on this kernel through other kernels");
        continue;
      }
      SetVector<Value> inputs;
      llvm::SmallPtrSet<Operation *, 16> members(groups_[g].ops.begin(),
                                                 groups_[g].ops.end());
      members.insert(op);
      for (Operation *m : members)
        for (Value v : m->getOperands())
          if (!isConstantLike(v) && !members.contains(v.getDefiningOp()))
            inputs.insert(v);
      if (inputs.size() > 4) {
        log(g, op, false, "rej.operands",
            llvm::formatv("the chain would read {0} inputs (at most 4)",
                          inputs.size()));
        continue;
      }
      log(g, op, true, "fused.vector_chain",
          "extends the elementwise chain of its producer (same iteration "
          "space, data stays in UB)");
      return g;
    }
    return std::nullopt;
  }

  static bool isRowOp(Operation *op) {
    return llvm::isa<SoftmaxOp, LayerNormOp>(op);
  }

  /// A layer norm takes a residual add as its prologue (one kernel: add,
  /// then normalize, the sum stays in UB): the add must be its producer's
  /// whole kernel, a same-shape add whose only user is the layer norm's
  /// input, and the fused kernel must fit UB. Row kernels take no other
  /// ops, before or after.
  std::optional<unsigned> joinRow(Operation *op, unsigned g,
                                  ArrayRef<Operation *> producers) {
    auto ln = dyn_cast<LayerNormOp>(op);
    Operation *add = groups_[g].ops.front();
    auto reject = [&](StringRef code, const Twine &text) {
      log(g, op, false, code, text);
      return std::nullopt;
    };
    if (!ln || groups_[g].ops.size() != 1 || !llvm::isa<AddOp>(add))
      return reject("rej.row_kernel",
                    "row kernels (softmax, layer norm) take no elementwise "
                    "ops except a residual add before a layer norm");
    if (ln.getInput().getDefiningOp() != add || !add->hasOneUse())
      return reject("rej.multi_use", "the add's result is used besides the "
                                     "layer norm's input");
    if (add->getOperand(0).getType() != ln.getInput().getType() ||
        add->getOperand(1).getType() != ln.getInput().getType())
      return reject("rej.shape", "the add is not a same-shape tensor add");
    if (!convexWith(g, producers))
      return reject("rej.cycle", "another operand depends on this kernel "
                                 "through other kernels");
    std::string budget =
        rowBudgetError(npuk::RowKind::LayerNorm, ln.getInput().getType(), true,
                       bool(ln.getBias()));
    if (!budget.empty())
      return reject("rej.ub_budget", "with the residual: " + budget);
    log(g, op, true, "fused.residual_add",
        "the residual add runs as the layer norm's prologue (one kernel, "
        "the sum stays in UB in fp32)");
    return g;
  }

  /// The group `op` joins: a producer's group or the latest group of the
  /// same kind if that keeps groups convex, else a new group.
  unsigned pickGroup(npuk::KernelKind kind, ArrayRef<Operation *> producers) {
    SmallVector<unsigned> candidates;
    for (Operation *p : llvm::reverse(producers))
      candidates.push_back(groupOf_[p]);
    for (int g = (int)groups_.size() - 1; g >= 0; --g)
      if (groups_[g].kind == kind) {
        candidates.push_back(g);
        break;
      }
    for (unsigned g : candidates) {
      if (groups_[g].kind != kind)
        continue;
      if (convexWith(g, producers))
        return g;
    }
    groups_.push_back({kind, {}});
    return groups_.size() - 1;
  }

  void materializeGroup(Group &g, StringRef name) {
    llvm::SmallPtrSet<Operation *, 16> members(g.ops.begin(), g.ops.end());
    SetVector<Value> inputs, constants, outputs;
    SmallVector<std::string> nodes;
    llvm::StringSet<> seenNodes;
    for (Operation *op : g.ops) {
      for (Value v : operandsOf(op)) {
        Operation *def = v.getDefiningOp();
        if (def && members.contains(def))
          continue;
        // Cube kernels read weights from GM; vector kernels take scalar
        // constants as immediates.
        // Layer norm's gamma and beta are GM operands too.
        if (isConstantLike(v) && g.kind != npuk::KernelKind::cube &&
            !llvm::isa<LayerNormOp>(op))
          constants.insert(v);
        else
          inputs.insert(v);
      }
      for (Value r : op->getResults())
        if (llvm::any_of(r.getUsers(), [&](Operation *user) {
              return !members.contains(
                  func_.getBody().front().findAncestorOpInBlock(*user));
            }))
          outputs.insert(r);
      SmallVector<StringRef> names;
      collectONNXNodeNames(op->getLoc(), names);
      for (StringRef node : names)
        if (seenNodes.insert(node).second)
          nodes.push_back(node.str());
    }
    OpBuilder b(g.ops.back());
    b.setInsertionPointAfter(g.ops.back());
    Location loc = b.getFusedLoc(llvm::to_vector(
        llvm::map_range(g.ops, [](Operation *op) { return op->getLoc(); })));
    auto kernel = b.create<npuk::KernelOp>(
        loc, TypeRange(outputs.getArrayRef()), name, g.kind,
        b.getStrArrayAttr(SmallVector<StringRef>(nodes.begin(), nodes.end())),
        inputs.getArrayRef());
    Block *body = b.createBlock(&kernel.getBody());
    IRMapping map;
    for (Value in : inputs)
      map.map(in, body->addArgument(in.getType(), in.getLoc()));
    b.setInsertionPointToStart(body);
    for (Value c : constants)
      map.map(c, b.clone(*c.getDefiningOp())->getResult(0));
    for (Operation *op : g.ops)
      b.clone(*op, map);
    SmallVector<Value> yielded;
    for (Value out : outputs)
      yielded.push_back(map.lookup(out));

    b.create<npuk::YieldOp>(loc, yielded);
    if (!g.log.empty())
      kernel->setAttr(kFusionLogAttr, b.getArrayAttr(g.log));
    for (auto [out, res] : llvm::zip(outputs, kernel.getResults()))
      Value(out).replaceUsesWithIf(res, [&](OpOperand &use) {
        return !members.contains(
            func_.getBody().front().findAncestorOpInBlock(*use.getOwner()));
      });
    for (Operation *op : llvm::reverse(g.ops))
      op->erase();
  }

  /// Graph outputs that are graph inputs, constants or returned twice get
  /// a CPU part of their own that copies them into the output's region.
  void wrapForwardedResults(unsigned &cpuCounter) {
    auto ret = cast<func::ReturnOp>(func_.getBody().front().getTerminator());
    llvm::SmallPtrSet<Value, 8> seen;
    for (OpOperand &operand : ret->getOpOperands()) {
      Value v = operand.get();
      if (v.getDefiningOp<npuk::KernelOp>() && seen.insert(v).second)
        continue;
      OpBuilder b(ret);
      bool constant = isConstantLike(v);
      auto kernel = b.create<npuk::KernelOp>(
          v.getLoc(), TypeRange{v.getType()},
          llvm::formatv("cpu{0:3}", cpuCounter++).str(), npuk::KernelKind::cpu,
          b.getStrArrayAttr({}), constant ? ValueRange{} : ValueRange{v});
      Block *body = b.createBlock(&kernel.getBody());
      Value inner = constant
                        ? b.clone(*v.getDefiningOp())->getResult(0)
                        : Value(body->addArgument(v.getType(), v.getLoc()));
      b.create<npuk::YieldOp>(v.getLoc(), inner);
      operand.set(kernel.getResult(0));
    }
  }

  func::FuncOp func_;
  std::vector<Group> groups_;
  DenseMap<Operation *, unsigned> groupOf_;
  DenseMap<Operation *, llvm::BitVector> deps_;
};

struct FormKernelsPass : npu::impl::FormKernelsBase<FormKernelsPass> {
  using FormKernelsBase::FormKernelsBase;

  void runOnOperation() override {
    auto func = lookupEntry(getOperation(), entry);
    if (!func)
      return signalPassFailure();
    KernelFormer former(func);
    if (failed(former.assignGroups()) || failed(former.materialize()))
      signalPassFailure();
  }
};
} // namespace
