//===- Engine.cpp - Event-driven issue, queues, flags, barriers, deadlock -===//
//
// Each core has a scalar unit that issues in program order into per-pipe
// FIFOs. Every queue head has an earliest start time; the engine always
// executes the unit with the smallest one (pipes before the scalar unit on
// ties), so simulated time never goes backwards and GM bandwidth is handed out
// in start order across cores.
//===----------------------------------------------------------------------===//
#include "Machine.h"
#include "llvm/ADT/bit.h"
#include "llvm/Support/Compiler.h"
#include "llvm/Support/FormatVariadic.h"
#include <chrono>
#include <cstring>
#include <queue>

using namespace llvm;

namespace npu::sim::detail {

Error Machine::instError(const Core &c, unsigned pipe, uint32_t pc,
                         const Twine &msg) const {
  std::string text = pc < prog->code.size()
                         ? isa::printInstruction(prog->code[pc])
                         : std::string("<end of program>");
  return createStringError(inconvertibleErrorCode(),
                           "core " + Twine(c.id) + ", pipe " +
                               isa::pipeName(Pipe(pipe)) + ", pc " + Twine(pc) +
                               " '" + text + "': " + msg);
}

static FlagState &flagOf(Machine &m, Core &c, const Instruction &inst) {
  unsigned src = unsigned(inst.f[isa::fmt::Flag::src]);
  unsigned dst = unsigned(inst.f[isa::fmt::Flag::dst]);
  unsigned ev = unsigned(inst.f[isa::fmt::Flag::event]);
  return c.flags[(src * kPipes + dst) * 16 + ev];
}

void Machine::decode() {
  dec.resize(prog->code.size());
  for (size_t pc = 0; pc < prog->code.size(); ++pc) {
    const Instruction &inst = prog->code[pc];
    isa::Format f = inst.info().format;
    Decoded &d = dec[pc];
    d = {isa::formatOperands(f), f, inst.op, uint8_t(inst.pipe()), 0, 0};
    static_assert(isa::kMaxOperands <= 16, "operand masks are 16 bits");
    for (unsigned i = 0; d.ops[i].kind != isa::OperandKind::End; ++i) {
      if (isa::isAddress(d.ops[i].kind))
        d.addrMask |= uint16_t(1u << i);
      else if (d.ops[i].kind == isa::OperandKind::Reg)
        d.regMask |= uint16_t(1u << i);
    }
  }
}

/// Earliest time unit p (0 = the scalar unit) can start its next
/// instruction, or kNever if it cannot start until something else runs.
/// Always inlined: step() calls it for every unit on every step.
LLVM_ATTRIBUTE_ALWAYS_INLINE uint64_t Machine::candidate(Core &c, unsigned p) {
  if (p == 0) {
    if (c.ended || c.pc >= prog->code.size())
      return c.ended ? kNever : c.sTime;
    const Decoded &d = dec[c.pc];
    if (d.op == Opcode::BARRIER || d.op == Opcode::END) {
      uint64_t t = c.sTime;
      for (unsigned q = 1; q < kPipes; ++q) {
        if (!c.q[q].empty())
          return kNever;
        t = std::max({t, c.pipeDone[q], c.pipeFree[q]});
      }
      // A kernel ends once its prefetches have landed: the next launch
      // must not see lines that were still in flight.
      return d.op == Opcode::END ? std::max(t, c.prefetchDone) : t;
    }
    unsigned tp = d.pipe;
    if (tp == 0)
      return c.sTime;
    if (c.q[tp].full())
      return kNever;
    return std::max(c.sTime, c.lastPop[tp]);
  }
  Queue &q = c.q[p];
  if (q.empty())
    return kNever;
  Entry &e = q.front();
  uint64_t t = std::max(e.issue, c.pipeFree[p]);
  Opcode op = dec[e.pc].op;
  if (op == Opcode::WAIT_FLAG) {
    FlagState &f = flagOf(*this, c, prog->code[e.pc]);
    if (!f.set)
      return kNever;
    t = std::max(t, f.time);
  } else if (op == Opcode::PIPE_BARRIER) {
    t = std::max(t, c.pipeDone[p]);
  }
  return t;
}

Error Machine::issueScalar(Core &c, uint64_t t) {
  if (c.pc >= prog->code.size())
    return instError(c, 0, c.pc, "execution ran past the last instruction "
                                 "(missing 'end')");
  if (++c.stats.instructions > opts.maxInstructions)
    return instError(c, 0, c.pc,
                     "instruction limit " + Twine(opts.maxInstructions) +
                         " exceeded (runaway loop?)");
  const Instruction &inst = prog->code[c.pc];
  const unsigned sc = cfg.scalarCycles;
  c.stats.pipes[0].busy += sc;
  c.stats.pipes[0].count++;
  using namespace isa::fmt;
  auto &r = c.regs;
  auto set = [&](uint64_t reg, uint64_t v) {
    if (reg != 0)
      r[reg] = v;
  };
  uint32_t next = c.pc + 1;
  switch (inst.op) {
  case Opcode::BARRIER:
  case Opcode::END: {
    VClock all{};
    for (unsigned q = 1; q < kPipes; ++q) {
      join(all, c.vc[q]);
      c.pipeFree[q] = std::max(c.pipeFree[q], t);
    }
    for (unsigned q = 1; q < kPipes; ++q)
      join(c.vc[q], all);
    if (inst.op == Opcode::END) {
      c.ended = true;
      c.sTime = t;
      c.stats.cycles = t;
      return Error::success();
    }
    break;
  }
  case Opcode::NOP:
    break;
  case Opcode::LI:
    set(inst.f[RI64::d], inst.f[RI64::imm]);
    break;
  case Opcode::MOV:
    set(inst.f[RR::d], r[inst.f[RR::a]]);
    break;
  case Opcode::ADD:
    set(inst.f[RRR::d], r[inst.f[RRR::a]] + r[inst.f[RRR::b]]);
    break;
  case Opcode::SUB:
    set(inst.f[RRR::d], r[inst.f[RRR::a]] - r[inst.f[RRR::b]]);
    break;
  case Opcode::MUL:
    set(inst.f[RRR::d], r[inst.f[RRR::a]] * r[inst.f[RRR::b]]);
    break;
  case Opcode::AND:
    set(inst.f[RRR::d], r[inst.f[RRR::a]] & r[inst.f[RRR::b]]);
    break;
  case Opcode::OR:
    set(inst.f[RRR::d], r[inst.f[RRR::a]] | r[inst.f[RRR::b]]);
    break;
  case Opcode::DIVU: { // x / 0 = all ones, x % 0 = x (as in RISC-V).
    uint64_t a = r[inst.f[RRR::a]], b = r[inst.f[RRR::b]];
    set(inst.f[RRR::d], b ? a / b : ~0ull);
    break;
  }
  case Opcode::REMU: {
    uint64_t a = r[inst.f[RRR::a]], b = r[inst.f[RRR::b]];
    set(inst.f[RRR::d], b ? a % b : a);
    break;
  }
  case Opcode::ADDI:
    set(inst.f[RRI::d], r[inst.f[RRI::a]] + uint64_t(inst.simm(RRI::imm)));
    break;
  case Opcode::MULI:
    set(inst.f[RRI::d], r[inst.f[RRI::a]] * uint64_t(inst.simm(RRI::imm)));
    break;
  case Opcode::ANDI:
    set(inst.f[RRI::d], r[inst.f[RRI::a]] & uint64_t(inst.simm(RRI::imm)));
    break;
  case Opcode::SHLI:
    set(inst.f[RRI::d], r[inst.f[RRI::a]] << (inst.simm(RRI::imm) & 63));
    break;
  case Opcode::SHRI:
    set(inst.f[RRI::d], r[inst.f[RRI::a]] >> (inst.simm(RRI::imm) & 63));
    break;
  case Opcode::COREID:
    set(inst.f[R::d], c.id);
    break;
  case Opcode::CORENUM:
    set(inst.f[R::d], numCores);
    break;
  case Opcode::BEQ:
  case Opcode::BNE:
  case Opcode::BLT:
  case Opcode::BGE: {
    int64_t a = int64_t(r[inst.f[Branch::a]]), b = int64_t(r[inst.f[Branch::b]]);
    bool taken = inst.op == Opcode::BEQ   ? a == b
                 : inst.op == Opcode::BNE ? a != b
                 : inst.op == Opcode::BLT ? a < b
                                          : a >= b;
    if (taken)
      next = uint32_t(inst.f[Branch::target]);
    break;
  }
  case Opcode::J:
    next = uint32_t(inst.f[Jump::target]);
    break;
  default: {
    // A pipe instruction: resolve registers and enqueue.
    const Decoded &d = dec[c.pc];
    Entry &e = c.q[d.pipe].push();
    e.pc = c.pc;
    e.issue = t + sc;
    // Whole array (a fixed-size copy, inlined); unused slots are never read.
    static_assert(sizeof(e.v) == sizeof(inst.f), "operand arrays differ");
    std::memcpy(e.v, inst.f.data(), sizeof(e.v));
    for (unsigned m = d.addrMask; m; m &= m - 1) {
      unsigned i = unsigned(llvm::countr_zero(m));
      e.v[i] = r[inst.addrReg(i)] + inst.addrOff(i);
    }
    for (unsigned m = d.regMask; m; m &= m - 1) {
      unsigned i = unsigned(llvm::countr_zero(m));
      e.v[i] = r[inst.f[i]];
    }
    break;
  }
  }
  c.sTime = t + sc;
  c.pc = next;
  return Error::success();
}

Error Machine::execHead(Core &c, unsigned p, uint64_t t) {
  // The slot stays intact until the next push, which only issueScalar does.
  const Entry &e = c.q[p].front();
  c.q[p].pop();
  c.lastPop[p] = t;
  const Instruction &inst = prog->code[e.pc];
  PipeStats &ps = c.stats.pipes[p];
  ps.count++;
  switch (inst.op) {
  case Opcode::WAIT_FLAG: {
    FlagState &f = flagOf(*this, c, inst);
    f.set = false;
    join(c.vc[p], f.vc);
    c.pipeFree[p] = t;
    return Error::success();
  }
  case Opcode::SET_FLAG: {
    FlagState &f = flagOf(*this, c, inst);
    if (f.set)
      return instError(c, p, e.pc,
                       "flag already set by pc " + Twine(f.setPc) +
                           " and not yet consumed by a wait_flag");
    f.set = true;
    f.time = std::max(t, c.pipeDone[p]);
    f.setPc = e.pc;
    f.vc = c.vc[p];
    c.pipeFree[p] = t;
    return Error::success();
  }
  case Opcode::PIPE_BARRIER:
    c.pipeFree[p] = std::max(t, c.pipeDone[p]);
    return Error::success();
  case Opcode::SET_MASK:
    c.maskHi = e.v[isa::fmt::Mask::hi];
    c.maskLo = e.v[isa::fmt::Mask::lo];
    c.pipeFree[p] = t + 1;
    c.pipeDone[p] = std::max(c.pipeDone[p], t + 1);
    ps.busy += 1;
    return Error::success();
  case Opcode::SET_FMAP: {
    using namespace isa::fmt;
    c.fmap = {unsigned(e.v[SetFmap::h]),      unsigned(e.v[SetFmap::w]),
              unsigned(e.v[SetFmap::c1]),     unsigned(e.v[SetFmap::padtop]),
              unsigned(e.v[SetFmap::padbottom]),
              unsigned(e.v[SetFmap::padleft]), unsigned(e.v[SetFmap::padright])};
    c.pipeFree[p] = t + 1;
    c.pipeDone[p] = std::max(c.pipeDone[p], t + 1);
    ps.busy += 1;
    return Error::success();
  }
  default:
    break;
  }
  AccessList acc;
  isa::footprint(inst, e.v, c.fmap, acc);
  const bool pf = inst.op == Opcode::PREFETCH;
  if (Error err = checkAccesses(c, p, e, acc, /*record=*/!pf))
    return err;
  if (opts.functional && !pf) {
    switch (Pipe(p)) {
    case Pipe::M:
      execCube(c, inst, e);
      break;
    case Pipe::V:
      if (inst.op == Opcode::COPY_UB_UB)
        execDMA(c, inst, e);
      else
        execVector(c, inst, e);
      break;
    case Pipe::FIX:
      execFix(c, inst, e);
      break;
    default:
      execDMA(c, inst, e);
      break;
    }
  }
  Timing tm = pf ? prefetch(c, t, acc.a[0].span) : cost(c, inst, e, t, acc);
  c.pipeFree[p] = t + tm.occupancy;
  c.pipeDone[p] = std::max(c.pipeDone[p], tm.done);
  ps.busy += tm.occupancy;
  if (opts.recordTrace) {
    if (trace.size() < opts.traceLimit)
      trace.push_back({c.id, e.pc, traceOffset + t,
                       traceOffset + t + tm.occupancy, uint8_t(p),
                       launchIndex});
    else
      traceTruncated = true;
  }
  return Error::success();
}

Error Machine::deadlock(Core &c) {
  std::string others;
  unsigned firstPipe = 0;
  uint32_t firstPc = 0;
  for (unsigned p = 1; p < kPipes; ++p) {
    if (c.q[p].empty())
      continue;
    uint32_t pc = c.q[p].front().pc;
    if (!firstPipe) {
      firstPipe = p;
      firstPc = pc;
      continue;
    }
    others +=
        formatv("; pipe {0} waits at pc {1} '{2}'", isa::pipeName(Pipe(p)), pc,
                isa::printInstruction(prog->code[pc]))
            .str();
  }
  if (!c.ended && c.pc < prog->code.size())
    others += formatv("; scalar unit stalled at pc {0} '{1}'", c.pc,
                      isa::printInstruction(prog->code[c.pc]))
                  .str();
  if (!firstPipe)
    return instError(c, 0, c.pc, "deadlock: nothing can run" + others);
  return instError(c, firstPipe, firstPc,
                   "deadlock: every queue is waiting on a flag that can "
                   "never be set" +
                       others);
}

/// Execute the earliest-startable unit of a core if it starts no later
/// than `limit`; otherwise report when it would start.
Error Machine::step(Core &c, uint64_t limit, StepResult &out) {
  unsigned best = kPipes;
  uint64_t bestT = ~0ull;
  // kNever never beats the initial bestT, so "cannot start" is never chosen.
  for (unsigned p = 1; p < kPipes; ++p) {
    if (c.q[p].empty())
      continue;
    if (uint64_t t = candidate(c, p); t < bestT)
      bestT = t, best = p;
  }
  if (uint64_t t = candidate(c, 0); t < bestT)
    bestT = t, best = 0;
  if (best == kPipes) {
    out = StepResult::Stuck;
    return Error::success();
  }
  if (bestT > limit) {
    out = StepResult::Later;
    laterTime = bestT;
    return Error::success();
  }
  out = StepResult::Ran;
  return best == 0 ? issueScalar(c, bestT) : execHead(c, best, bestT);
}

Error Machine::run(SimResult &res) {
  auto t0 = std::chrono::steady_clock::now();
  using Item = std::pair<uint64_t, unsigned>;
  std::priority_queue<Item, std::vector<Item>, std::greater<Item>> heap;
  for (Core &c : active())
    heap.push({0, c.id});
  while (!heap.empty()) {
    unsigned id = heap.top().second;
    heap.pop();
    Core &c = cores[id];
    uint64_t limit = heap.empty() ? ~0ull : heap.top().first;
    while (!c.ended) {
      StepResult st;
      if (Error e = step(c, limit, st))
        return e;
      if (st == StepResult::Stuck)
        return deadlock(c);
      if (st == StepResult::Later) {
        heap.push({laterTime, id});
        break;
      }
    }
  }
  res.hostSeconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
          .count();
  for (Core &c : active()) {
    res.totalCycles = std::max(res.totalCycles, c.stats.cycles);
    res.cores.push_back(c.stats);
    for (unsigned i = 0; i < c.flags.size(); ++i) {
      if (!c.flags[i].set)
        continue;
      Pipe src = Pipe(i / 16 / kPipes), dst = Pipe(i / 16 % kPipes);
      if (leftoverFlagsAreErrors)
        return instError(c, unsigned(src), c.flags[i].setPc,
                         formatv("flag {0}->{1} event {2} is still set at "
                                 "'end' (never waited on)",
                                 isa::pipeName(src), isa::pipeName(dst), i % 16)
                             .str());
      warnings.push_back(
          formatv("core {0}: flag {1}->{2} event {3} set at pc {4} was never "
                  "waited on",
                  c.id, isa::pipeName(src), isa::pipeName(dst), i % 16,
                  c.flags[i].setPc)
              .str());
    }
  }
  res.functional = opts.functional;
  res.traceTruncated = traceTruncated;
  res.warnings = warnings;
  return Error::success();
}

} // namespace npu::sim::detail
