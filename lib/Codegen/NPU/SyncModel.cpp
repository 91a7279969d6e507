//===- SyncModel.cpp - building and analysing the sync model --------------===//
#include "SyncModel.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include <map>

using namespace mlir;
using namespace npu;
using namespace npu::npuk;
using namespace npu::npuk::sync;

//===--- Building ---------------------------------------------------------===//

namespace {
struct ModelBuilder {
  Model &m;
  bool keepFlags;
  FmapState fmap;
  bool fmapKnown = false;
  std::map<std::tuple<unsigned, unsigned, unsigned>, unsigned> flagIds;

  unsigned flagId(isa::Pipe src, isa::Pipe dst, unsigned ev) {
    auto [it, fresh] = flagIds.try_emplace({unsigned(src), unsigned(dst), ev},
                                           unsigned(m.flagKeys.size()));
    if (fresh)
      m.flagKeys.emplace_back(src, dst, ev);
    return it->second;
  }

  Node &add(Seq &b, NodeKind kind, Operation *op) {
    b.nodes.push_back(std::make_unique<Node>());
    Node &n = *b.nodes.back();
    n.kind = kind;
    n.op = op;
    n.parent = &b;
    n.index = unsigned(b.nodes.size() - 1);
    b.gaps.emplace_back();
    return n;
  }

  LogicalResult region(Node &owner, mlir::Region &r, unsigned depth) {
    owner.regions.push_back(std::make_unique<Seq>());
    Seq &b = *owner.regions.back();
    b.owner = &owner;
    b.depth = depth;
    b.gaps.emplace_back();
    if (r.empty())
      return success();
    b.ir = &r.front();
    if (!r.hasOneBlock())
      return owner.op->emitOpError("has a region with several blocks, which "
                                   "tile kernels do not support");
    if (failed(block(b, r.front(), depth)))
      return failure();
    for (auto &n : b.nodes)
      owner.pipes |= n->pipes;
    return success();
  }

  LogicalResult inst(Seq &b, VirtInstOpInterface v) {
    isa::Opcode opc = v.getOpcode();
    auto pipeAttr = [&](StringRef name) {
      return isa::Pipe(
          unsigned(v->getAttrOfType<aicore::PipeAttr>(name).getValue()));
    };
    if (opc == isa::Opcode::SET_FLAG || opc == isa::Opcode::WAIT_FLAG) {
      if (!keepFlags)
        return v->emitOpError("is already in the kernel; npuk-insert-sync "
                              "expects a kernel without set_flag/wait_flag");
      isa::Pipe src = pipeAttr("src"), dst = pipeAttr("dst");
      unsigned ev = unsigned(v->getAttrOfType<IntegerAttr>("event").getInt());
      GapOp g{opc == isa::Opcode::SET_FLAG ? GapKind::Set : GapKind::Wait,
              flagId(src, dst, ev),
              src,
              dst,
              -1,
              v};
      b.gaps.back().push_back(g);
      return success();
    }
    if (opc == isa::Opcode::BARRIER) {
      b.gaps.back().push_back(
          {GapKind::Barrier, 0, isa::Pipe::S, isa::Pipe::S, -1, v});
      return success();
    }
    if (opc == isa::Opcode::SET_FMAP) {
      isa::Instruction i = getInstruction(v);
      fmap = {unsigned(i.f[isa::fmt::SetFmap::h]),
              unsigned(i.f[isa::fmt::SetFmap::w]),
              unsigned(i.f[isa::fmt::SetFmap::c1])};
      fmapKnown = true;
      return success();
    }
    isa::Pipe pipe = v.getInstPipe();
    if (pipe == isa::Pipe::S || opc == isa::Opcode::PIPE_BARRIER)
      return success(); // Same-pipe order needs nothing.
    SmallVector<ResolvedAccess, 4> acc;
    if (failed(resolveAccesses(v, fmap, acc)))
      return failure();
    if (acc.empty())
      return success(); // set_mask and the like touch no buffer.
    if (opc == isa::Opcode::LOAD3D && !fmapKnown)
      for (ResolvedAccess &a : acc)
        if (StringRef(a.access.what) == "src") {
          a.access.span = Span{a.base.begin, a.base.end};
          a.exact = false;
        }
    Node &n = add(b, NodeKind::Inst, v);
    n.pipe = pipe;
    n.pipes = 1u << unsigned(pipe);
    n.inst = unsigned(m.insts.size());
    m.insts.push_back({&n, acc, {}});
    return success();
  }

  LogicalResult block(Seq &b, mlir::Block &ir, unsigned depth) {
    for (Operation &op : ir) {
      if (auto v = dyn_cast<VirtInstOpInterface>(op)) {
        if (failed(inst(b, v)))
          return failure();
      } else if (auto loop = dyn_cast<scf::ForOp>(op)) {
        Node &n = add(b, NodeKind::For, loop);
        std::optional<IndexRange> lb = getIndexRange(loop.getLowerBound());
        std::optional<IndexRange> ub = getIndexRange(loop.getUpperBound());
        n.mayBeEmpty = !(lb && ub && ub->lo > lb->hi);
        if (failed(region(n, loop.getRegion(), depth + 1)))
          return failure();
        fmapKnown &= !(n.pipes & (1u << unsigned(isa::Pipe::MTE1)));
      } else if (auto branch = dyn_cast<scf::IfOp>(op)) {
        Node &n = add(b, NodeKind::If, branch);
        if (failed(region(n, branch.getThenRegion(), depth + 1)) ||
            failed(region(n, branch.getElseRegion(), depth + 1)))
          return failure();
        fmapKnown &= !(n.pipes & (1u << unsigned(isa::Pipe::MTE1)));
      } else if (op.getNumRegions()) {
        return op.emitOpError("is not supported in a tile kernel (control "
                              "flow must be scf.for and scf.if)");
      }
    }
    return success();
  }
};
} // namespace

static bool conflict(const InstInfo &x, const InstInfo &y) {
  for (const ResolvedAccess &a : x.accesses)
    for (const ResolvedAccess &b : y.accesses)
      if (a.access.buf == b.access.buf && (a.access.write || b.access.write) &&
          spansOverlap(a.access.span, b.access.span))
        return true;
  return false;
}

LogicalResult Model::build(func::FuncOp f, bool keepFlags) {
  ModelBuilder b{*this, keepFlags};
  root.gaps.emplace_back();
  if (f.getBody().empty())
    return success();
  root.ir = &f.getBody().front();
  if (!f.getBody().hasOneBlock())
    return f.emitOpError("has several blocks; tile kernels use scf");
  if (failed(b.block(root, f.getBody().front(), 0)))
    return failure();
  numFlags = unsigned(flagKeys.size());
  for (unsigned i = 0; i < insts.size(); ++i)
    for (unsigned j = i + 1; j < insts.size(); ++j)
      if (insts[i].node->pipe != insts[j].node->pipe &&
          conflict(insts[i], insts[j])) {
        insts[i].conflicts.push_back(j);
        insts[j].conflicts.push_back(i);
      }
  number();
  return success();
}

static void numberBlock(Seq &b, unsigned &clock) {
  b.gapPos.assign(b.gaps.size(), 0);
  for (unsigned g = 0; g < b.gaps.size(); ++g) {
    b.gapPos[g] = clock++;
    if (g == b.nodes.size())
      break;
    Node &n = *b.nodes[g];
    n.begin = clock++;
    for (auto &r : n.regions)
      numberBlock(*r, clock);
    n.end = clock++;
  }
}

void Model::number() {
  unsigned clock = 0;
  numberBlock(root, clock);
}

//===--- Analysis ---------------------------------------------------------===//

namespace {
struct State {
  std::array<llvm::BitVector, kPipes> cov; // Latest instance ordered.
  std::vector<char> set;
  std::vector<llvm::BitVector> snap; // What a set flag carries.
  bool operator==(const State &o) const {
    return cov == o.cov && set == o.set && snap == o.snap;
  }
};

struct Analyzer {
  const Model &m;
  bool firstOnly;
  std::vector<Issue> issues;
  std::set<std::pair<unsigned, unsigned>> races;
  std::set<std::pair<const void *, unsigned>> flagIssues;

  bool done() const { return firstOnly && !issues.empty(); }

  void flagIssue(Issue::Kind kind, unsigned flag, const GapOp *gap,
                 const Node *where) {
    const void *key = gap ? static_cast<const void *>(gap) : where;
    if (flagIssues.insert({key, flag + 1000000 * unsigned(kind)}).second)
      issues.push_back({kind, 0, 0, flag, gap, where});
  }

  State meet(const State &a, const State &b, const Node *where) {
    State r = a;
    for (unsigned p = 0; p < kPipes; ++p)
      r.cov[p] &= b.cov[p];
    for (unsigned f = 0; f < r.set.size(); ++f) {
      if (a.set[f] != b.set[f]) {
        flagIssue(Issue::Unbalanced, f, nullptr, where);
        r.set[f] = 0;
        r.snap[f].reset();
      } else if (r.set[f]) {
        r.snap[f] &= b.snap[f];
      }
    }
    return r;
  }

  void gap(const std::vector<GapOp> &ops, State &s) {
    for (const GapOp &g : ops) {
      switch (g.kind) {
      case GapKind::Set:
        if (s.set[g.flag])
          flagIssue(Issue::DoubleSet, g.flag, &g, nullptr);
        else if (!s.cov[unsigned(g.src)].test(waitBit(g.flag)))
          flagIssue(Issue::SetRace, g.flag, &g, nullptr);
        s.set[g.flag] = 1;
        s.snap[g.flag] = s.cov[unsigned(g.src)];
        break;
      case GapKind::Wait:
        if (!s.set[g.flag]) {
          flagIssue(Issue::WaitUnset, g.flag, &g, nullptr);
          break;
        }
        s.cov[unsigned(g.dst)] |= s.snap[g.flag];
        s.set[g.flag] = 0;
        s.snap[g.flag].reset();
        executed(s, waitBit(g.flag), unsigned(g.dst));
        break;
      case GapKind::Barrier:
        for (llvm::BitVector &c : s.cov)
          c.set();
        break;
      }
    }
  }

  unsigned waitBit(unsigned flag) const {
    return unsigned(m.insts.size()) + flag;
  }

  /// A new instance of `bit` ran on pipe p: only p knows it so far.
  void executed(State &s, unsigned bit, unsigned p) {
    for (unsigned q = 0; q < kPipes; ++q)
      if (q != p)
        s.cov[q].reset(bit);
    s.cov[p].set(bit);
    for (unsigned f = 0; f < s.set.size(); ++f)
      if (s.set[f])
        s.snap[f].reset(bit);
  }

  void inst(const Node &n, State &s) {
    const InstInfo &info = m.insts[n.inst];
    unsigned p = unsigned(n.pipe);
    for (unsigned j : info.conflicts)
      if (!s.cov[p].test(j) && races.insert({n.inst, j}).second)
        issues.push_back({Issue::Race, n.inst, j});
    executed(s, n.inst, p);
  }

  void loop(const Node &n, State &s) {
    State in = s, head = s;
    for (unsigned iter = 0; iter < 64 && !done(); ++iter) {
      State out = head;
      block(*n.regions[0], out);
      State next = meet(in, out, &n);
      if (next == head) {
        s = n.mayBeEmpty ? next : out;
        return;
      }
      head = next;
    }
    s = head;
  }

  void block(const Seq &b, State &s) {
    for (unsigned g = 0; g < b.gaps.size() && !done(); ++g) {
      gap(b.gaps[g], s);
      if (g == b.nodes.size())
        break;
      const Node &n = *b.nodes[g];
      if (n.kind == NodeKind::Inst) {
        inst(n, s);
      } else if (n.kind == NodeKind::For) {
        loop(n, s);
      } else {
        State other = s;
        block(*n.regions[0], s);
        block(*n.regions[1], other);
        s = meet(s, other, &n);
      }
    }
  }
};
} // namespace

std::vector<Issue> npu::npuk::sync::analyze(const Model &m, bool firstOnly) {
  Analyzer a{m, firstOnly, {}, {}, {}};
  State s;
  unsigned bits = unsigned(m.insts.size()) + m.numFlags;
  for (llvm::BitVector &c : s.cov)
    c.resize(bits, true);
  s.set.assign(m.numFlags, 0);
  s.snap.assign(m.numFlags, llvm::BitVector(bits));
  a.block(m.root, s);
  for (unsigned f = 0; f < m.numFlags && !a.done(); ++f)
    if (s.set[f])
      a.issues.push_back({Issue::LeftSet, 0, 0, f});
  return a.issues;
}
