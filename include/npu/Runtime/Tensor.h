//===- Tensor.h - host tensors, element types and I/O signatures -*- C++ -*-===//
#ifndef NPU_RUNTIME_TENSOR_H
#define NPU_RUNTIME_TENSOR_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace npu::rt {

enum class DType { F16, BF16, F32, F64, I8, I16, I32, I64, U8, U16, U32, U64, Bool };

size_t dtypeSize(DType t);
/// ONNX/numpy spelling: "float32", "int64", "bool", ...
llvm::StringRef dtypeName(DType t);
std::optional<DType> parseDType(llvm::StringRef name);

/// One graph input or output: ONNX name, element type and static shape.
struct TensorSpec {
  std::string name;
  DType dtype = DType::F32;
  llvm::SmallVector<int64_t> shape;
  int64_t numElements() const;
  size_t byteSize() const { return numElements() * dtypeSize(dtype); }
  std::string str() const; // e.g. "input: float32[1,3,224,224]"
};

/// The I/O contract of a compiled model, embedded in every artifact.
struct Signature {
  static constexpr int kABIVersion = 1;
  int abiVersion = kABIVersion;
  std::vector<TensorSpec> inputs, outputs;

  std::string toJSON() const;
  static llvm::Expected<Signature> fromJSON(llvm::StringRef json);
};

/// A dense, C-order host tensor in 64-byte aligned storage.
class Tensor {
public:
  Tensor() = default;
  Tensor(DType dtype, llvm::ArrayRef<int64_t> shape);

  DType dtype() const { return dtype_; }
  llvm::ArrayRef<int64_t> shape() const { return shape_; }
  int64_t numElements() const;
  size_t byteSize() const { return numElements() * dtypeSize(dtype_); }
  void *data() { return storage_.get(); }
  const void *data() const { return storage_.get(); }
  template <typename T> T *as() { return static_cast<T *>(data()); }
  template <typename T> const T *as() const {
    return static_cast<const T *>(data());
  }
  /// Element i converted to double (for comparisons and printing).
  double getAsDouble(int64_t i) const;

private:
  struct Free {
    void operator()(void *p) const;
  };
  DType dtype_ = DType::F32;
  llvm::SmallVector<int64_t> shape_;
  std::unique_ptr<void, Free> storage_;
};

/// Checks count, dtype and shape of `inputs` against `sig.inputs`.
llvm::Error checkInputs(const Signature &sig, llvm::ArrayRef<Tensor> inputs);

/// Float16/bfloat16 bit conversions (round to nearest even).
float halfToFloat(uint16_t h);
uint16_t floatToHalf(float f);
float bf16ToFloat(uint16_t h);
uint16_t floatToBF16(float f);

/// Keeps [A-Za-z0-9._-] and replaces every other character with '_'.
std::string sanitizeFileName(llvm::StringRef name);

} // namespace npu::rt

#endif // NPU_RUNTIME_TENSOR_H
