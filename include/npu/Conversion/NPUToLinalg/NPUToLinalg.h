//===- NPUToLinalg.h - lower npu to linalg on tensors -----------*- C++ -*-===//
#ifndef NPU_CONVERSION_NPUTOLINALG_NPUTOLINALG_H
#define NPU_CONVERSION_NPUTOLINALG_NPUTOLINALG_H

#include "mlir/Pass/Pass.h"
#include "mlir/Transforms/DialectConversion.h"

namespace npu {
#define GEN_PASS_DECL_CONVERTNPUTOLINALG
#include "npu/Conversion/Passes.h.inc"

/// Patterns lowering every npu op to linalg/tensor/arith/math on tensors.
void populateNPUToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// Patterns lowering npuk.convert (layout, element type, scale) to
/// tensor.pad/expand_shape/collapse_shape/extract_slice, linalg.transpose
/// and linalg.generic; part of populateNPUToLinalgPatterns.
void populateNPUKLayoutToLinalgPatterns(mlir::RewritePatternSet &patterns);
} // namespace npu

#endif // NPU_CONVERSION_NPUTOLINALG_NPUTOLINALG_H
