//===- SyncPlan.cpp - placing, colouring and emitting planned flags -------===//
#include "SyncPlan.h"

#include "mlir/IR/Builders.h"
#include <map>

using namespace mlir;
using namespace npu;
using namespace npu::npuk;
using namespace npu::npuk::sync;

// Ranks of inserted ops within a gap (see GapOp::rank).
enum : int {
  kPrime = -2,
  kHandshakeWait = -1,
  kSet = 0,
  kBarrier = 1,
  kWait = 2,
  kHandshakeSet = 3,
  kDrain = 4
};

static void clearInserted(Seq &b) {
  for (std::vector<GapOp> &ops : b.gaps)
    llvm::erase_if(ops, [](const GapOp &g) { return g.candidate >= 0; });
  for (auto &n : b.nodes)
    for (auto &r : n->regions)
      clearInserted(*r);
}

/// IR ops keep their place; inserted ones go in rank order around them
/// (insert-sync only meets IR barriers, which rank as barriers).
static void sortGaps(Seq &b) {
  for (std::vector<GapOp> &ops : b.gaps)
    std::stable_sort(ops.begin(), ops.end(),
                     [](const GapOp &x, const GapOp &y) {
                       auto rank = [](const GapOp &g) {
                         return g.candidate >= 0 ? g.rank : int(kBarrier);
                       };
                       return rank(x) < rank(y);
                     });
  for (auto &n : b.nodes)
    for (auto &r : n->regions)
      sortGaps(*r);
}

void Plan::apply(Model &m) const {
  clearInserted(m.root);
  m.flagKeys.clear();
  std::map<std::tuple<unsigned, unsigned, int>, unsigned> physical;
  for (auto [i, f] : llvm::enumerate(flags)) {
    if (!f.enabled())
      continue;
    unsigned id = unsigned(m.flagKeys.size());
    if (f.event >= 0) {
      auto [it, fresh] =
          physical.try_emplace({unsigned(f.src), unsigned(f.dst), f.event}, id);
      id = it->second;
      if (fresh)
        m.flagKeys.emplace_back(f.src, f.dst, unsigned(f.event));
    } else {
      m.flagKeys.emplace_back(f.src, f.dst, ~0u);
    }
    int c = int(i);
    auto op = [&](GapKind kind, int rank) {
      return GapOp{kind, id, f.src, f.dst, c, nullptr, rank};
    };
    for (const Section &s : f.sections) {
      if (!s.enabled)
        continue;
      if (f.kind == PlanFlag::Barrier) {
        // Where the flag's wait was: a handshake's came before the sets.
        s.blk->gaps[s.waitGap].push_back(
            op(GapKind::Barrier, f.handshake ? kHandshakeWait : kBarrier));
        continue;
      }
      s.blk->gaps[s.setGap].push_back(
          op(GapKind::Set, f.handshake ? kHandshakeSet : kSet));
      s.blk->gaps[s.waitGap].push_back(
          op(GapKind::Wait, f.handshake ? kHandshakeWait : kWait));
    }
    if (f.kind == PlanFlag::Token) {
      m.root.gaps.front().push_back(op(GapKind::Set, kPrime));
      m.root.gaps.back().push_back(op(GapKind::Wait, kDrain));
    }
  }
  sortGaps(m.root);
  m.numFlags = unsigned(m.flagKeys.size());
}

std::pair<unsigned, unsigned> Plan::interval(const PlanFlag &f,
                                             const Section &s) {
  unsigned a = s.blk->gapPos[s.setGap], b = s.blk->gapPos[s.waitGap];
  return f.kind == PlanFlag::Token ? std::make_pair(b, a)
                                   : std::make_pair(a, b);
}

bool npu::npuk::sync::planIsClean(Model &m, const Plan &plan) {
  plan.apply(m);
  return analyze(m, /*firstOnly=*/true).empty();
}

//===--- Events -----------------------------------------------------------===//

static bool overlap(std::pair<unsigned, unsigned> x,
                    std::pair<unsigned, unsigned> y) {
  return x.first <= y.second && y.first <= x.second;
}

/// Tokens first, one event each; then each intra flag takes the lowest
/// event no overlapping flag holds and with which the analysis stays clean
/// (a set must never find its flag still set).
bool Plan::colourPair(Model &m, isa::Pipe src, isa::Pipe dst, unsigned events) {
  SmallVector<unsigned> tokens, intras;
  for (auto [i, f] : llvm::enumerate(flags)) {
    if (!f.enabled() || f.src != src || f.dst != dst ||
        f.kind == PlanFlag::Barrier)
      continue;
    f.event = -1;
    (f.kind == PlanFlag::Token ? tokens : intras).push_back(unsigned(i));
  }
  if (tokens.size() > events)
    return false;
  for (auto [e, t] : llvm::enumerate(tokens))
    flags[t].event = int(e);
  llvm::stable_sort(intras, [&](unsigned a, unsigned b) {
    return interval(flags[a], flags[a].sections[0]) <
           interval(flags[b], flags[b].sections[0]);
  });
  for (unsigned i : intras) {
    PlanFlag &f = flags[i];
    auto range = interval(f, f.sections[0]);
    for (unsigned e = unsigned(tokens.size()); e < events && f.event < 0; ++e) {
      bool taken = llvm::any_of(intras, [&](unsigned j) {
        const PlanFlag &g = flags[j];
        return j != i && g.event == int(e) &&
               overlap(range, interval(g, g.sections[0]));
      });
      if (taken)
        continue;
      f.event = int(e);
      if (!planIsClean(m, *this))
        f.event = -1;
    }
    if (f.event < 0)
      return false;
  }
  return true;
}

/// One step towards fewer flags for a pair: two tokens share a flag, or two
/// overlapping intra flags of one block merge (the later set and the
/// earlier wait cover both), if the analysis stays clean.
bool Plan::shrink(Model &m, ArrayRef<unsigned> tokens,
                  ArrayRef<unsigned> intras) {
  auto tryMerge = [&](PlanFlag &x, PlanFlag &y, auto mutate) {
    PlanFlag saveX = x, saveY = y;
    mutate();
    x.resources.insert(y.resources.begin(), y.resources.end());
    y.alive = false;
    x.event = y.event = -1;
    if (planIsClean(m, *this))
      return true;
    x = saveX;
    y = saveY;
    return false;
  };
  for (unsigned a = 0; a < tokens.size(); ++a)
    for (unsigned b = a + 1; b < tokens.size(); ++b) {
      PlanFlag &x = flags[tokens[a]], &y = flags[tokens[b]];
      if (tryMerge(x, y, [&] {
            for (const Section &s : y.sections)
              if (s.enabled)
                x.sections.push_back(s);
          }))
        return true;
    }
  for (unsigned a = 0; a < intras.size(); ++a)
    for (unsigned b = a + 1; b < intras.size(); ++b) {
      PlanFlag &x = flags[intras[a]], &y = flags[intras[b]];
      Section &sx = x.sections[0];
      const Section sy = y.sections[0];
      if (sx.blk != sy.blk || x.handshake || y.handshake ||
          !overlap(interval(x, sx), interval(y, sy)))
        continue;
      if (tryMerge(x, y, [&] {
            sx.setGap = std::max(sx.setGap, sy.setGap);
            sx.waitGap = std::min(sx.waitGap, sy.waitGap);
          }))
        return true;
    }
  return false;
}

unsigned Plan::assignEvents(Model &m, unsigned events) {
  unsigned barriers = 0;
  std::set<std::pair<isa::Pipe, isa::Pipe>> pairs;
  for (const PlanFlag &f : flags)
    if (f.enabled() && f.kind != PlanFlag::Barrier)
      pairs.insert({f.src, f.dst});
  auto collect = [&](isa::Pipe src, isa::Pipe dst,
                     SmallVector<unsigned> &tokens,
                     SmallVector<unsigned> &intras) {
    tokens.clear();
    intras.clear();
    for (auto [i, f] : llvm::enumerate(flags)) {
      if (!f.enabled() || f.src != src || f.dst != dst ||
          f.kind == PlanFlag::Barrier)
        continue;
      f.event = -1;
      (f.kind == PlanFlag::Token ? tokens : intras).push_back(unsigned(i));
    }
  };
  SmallVector<unsigned> tokens, intras;
  // Tokens first, for every pair: shared tokens also order more waits
  // before sets, which lets more intra flags share events afterwards.
  for (auto [src, dst] : pairs) {
    collect(src, dst, tokens, intras);
    while (tokens.size() + (intras.empty() ? 0 : 1) > events &&
           tokens.size() > 1 && shrink(m, tokens, {}))
      collect(src, dst, tokens, intras);
  }
  for (auto [src, dst] : pairs) {
    while (!colourPair(m, src, dst, events)) {
      collect(src, dst, tokens, intras);
      if (shrink(m, tokens, intras))
        continue;
      // Last resort: the longest intra flag, else a token, becomes
      // barriers before its waits (a barrier orders everything).
      unsigned victim = tokens.empty() ? intras.front() : tokens.back();
      auto len = [&](unsigned i) {
        auto [a, b] = interval(flags[i], flags[i].sections[0]);
        return b - a;
      };
      if (!intras.empty())
        victim = *llvm::max_element(
            intras, [&](unsigned x, unsigned y) { return len(x) < len(y); });
      flags[victim].kind = PlanFlag::Barrier;
      ++barriers;
    }
  }
  apply(m);
  return barriers;
}

//===--- IR ---------------------------------------------------------------===//

static void emitSeq(const Seq &b, const Plan &plan, OpBuilder &builder) {
  MLIRContext *ctx = builder.getContext();
  for (unsigned g = 0; g < b.gaps.size(); ++g) {
    Operation *prev = g > 0 ? b.nodes[g - 1]->op : nullptr;
    Operation *next = g < b.nodes.size() ? b.nodes[g]->op : nullptr;
    Operation *last = prev; // Ranks <= 0 chain after the previous node.
    for (const GapOp &op : b.gaps[g]) {
      if (op.candidate < 0)
        continue;
      const PlanFlag &f = plan.flags[op.candidate];
      if (op.rank <= 0) {
        if (last)
          builder.setInsertionPointAfter(last);
        else
          builder.setInsertionPointToStart(b.ir);
      } else {
        builder.setInsertionPoint(next ? next : b.ir->getTerminator());
      }
      Operation *near = op.rank <= 0 ? prev : next;
      Location loc = near ? near->getLoc() : b.ir->getParentOp()->getLoc();
      const char *name = op.kind == GapKind::Set    ? "npuk.i.set_flag"
                         : op.kind == GapKind::Wait ? "npuk.i.wait_flag"
                                                    : "npuk.i.barrier";
      OperationState st(loc, name);
      if (op.kind != GapKind::Barrier) {
        st.addAttribute(
            "src", aicore::PipeAttr::get(ctx, aicore::Pipe(unsigned(f.src))));
        st.addAttribute(
            "dst", aicore::PipeAttr::get(ctx, aicore::Pipe(unsigned(f.dst))));
        st.addAttribute("event", builder.getI32IntegerAttr(f.event));
      }
      Operation *created = builder.create(st);
      if (op.rank <= 0)
        last = created;
    }
    if (g < b.nodes.size())
      for (auto &r : b.nodes[g]->regions)
        emitSeq(*r, plan, builder);
  }
}

void Plan::materialize(Model &m, func::FuncOp f) const {
  apply(m);
  OpBuilder builder(f.getContext());
  emitSeq(m.root, *this, builder);
}
