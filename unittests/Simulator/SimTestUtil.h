//===- SimTestUtil.h - Helpers to assemble and run programs in tests ------===//
#ifndef NPU_UNITTESTS_SIMULATOR_SIMTESTUTIL_H
#define NPU_UNITTESTS_SIMULATOR_SIMTESTUTIL_H

#include "npu/Simulator/Float.h"
#include "npu/Simulator/Simulator.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "gtest/gtest.h"
#include <cstring>
#include <memory>
#include <string>

namespace npu::sim::test {

inline Config dv910() { return llvm::cantFail(presetConfig("dv-910")); }

/// Assemble `text` and create a simulator with inputs initialised; fails
/// the test (and returns null) on any error.
inline std::unique_ptr<Simulator>
makeSim(llvm::StringRef text, SimOptions opts = {}, Config cfg = dv910(),
        isa::AsmOptions asmOpts = {}) {
  llvm::Expected<isa::Program> prog = isa::parseAssembly(text, "test.s", asmOpts);
  if (!prog) {
    ADD_FAILURE() << llvm::toString(prog.takeError());
    return nullptr;
  }
  auto sim = Simulator::create(*prog, cfg, opts);
  if (!sim) {
    ADD_FAILURE() << llvm::toString(sim.takeError());
    return nullptr;
  }
  if (llvm::Error e = (*sim)->initInputs(NPU_BENCH_DIR)) {
    ADD_FAILURE() << llvm::toString(std::move(e));
    return nullptr;
  }
  return std::move(*sim);
}

inline std::string readKernel(llvm::StringRef name) {
  auto buf = llvm::MemoryBuffer::getFile(std::string(NPU_BENCH_DIR "/") +
                                         name.str());
  if (!buf) {
    ADD_FAILURE() << "cannot read kernel " << name.str();
    return "";
  }
  return (*buf)->getBuffer().str();
}

/// Run and return the error message ("" on success).
inline std::string runError(Simulator &sim) {
  llvm::Expected<SimResult> r = sim.run();
  return r ? std::string() : llvm::toString(r.takeError());
}

template <typename T> T elem(llvm::ArrayRef<uint8_t> bytes, size_t i) {
  T v;
  std::memcpy(&v, bytes.data() + i * sizeof(T), sizeof(T));
  return v;
}

inline const TraceEvent *findEvent(const Simulator &sim, isa::Opcode op,
                                   unsigned nth = 0) {
  for (const TraceEvent &e : sim.trace())
    if (sim.program().code[e.pc].op == op && nth-- == 0)
      return &e;
  return nullptr;
}

} // namespace npu::sim::test

#endif
