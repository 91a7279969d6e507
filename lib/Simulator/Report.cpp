//===- Report.cpp - Stats JSON, Chrome/Perfetto trace JSON, text summary --===//
//
// Single-run reports (Simulator) and device-run reports (Device).
//===----------------------------------------------------------------------===//
#include "npu/Simulator/Device.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"
#include <cmath>
#include <optional>

using namespace llvm;

namespace npu::sim {

/// The work counters a core and a kernel (summed over cores) report.
static void writeCounters(json::OStream &j, const CoreStats &c) {
  j.attribute("instructions", int64_t(c.instructions));
  j.attribute("cube_macs", int64_t(c.cubeMacs));
  j.attribute("gm_read_bytes", int64_t(c.gmReadBytes));
  j.attribute("gm_write_bytes", int64_t(c.gmWriteBytes));
  j.attribute("l2_hit_bytes", int64_t(c.l2HitBytes));
  j.attribute("l2_miss_bytes", int64_t(c.l2MissBytes));
  j.attribute("l2_writeback_bytes", int64_t(c.l2WritebackBytes));
  j.attribute("l2_prefetch_bytes", int64_t(c.l2PrefetchBytes));
}

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
          writeCounters(j, c);
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

namespace {
/// Chrome/Perfetto trace pieces shared by the single-run and device traces.
/// Perfetto reads "ts"/"dur" in microseconds.
struct TraceWriter {
  json::OStream &j;
  double usPerCycle;
  TraceWriter(json::OStream &j, const Config &cfg)
      : j(j), usPerCycle(1.0 / (cfg.clockGHz * 1000.0)) {}

  void meta(StringRef what, int64_t pid, std::optional<int64_t> tid,
            StringRef name) {
    j.object([&] {
      j.attribute("name", what);
      j.attribute("ph", "M");
      j.attribute("pid", pid);
      if (tid)
        j.attribute("tid", *tid);
      j.attributeObject("args", [&] { j.attribute("name", name); });
    });
  }
  /// Process "core C" per core, thread per queued pipe (tid = pipe).
  void coreTracks(size_t numCores) {
    for (size_t c = 0; c < numCores; ++c) {
      meta("process_name", int64_t(c), std::nullopt,
           "core " + std::to_string(c));
      for (unsigned p = 1; p < isa::kNumPipes; ++p)
        meta("thread_name", int64_t(c), int64_t(p),
             isa::pipeName(isa::Pipe(p)));
    }
  }
  /// One complete event per executed pipe instruction; progOf(launch) gives
  /// the program that ran (null: unknown).
  void pipeEvents(ArrayRef<TraceEvent> events,
                  function_ref<const isa::Program *(uint32_t)> progOf) {
    std::vector<std::vector<std::string>> text; // [launch][pc]
    for (const TraceEvent &e : events) {
      if (text.size() <= e.launch)
        text.resize(e.launch + 1);
      std::vector<std::string> &lt = text[e.launch];
      const isa::Program *prog = progOf(e.launch);
      if (lt.empty())
        lt.resize(prog ? prog->code.size() : 0);
      static const std::string unknown = "?";
      const std::string *t = &unknown;
      if (e.pc < lt.size()) {
        if (lt[e.pc].empty())
          lt[e.pc] = isa::printInstruction(prog->code[e.pc]);
        t = &lt[e.pc];
      }
      j.object([&] {
        j.attribute("name", StringRef(*t).take_until(
                                [](char ch) { return ch == ' '; }));
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
          j.attribute("asm", *t);
        });
      });
    }
  }
};
} // namespace

void writeTraceJSON(raw_ostream &os, const SimResult &res,
                    const std::vector<TraceEvent> &events,
                    const isa::Program &prog, const Config &cfg) {
  json::OStream j(os);
  TraceWriter w(j, cfg);
  j.object([&] {
    j.attribute("displayTimeUnit", "ns");
    j.attributeObject("otherData", [&] {
      j.attribute("config", cfg.name);
      j.attribute("total_cycles", int64_t(res.totalCycles));
      j.attribute("truncated", res.traceTruncated);
    });
    j.attributeArray("traceEvents", [&] {
      w.coreTracks(res.cores.size());
      w.pipeEvents(events, [&](uint32_t) { return &prog; });
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
  if (cfg.l2Size) {
    uint64_t hit = 0, miss = 0, wb = 0, pf = 0;
    for (const CoreStats &c : res.cores)
      hit += c.l2HitBytes, miss += c.l2MissBytes, wb += c.l2WritebackBytes,
          pf += c.l2PrefetchBytes;
    os << format("L2: %llu B of GM reads hit, %llu B missed (%.1f%% hit), "
                 "%llu B written back, %llu B prefetched\n",
                 (unsigned long long)hit, (unsigned long long)miss,
                 100 * util(hit, hit + miss), (unsigned long long)wb,
                 (unsigned long long)pf);
  }
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

//===--- Device runs
//-------------------------------------------------------===//

namespace {
/// A kernel's totals over its cores.
struct KernelTotals {
  CoreStats sum; // Counters summed over the cores (cycles unused).
  std::array<double, isa::kNumPipes> meanBusy{};
  explicit KernelTotals(const SimResult &r) {
    for (const CoreStats &c : r.cores) {
      sum.instructions += c.instructions, sum.cubeMacs += c.cubeMacs;
      sum.gmReadBytes += c.gmReadBytes, sum.gmWriteBytes += c.gmWriteBytes;
      sum.l2HitBytes += c.l2HitBytes, sum.l2MissBytes += c.l2MissBytes;
      sum.l2WritebackBytes += c.l2WritebackBytes;
      sum.l2PrefetchBytes += c.l2PrefetchBytes;
      for (unsigned p = 0; p < isa::kNumPipes; ++p)
        meanBusy[p] += double(c.pipes[p].busy);
    }
    for (double &b : meanBusy)
      b /= r.cores.empty() ? 1.0 : double(r.cores.size());
  }
};
} // namespace

static void stringArray(json::OStream &j, StringRef key,
                        ArrayRef<std::string> items) {
  j.attributeArray(key, [&] {
    for (const std::string &s : items)
      j.value(s);
  });
}

void writeDeviceStatsJSON(raw_ostream &os, ArrayRef<KernelRecord> kernels,
                          const Config &cfg, const SimOptions &opts,
                          ArrayRef<CPUPartRecord> cpuParts, double hostSeconds,
                          ArrayRef<std::string> warnings) {
  uint64_t total = 0;
  for (const KernelRecord &k : kernels)
    total = std::max(total, k.launch.startCycle + k.launch.result.totalCycles);
  json::OStream j(os, 2);
  j.object([&] {
    j.attribute("schema", "npu-run-stats/1");
    j.attribute("config", cfg.name);
    j.attribute("clock_ghz", cfg.clockGHz);
    j.attribute("mode", opts.functional ? "functional" : "timing");
    j.attribute("race_check", opts.checkRaces);
    j.attribute("total_cycles", int64_t(total));
    j.attribute("time_us", double(total) / (cfg.clockGHz * 1000));
    j.attribute("host_seconds", hostSeconds);
    j.attribute("kernel_count", int64_t(kernels.size()));
    j.attributeArray("kernels", [&] {
      for (const KernelRecord &k : kernels) {
        const SimResult &r = k.launch.result;
        KernelTotals t(r);
        j.object([&] {
          j.attribute("name", k.name);
          stringArray(j, "onnx_nodes", k.onnxNodes);
          j.attribute("kind", k.kind);
          j.attribute("cores", int64_t(r.cores.size()));
          j.attribute("start_cycle", int64_t(k.launch.startCycle));
          j.attribute("cycles", int64_t(r.totalCycles));
          writeCounters(j, t.sum);
          j.attribute("host_seconds", r.hostSeconds);
          unsigned best = 0;
          double bestUtil = -1;
          j.attributeObject("pipes", [&] {
            for (unsigned p = 0; p < isa::kNumPipes; ++p) {
              double u =
                  r.totalCycles ? t.meanBusy[p] / double(r.totalCycles) : 0.0;
              if (u > bestUtil)
                best = p, bestUtil = u;
              j.attributeObject(isa::pipeName(isa::Pipe(p)), [&] {
                j.attribute("busy", int64_t(std::llround(t.meanBusy[p])));
                j.attribute("utilization", u);
              });
            }
          });
          j.attribute("bound", bestUtil < 0.5 ? StringRef("latency")
                                              : isa::pipeName(isa::Pipe(best)));
          if (k.estimateCycles)
            j.attribute("estimate_cycles", int64_t(k.estimateCycles));
          if (uint64_t roof = std::max(k.rooflineCompute, k.rooflineGM)) {
            j.attribute("roofline_cycles", int64_t(roof));
            j.attribute("roofline_bound",
                        k.rooflineCompute >= k.rooflineGM ? "compute" : "gm");
            j.attribute("ratio_to_roofline",
                        double(r.totalCycles) / double(roof));
          }
        });
      }
    });
    j.attributeArray("cpu_parts", [&] {
      for (const CPUPartRecord &c : cpuParts)
        j.object([&] {
          j.attribute("name", c.name);
          stringArray(j, "onnx_nodes", c.onnxNodes);
          j.attribute("host_us", c.hostUs);
        });
    });
    j.attributeArray("warnings", [&] {
      for (const std::string &w : warnings)
        j.value(w);
      for (const KernelRecord &k : kernels)
        for (const std::string &w : k.launch.result.warnings)
          j.value("kernel '" + k.name + "': " + w);
    });
  });
  os << "\n";
}

void writeDeviceTraceJSON(raw_ostream &os, const Device &dev,
                          ArrayRef<KernelRecord> kernels,
                          ArrayRef<CPUPartRecord> cpuParts) {
  const Config &cfg = dev.config();
  size_t numCores = 0;
  for (const KernelRecord &k : kernels)
    numCores = std::max(numCores, k.launch.result.cores.size());
  for (const TraceEvent &e : dev.trace())
    numCores = std::max(numCores, size_t(e.core) + 1);
  const int64_t sched = int64_t(numCores); // The schedule's pid.
  json::OStream j(os);
  TraceWriter w(j, cfg);
  j.object([&] {
    j.attribute("displayTimeUnit", "ns");
    j.attributeObject("otherData", [&] {
      j.attribute("config", cfg.name);
      j.attribute("total_cycles", int64_t(dev.now()));
      j.attribute("kernel_count", int64_t(kernels.size()));
      j.attribute("truncated", dev.traceTruncated());
    });
    j.attributeArray("traceEvents", [&] {
      w.meta("process_name", sched, std::nullopt, "schedule");
      j.object([&] { // Show the schedule above the cores.
        j.attribute("name", "process_sort_index");
        j.attribute("ph", "M");
        j.attribute("pid", sched);
        j.attributeObject("args", [&] { j.attribute("sort_index", -1); });
      });
      w.meta("thread_name", sched, 0, "kernels");
      w.meta("thread_name", sched, 1, "cpu parts");
      w.coreTracks(numCores);
      for (const KernelRecord &k : kernels) {
        const SimResult &r = k.launch.result;
        j.object([&] {
          j.attribute("name", k.displayName.empty() ? k.name : k.displayName);
          j.attribute("cat", "kernel");
          j.attribute("ph", "X");
          j.attribute("pid", sched);
          j.attribute("tid", 0);
          j.attribute("ts", double(k.launch.startCycle) * w.usPerCycle);
          j.attribute("dur", double(r.totalCycles) * w.usPerCycle);
          j.attributeObject("args", [&] {
            j.attribute("kernel", k.name);
            stringArray(j, "onnx_nodes", k.onnxNodes);
            j.attribute("kind", k.kind);
            j.attribute("cores", int64_t(r.cores.size()));
            j.attribute("start_cycle", int64_t(k.launch.startCycle));
            j.attribute("cycles", int64_t(r.totalCycles));
          });
        });
      }
      for (const CPUPartRecord &c : cpuParts)
        j.object([&] {
          j.attribute("name", c.name);
          j.attribute("cat", "cpu");
          j.attribute("ph", "i");
          j.attribute("s", "t");
          j.attribute("pid", sched);
          j.attribute("tid", 1);
          j.attribute("ts", double(c.atCycle) * w.usPerCycle);
          j.attributeObject("args", [&] {
            stringArray(j, "onnx_nodes", c.onnxNodes);
            j.attribute("host_us", c.hostUs);
            j.attribute("at_cycle", int64_t(c.atCycle));
          });
        });
      w.pipeEvents(dev.trace(), [&](uint32_t launch) {
        return dev.launchedProgram(launch);
      });
    });
  });
  os << "\n";
}

} // namespace npu::sim
