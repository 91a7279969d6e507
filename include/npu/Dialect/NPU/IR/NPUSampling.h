//===- NPUSampling.h - compile-time coefficients of npu.resize --*- C++ -*-===//
//
// npu.resize is separable and its shapes are static, so each axis reduces to
// a fixed list of (source index, weight) taps per output position. Both
// backends build their kernels from these tables.
//
//===----------------------------------------------------------------------===//
#ifndef NPU_DIALECT_NPU_IR_NPUSAMPLING_H
#define NPU_DIALECT_NPU_IR_NPUSAMPLING_H

#include "npu/Dialect/NPU/IR/NPUOps.h"

namespace npu {

/// Interpolation taps of one axis: output position o reads
/// `index[o * taps + k]` (clamped into the input) with weight
/// `weight[o * taps + k]`; `outside[o]` marks tf_crop_and_resize positions
/// that take the extrapolation value instead.
struct ResizeAxisTaps {
  int64_t taps = 1;
  int64_t inputSize = 0;
  llvm::SmallVector<int64_t> index;
  llvm::SmallVector<double> weight;
  llvm::SmallVector<bool> outside;
  bool hasOutside = false;
  /// Whether the output is the input along this axis (no pass needed).
  bool isIdentity() const;
};

/// The taps of `axis` of `op`.
ResizeAxisTaps computeResizeTaps(ResizeOp op, int64_t axis);

} // namespace npu

#endif // NPU_DIALECT_NPU_IR_NPUSAMPLING_H
