//===- Diagnostics.h - collect MLIR diagnostics as one-line errors -*- C++ -*-===//
#ifndef NPU_LIB_COMPILER_DIAGNOSTICS_H
#define NPU_LIB_COMPILER_DIAGNOSTICS_H

#include "mlir/IR/Diagnostics.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace npu {
/// While alive, turns every diagnostic into a line such as
///   "model.onnx: node 'conv1' (Conv): error: <message>"
/// and keeps them for takeError().
class DiagnosticCollector {
public:
  DiagnosticCollector(mlir::MLIRContext *ctx, std::string fallbackFile);
  ~DiagnosticCollector();
  /// All errors so far as one llvm::Error (`what` if none was emitted).
  llvm::Error takeError(const llvm::Twine &what);

private:
  mlir::MLIRContext *ctx_;
  mlir::DiagnosticEngine::HandlerID id_;
  std::string fallbackFile_;
  std::vector<std::string> lines_;
};

/// "node 'conv1' (Conv)" from an importer location, or "" if it has none.
std::string describeNode(mlir::Location loc);
} // namespace npu

#endif // NPU_LIB_COMPILER_DIAGNOSTICS_H
