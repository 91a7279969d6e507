//===- NPUBackend.h - --target=npu: kernels, CPU parts, artifact -*- C++
//-*-===//
#ifndef NPU_LIB_COMPILER_NPUBACKEND_H
#define NPU_LIB_COMPILER_NPUBACKEND_H

#include "npu/Compiler/Options.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"

#include <functional>

namespace npu {
/// What the NPU backend needs from the compile session.
struct NPUSessionHooks {
  /// Records a phase for --timing.
  std::function<void(const llvm::Twine &)> phaseDone;
  /// Writes the module to --dump-dir as stage `name`.
  std::function<llvm::Error(llvm::StringRef name)> dump;
  /// The diagnostics emitted so far as one error (`what` if none).
  std::function<llvm::Error(const llvm::Twine &what)> takeError;
};

/// Runs the device graph pipeline on an imported npu module: kernels, CPU
/// parts, the host schedule and its global-memory plan.
llvm::Error lowerForNPU(mlir::ModuleOp module, const CompileOptions &opts,
                        const NPUSessionHooks &hooks);

/// Compiles the CPU parts, writes the report (if asked) and the artifact.
llvm::Error writeNPUArtifact(mlir::ModuleOp module, const CompileOptions &opts,
                             llvm::StringRef modelName,
                             llvm::StringRef outputPath,
                             const NPUSessionHooks &hooks);
} // namespace npu

#endif // NPU_LIB_COMPILER_NPUBACKEND_H
