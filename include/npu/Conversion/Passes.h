//===- Passes.h - npu conversion passes -------------------------*- C++ -*-===//
#ifndef NPU_CONVERSION_PASSES_H
#define NPU_CONVERSION_PASSES_H

#include "npu/Conversion/NPUToLinalg/NPUToLinalg.h"

namespace npu {
#define GEN_PASS_REGISTRATION
#include "npu/Conversion/Passes.h.inc"
} // namespace npu

#endif // NPU_CONVERSION_PASSES_H
