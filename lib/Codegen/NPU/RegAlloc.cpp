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

std::variant<std::vector<unsigned>, AllocFailure>
npu::npuk::mc::allocateRegisters(const Program &p) {
  const unsigned n = unsigned(p.code.size()), regs = p.numRegs;
  std::vector<int> labelAt(p.numLabels, -1);
  for (unsigned i = 0; i < n; ++i)
    for (int l : p.code[i].labels)
      labelAt[l] = int(i);
  std::vector<llvm::SmallVector<int, 4>> uses(n);
  std::vector<llvm::SmallVector<unsigned, 2>> succ(n);
  for (unsigned i = 0; i < n; ++i) {
    const MInst &mi = p.code[i];
    uses[i] = mi.uses();
    if (!mi.isUncond() && i + 1 < n)
      succ[i].push_back(i + 1);
    if (mi.isJump()) {
      const isa::OperandSpec *specs =
          isa::formatOperands(isa::opcodeInfo(mi.opc).format);
      for (unsigned k = 0; specs[k].kind != isa::OperandKind::End; ++k)
        if (mi.f[k].kind == Field::Target && labelAt[mi.f[k].target] >= 0)
          succ[i].push_back(unsigned(labelAt[mi.f[k].target]));
    }
  }
  // liveOut[i] = union of liveIn[s]; liveIn[i] = uses + (liveOut - def).
  std::vector<llvm::BitVector> liveIn(n, llvm::BitVector(regs)),
      liveOut(n, llvm::BitVector(regs));
  for (bool changed = true; changed;) {
    changed = false;
    for (unsigned i = n; i-- > 0;) {
      llvm::BitVector out(regs);
      for (unsigned s : succ[i])
        out |= liveIn[s];
      llvm::BitVector in = out;
      if (p.code[i].def > 0)
        in.reset(unsigned(p.code[i].def));
      for (int u : uses[i])
        in.set(unsigned(u));
      if (in != liveIn[i] || out != liveOut[i]) {
        liveIn[i] = std::move(in);
        liveOut[i] = std::move(out);
        changed = true;
      }
    }
  }
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
