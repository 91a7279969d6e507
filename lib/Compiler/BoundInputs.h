//===- BoundInputs.h - graph inputs bound to compile-time values -*- C++ -*-===//
#ifndef NPU_LIB_COMPILER_BOUNDINPUTS_H
#define NPU_LIB_COMPILER_BOUNDINPUTS_H

#include "llvm/Support/Error.h"

#include <memory>

namespace onnx {
class TensorProto;
} // namespace onnx

namespace npu {

/// Reads the value of a bound graph input (--bind-input): an ONNX
/// TensorProto (.pb, as in the ONNX test data) or a numpy .npy file.
llvm::Expected<std::shared_ptr<const onnx::TensorProto>>
loadBoundTensor(llvm::StringRef path);

} // namespace npu

#endif // NPU_LIB_COMPILER_BOUNDINPUTS_H
