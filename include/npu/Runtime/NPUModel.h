//===- NPUModel.h - load and run an `.npu` artifact on the simulator -*- C++
//-*-===//
#ifndef NPU_RUNTIME_NPUMODEL_H
#define NPU_RUNTIME_NPUMODEL_H

#include "npu/Runtime/Tensor.h"
#include "npu/Simulator/Simulator.h"

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

/// One kernel launch of a run.
struct KernelRunStats {
  std::string name, kind;
  std::vector<std::string> onnxNodes;
  unsigned cores = 0;
  uint64_t startCycle = 0;
  // The compiler's prediction and rooflines (0 = none).
  uint64_t estimateCycles = 0, rooflineCompute = 0, rooflineGM = 0;
  sim::SimResult result; // Per-core stats; totalCycles = duration.
  /// With NPURunOptions::trace: the kernel's events, in schedule cycles,
  /// and its program (owned by the NPUModel) to name them.
  std::vector<sim::TraceEvent> trace;
  const isa::Program *program = nullptr;
};

/// One CPU part call of a run.
struct CPUPartRunStats {
  std::string name;
  std::vector<std::string> onnxNodes;
  double hostMicros = 0;
  uint64_t atCycle = 0; // Device time when it ran.
};

struct NPURunStats {
  sim::Config config;
  bool functional = true, raceCheck = true;
  uint64_t totalCycles = 0; // Device cycles over the whole schedule.
  double hostSeconds = 0;   // Wall time of the run (simulator + CPU parts).
  std::vector<KernelRunStats> kernels;
  std::vector<CPUPartRunStats> cpuParts;
  std::vector<std::string> warnings;
  bool traceTruncated = false;
};

/// A loaded `.npu` artifact: verified container, decoded kernels and the
/// dlopen()ed CPU library. Runs reuse one simulated device (constants are
/// copied once) while the options stay the same.
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

/// `npu-run-stats/1` JSON for one run (docs/architecture.md).
void writeNPURunStatsJSON(llvm::raw_ostream &os, const NPURunStats &stats);
/// Chrome/Perfetto trace of one run: a `schedule` process whose spans are
/// the kernels (CPU parts are instant events), then one process per core
/// with one thread per pipe. Needs a run with NPURunOptions::trace.
void writeNPURunTraceJSON(llvm::raw_ostream &os, const NPURunStats &stats);

} // namespace npu::rt

#endif // NPU_RUNTIME_NPUMODEL_H
