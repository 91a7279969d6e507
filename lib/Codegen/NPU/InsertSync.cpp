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
/// order) and y, placed in the deepest block M holding both: in order there,
/// and carried to the next run of M if a loop encloses it (a token section
/// in M is balanced on every path and keeps the chain from its wait to its
/// set that the simulator needs).
void requirements(const InstInfo &x, const InstInfo &y,
                  std::vector<Requirement> &out) {
  Chain cx = chainOf(x.node), cy = chainOf(y.node);
  unsigned k = 0;
  while (k + 1 < cx.size() && k + 1 < cy.size() &&
         cx[k + 1].first == cy[k + 1].first)
    ++k;
  Seq *m = cx[k].first;
  unsigned xi = cx[k].second, yi = cy[k].second;
  std::set<Resource> res = resourcesOf(x, y);
  isa::Pipe px = x.node->pipe, py = y.node->pipe;
  if (xi != yi)
    out.push_back({m, false, xi, yi, px, py, res});
  bool inLoop = false;
  for (Seq *s = m; s->owner && !inLoop; s = s->owner->parent)
    inLoop = s->owner->kind == NodeKind::For;
  if (!inLoop)
    return;
  out.push_back({m, true, yi, xi, py, px, res});
  if (xi == yi) // Different branches of an if: both directions.
    out.push_back({m, true, xi, yi, px, py, res});
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
    addHandshakes(m, plan);
    if (failed(check(m, plan, "before reduction")))
      return signalPassFailure();
    unifyTokens(m, plan);
    reduce(m, plan);
    unsigned barriers = plan.assignEvents(m, cfg->events);
    if (failed(check(m, plan, "after event assignment")))
      return signalPassFailure();
    plan.materialize(m, f);
    recordStats(plan, barriers);
  }

  /// A set must be ordered after its flag's previous wait (else the
  /// simulator may find the flag still set). Where nothing else orders them,
  /// a handshake does: a flag from the wait's pipe back to the set's.
  void addHandshakes(Model &m, Plan &plan) {
    std::set<unsigned> done;
    for (unsigned round = 0; round < 8; ++round) {
      plan.apply(m);
      std::set<unsigned> racy;
      for (const Issue &i : analyze(m, /*firstOnly=*/false))
        if (i.kind == Issue::SetRace && i.gap && i.gap->candidate >= 0 &&
            !done.count(unsigned(i.gap->candidate)))
          racy.insert(unsigned(i.gap->candidate));
      if (racy.empty())
        return;
      for (unsigned c : racy) {
        done.insert(c);
        const PlanFlag f = plan.flags[c];
        bool token = f.kind == PlanFlag::Token;
        PlanFlag h{token ? PlanFlag::Intra : PlanFlag::Token, f.dst, f.src};
        h.handshake = true;
        h.resources = f.resources;
        for (const Section &sec : f.sections)
          if (sec.enabled)
            h.sections.push_back({sec.blk, sec.setGap, sec.waitGap});
        if (!token) {
          plan.flags.push_back(h);
          continue;
        }
        for (const Section &sec : h.sections) {
          PlanFlag one = h;
          one.sections = {sec};
          plan.flags.push_back(one);
        }
      }
    }
  }

  /// Tokens guarding the same buffers share a flag when their sections
  /// never nest, e.g. the same double-buffered K loop emitted twice for the
  /// two halves of an unrolled tile loop: the pipeline then runs on across
  /// the loops as in the hand-written kernels.
  void unifyTokens(Model &m, Plan &plan) {
    for (unsigned i = 0; i < plan.flags.size(); ++i) {
      if (plan.flags[i].kind != PlanFlag::Token || !plan.flags[i].alive ||
          plan.flags[i].handshake)
        continue;
      for (unsigned j = 0; j < i; ++j) {
        PlanFlag &f = plan.flags[i], &g = plan.flags[j];
        if (g.kind != PlanFlag::Token || !g.alive || g.handshake ||
            g.src != f.src || g.dst != f.dst || g.resources != f.resources)
          continue;
        bool disjoint = llvm::all_of(f.sections, [&](const Section &a) {
          return llvm::all_of(g.sections, [&](const Section &b) {
            auto [a0, a1] = Plan::interval(f, a);
            auto [b0, b1] = Plan::interval(g, b);
            return a1 <= b0 || b1 <= a0;
          });
        });
        if (!disjoint)
          continue;
        size_t before = g.sections.size();
        g.sections.insert(g.sections.end(), f.sections.begin(),
                          f.sections.end());
        f.alive = false;
        if (planIsClean(m, plan))
          break;
        plan.flags[j].sections.resize(before);
        plan.flags[i].alive = true;
      }
    }
  }

  /// Drops every section the rest implies, outermost blocks first, until
  /// nothing more can go (dropping one can make another redundant: a coarse
  /// token may be what kept a finer flag's set ordered).
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
    for (bool changed = true; changed;) {
      changed = false;
      for (auto [i, s] : order) {
        Section &sec = plan.flags[i].sections[s];
        if (!sec.enabled)
          continue;
        sec.enabled = false;
        if (planIsClean(m, plan))
          changed = true;
        else
          sec.enabled = true;
      }
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
