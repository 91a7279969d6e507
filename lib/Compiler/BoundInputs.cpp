//===- BoundInputs.cpp - graph inputs bound to compile-time values --------===//
#include "BoundInputs.h"

#include "npu/Runtime/Npy.h"

#include "llvm/Support/MemoryBuffer.h"

#include "onnx/onnx_pb.h"

using namespace llvm;

namespace {
int32_t onnxDataType(npu::rt::DType t) {
  using npu::rt::DType;
  using TP = onnx::TensorProto;
  switch (t) {
  case DType::F16: return TP::FLOAT16;
  case DType::BF16: return TP::BFLOAT16;
  case DType::F32: return TP::FLOAT;
  case DType::F64: return TP::DOUBLE;
  case DType::I8: return TP::INT8;
  case DType::I16: return TP::INT16;
  case DType::I32: return TP::INT32;
  case DType::I64: return TP::INT64;
  case DType::U8: return TP::UINT8;
  case DType::U16: return TP::UINT16;
  case DType::U32: return TP::UINT32;
  case DType::U64: return TP::UINT64;
  case DType::Bool: return TP::BOOL;
  }
  return TP::UNDEFINED;
}
} // namespace

Expected<std::shared_ptr<const onnx::TensorProto>>
npu::loadBoundTensor(StringRef path) {
  auto tensor = std::make_shared<onnx::TensorProto>();
  if (path.ends_with(".npy")) {
    Expected<rt::Tensor> t = rt::readNpy(path);
    if (!t)
      return t.takeError();
    tensor->set_data_type(onnxDataType(t->dtype()));
    for (int64_t d : t->shape())
      tensor->add_dims(d);
    tensor->set_raw_data(static_cast<const char *>(t->data()), t->byteSize());
    return tensor;
  }
  auto buf = MemoryBuffer::getFile(path, /*IsText=*/false,
                                   /*RequiresNullTerminator=*/false);
  if (!buf)
    return createStringError(buf.getError(), "cannot read " + path + ": " +
                                                 buf.getError().message());
  StringRef data = (*buf)->getBuffer();
  if (!tensor->ParseFromArray(data.data(), static_cast<int>(data.size())))
    return createStringError(inconvertibleErrorCode(),
                             path + ": neither a .npy file nor an ONNX "
                                    "TensorProto (.pb)");
  return tensor;
}
