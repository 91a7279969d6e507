//===- InsertSync.cpp - automatic set_flag/wait_flag insertion ------------===//
//
// Design §7.4. Every pair of conflicting instructions on different pipes is
// a requirement in the block where the two meet: in order there (an intra
// flag: set after the producer's node, wait before the consumer's), and,
// inside a loop, carried from one iteration to the next (a token section).
// Requirements of a pipe pair whose consumers see the same last producer
// node share one flag. Tokens guarding the same buffers in different loops
// share one flag, so a software pipeline continues across loops as in the
// hand-written kernels. The full plan is correct by construction (the
// analysis checks it); then every section the others imply is dropped,
// outermost blocks first.
//===----------------------------------------------------------------------===//
#include "npu/Codegen/NPU/Passes.h"

#include "SyncPlan.h"
#include "mlir/IR/Builders.h"
#include <map>

namespace npu {
#define GEN_PASS_DEF_INSERTSYNC
#include "npu/Codegen/NPU/Passes.h.inc"
} // namespace npu

using namespace mlir;
using namespace npu;
using namespace npu::npuk;
using namespace npu::npuk::sync;

namespace {
/// One dependence, placed: in `blk`, set after node `producer`, wait
/// before node `consumer` (carried: in the next iteration of blk's loop).
struct Requirement {
  Seq *blk;
  bool carried;
  unsigned producer, consumer;
  isa::Pipe src, dst;
  std::set<Resource> resources;
};

using Chain = SmallVector<std::pair<Seq *, unsigned>, 8>;

/// The blocks and positions from the kernel body down to `n`.
Chain chainOf(Node *n) {
  Chain c;
  while (n) {
    c.push_back({n->parent, n->index});
    n = n->parent->owner;
  }
  std::reverse(c.begin(), c.end());
  return c;
}

std::set<Resource> resourcesOf(const InstInfo &x, const InstInfo &y) {
  std::set<Resource> r;
  for (const ResolvedAccess &a : x.accesses)
    for (const ResolvedAccess &b : y.accesses)
      if (a.access.buf == b.access.buf && (a.access.write || b.access.write) &&
          spansOverlap(a.access.span, b.access.span)) {
        r.insert({unsigned(a.base.buf), a.base.begin});
        r.insert({unsigned(b.base.buf), b.base.begin});
      }
  return r;
}

/// Requirements of the conflicting instructions x (first in program
/// order) and y.
void requirements(const InstInfo &x, const InstInfo &y,
                  std::vector<Requirement> &out) {
  Chain cx = chainOf(x.node), cy = chainOf(y.node);
  unsigned k = 0;
  while (k + 1 < cx.size() && k + 1 < cy.size() &&
         cx[k + 1].first == cy[k + 1].first)
    ++k;
  std::set<Resource> res = resourcesOf(x, y);
  isa::Pipe px = x.node->pipe, py = y.node->pipe;
  if (cx[k].second != cy[k].second)
    out.push_back(
        {cx[k].first, false, cx[k].second, cy[k].second, px, py, res});
  // The innermost loop around the meeting block carries both directions
  // (x after y only where the two are in different branches of an if).
  for (unsigned l = k + 1; l-- > 0;) {
    Seq *body = cx[l].first;
    if (!body->owner || body->owner->kind != NodeKind::For)
      continue;
    out.push_back({body, true, cy[l].second, cx[l].second, py, px, res});
    if (cx[k].second == cy[k].second)
      out.push_back({body, true, cx[l].second, cy[l].second, px, py, res});
    return;
  }
}

/// The last node before `before` in `blk` with an instruction on `pipe`, or
/// -1: the window of consumers that see the same producers.
int lastBefore(const Seq &blk, unsigned before, isa::Pipe pipe) {
  for (unsigned i = before; i-- > 0;)
    if (blk.nodes[i]->pipes & (1u << unsigned(pipe)))
      return int(i);
  return -1;
}

/// Groups requirements into the flags of the full plan.
Plan makePlan(ArrayRef<Requirement> reqs) {
  Plan plan;
  std::map<std::tuple<Seq *, bool, unsigned, unsigned, int>, unsigned> group;
  for (const Requirement &r : reqs) {
    auto key =
        std::make_tuple(r.blk, r.carried, unsigned(r.src), unsigned(r.dst),
                        lastBefore(*r.blk, r.consumer, r.src));
    auto [it, fresh] = group.try_emplace(key, unsigned(plan.flags.size()));
    if (fresh) {
      PlanFlag f{r.carried ? PlanFlag::Token : PlanFlag::Intra, r.src, r.dst};
      f.sections.push_back({r.blk, r.consumer, r.producer + 1});
      plan.flags.push_back(f);
    }
    PlanFlag &f = plan.flags[it->second];
    Section &s = f.sections[0];
    s.setGap = std::max(s.setGap, r.producer + 1);
    s.waitGap = std::min(s.waitGap, r.consumer);
    f.resources.insert(r.resources.begin(), r.resources.end());
  }
  // Tokens guarding the same buffers share a flag when their sections
  // never nest (first fit), e.g. the same double-buffered K loop emitted
  // twice for the two halves of an unrolled tile loop.
  for (unsigned i = 0; i < plan.flags.size(); ++i) {
    PlanFlag &f = plan.flags[i];
    if (f.kind != PlanFlag::Token || !f.alive)
      continue;
    for (unsigned j = 0; j < i; ++j) {
      PlanFlag &g = plan.flags[j];
      if (g.kind != PlanFlag::Token || !g.alive || g.src != f.src ||
          g.dst != f.dst || g.resources != f.resources)
        continue;
      auto [a0, a1] = Plan::interval(f, f.sections[0]);
      bool disjoint = llvm::all_of(g.sections, [&](const Section &s) {
        auto [b0, b1] = Plan::interval(g, s);
        return a1 <= b0 || b1 <= a0;
      });
      if (!disjoint)
        continue;
      g.sections.push_back(f.sections[0]);
      f.alive = false;
      break;
    }
  }
  return plan;
}

struct InsertSyncPass : npu::impl::InsertSyncBase<InsertSyncPass> {
  using InsertSyncBase::InsertSyncBase;

  /// A failed check of a plan the pass made itself is a compiler bug, but
  /// still a diagnostic rather than a crash.
  LogicalResult check(Model &m, const Plan &plan, StringRef stage) {
    plan.apply(m);
    std::vector<Issue> issues = analyze(m, false);
    if (issues.empty())
      return success();
    getOperation().emitError("internal error: npuk-insert-sync produced "
                             "flags that fail their own check ")
        << stage << ":";
    reportIssues(m, getOperation(), issues);
    return failure();
  }

  void runOnOperation() override {
    func::FuncOp f = getOperation();
    if (!isTileKernel(f))
      return;
    FailureOr<sim::Config> cfg = loadPassConfig(f, config);
    if (failed(cfg))
      return signalPassFailure();
    Model m;
    if (failed(m.build(f, /*keepFlags=*/false)))
      return signalPassFailure();
    std::vector<Requirement> reqs;
    for (unsigned i = 0; i < m.insts.size(); ++i)
      for (unsigned j : m.insts[i].conflicts)
        if (j > i)
          requirements(m.insts[i], m.insts[j], reqs);
    Plan plan = makePlan(reqs);
    if (failed(check(m, plan, "before reduction")))
      return signalPassFailure();
    reduce(m, plan);
    unsigned barriers = plan.assignEvents(m, cfg->events);
    if (failed(check(m, plan, "after event assignment")))
      return signalPassFailure();
    plan.materialize(m, f);
    recordStats(plan, barriers);
  }

  /// Drops every section the rest implies, outermost blocks first.
  void reduce(Model &m, Plan &plan) {
    SmallVector<std::pair<unsigned, unsigned>> order;
    for (auto [i, f] : llvm::enumerate(plan.flags))
      if (f.alive)
        for (unsigned s = 0; s < f.sections.size(); ++s)
          order.push_back({unsigned(i), s});
    llvm::stable_sort(order, [&](auto a, auto b) {
      return plan.flags[a.first].sections[a.second].blk->depth <
             plan.flags[b.first].sections[b.second].blk->depth;
    });
    for (auto [i, s] : order) {
      plan.flags[i].sections[s].enabled = false;
      plan.apply(m);
      if (!analyze(m, /*firstOnly=*/true).empty())
        plan.flags[i].sections[s].enabled = true;
    }
    plan.apply(m);
  }

  /// `npuk.sync = {flags, tokens, set_flag, wait_flag, barriers}`: what was
  /// inserted (static counts), for reports and tests.
  void recordStats(const Plan &plan, unsigned barriers) {
    int64_t intra = 0, tokens = 0, sets = 0, waits = 0, bars = 0;
    std::set<std::tuple<unsigned, unsigned, unsigned>> events;
    getOperation().walk([&](VirtInstOpInterface op) {
      isa::Opcode opc = op.getOpcode();
      sets += opc == isa::Opcode::SET_FLAG;
      waits += opc == isa::Opcode::WAIT_FLAG;
      bars += opc == isa::Opcode::BARRIER;
    });
    for (const PlanFlag &f : plan.flags) {
      if (!f.alive ||
          !llvm::any_of(f.sections, [](const Section &s) { return s.enabled; }))
        continue;
      intra += f.kind == PlanFlag::Intra;
      tokens += f.kind == PlanFlag::Token;
      if (f.kind != PlanFlag::Barrier)
        events.insert({unsigned(f.src), unsigned(f.dst), f.event});
    }
    Builder b(&getContext());
    getOperation()->setAttr(
        "npuk.sync",
        b.getDictionaryAttr({
            b.getNamedAttr("events", b.getI64IntegerAttr(events.size())),
            b.getNamedAttr("intra", b.getI64IntegerAttr(intra)),
            b.getNamedAttr("tokens", b.getI64IntegerAttr(tokens)),
            b.getNamedAttr("set_flag", b.getI64IntegerAttr(sets)),
            b.getNamedAttr("wait_flag", b.getI64IntegerAttr(waits)),
            b.getNamedAttr("barriers", b.getI64IntegerAttr(bars)),
            b.getNamedAttr("barrier_fallbacks", b.getI64IntegerAttr(barriers)),
        }));
  }
};
} // namespace
