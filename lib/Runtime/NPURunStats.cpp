//===- NPURunStats.cpp - stats and trace JSON for one NPU model run -------===//
#include "npu/Runtime/NPUModel.h"

#include "llvm/Support/JSON.h"

using namespace llvm;
using namespace npu;
using namespace npu::rt;

static void writeKernel(json::OStream &j, const KernelRunStats &k) {
  uint64_t insts = 0, macs = 0, rd = 0, wr = 0;
  for (const sim::CoreStats &c : k.result.cores)
    insts += c.instructions, macs += c.cubeMacs, rd += c.gmReadBytes,
        wr += c.gmWriteBytes;
  // Utilisation per pipe, averaged over the kernel's cores.
  std::array<uint64_t, isa::kNumPipes> busy{};
  std::array<double, isa::kNumPipes> util{};
  const sim::SimResult &r = k.result;
  for (const sim::CoreStats &c : r.cores)
    for (unsigned p = 0; p < isa::kNumPipes; ++p)
      busy[p] += c.pipes[p].busy;
  if (!r.cores.empty() && r.totalCycles)
    for (unsigned p = 0; p < isa::kNumPipes; ++p)
      util[p] = double(busy[p]) / double(r.cores.size() * r.totalCycles);
  // The bound pipe: highest utilisation, skipping the scalar pipe, which is
  // busy issuing whenever anything runs; below 0.5 nothing saturates.
  unsigned best = 1;
  for (unsigned p = 1; p < isa::kNumPipes; ++p)
    if (util[p] > util[best])
      best = p;
  j.object([&] {
    j.attribute("name", k.name);
    j.attributeArray("onnx_nodes", [&] {
      for (const std::string &n : k.onnxNodes)
        j.value(n);
    });
    j.attribute("kind", k.kind);
    j.attribute("cores", int64_t(k.cores));
    j.attribute("start_cycle", int64_t(k.startCycle));
    j.attribute("cycles", int64_t(k.result.totalCycles));
    j.attribute("instructions", int64_t(insts));
    j.attribute("cube_macs", int64_t(macs));
    j.attribute("gm_read_bytes", int64_t(rd));
    j.attribute("gm_write_bytes", int64_t(wr));
    j.attributeObject("pipes", [&] {
      for (unsigned p = 0; p < isa::kNumPipes; ++p)
        j.attributeObject(isa::pipeName(isa::Pipe(p)), [&] {
          j.attribute("busy", int64_t(busy[p]));
          j.attribute("utilization", util[p]);
        });
    });
    j.attribute("bound", util[best] < 0.5 ? StringRef("latency")
                                          : isa::pipeName(isa::Pipe(best)));
    j.attribute("estimate_cycles", int64_t(k.estimateCycles));
    uint64_t roof = std::max(k.rooflineCompute, k.rooflineGM);
    j.attribute("roofline_cycles", int64_t(roof));
    j.attribute("roofline_bound", roof == 0 ? ""
                                  : k.rooflineCompute >= k.rooflineGM
                                      ? "compute"
                                      : "gm");
    j.attribute("ratio_to_roofline",
                roof ? double(k.result.totalCycles) / double(roof) : 0.0);
  });
}

void npu::rt::writeNPURunStatsJSON(raw_ostream &os, const NPURunStats &s) {
  json::OStream j(os, 2);
  j.object([&] {
    j.attribute("schema", "npu-run-stats/1");
    j.attribute("config", s.config.name);
    j.attribute("clock_ghz", s.config.clockGHz);
    j.attribute("mode", s.functional ? "functional" : "timing");
    j.attribute("race_check", s.raceCheck);
    j.attribute("total_cycles", int64_t(s.totalCycles));
    j.attribute("time_us",
                double(s.totalCycles) / (s.config.clockGHz * 1000.0));
    j.attribute("host_seconds", s.hostSeconds);
    j.attribute("kernel_count", int64_t(s.kernels.size()));
    j.attributeArray("kernels", [&] {
      for (const KernelRunStats &k : s.kernels)
        writeKernel(j, k);
    });
    j.attributeArray("cpu_parts", [&] {
      for (const CPUPartRunStats &p : s.cpuParts)
        j.object([&] {
          j.attribute("name", p.name);
          j.attributeArray("onnx_nodes", [&] {
            for (const std::string &n : p.onnxNodes)
              j.value(n);
          });
          j.attribute("host_us", p.hostMicros);
        });
    });
    j.attributeArray("warnings", [&] {
      for (const std::string &w : s.warnings)
        j.value(w);
    });
  });
  os << "\n";
}

/// A kernel's span name: its first ONNX node, "(+N)" for the fused rest.
static std::string spanName(const KernelRunStats &k) {
  if (k.onnxNodes.empty())
    return k.name;
  std::string s = k.onnxNodes.front();
  if (k.onnxNodes.size() > 1)
    s += " (+" + std::to_string(k.onnxNodes.size() - 1) + ")";
  return s;
}

static void nameNodes(json::OStream &j, ArrayRef<std::string> nodes) {
  j.attributeArray("onnx_nodes", [&] {
    for (const std::string &n : nodes)
      j.value(n);
  });
}

void npu::rt::writeNPURunTraceJSON(raw_ostream &os, const NPURunStats &s) {
  // Perfetto reads "ts"/"dur" in microseconds. pid 0 is the schedule,
  // pid c + 1 is core c.
  const double usPerCycle = 1.0 / (s.config.clockGHz * 1000.0);
  unsigned maxCores = 0;
  for (const KernelRunStats &k : s.kernels)
    maxCores = std::max<unsigned>(maxCores, k.result.cores.size());
  json::OStream j(os);
  auto meta = [&](StringRef what, int64_t pid, std::optional<int64_t> tid,
                  const std::string &name) {
    j.object([&] {
      j.attribute("name", what);
      j.attribute("ph", "M");
      j.attribute("pid", pid);
      if (tid)
        j.attribute("tid", *tid);
      j.attributeObject("args", [&] { j.attribute("name", name); });
    });
  };
  j.object([&] {
    j.attribute("displayTimeUnit", "ns");
    j.attributeObject("otherData", [&] {
      j.attribute("schema", "npu-run-trace/1");
      j.attribute("config", s.config.name);
      j.attribute("total_cycles", int64_t(s.totalCycles));
      j.attribute("truncated", s.traceTruncated);
    });
    j.attributeArray("traceEvents", [&] {
      meta("process_name", 0, std::nullopt, "schedule");
      meta("thread_name", 0, 0, "kernels");
      meta("thread_name", 0, 1, "cpu parts");
      for (unsigned c = 0; c < maxCores; ++c) {
        meta("process_name", c + 1, std::nullopt, "core " + std::to_string(c));
        for (unsigned p = 1; p < isa::kNumPipes; ++p)
          meta("thread_name", c + 1, p, isa::pipeName(isa::Pipe(p)).str());
      }
      for (const KernelRunStats &k : s.kernels) {
        j.object([&] {
          j.attribute("name", spanName(k));
          j.attribute("cat", "kernel");
          j.attribute("ph", "X");
          j.attribute("pid", 0);
          j.attribute("tid", 0);
          j.attribute("ts", double(k.startCycle) * usPerCycle);
          j.attribute("dur", double(k.result.totalCycles) * usPerCycle);
          j.attributeObject("args", [&] {
            j.attribute("kernel", k.name);
            nameNodes(j, k.onnxNodes);
            j.attribute("cores", int64_t(k.cores));
            j.attribute("start_cycle", int64_t(k.startCycle));
            j.attribute("cycles", int64_t(k.result.totalCycles));
          });
        });
        std::vector<std::string> text(k.program ? k.program->code.size() : 0);
        for (const sim::TraceEvent &e : k.trace) {
          std::string name = isa::pipeName(isa::Pipe(e.pipe)).str();
          if (e.pc < text.size()) {
            if (text[e.pc].empty())
              text[e.pc] = isa::printInstruction(k.program->code[e.pc]);
            name = StringRef(text[e.pc]).take_until([](char ch) {
              return ch == ' ';
            });
          }
          j.object([&] {
            j.attribute("name", name);
            j.attribute("cat", isa::pipeName(isa::Pipe(e.pipe)));
            j.attribute("ph", "X");
            j.attribute("pid", int64_t(e.core) + 1);
            j.attribute("tid", int64_t(e.pipe));
            j.attribute("ts", double(e.start) * usPerCycle);
            j.attribute("dur", double(e.end - e.start) * usPerCycle);
            j.attributeObject("args", [&] {
              j.attribute("kernel", k.name);
              j.attribute("pc", int64_t(e.pc));
              j.attribute("start_cycle", int64_t(e.start));
              if (e.pc < text.size())
                j.attribute("asm", text[e.pc]);
            });
          });
        }
      }
      for (const CPUPartRunStats &p : s.cpuParts)
        j.object([&] {
          j.attribute("name", p.name);
          j.attribute("cat", "cpu_part");
          j.attribute("ph", "i");
          j.attribute("s", "t");
          j.attribute("pid", 0);
          j.attribute("tid", 1);
          j.attribute("ts", double(p.atCycle) * usPerCycle);
          j.attributeObject("args", [&] {
            nameNodes(j, p.onnxNodes);
            j.attribute("host_us", p.hostMicros);
          });
        });
    });
  });
  os << "\n";
}
