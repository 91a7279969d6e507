//===- NPUModel.h - run an `.npu` artifact on the simulator ----*- C++ -*-===//
#ifndef NPU_RUNTIME_NPUMODEL_H
#define NPU_RUNTIME_NPUMODEL_H

#include "npu/Runtime/Tensor.h"
#include "npu/Simulator/Device.h"

#include <memory>
#include <string>
#include <vector>

namespace npu::rt {

struct NPURunOptions {
  /// A simulator preset (dv-910, dv-a2) or an INI file.
  std::string config = "dv-910";
  /// Upper bound on cores per kernel; 0 = no bound beyond the kernel's and
  /// the config's own.
  unsigned cores = 0;
  /// false = timing-only: kernels compute no data (CPU parts still run, on
  /// whatever GM holds).
  bool functional = true;
  bool raceCheck = true;
  bool trace = false;
  uint64_t traceLimit = 4000000;
};

struct NPURunStats {
  sim::Config config;
  sim::SimOptions simOptions;
  /// Device cycles of the whole schedule; kernel start cycles and CPU part
  /// cycles are relative to the run's start.
  uint64_t totalCycles = 0;
  double hostSeconds = 0; // Wall time of the run (simulator + CPU parts).
  std::vector<sim::KernelRecord> kernels;
  std::vector<sim::CPUPartRecord> cpuParts;
  /// The runtime's own; each launch's stay in its SimResult.
  std::vector<std::string> warnings;
  /// The run's own device, with its trace (only with NPURunOptions::trace).
  std::shared_ptr<const sim::Device> device;
};

/// A loaded `.npu` artifact: verified container, decoded kernels and the
/// dlopen()ed CPU library. Runs reuse one simulated device (constants are
/// copied once) while the options stay the same; a traced run gets a fresh
/// device so that its trace holds that run alone.
class NPUModel {
public:
  /// Reads and verifies the artifact, decodes every kernel binary, loads
  /// cpu_library from a memfd and resolves every CPU part's symbol.
  static llvm::Expected<std::unique_ptr<NPUModel>> load(llvm::StringRef path);
  /// The same from bytes already in memory; `name` prefixes errors.
  static llvm::Expected<std::unique_ptr<NPUModel>>
  loadBytes(llvm::StringRef bytes, llvm::StringRef name);
  ~NPUModel();

  const Signature &signature() const;
  /// Checks inputs against the signature, runs the schedule, returns the
  /// outputs. `stats` (optional) receives per-kernel and per-part numbers.
  llvm::Expected<std::vector<Tensor>> run(llvm::ArrayRef<Tensor> inputs,
                                          const NPURunOptions &opts = {},
                                          NPURunStats *stats = nullptr);

private:
  NPUModel();
  struct Impl;
  std::unique_ptr<Impl> impl;
};

/// `npu-run-stats/1` JSON for one run (sim::writeDeviceStatsJSON).
void writeNPURunStatsJSON(llvm::raw_ostream &os, const NPURunStats &stats);
/// Chrome/Perfetto trace of one run (sim::writeDeviceTraceJSON); an error
/// unless the run had NPURunOptions::trace.
llvm::Error writeNPURunTraceJSON(llvm::raw_ostream &os,
                                 const NPURunStats &stats);

} // namespace npu::rt

#endif // NPU_RUNTIME_NPUMODEL_H
