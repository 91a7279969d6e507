//===- npu-sim-fuzzer.cpp - libFuzzer target: load and simulate any program ===//
//
// Whatever the input, loading and simulating it must end in a result or a
// clean error: no crash, hang or sanitizer report. Programs are capped (4
// cores, 16 MiB of GM, 20000 instructions per core) to keep runs short.
//===----------------------------------------------------------------------===//
#include "npu/Simulator/Simulator.h"
#include "npu/Target/ISA/Program.h"

using namespace npu;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::ArrayRef<uint8_t> bytes(data, size);
  llvm::Expected<isa::Program> prog =
      isa::isBinary(bytes)
          ? isa::readBinary(bytes)
          : isa::parseAssembly(
                llvm::StringRef(reinterpret_cast<const char *>(data), size),
                "fuzz.s");
  if (!prog) {
    llvm::consumeError(prog.takeError());
    return 0;
  }
  if (prog->gmSize() > (16u << 20) || prog->cores > 4)
    return 0;
  for (isa::GMBuffer &b : prog->buffers)
    if (b.init == isa::GMInit::File)
      b.init = isa::GMInit::Zero, b.path.clear(); // No file system access.
  sim::SimOptions opts;
  opts.maxInstructions = 20000;
  opts.recordTrace = true;
  opts.functional = size % 2 == 0;
  sim::Config cfg = llvm::cantFail(sim::presetConfig("dv-a2"));
  auto s = sim::Simulator::create(*prog, cfg, opts);
  if (!s) {
    llvm::consumeError(s.takeError());
    return 0;
  }
  if (llvm::Error e = (*s)->initInputs("/nonexistent")) {
    llvm::consumeError(std::move(e));
    return 0;
  }
  llvm::Expected<sim::SimResult> r = (*s)->run();
  if (!r) {
    llvm::consumeError(r.takeError());
    return 0;
  }
  std::string out;
  llvm::raw_string_ostream os(out);
  sim::writeStatsJSON(os, *r, cfg, opts);
  sim::writeTraceJSON(os, *r, (*s)->trace(), (*s)->program(), cfg);
  return 0;
}
