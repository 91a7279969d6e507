//===- Npy.cpp - simulator .npy I/O on top of the runtime's reader --------===//
#include "npu/Simulator/Simulator.h"

#include "npu/Runtime/Npy.h"

#include <cstring>

using namespace llvm;

namespace npu::sim {

Expected<std::vector<uint8_t>> readNpy(StringRef path) {
  Expected<rt::Tensor> t = rt::readNpy(path);
  if (!t)
    return t.takeError();
  auto *bytes = static_cast<const uint8_t *>(t->data());
  return std::vector<uint8_t>(bytes, bytes + t->byteSize());
}

Error writeNpy(StringRef path, ArrayRef<uint8_t> data, isa::DType dtype,
               ArrayRef<uint64_t> shape) {
  // bf16 has no numpy dtype; it is written as its raw uint16 bits.
  static constexpr rt::DType kDTypes[] = {
      rt::DType::F16, rt::DType::U16, rt::DType::F32, rt::DType::I8,
      rt::DType::U8,  rt::DType::I16, rt::DType::I32};
  SmallVector<int64_t> dims(shape.begin(), shape.end());
  rt::Tensor t(kDTypes[unsigned(dtype)], dims);
  if (t.byteSize() != data.size())
    return createStringError(inconvertibleErrorCode(),
                             "cannot write '" + path + "': " +
                                 Twine(data.size()) + " bytes for shape of " +
                                 Twine(t.byteSize()) + " bytes");
  std::memcpy(t.data(), data.data(), data.size());
  return rt::writeNpy(path, t);
}

} // namespace npu::sim
