//===- Machine.cpp - Machine setup: programs, core allocation, launch reset
//===//
#include "Machine.h"

using namespace llvm;

namespace npu::sim::detail {

void Machine::configure(const Config &c, const SimOptions &o,
                        uint64_t gmBytes) {
  cfg = c;
  opts = o;
  gm.assign(gmBytes, 0);
  l2.init(cfg.l2Size, cfg.l2LineBytes, gmBytes);
}

Error Machine::checkProgram(const isa::Program &p, const Config &cfg) {
  for (size_t pc = 0; pc < p.code.size(); ++pc) {
    const isa::Instruction &inst = p.code[pc];
    if (inst.info().format == isa::Format::Flag &&
        inst.f[isa::fmt::Flag::event] >= cfg.events)
      return createStringError(
          inconvertibleErrorCode(),
          "pc " + Twine(pc) + " '" + isa::printInstruction(inst) + "': event " +
              Twine(inst.f[isa::fmt::Flag::event]) + " out of range (config '" +
              cfg.name + "' has " + Twine(cfg.events) + " events)");
  }
  return Error::success();
}

uint64_t Machine::bytesPerCore(const Config &cfg) {
  return cfg.l1Size + cfg.l0aSize + cfg.l0bSize + cfg.l0cSize + cfg.ubSize +
         uint64_t(kPipes) * cfg.queueDepth * sizeof(Entry);
}

void Machine::loadProgram(const isa::Program &p) {
  prog = &p;
  decode();
}

void Core::allocate(unsigned coreId, const Config &cfg) {
  id = coreId;
  for (Queue &x : q)
    x.init(cfg.queueDepth);
  flags.resize(kPipes * kPipes * 16);
  mem[unsigned(Buffer::L1)].assign(cfg.l1Size, 0);
  mem[unsigned(Buffer::L0A)].assign(cfg.l0aSize, 0);
  mem[unsigned(Buffer::L0B)].assign(cfg.l0bSize, 0);
  mem[unsigned(Buffer::L0C)].assign(cfg.l0cSize, 0);
  mem[unsigned(Buffer::UB)].assign(cfg.ubSize, 0);
}

void Core::reset() {
  regs = {};
  pc = 0;
  sTime = 0;
  ended = false;
  for (Queue &x : q)
    x.clear();
  pipeFree = {};
  pipeDone = {};
  lastPop = {};
  prefetchDone = 0;
  std::fill(flags.begin(), flags.end(), FlagState{});
  maskHi = maskLo = ~0ull;
  fmap = {};
  vc = {};
  for (AccessLog &log : records) {
    log.recs.clear();
    log.maxLen = 0;
    log.insertsSincePrune = 0;
  }
  stats = {};
}

void Machine::allocateCores(unsigned n) {
  for (unsigned i = unsigned(cores.size()); i < n; ++i)
    cores.emplace_back().allocate(i, cfg);
}

void Machine::resetForLaunch(unsigned n) {
  numCores = n;
  for (Core &c : active())
    c.reset();
  gmArbiter.init(cfg.gmBandwidth, cfg.gmBinCycles);
  l2Arbiter.init(cfg.l2Bandwidth, cfg.gmBinCycles);
  l2.newLaunch();
  for (unsigned w = 0; w < 2; ++w) {
    gmLog[w].clear();
    gmLogMaxLen[w] = 0;
  }
  traceTruncated = false;
  warnings.clear();
}

} // namespace npu::sim::detail
