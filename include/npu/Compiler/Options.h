//===- Options.h - the compile API's options --------------------*- C++ -*-===//
#ifndef NPU_COMPILER_OPTIONS_H
#define NPU_COMPILER_OPTIONS_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>
#include <vector>

namespace npu {

enum class Target { CPU, NPU };

/// What the compiler writes, in pipeline order. Each IR stage can be fed
/// back to npu-opt with the pipeline of the following stage.
enum class EmitKind {
  NPU,         ///< npu dialect right after ONNX import (.mlir)
  Linalg,      ///< linalg on tensors (.mlir)
  Bufferized,  ///< loops on memrefs (.mlir)
  LLVMDialect, ///< MLIR LLVM dialect (.mlir)
  LLVMIR,      ///< optimized LLVM IR (.ll)
  Assembly,    ///< native assembly (.s)
  Object,      ///< relocatable object (.o)
  SharedLib,   ///< loadable artifact (.so), the default
  // --target=npu only:
  NPUGraph, ///< kernels, CPU parts and host schedule (.mlir)
  Artifact, ///< NPU artifact (.npu), the default for --target=npu
};

std::optional<EmitKind> parseEmitKind(llvm::StringRef name);
llvm::StringRef emitKindName(EmitKind kind);
std::optional<Target> parseTarget(llvm::StringRef name);

/// Options of the NPU target (docs/design/npu-backend.md).
struct NPUOptions {
  /// Simulator preset (dv-910, dv-a2) or INI file the code is made for.
  std::string config = "dv-910";
  /// If non-empty, write the npu-report/1 JSON here.
  std::string reportPath;
  /// ONNX nodes kept on the host CPU.
  std::vector<std::string> forceCpu;
  /// Fail instead of falling back to the CPU for unsupported ops.
  bool noFallback = false;
  /// Cube input type: "fp16" or "bf16" (fp32 accumulation either way).
  std::string precision = "fp16";
  /// Op families placed on the NPU (experimental: "matmul").
  std::vector<std::string> kernels;
  /// Conv tile plans per kernel timed on the simulator (1: the cost
  /// model's best, untimed).
  unsigned tunePlans = 3;
  /// Cube kernels prefetch the next kernels' weights into the L2.
  bool prefetch = true;
  /// DEBUG ONLY: write this artifact format version (tests of the reader).
  unsigned debugArtifactVersion = 0;
};

/// Every knob of one compilation. npuc, npu-run --jit, the tests and the
/// Python bindings all fill this one struct.
struct CompileOptions {
  Target target = Target::CPU;
  /// SharedLib means "the target's artifact" (.so or .npu).
  EmitKind emit = EmitKind::SharedLib;
  NPUOptions npu;
  /// LLVM optimization level, 0..3.
  unsigned optLevel = 3;
  /// Host CPU to generate code for ("native" = this machine).
  std::string cpu = "native";
  /// If non-empty, every IR stage is also written here as NN-stage.mlir.
  std::string dumpDir;
  /// Run the verifier after every pass (slower; for debugging).
  bool verifyEach = false;
  /// Print per-pass and per-phase timing to stderr.
  bool timing = false;
  /// Shapes for graph inputs with symbolic or unknown dimensions.
  llvm::StringMap<llvm::SmallVector<int64_t>> inputShapes;
  /// Element shapes of sequence graph inputs (their length is fixed at
  /// compile time; element K is the artifact input "NAME.K").
  llvm::StringMap<llvm::SmallVector<llvm::SmallVector<int64_t>>>
      sequenceShapes;
  /// Optional graph inputs compiled as None.
  llvm::StringSet<> noneInputs;
  /// Graph inputs bound to compile-time values, by name: file paths of an
  /// ONNX TensorProto (.pb) or a .npy. A bound input becomes a constant
  /// (like an initializer) and leaves the artifact's signature; use it for
  /// inputs that define shapes (Reshape targets, Resize sizes, TopK's K...).
  llvm::StringMap<std::string> boundInputs;
  /// DEBUG ONLY: if non-empty, deliberately miscompile the ONNX node of this
  /// name (its float outputs are shifted by debugPerturbDelta) so that the
  /// differential-testing tool has a known-bad node to find.
  std::string debugPerturbNode;
  double debugPerturbDelta = 1.0;
};

} // namespace npu

#endif // NPU_COMPILER_OPTIONS_H
