//===- InitAll.h - register every npu and upstream dialect and pass -*- C++ -*-===//
#ifndef NPU_INITALL_H
#define NPU_INITALL_H

#include "mlir/IR/DialectRegistry.h"

namespace npu {
/// npu dialects, the upstream dialects npu lowers through, and their
/// external models (bufferization, tiling, LLVM translation).
void registerAllDialects(mlir::DialectRegistry &registry);
/// npu passes and pipelines plus every upstream pass.
void registerAllPasses();
/// npu translations (ONNX import, ISA binary/assembly) plus upstream ones.
void registerAllTranslations();
} // namespace npu

#endif // NPU_INITALL_H
