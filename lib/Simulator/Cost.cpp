//===- Cost.cpp - Per-instruction timing and the shared GM bandwidth model ===//
//
// Every formula here is listed in docs/isa.md ("Timing"). An instruction
// occupies its pipe for `occupancy` cycles (the next instruction of the pipe
// may start after that); its results are complete at `done`, which for GM
// transfers also includes the GM latency. set_flag and pipe_barrier wait
// for `done` of all earlier work of their pipe.
//===----------------------------------------------------------------------===//
#include "Machine.h"
#include <cmath>

namespace npu::sim::detail {

using namespace isa::fmt;

void BandwidthArbiter::init(double bytesPerCycle, unsigned binCycles) {
  perCycle = bytesPerCycle;
  bin = binCycles;
  used.clear();
  firstBin = 0;
}

uint64_t BandwidthArbiter::reserve(uint64_t start, double bytes, double port) {
  // Reservations arrive in start order, so bins before `start` are final.
  uint64_t b0 = start / bin;
  while (!used.empty() && firstBin < b0) {
    used.pop_front();
    ++firstBin;
  }
  if (used.empty())
    firstBin = b0;
  if (start < firstBin * bin) // Never expected; keeps the arithmetic sane.
    start = firstBin * bin;
  const double cap = perCycle * bin;
  double t = double(start), left = bytes;
  while (left > 0) {
    uint64_t b = uint64_t(t) / bin;
    size_t idx = size_t(b - firstBin);
    while (used.size() <= idx)
      used.push_back(0);
    double binEnd = double((b + 1) * bin);
    double span = binEnd - t;
    double rate = std::min(port, std::max(0.0, cap - used[idx]) / span);
    if (rate <= 1e-12) {
      t = binEnd;
      continue;
    }
    double can = rate * span;
    if (can >= left) {
      used[idx] += left;
      t += left / rate;
      break;
    }
    used[idx] += can;
    left -= can;
    t = binEnd;
  }
  return uint64_t(std::ceil(t - 1e-9));
}

Machine::Timing Machine::prefetch(Core &c, uint64_t start, const Span &span) {
  if (!l2.enabled())
    return {1, start + 1};
  L2Cache::Traffic t;
  l2.read(span, t); // Allocates the missing sectors; all lines become MRU.
  uint64_t end = start + 1;
  if (t.writeback)
    end = std::max(
        end, gmArbiter.reserve(start, double(t.writeback), cfg.gmBandwidth));
  // The fill comes from HBM; the L2 arbiter counts what the L2 delivers to
  // cores, which the later read of these lines pays.
  if (t.miss)
    end =
        std::max(end, gmArbiter.reserve(start, double(t.miss), cfg.gmReadPort));
  c.stats.l2PrefetchBytes += t.miss;
  c.stats.l2WritebackBytes += t.writeback;
  uint64_t done = t.miss || t.writeback ? end + cfg.gmLatency : start + 1;
  if (t.miss)
    l2.setFillTime(done);
  c.prefetchDone = std::max(c.prefetchDone, done);
  return {1, start + 1};
}

static uint64_t ceilDiv(uint64_t a, uint64_t b) { return (a + b - 1) / b; }

Machine::Timing Machine::gmTransfer(Core &c, uint64_t start, double bytes,
                                    bool read, const Span &span) {
  const double port = read ? cfg.gmReadPort : cfg.gmWritePort;
  (read ? c.stats.gmReadBytes : c.stats.gmWriteBytes) += uint64_t(bytes);
  if (!l2.enabled()) {
    uint64_t end = gmArbiter.reserve(start, bytes, port);
    uint64_t occ = std::max<uint64_t>(1, end - start);
    return {occ, start + occ + cfg.gmLatency};
  }
  // Every byte crosses the L2 (hits and fills alike) at the port rate;
  // fetched bytes also cross HBM, and so do the dirty lines the transfer
  // evicts (written back first, at whatever HBM bandwidth is left).
  L2Cache::Traffic t;
  read ? l2.read(span, t) : l2.write(span, t);
  // The footprint can differ from the bytes the cost formula moves (FIX's
  // NZ padding): split `bytes` in the footprint's hit/miss proportion.
  uint64_t foot = t.hit + t.miss;
  double miss = read && foot ? bytes * double(t.miss) / double(foot) : 0;
  uint64_t end = l2Arbiter.reserve(start, bytes, port);
  if (t.writeback)
    end = std::max(
        end, gmArbiter.reserve(start, double(t.writeback), cfg.gmBandwidth));
  if (miss > 0)
    end = std::max(end, gmArbiter.reserve(start, miss, port));
  if (read) {
    c.stats.l2MissBytes += uint64_t(std::llround(miss));
    c.stats.l2HitBytes += uint64_t(bytes) - uint64_t(std::llround(miss));
  }
  c.stats.l2WritebackBytes += t.writeback;
  uint64_t occ = std::max<uint64_t>(1, end - start);
  bool hbm = miss > 0 || t.writeback;
  // Data of a line another transfer is still fetching arrives with it.
  uint64_t done =
      std::max(start + occ + (hbm ? cfg.gmLatency : cfg.l2Latency), t.ready);
  if (read && miss > 0)
    l2.setFillTime(done);
  return {occ, done};
}

Machine::Timing Machine::cost(Core &c, const Instruction &inst, const Entry &e,
                              uint64_t start, const AccessList &acc) {
  const uint64_t *v = e.v;
  auto onChip = [&](double bytes, double rate) -> Timing {
    uint64_t occ = std::max<uint64_t>(1, uint64_t(std::ceil(bytes / rate)));
    return {occ, start + occ};
  };
  auto gmTransfer = [&](double bytes, bool read) -> Timing {
    const Access *gmOp = nullptr;
    for (const Access &a : acc)
      if (a.buf == Buffer::GM)
        gmOp = &a;
    assert(gmOp && "a GM transfer has a GM operand");
    return this->gmTransfer(c, start, bytes, read, gmOp->span);
  };
  auto copyBytes = [&]() {
    return double(v[CopyGmL1::nburst] * v[CopyGmL1::burstlen] * 32);
  };
  auto vec = [&](uint64_t repeat, bool complex) -> Timing {
    uint64_t per = complex ? cfg.vectorComplexCyclesPerRepeat
                           : cfg.vectorCyclesPerRepeat;
    return {repeat * per, start + repeat * per};
  };
  switch (inst.op) {
  case Opcode::COPY_GM_L1:
  case Opcode::COPY_GM_UB:
    return gmTransfer(copyBytes(), true);
  case Opcode::ND2NZ:
    return gmTransfer(double(v[Nd2Nz::rows] * v[Nd2Nz::cols] *
                             isa::dtypeSize(DType(v[Nd2Nz::type]))),
                      true);
  case Opcode::COPY_UB_GM:
    return gmTransfer(copyBytes(), false);
  case Opcode::COPY_L1_UB:
    return onChip(copyBytes(), cfg.l1ToUB);
  case Opcode::COPY_UB_L1:
    return onChip(copyBytes(), cfg.ubToL1);
  case Opcode::COPY_UB_UB:
    return onChip(copyBytes(), cfg.ubToUB);
  case Opcode::LOAD2D_A:
    return onChip(double(v[Load2dA::repeat]) * 512, cfg.l1ToL0A);
  case Opcode::LOAD2D_B:
    return onChip(double(v[Load2dB::repeat]) * 512, cfg.l1ToL0B);
  case Opcode::LOAD3D:
    return onChip(double(v[Load3d::mfrac] * v[Load3d::kfrac]) * 512,
                  cfg.l1ToL0A);
  case Opcode::MMAD:
  case Opcode::MMAD_BIAS: {
    unsigned im = inst.op == Opcode::MMAD ? unsigned(Mmad::m)
                                          : unsigned(MmadBias::m);
    uint64_t m = v[im], n = v[im + 1], k = v[im + 2];
    uint64_t k0 = DType(v[0]) == DType::S8 ? 32 : 16;
    uint64_t cycles = ceilDiv(m, 16) * ceilDiv(n, 16) * ceilDiv(k, k0) *
                      cfg.cubeCyclesPerFractal;
    c.stats.cubeMacs += m * n * k;
    return {cycles, start + cycles};
  }
  case Opcode::VDIV:
    return vec(v[VBin::repeat], true);
  case Opcode::VEXP:
  case Opcode::VLN:
  case Opcode::VSQRT:
  case Opcode::VREC:
    return vec(v[VUn::repeat], true);
  case Opcode::FIX_GM: {
    double bytes = double(v[FixGm::m] * v[FixGm::n] *
                          isa::dtypeSize(DType(v[FixGm::type])));
    return gmTransfer(bytes, false);
  }
  case Opcode::FIX_UB:
    return onChip(double(v[FixUb::m] * v[FixUb::n] * 4), cfg.l0cToUB);
  case Opcode::FIX_L1:
    return onChip(double(v[FixL1::m] * v[FixL1::n] * 4), cfg.l0cToL1);
  default:
    break;
  }
  switch (dec[e.pc].format) {
  case isa::Format::VBin:
    return vec(v[VBin::repeat], false);
  case isa::Format::VUn:
    return vec(v[VUn::repeat], false);
  case isa::Format::VScalar:
    return vec(v[VScalar::repeat], false);
  case isa::Format::VDup:
    return vec(v[VDup::repeat], false);
  case isa::Format::VConv:
    return vec(v[VConv::repeat], false);
  case isa::Format::VCmp:
    return vec(v[VCmp::repeat], false);
  case isa::Format::VSel:
    return vec(v[VSel::repeat], false);
  case isa::Format::VReduce:
    return vec(v[VReduce::repeat], false);
  default:
    return {1, start + 1};
  }
}

} // namespace npu::sim::detail
