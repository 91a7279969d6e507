//===- RegAlloc.cpp - linear-scan allocation of x1..x31 -------------------===//
//
// Liveness by backward dataflow over the instruction list (branches and
// fall-through), so an interval covers a whole loop when its value lives
// across the back edge; then linear scan over the intervals. Constants are
// rematerialized by the caller (a second lowering), never spilled: the NPU
// has no spill memory.
//===----------------------------------------------------------------------===//
#include "MachineProgram.h"

#include "llvm/ADT/BitVector.h"

using namespace npu::npuk::mc;

static constexpr unsigned kRegs = 31; // x1..x31

namespace {
/// Per instruction: the registers it reads and those live after it.
struct Liveness {
  std::vector<llvm::SmallVector<int, 4>> uses;
  std::vector<llvm::BitVector> liveOut;
};
} // namespace

static Liveness liveness(const Program &p) {
  const unsigned n = unsigned(p.code.size()), regs = p.numRegs;
  std::vector<int> labelAt(p.numLabels, -1);
  for (unsigned i = 0; i < n; ++i)
    for (int l : p.code[i].labels)
      labelAt[l] = int(i);
  Liveness lv;
  lv.uses.resize(n);
  std::vector<llvm::SmallVector<unsigned, 2>> succ(n);
  for (unsigned i = 0; i < n; ++i) {
    const MInst &mi = p.code[i];
    lv.uses[i] = mi.uses();
    if (!mi.isUncond() && i + 1 < n)
      succ[i].push_back(i + 1);
    if (mi.isJump())
      for (const Field &f : mi.f)
        if (f.kind == Field::Target && labelAt[f.target] >= 0)
          succ[i].push_back(unsigned(labelAt[f.target]));
  }
  // liveOut[i] = union of liveIn[s]; liveIn[i] = uses + (liveOut - def).
  std::vector<llvm::BitVector> liveIn(n, llvm::BitVector(regs));
  lv.liveOut.assign(n, llvm::BitVector(regs));
  for (bool changed = true; changed;) {
    changed = false;
    for (unsigned i = n; i-- > 0;) {
      llvm::BitVector out(regs);
      for (unsigned s : succ[i])
        out |= liveIn[s];
      llvm::BitVector in = out;
      if (p.code[i].def > 0)
        in.reset(unsigned(p.code[i].def));
      for (int u : lv.uses[i])
        in.set(unsigned(u));
      if (in != liveIn[i] || out != lv.liveOut[i]) {
        liveIn[i] = std::move(in);
        lv.liveOut[i] = std::move(out);
        changed = true;
      }
    }
  }
  return lv;
}

/// Scalar instructions whose only effect is their result register.
static bool isPure(npu::isa::Opcode opc) {
  using npu::isa::Opcode;
  return (opc >= Opcode::LI && opc <= Opcode::SHRI) || opc == Opcode::COREID ||
         opc == Opcode::CORENUM;
}

void npu::npuk::mc::removeDeadCode(Program &p) {
  for (bool changed = true; changed;) {
    changed = false;
    Liveness lv = liveness(p);
    std::vector<MInst> kept;
    std::vector<int> labels;
    for (unsigned i = 0; i < p.code.size(); ++i) {
      MInst &mi = p.code[i];
      if (isPure(mi.opc) && mi.def > 0 &&
          !lv.liveOut[i].test(unsigned(mi.def))) {
        labels.insert(labels.end(), mi.labels.begin(), mi.labels.end());
        changed = true;
        continue;
      }
      mi.labels.insert(mi.labels.begin(), labels.begin(), labels.end());
      labels.clear();
      kept.push_back(std::move(mi));
    }
    p.code = std::move(kept);
  }
}

void npu::npuk::mc::coalesceCopies(Program &p) {
  std::vector<unsigned> uses(p.numRegs, 0), defs(p.numRegs, 0);
  for (const MInst &mi : p.code) {
    for (int u : mi.uses())
      ++uses[u];
    if (mi.def > 0)
      ++defs[mi.def];
  }
  // `t = op ...; [nothing touching a] mov a, t` with t used once becomes
  // `a = op ...` (an instruction reads its operands before it writes).
  std::vector<bool> drop(p.code.size(), false);
  for (unsigned i = 0; i < p.code.size(); ++i) {
    MInst &mov = p.code[i];
    if (mov.opc != isa::Opcode::MOV || !mov.labels.empty())
      continue;
    int a = mov.def, t = mov.f[1].reg;
    if (t <= 0 || uses[t] != 1 || defs[t] != 1 || a == t)
      continue;
    for (unsigned j = i; j-- > 0;) {
      MInst &d = p.code[j];
      if (d.def == t) {
        d.def = a;
        d.f[0].reg = a;
        drop[i] = true;
        break;
      }
      auto u = d.uses();
      if (d.def == a || llvm::is_contained(u, a) || llvm::is_contained(u, t) ||
          !d.labels.empty() || d.isJump() || d.isUncond())
        break;
    }
  }
  std::vector<MInst> kept;
  for (unsigned i = 0; i < p.code.size(); ++i)
    if (!drop[i])
      kept.push_back(std::move(p.code[i]));
  p.code = std::move(kept);
}

std::variant<std::vector<unsigned>, AllocFailure>
npu::npuk::mc::allocateRegisters(const Program &p) {
  const unsigned n = unsigned(p.code.size()), regs = p.numRegs;
  Liveness lv = liveness(p);
  const auto &uses = lv.uses;
  const auto &liveOut = lv.liveOut;
  // Intervals in half-steps: 2i reads, 2i+1 writes, live-out spans to 2i+2.
  std::vector<std::pair<unsigned, unsigned>> iv(regs, {~0u, 0});
  auto extend = [&](unsigned r, unsigned pos) {
    iv[r].first = std::min(iv[r].first, pos);
    iv[r].second = std::max(iv[r].second, pos);
  };
  for (unsigned i = 0; i < n; ++i) {
    for (int u : uses[i])
      extend(unsigned(u), 2 * i);
    if (p.code[i].def >= 0)
      extend(unsigned(p.code[i].def), 2 * i + 1);
    for (unsigned r : liveOut[i].set_bits()) {
      extend(r, 2 * i + 1);
      extend(r, 2 * i + 2);
    }
  }
  std::vector<unsigned> order;
  for (unsigned r = 1; r < regs; ++r)
    if (iv[r].first != ~0u)
      order.push_back(r);
  llvm::stable_sort(
      order, [&](unsigned a, unsigned b) { return iv[a].first < iv[b].first; });
  std::vector<unsigned> phys(regs, 0);
  std::vector<unsigned> active; // Registers whose intervals are open.
  std::array<bool, kRegs + 1> busy{};
  for (unsigned r : order) {
    llvm::erase_if(active, [&](unsigned a) {
      if (iv[a].second >= iv[r].first)
        return false;
      busy[phys[a]] = false;
      return true;
    });
    unsigned x = 1;
    while (x <= kRegs && busy[x])
      ++x;
    if (x > kRegs)
      return AllocFailure{iv[r].first / 2, unsigned(active.size()) + 1};
    busy[x] = true;
    phys[r] = x;
    active.push_back(r);
  }
  return phys;
}
