//===- Report.cpp - Stats JSON, Chrome/Perfetto trace JSON, text summary --===//
#include "npu/Simulator/Simulator.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"

using namespace llvm;

namespace npu::sim {

static double util(uint64_t busy, uint64_t total) {
  return total ? double(busy) / double(total) : 0.0;
}

void writeStatsJSON(raw_ostream &os, const SimResult &res, const Config &cfg,
                    const SimOptions &opts) {
  json::OStream j(os, 2);
  uint64_t macs = 0, insts = 0;
  for (const CoreStats &c : res.cores)
    macs += c.cubeMacs, insts += c.instructions;
  j.object([&] {
    j.attribute("config", cfg.name);
    j.attribute("clock_ghz", cfg.clockGHz);
    j.attribute("mode", opts.functional ? "functional" : "timing");
    j.attribute("cores_used", int64_t(res.cores.size()));
    j.attribute("total_cycles", int64_t(res.totalCycles));
    j.attribute("time_us", double(res.totalCycles) / (cfg.clockGHz * 1000));
    j.attribute("dynamic_instructions", int64_t(insts));
    j.attribute("cube_macs", int64_t(macs));
    j.attribute("host_seconds", res.hostSeconds);
    double hs = res.hostSeconds > 0 ? res.hostSeconds : 1e-9;
    j.attribute("sim_cycles_per_host_second", double(res.totalCycles) / hs);
    j.attribute("cube_macs_per_host_second", double(macs) / hs);
    j.attributeArray("cores", [&] {
      for (size_t i = 0; i < res.cores.size(); ++i) {
        const CoreStats &c = res.cores[i];
        j.object([&] {
          j.attribute("core", int64_t(i));
          j.attribute("cycles", int64_t(c.cycles));
          j.attribute("instructions", int64_t(c.instructions));
          j.attribute("cube_macs", int64_t(c.cubeMacs));
          j.attribute("gm_read_bytes", int64_t(c.gmReadBytes));
          j.attribute("gm_write_bytes", int64_t(c.gmWriteBytes));
          j.attributeObject("pipes", [&] {
            for (unsigned p = 0; p < isa::kNumPipes; ++p)
              j.attributeObject(isa::pipeName(isa::Pipe(p)), [&] {
                j.attribute("busy_cycles", int64_t(c.pipes[p].busy));
                j.attribute("instructions", int64_t(c.pipes[p].count));
                j.attribute("utilization",
                            util(c.pipes[p].busy, res.totalCycles));
              });
          });
        });
      }
    });
    j.attributeArray("warnings", [&] {
      for (const std::string &w : res.warnings)
        j.value(w);
    });
  });
  os << "\n";
}

void writeTraceJSON(raw_ostream &os, const SimResult &res,
                    const std::vector<TraceEvent> &events,
                    const isa::Program &prog, const Config &cfg) {
  // Perfetto reads "ts"/"dur" in microseconds.
  const double usPerCycle = 1.0 / (cfg.clockGHz * 1000.0);
  std::vector<std::string> text(prog.code.size());
  json::OStream j(os);
  j.object([&] {
    j.attribute("displayTimeUnit", "ns");
    j.attributeObject("otherData", [&] {
      j.attribute("config", cfg.name);
      j.attribute("total_cycles", int64_t(res.totalCycles));
      j.attribute("truncated", res.traceTruncated);
    });
    j.attributeArray("traceEvents", [&] {
      for (size_t c = 0; c < res.cores.size(); ++c) {
        j.object([&] {
          j.attribute("name", "process_name");
          j.attribute("ph", "M");
          j.attribute("pid", int64_t(c));
          j.attributeObject("args",
                            [&] { j.attribute("name", "core " + std::to_string(c)); });
        });
        for (unsigned p = 1; p < isa::kNumPipes; ++p)
          j.object([&] {
            j.attribute("name", "thread_name");
            j.attribute("ph", "M");
            j.attribute("pid", int64_t(c));
            j.attribute("tid", int64_t(p));
            j.attributeObject("args", [&] {
              j.attribute("name", isa::pipeName(isa::Pipe(p)));
            });
          });
      }
      for (const TraceEvent &e : events) {
        std::string &t = text[e.pc];
        if (t.empty())
          t = isa::printInstruction(prog.code[e.pc]);
        j.object([&] {
          j.attribute("name", StringRef(t).take_until([](char ch) {
            return ch == ' ';
          }));
          j.attribute("cat", isa::pipeName(isa::Pipe(e.pipe)));
          j.attribute("ph", "X");
          j.attribute("pid", int64_t(e.core));
          j.attribute("tid", int64_t(e.pipe));
          j.attribute("ts", double(e.start) * usPerCycle);
          j.attribute("dur", double(e.end - e.start) * usPerCycle);
          j.attributeObject("args", [&] {
            j.attribute("pc", int64_t(e.pc));
            j.attribute("start_cycle", int64_t(e.start));
            j.attribute("cycles", int64_t(e.end - e.start));
            j.attribute("asm", t);
          });
        });
      }
    });
  });
  os << "\n";
}

void printSummary(raw_ostream &os, const SimResult &res, const Config &cfg) {
  os << "total cycles: " << res.totalCycles << " ("
     << format("%.3f", double(res.totalCycles) / (cfg.clockGHz * 1000))
     << " us at " << format("%g", cfg.clockGHz) << " GHz, config " << cfg.name
     << ")\n";
  uint64_t macs = 0;
  for (const CoreStats &c : res.cores)
    macs += c.cubeMacs;
  double hs = res.hostSeconds > 0 ? res.hostSeconds : 1e-9;
  os << format("host time: %.3f s (%.1f M sim cycles/s", res.hostSeconds,
               res.totalCycles / hs / 1e6);
  if (res.functional)
    os << format(", %.2f GMAC/s of cube work)\n", macs / hs / 1e9);
  else
    os << ", timing only)\n";
  // Per-core table; with many cores, print the first 4 and an aggregate.
  os << "core   pipe  busy-cycles  util   insts\n";
  for (size_t i = 0; i < res.cores.size(); ++i) {
    if (i == 4 && res.cores.size() > 5) {
      os << "... (" << res.cores.size() - 4 << " more cores; see --stats)\n";
      break;
    }
    const CoreStats &c = res.cores[i];
    for (unsigned p = 0; p < isa::kNumPipes; ++p) {
      if (!c.pipes[p].count)
        continue;
      os << format("%4zu  %5s  %11llu  %5.1f%%  %llu\n", i,
                   isa::pipeName(isa::Pipe(p)).data(),
                   (unsigned long long)c.pipes[p].busy,
                   100 * util(c.pipes[p].busy, res.totalCycles),
                   (unsigned long long)c.pipes[p].count);
    }
  }
  for (const std::string &w : res.warnings)
    os << "warning: " << w << "\n";
}

} // namespace npu::sim
