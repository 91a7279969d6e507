//===- Simulator.h - Public API of the cycle-approximate NPU simulator ----===//
#ifndef NPU_SIMULATOR_SIMULATOR_H
#define NPU_SIMULATOR_SIMULATOR_H

#include "npu/Simulator/Config.h"
#include "npu/Target/ISA/Program.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"
#include <array>
#include <memory>
#include <vector>

namespace npu::sim {

struct SimOptions {
  /// false = timing-only: pipe instructions update no data (scalar code,
  /// checks, timing and stats still run).
  bool functional = true;
  bool checkRaces = true;
  bool recordTrace = false;
  uint64_t traceLimit = 4000000; // Events kept; later ones are dropped.
  /// Dynamic instructions per core before giving up (runaway loops).
  uint64_t maxInstructions = 4000000000ull;
  /// Overrides the program's `.cores` when non-zero.
  unsigned cores = 0;
};

struct PipeStats {
  uint64_t busy = 0;  // Cycles the pipe could not start new work.
  uint64_t count = 0; // Instructions executed.
};

struct CoreStats {
  uint64_t cycles = 0; // When the core's `end` retired.
  std::array<PipeStats, isa::kNumPipes> pipes{};
  uint64_t cubeMacs = 0;
  uint64_t gmReadBytes = 0, gmWriteBytes = 0;
  // With an L2 (Config::l2Size > 0): GM read bytes it served (hit) and that
  // came from HBM (miss); dirty bytes this core's transfers evicted to HBM.
  uint64_t l2HitBytes = 0, l2MissBytes = 0, l2WritebackBytes = 0;
  // Bytes `prefetch` fetched from HBM into the L2 (not counted as reads).
  uint64_t l2PrefetchBytes = 0;
  uint64_t instructions = 0; // Dynamic, including scalar.
};

struct TraceEvent {
  uint32_t core;
  uint32_t pc;
  uint64_t start, end;
  uint8_t pipe;
  uint32_t launch = 0; // Device launch index (LaunchStats::index); 0 otherwise.
};

struct SimResult {
  uint64_t totalCycles = 0;
  std::vector<CoreStats> cores;
  double hostSeconds = 0;
  bool functional = true; // false: timing-only, no MACs were computed.
  bool traceTruncated = false;
  std::vector<std::string> warnings;
};

class Simulator {
public:
  /// Validates the program against the config (core count, event ids,
  /// memory sizes) and allocates memories.
  static llvm::Expected<std::unique_ptr<Simulator>>
  create(const isa::Program &prog, const Config &cfg,
         const SimOptions &opts = {});
  ~Simulator();

  /// Fill the GM buffers as their `.gm` declarations say; relative file
  /// paths resolve against baseDir.
  llvm::Error initInputs(llvm::StringRef baseDir);
  /// The bytes of a declared GM buffer (empty if unknown).
  llvm::MutableArrayRef<uint8_t> gm(llvm::StringRef bufferName);
  /// Run to completion. Errors name the core, pipe and instruction.
  llvm::Expected<SimResult> run();
  /// Dump every `.output` buffer; relative paths resolve against dir.
  llvm::Error writeOutputs(llvm::StringRef dir);
  const std::vector<TraceEvent> &trace() const;
  const isa::Program &program() const;
  const Config &config() const;

private:
  Simulator();
  struct Impl;
  std::unique_ptr<Impl> impl;
};

/// Machine-readable statistics.
void writeStatsJSON(llvm::raw_ostream &os, const SimResult &res,
                    const Config &cfg, const SimOptions &opts);
/// Chrome/Perfetto trace: one process per core, one thread per pipe.
void writeTraceJSON(llvm::raw_ostream &os, const SimResult &res,
                    const std::vector<TraceEvent> &events,
                    const isa::Program &prog, const Config &cfg);
/// Human-readable summary table.
void printSummary(llvm::raw_ostream &os, const SimResult &res,
                  const Config &cfg);

/// .npy files: read (any of f16 f32 f64 i8 u8 i16 i32 i64, C order) into raw
/// bytes, and write raw bytes with a dtype and shape.
llvm::Expected<std::vector<uint8_t>> readNpy(llvm::StringRef path);
llvm::Error writeNpy(llvm::StringRef path, llvm::ArrayRef<uint8_t> data,
                     isa::DType dtype, llvm::ArrayRef<uint64_t> shape);

} // namespace npu::sim

#endif // NPU_SIMULATOR_SIMULATOR_H
