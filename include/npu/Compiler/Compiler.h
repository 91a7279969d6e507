//===- Compiler.h - the compile API: ONNX model in, artifact out -*- C++ -*-===//
#ifndef NPU_COMPILER_COMPILER_H
#define NPU_COMPILER_COMPILER_H

#include "npu/Compiler/Options.h"
#include "npu/Runtime/CPUModel.h"

#include "llvm/Support/Error.h"

#include <memory>

namespace onnx {
class ModelProto;
}

namespace npu {

/// Compiles ONNX models. Errors come back as one llvm::Error whose message
/// has one line per diagnostic, each naming the model file and, where there
/// is one, the ONNX node ("model.onnx: node 'conv1' (Conv): ...").
class Compiler {
public:
  explicit Compiler(CompileOptions options = {});
  ~Compiler();

  const CompileOptions &options() const { return options_; }

  /// Compiles `modelPath` (.onnx, .onnxtxt, or .mlir in the npu dialect) up
  /// to options().emit and writes the result to `outputPath` ("-" = stdout
  /// for textual kinds).
  llvm::Error compileToFile(llvm::StringRef modelPath,
                            llvm::StringRef outputPath);

  /// Compiles and JIT-loads a model for running in this process.
  llvm::Expected<rt::CPUModel> compileToJIT(llvm::StringRef modelPath);

  /// The same from an in-memory model; `modelDir` resolves external data.
  llvm::Error compileToFile(const onnx::ModelProto &model,
                            llvm::StringRef modelDir,
                            llvm::StringRef outputPath);

private:
  struct Impl;
  CompileOptions options_;
  std::unique_ptr<Impl> impl_;
};

/// Loads an artifact by its kind: a CPU shared library today.
llvm::Expected<rt::CPUModel> loadArtifact(llvm::StringRef path);

} // namespace npu

#endif // NPU_COMPILER_COMPILER_H
