//===- Config.h - Machine description: presets, INI overrides -------------===//
#ifndef NPU_SIMULATOR_CONFIG_H
#define NPU_SIMULATOR_CONFIG_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <cstdint>
#include <string>

namespace npu::sim {

/// Every number the simulator uses. docs/isa.md ("Timing constants") says
/// where each default comes from. Rates are bytes per cycle.
struct Config {
  std::string name = "dv-910";
  // Machine shape (issue table).
  unsigned cores = 32;
  double clockGHz = 1.0;
  uint64_t l1Size = 1 << 20;
  uint64_t l0aSize = 64 << 10;
  uint64_t l0bSize = 64 << 10;
  uint64_t l0cSize = 256 << 10;
  uint64_t ubSize = 256 << 10;
  unsigned events = 4;
  uint64_t l2Size = 32 << 20; // 0 = no L2 (every GM access goes to HBM).
  // On-chip data paths (issue "Rates").
  double l1ToL0A = 512;
  double l1ToL0B = 256;
  double l0cToUB = 256;
  double l1ToUB = 128;
  double l0cToL1 = 256; // Assumption: same as L0C->UB.
  double ubToL1 = 128;  // Assumption: same as L1->UB.
  double ubToUB = 256;  // One vector repeat (256 B) per cycle.
  // Global memory.
  double gmBandwidth = 1200; // Shared by all cores: 1.2 TB/s at 1 GHz.
  double gmReadPort = 128;   // Per core, MTE2.
  double gmWritePort = 128;  // Per core, MTE3 and FIX.
  unsigned gmLatency = 300;  // Cycles added to every GM transfer.
  unsigned gmBinCycles = 32; // Granularity of the bandwidth arbiters.
  // Shared L2 (used when l2Size > 0): 32-byte sectors in lines of
  // l2LineBytes, LRU, write-back. docs/isa.md ("L2") gives the sources.
  uint64_t l2LineBytes = 512;
  double l2Bandwidth = 3 * 1200.0; // To all cores: 3x gmBandwidth.
  unsigned l2Latency = 150;        // Assumption: half of gmLatency.
  // Compute.
  unsigned cubeCyclesPerFractal = 1;
  unsigned vectorCyclesPerRepeat = 1;
  unsigned vectorComplexCyclesPerRepeat = 4; // div exp ln sqrt rec
  unsigned scalarCycles = 1;                 // Per scalar instruction/issue.
  unsigned queueDepth = 32;                  // Entries per pipe queue.
};

/// A named preset: "dv-910" or "dv-a2".
llvm::Expected<Config> presetConfig(llvm::StringRef name);
/// Apply "key = value" lines ([section] headers are allowed and ignored,
/// ';' and '#' start comments). `preset = NAME` first resets to that preset.
llvm::Error applyIni(Config &cfg, llvm::StringRef text,
                     llvm::StringRef fileName);
/// Checks what single keys cannot: l2_line_bytes is a power of two and
/// l2_size is 0 or holds at least one line.
llvm::Error checkConfig(const Config &cfg);
/// A preset name, or the path of an INI file.
llvm::Expected<Config> loadConfig(llvm::StringRef presetOrFile);
/// The config as INI text (every key), e.g. for --print-config.
std::string configToIni(const Config &cfg);

} // namespace npu::sim

#endif // NPU_SIMULATOR_CONFIG_H
