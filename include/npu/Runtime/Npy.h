//===- Npy.h - read and write numpy .npy files ------------------*- C++ -*-===//
#ifndef NPU_RUNTIME_NPY_H
#define NPU_RUNTIME_NPY_H

#include "npu/Runtime/Tensor.h"

namespace npu::rt {
/// Reads a little-endian, C-order .npy file (format versions 1 to 3).
llvm::Expected<Tensor> readNpy(llvm::StringRef path);
/// Writes `t` as a version 1.0 .npy file; bfloat16 (which numpy lacks) as
/// its uint16 bit patterns.
llvm::Error writeNpy(llvm::StringRef path, const Tensor &t);
} // namespace npu::rt

#endif // NPU_RUNTIME_NPY_H
