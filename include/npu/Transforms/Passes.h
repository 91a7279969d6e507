//===- Passes.h - npu graph passes ------------------------------*- C++ -*-===//
#ifndef NPU_TRANSFORMS_PASSES_H
#define NPU_TRANSFORMS_PASSES_H

#include "mlir/Pass/Pass.h"

namespace npu {
#define GEN_PASS_DECL
#define GEN_PASS_REGISTRATION
#include "npu/Transforms/Passes.h.inc"
} // namespace npu

#endif // NPU_TRANSFORMS_PASSES_H
