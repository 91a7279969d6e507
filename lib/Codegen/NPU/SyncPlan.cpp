//===- SyncPlan.cpp - placing, colouring and emitting planned flags -------===//
#include "SyncPlan.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace npu;
using namespace npu::npuk;
using namespace npu::npuk::sync;

static void clearInserted(Seq &b) {
  for (std::vector<GapOp> &ops : b.gaps)
    llvm::erase_if(ops, [](const GapOp &g) { return g.candidate >= 0; });
  for (auto &n : b.nodes)
    for (auto &r : n->regions)
      clearInserted(*r);
}

/// Within a gap: sets (releases) first, then barriers, then waits.
static void sortGaps(Seq &b) {
  for (std::vector<GapOp> &ops : b.gaps)
    std::stable_sort(
        ops.begin(), ops.end(), [](const GapOp &x, const GapOp &y) {
          auto rank = [](GapKind k) {
            return k == GapKind::Set ? 0 : k == GapKind::Barrier ? 1 : 2;
          };
          return rank(x.kind) < rank(y.kind);
        });
  for (auto &n : b.nodes)
    for (auto &r : n->regions)
      sortGaps(*r);
}

void Plan::apply(Model &m) const {
  clearInserted(m.root);
  for (auto [i, f] : llvm::enumerate(flags)) {
    if (!f.alive)
      continue;
    int c = int(i);
    GapOp set{GapKind::Set, unsigned(i), f.src, f.dst, c, nullptr};
    GapOp wait{GapKind::Wait, unsigned(i), f.src, f.dst, c, nullptr};
    GapOp barrier{GapKind::Barrier, 0, isa::Pipe::S, isa::Pipe::S, c, nullptr};
    bool any = false;
    for (const Section &s : f.sections) {
      if (!s.enabled)
        continue;
      any = true;
      if (f.kind == PlanFlag::Barrier) {
        s.blk->gaps[s.waitGap].push_back(barrier);
        continue;
      }
      s.blk->gaps[s.setGap].push_back(set);
      s.blk->gaps[s.waitGap].push_back(wait);
    }
    if (any && f.kind == PlanFlag::Token) {
      m.root.gaps.front().push_back(set);
      m.root.gaps.back().push_back(wait);
    }
  }
  sortGaps(m.root);
  m.numFlags = unsigned(flags.size());
}

std::pair<unsigned, unsigned> Plan::interval(const PlanFlag &f,
                                             const Section &s) {
  unsigned a = s.blk->gapPos[s.setGap], b = s.blk->gapPos[s.waitGap];
  return f.kind == PlanFlag::Intra ? std::make_pair(a, b)
                                   : std::make_pair(b, a);
}

//===--- Events -----------------------------------------------------------===//

static bool hasEnabled(const PlanFlag &f) {
  return f.alive &&
         llvm::any_of(f.sections, [](const Section &s) { return s.enabled; });
}

/// Two tokens may share a flag if no section of one runs inside a section
/// of the other (touching is fine: a release then an acquire).
static bool tokensDisjoint(const PlanFlag &a, const PlanFlag &b) {
  for (const Section &x : a.sections)
    for (const Section &y : b.sections) {
      if (!x.enabled || !y.enabled)
        continue;
      auto [x0, x1] = Plan::interval(a, x);
      auto [y0, y1] = Plan::interval(b, y);
      if (x0 < y1 && y0 < x1)
        return false;
    }
  return true;
}

/// Intra flags sharing an event must not overlap, not even at a gap (a set
/// and a wait of two flags in one gap would set a set flag).
static bool intraOverlap(std::pair<unsigned, unsigned> x,
                         std::pair<unsigned, unsigned> y) {
  return x.first <= y.second && y.first <= x.second;
}

/// Colours intervals greedily by start; returns the colours used.
static unsigned colour(Plan &plan, ArrayRef<unsigned> intras, unsigned first,
                       bool commit) {
  SmallVector<std::pair<std::pair<unsigned, unsigned>, unsigned>> iv;
  for (unsigned i : intras)
    iv.push_back({Plan::interval(plan.flags[i], plan.flags[i].sections[0]), i});
  llvm::sort(iv);
  SmallVector<std::pair<unsigned, unsigned>> active; // (end, colour)
  unsigned used = 0;
  for (auto &[range, i] : iv) {
    llvm::erase_if(active, [&](auto &a) { return a.first < range.first; });
    unsigned c = 0;
    while (llvm::any_of(active, [&](auto &a) { return a.second == c; }))
      ++c;
    active.push_back({range.second, c});
    used = std::max(used, c + 1);
    if (commit)
      plan.flags[i].event = first + c;
  }
  return used;
}

unsigned Plan::assignEvents(Model &m, unsigned events) {
  unsigned barriers = 0;
  std::set<std::pair<isa::Pipe, isa::Pipe>> pairs;
  for (const PlanFlag &f : flags)
    if (hasEnabled(f) && f.kind != PlanFlag::Barrier)
      pairs.insert({f.src, f.dst});
  for (auto [src, dst] : pairs) {
    while (true) {
      SmallVector<unsigned> tokens, intras;
      for (auto [i, f] : llvm::enumerate(flags)) {
        if (!hasEnabled(f) || f.src != src || f.dst != dst)
          continue;
        if (f.kind == PlanFlag::Token)
          tokens.push_back(unsigned(i));
        else if (f.kind == PlanFlag::Intra)
          intras.push_back(unsigned(i));
      }
      unsigned need = unsigned(tokens.size()) + colour(*this, intras, 0, false);
      if (need <= events) {
        for (auto [e, t] : llvm::enumerate(tokens))
          flags[t].event = unsigned(e);
        colour(*this, intras, unsigned(tokens.size()), true);
        break;
      }
      if (fitOnce(tokens, intras))
        continue;
      // Last resort: the longest intra flag, else a token, becomes barriers.
      unsigned victim = tokens.empty() ? intras.front() : tokens.back();
      if (!intras.empty()) {
        auto len = [&](unsigned i) {
          auto [a, b] = interval(flags[i], flags[i].sections[0]);
          return b - a;
        };
        victim = *llvm::max_element(
            intras, [&](unsigned x, unsigned y) { return len(x) < len(y); });
      }
      flags[victim].kind = PlanFlag::Barrier;
      ++barriers;
    }
  }
  apply(m);
  return barriers;
}

bool Plan::fitOnce(ArrayRef<unsigned> tokens, ArrayRef<unsigned> intras) {
  // Tokens with disjoint sections share one flag: sections alternate.
  for (unsigned a = 0; a < tokens.size(); ++a)
    for (unsigned b = a + 1; b < tokens.size(); ++b) {
      PlanFlag &x = flags[tokens[a]], &y = flags[tokens[b]];
      if (!tokensDisjoint(x, y))
        continue;
      for (const Section &s : y.sections)
        if (s.enabled)
          x.sections.push_back(s);
      x.resources.insert(y.resources.begin(), y.resources.end());
      y.alive = false;
      return true;
    }
  // Overlapping flags of one block merge: the later set and the earlier
  // wait cover both.
  for (unsigned a = 0; a < intras.size(); ++a)
    for (unsigned b = a + 1; b < intras.size(); ++b) {
      PlanFlag &x = flags[intras[a]], &y = flags[intras[b]];
      Section &sx = x.sections[0];
      const Section &sy = y.sections[0];
      if (sx.blk != sy.blk || !intraOverlap(interval(x, sx), interval(y, sy)))
        continue;
      sx.setGap = std::max(sx.setGap, sy.setGap);
      sx.waitGap = std::min(sx.waitGap, sy.waitGap);
      x.resources.insert(y.resources.begin(), y.resources.end());
      y.alive = false;
      return true;
    }
  return false;
}

//===--- IR ---------------------------------------------------------------===//

static void emitBlock(const Seq &b, const Plan &plan, OpBuilder &builder) {
  for (unsigned g = 0; g < b.gaps.size(); ++g) {
    Operation *prev = g > 0 ? b.nodes[g - 1]->op : nullptr;
    Operation *next = g < b.nodes.size() ? b.nodes[g]->op : nullptr;
    Operation *lastSet = nullptr;
    for (const GapOp &op : b.gaps[g]) {
      if (op.candidate < 0)
        continue;
      const PlanFlag &f = plan.flags[op.candidate];
      if (op.kind == GapKind::Set) {
        if (lastSet)
          builder.setInsertionPointAfter(lastSet);
        else if (prev)
          builder.setInsertionPointAfter(prev);
        else
          builder.setInsertionPointToStart(b.ir);
      } else if (next) {
        builder.setInsertionPoint(next);
      } else {
        builder.setInsertionPoint(b.ir->getTerminator());
      }
      Location loc = (op.kind == GapKind::Set ? prev : next)
                         ? (op.kind == GapKind::Set ? prev : next)->getLoc()
                         : b.ir->getParentOp()->getLoc();
      const char *name = op.kind == GapKind::Set    ? "npuk.i.set_flag"
                         : op.kind == GapKind::Wait ? "npuk.i.wait_flag"
                                                    : "npuk.i.barrier";
      OperationState st(loc, name);
      if (op.kind != GapKind::Barrier) {
        MLIRContext *ctx = builder.getContext();
        st.addAttribute(
            "src", aicore::PipeAttr::get(ctx, aicore::Pipe(unsigned(f.src))));
        st.addAttribute(
            "dst", aicore::PipeAttr::get(ctx, aicore::Pipe(unsigned(f.dst))));
        st.addAttribute("event", builder.getI32IntegerAttr(f.event));
      }
      Operation *created = builder.create(st);
      if (op.kind == GapKind::Set)
        lastSet = created;
    }
    if (g < b.nodes.size())
      for (auto &r : b.nodes[g]->regions)
        emitBlock(*r, plan, builder);
  }
}

void Plan::materialize(Model &m, func::FuncOp f) const {
  OpBuilder builder(f.getContext());
  emitBlock(m.root, *this, builder);
}
