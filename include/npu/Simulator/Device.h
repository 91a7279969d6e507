//===- Device.h - Kernel launches back to back on one persistent GM -------===//
//
// A Device is the simulated NPU as a runtime sees it: global memory that
// persists between launches and that the host reads and writes directly, and
// kernels (isa::Programs whose `.gm` buffers sit at absolute GM addresses)
// launched one after another. docs/isa.md ("Device") gives the semantics.
//===----------------------------------------------------------------------===//
#ifndef NPU_SIMULATOR_DEVICE_H
#define NPU_SIMULATOR_DEVICE_H

#include "npu/Simulator/Simulator.h"
#include <memory>
#include <string>
#include <vector>

namespace npu::sim {

/// The result of one launch.
struct LaunchStats {
  std::string name;
  unsigned index = 0;      // Launch number on its Device (TraceEvent::launch).
  uint64_t startCycle = 0; // Device time when the launch started.
  SimResult result;        // Times relative to startCycle.
};

/// What a runtime knows about one launched kernel, for the device reports.
struct KernelRecord {
  std::string name;
  std::vector<std::string> onnxNodes;
  std::string kind;        // "cube", "vector", ...
  std::string displayName; // Trace span name, e.g. "Conv /l1/conv (+Relu)";
                           // `name` if empty.
  LaunchStats launch;
  // Compile-time estimates from the artifact; 0 = unknown (not reported).
  uint64_t estimateCycles = 0;
  uint64_t rooflineCompute = 0, rooflineGM = 0;
};

/// A host-side (CPU) part of a device run.
struct CPUPartRecord {
  std::string name;
  std::vector<std::string> onnxNodes;
  double hostUs = 0;
  uint64_t atCycle = 0; // Device time when it ran (Device::now()).
};

class Device {
public:
  /// gmBytes of zeroed global memory. opts apply to every launch
  /// (functional, checkRaces, recordTrace, traceLimit across all launches,
  /// maxInstructions); opts.cores is ignored (see launch).
  static llvm::Expected<std::unique_ptr<Device>>
  create(const Config &cfg, uint64_t gmBytes, const SimOptions &opts = {});
  ~Device();

  /// Host view of GM bytes [offset, offset+size); an error if out of range.
  /// Valid until the Device is destroyed. Reading and writing through it
  /// leaves the L2 model as it was (as if the host's copies went through
  /// the L2, updating it); see hostWrote.
  llvm::Expected<llvm::MutableArrayRef<uint8_t>> gm(uint64_t offset,
                                                    uint64_t size);
  /// Tells the L2 model that the host wrote GM [offset, offset+size) past
  /// it: the L2 sectors holding those bytes are invalidated (dirty ones are
  /// dropped, the host's bytes supersede them), so kernels fetch them from
  /// HBM again. An error if out of range. No effect without an L2.
  llvm::Error hostWrote(uint64_t offset, uint64_t size);
  /// GM bytes the L2 holds now (0 without an L2).
  uint64_t l2ResidentBytes() const;
  uint64_t gmSize() const;

  /// Runs one kernel to completion on `cores` cores (0 = the program's
  /// `.cores`; capped by the config's cores). Checks that every `.gm` buffer
  /// lies inside GM (their inits are never applied: GM content is the
  /// host's) and the program against the config as Simulator::create does.
  /// Queues, flags, registers, fmap, masks, race logs, the bandwidth
  /// arbiters and stats start fresh; on-chip memory contents and the L2's
  /// residency are left as they were. A
  /// flag still set at `end` is an error. Every error starts with
  /// "kernel 'NAME': "; after one, the device time does not advance.
  llvm::Expected<LaunchStats> launch(const isa::Program &prog, unsigned cores,
                                     llvm::StringRef name);

  /// Device time in cycles: the next launch starts when the previous one's
  /// last core retired `end` (no launch overhead is modelled).
  uint64_t now() const;
  unsigned launchCount() const;
  /// Trace events of all launches so far (if opts.recordTrace), shifted by
  /// each launch's startCycle; TraceEvent::launch is the launch index.
  const std::vector<TraceEvent> &trace() const;
  bool traceTruncated() const;
  /// The program of launch `index` as launched (kept only with
  /// opts.recordTrace, for trace output); null otherwise.
  const isa::Program *launchedProgram(unsigned index) const;
  const Config &config() const;
  const SimOptions &options() const;

private:
  Device();
  struct Impl;
  std::unique_ptr<Impl> impl;
};

/// `npu-run-stats/1` JSON of a device run: per kernel name, onnx_nodes,
/// kind, cores, start_cycle, cycles, instructions, cube_macs, GM and L2 bytes,
/// per-pipe busy cycles and utilization (averaged over the kernel's cores)
/// and the bound pipe ("latency" if no pipe is busy half the time); totals,
/// CPU parts and warnings (given ones plus every launch's, named by kernel).
void writeDeviceStatsJSON(llvm::raw_ostream &os,
                          llvm::ArrayRef<KernelRecord> kernels,
                          const Config &cfg, const SimOptions &opts,
                          llvm::ArrayRef<CPUPartRecord> cpuParts = {},
                          double hostSeconds = 0,
                          llvm::ArrayRef<std::string> warnings = {});
/// Chrome/Perfetto trace of a device run: one process per core with one
/// thread per pipe (as writeTraceJSON), plus a `schedule` process whose
/// spans are the kernels (named by displayName) and whose instant events
/// are the CPU parts.
void writeDeviceTraceJSON(llvm::raw_ostream &os, const Device &dev,
                          llvm::ArrayRef<KernelRecord> kernels,
                          llvm::ArrayRef<CPUPartRecord> cpuParts = {});

} // namespace npu::sim

#endif // NPU_SIMULATOR_DEVICE_H
