//===- Device.cpp - Kernel launches back to back on one persistent GM -----===//
#include "npu/Simulator/Device.h"
#include "Machine.h"
#include "llvm/Support/FormatVariadic.h"

using namespace llvm;

namespace npu::sim {

using namespace detail;

struct Device::Impl {
  Machine m;
  uint64_t now = 0;
  unsigned launches = 0;
  bool traceTruncated = false;
  std::vector<isa::Program> programs; // [launch], with recordTrace only.
};

Device::Device() : impl(std::make_unique<Impl>()) {}
Device::~Device() = default;

static Error err(const Twine &msg) {
  return createStringError(inconvertibleErrorCode(), msg);
}

Expected<std::unique_ptr<Device>>
Device::create(const Config &cfg, uint64_t gmBytes, const SimOptions &opts) {
  if (Error e = checkConfig(cfg))
    return std::move(e);
  // Cores are allocated on first use, but the worst case must fit.
  uint64_t onChip = Machine::bytesPerCore(cfg) * cfg.cores +
                    Machine::l2StateBytes(cfg, gmBytes);
  const uint64_t limit = uint64_t(16) << 30;
  if (gmBytes > limit || onChip > limit - gmBytes)
    return err("device needs " + Twine(gmBytes) + " bytes of GM and " +
               Twine(onChip) + " bytes of on-chip state for " +
               Twine(cfg.cores) + " cores; the simulator allows 16 GiB");
  std::unique_ptr<Device> dev(new Device());
  Machine &m = dev->impl->m;
  m.configure(cfg, opts, gmBytes);
  m.leftoverFlagsAreErrors = true;
  return std::move(dev);
}

Expected<MutableArrayRef<uint8_t>> Device::gm(uint64_t offset, uint64_t size) {
  std::vector<uint8_t> &g = impl->m.gm;
  if (offset > g.size() || size > g.size() - offset)
    return err(formatv("GM range [{0:x}, {1:x}) is outside the device's {2} "
                       "bytes of GM",
                       offset, offset + size, g.size())
                   .str());
  return MutableArrayRef<uint8_t>(g.data() + offset, size);
}

uint64_t Device::gmSize() const { return impl->m.gm.size(); }

Error Device::hostWrote(uint64_t offset, uint64_t size) {
  if (Expected<MutableArrayRef<uint8_t>> r = gm(offset, size); !r)
    return r.takeError();
  impl->m.l2.invalidate(offset, offset + size);
  return Error::success();
}

uint64_t Device::l2ResidentBytes() const { return impl->m.l2.validBytes(); }

Expected<LaunchStats> Device::launch(const isa::Program &prog, unsigned cores,
                                     StringRef name) {
  Machine &m = impl->m;
  auto fail = [&](const Twine &msg) -> Error {
    return err("kernel '" + name + "': " + msg);
  };
  unsigned n = std::min(cores ? cores : prog.cores, m.cfg.cores);
  if (n == 0)
    return fail("launched on 0 cores");
  if (Error e = Machine::checkProgram(prog, m.cfg))
    return fail(toString(std::move(e)));
  for (const isa::GMBuffer &b : prog.buffers)
    if (b.addr > m.gm.size() || b.size > m.gm.size() - b.addr)
      return fail(formatv("GM buffer '{0}' [{1:x}, {2:x}) lies outside the "
                          "device's {3} bytes of GM",
                          b.name, b.addr, b.addr + b.size, m.gm.size())
                      .str());
  m.loadProgram(prog);
  m.allocateCores(n);
  m.resetForLaunch(n);
  m.traceOffset = impl->now;
  m.launchIndex = impl->launches;
  size_t traceBefore = m.trace.size();
  SimResult res;
  Error e = m.run(res);
  m.prog = nullptr; // The caller's program may go away.
  if (e) {
    m.trace.resize(traceBefore);
    return fail(toString(std::move(e)));
  }
  LaunchStats ls;
  ls.name = name.str();
  ls.index = impl->launches++;
  ls.startCycle = impl->now;
  ls.result = std::move(res);
  impl->now += ls.result.totalCycles;
  impl->traceTruncated |= ls.result.traceTruncated;
  if (m.opts.recordTrace)
    impl->programs.push_back(prog);
  return ls;
}

uint64_t Device::now() const { return impl->now; }
unsigned Device::launchCount() const { return impl->launches; }
const std::vector<TraceEvent> &Device::trace() const { return impl->m.trace; }
bool Device::traceTruncated() const { return impl->traceTruncated; }
const isa::Program *Device::launchedProgram(unsigned index) const {
  return index < impl->programs.size() ? &impl->programs[index] : nullptr;
}
const Config &Device::config() const { return impl->m.cfg; }
const SimOptions &Device::options() const { return impl->m.opts; }

} // namespace npu::sim
