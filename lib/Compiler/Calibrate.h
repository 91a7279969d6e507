//===- Calibrate.h - activation ranges for fp16 NPU kernels ------*- C++ -*-===//
#ifndef NPU_LIB_COMPILER_CALIBRATE_H
#define NPU_LIB_COMPILER_CALIBRATE_H

#include "npu/Compiler/Options.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Error.h"

namespace npu {
/// Runs the model once on the host CPU (JIT) on seed-0 inputs (floats
/// standard normal, integers uniform in [0, 100)) and records on each
/// npu.matmul of @main `npuk.range = [max|lhs|, max|result|]`, the data
/// npuk-partition needs to keep fp16 cube kernels in range.
llvm::Error calibrateMatmuls(mlir::ModuleOp module, const CompileOptions &opts);
} // namespace npu

#endif // NPU_LIB_COMPILER_CALIBRATE_H
