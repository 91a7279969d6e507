//===- CPUModel.h - load and run a compiled CPU artifact --------*- C++ -*-===//
#ifndef NPU_RUNTIME_CPUMODEL_H
#define NPU_RUNTIME_CPUMODEL_H

#include "npu/Runtime/Tensor.h"

#include <functional>

namespace npu::rt {

/// The artifact's C ABI (version 1). All buffers are dense, C-order and
/// statically shaped; `buffers` holds the inputs, then the outputs, in
/// signature order. Returns 0 on success.
using EntryFn = int32_t (*)(void **buffers);
using SignatureFn = const char *(*)();

/// A runnable compiled model: an entry point plus its signature. Created
/// from a shared library (AOT) or by the JIT in npu/Compiler.
class CPUModel {
public:
  CPUModel(EntryFn entry, Signature sig, std::shared_ptr<void> keepAlive)
      : entry_(entry), sig_(std::move(sig)), keepAlive_(std::move(keepAlive)) {}

  /// dlopen()s an artifact produced by `npuc --target=cpu`.
  static llvm::Expected<CPUModel> loadSharedLibrary(llvm::StringRef path);

  const Signature &signature() const { return sig_; }

  /// Checks inputs against the signature (count, dtype, shape) and runs.
  llvm::Expected<std::vector<Tensor>> run(llvm::ArrayRef<Tensor> inputs) const;
  /// Runs into preallocated outputs; no checks (for timing loops).
  int32_t runUnchecked(llvm::ArrayRef<Tensor> inputs,
                       std::vector<Tensor> &outputs) const;
  std::vector<Tensor> allocateOutputs() const;

private:
  EntryFn entry_;
  Signature sig_;
  std::shared_ptr<void> keepAlive_;
};

} // namespace npu::rt

#endif // NPU_RUNTIME_CPUMODEL_H
