//===- ImportTensors.cpp - ONNX tensors, external data and constant attrs -===//
#include "ImporterImpl.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/Path.h"

#include <cstring>

using namespace mlir;
using namespace npu::onnx_import;
using onnx::TensorProto;

std::string npu::onnx_import::dataTypeName(int32_t dataType) {
  if (TensorProto::DataType_IsValid(dataType))
    return llvm::StringRef(
               TensorProto::DataType_Name(TensorProto::DataType(dataType)))
        .lower();
  return "data type " + std::to_string(dataType);
}

Type npu::onnx_import::convertDataType(int32_t dataType, MLIRContext *ctx,
                                       bool *isUnsigned) {
  bool isU = false;
  Type type;
  switch (dataType) {
  case TensorProto::FLOAT:
    type = Float32Type::get(ctx);
    break;
  case TensorProto::DOUBLE:
    type = Float64Type::get(ctx);
    break;
  case TensorProto::FLOAT16:
    type = Float16Type::get(ctx);
    break;
  case TensorProto::BFLOAT16:
    type = BFloat16Type::get(ctx);
    break;
  case TensorProto::BOOL:
    type = IntegerType::get(ctx, 1);
    break;
  case TensorProto::INT8:
  case TensorProto::UINT8:
    type = IntegerType::get(ctx, 8);
    isU = dataType == TensorProto::UINT8;
    break;
  case TensorProto::INT16:
  case TensorProto::UINT16:
    type = IntegerType::get(ctx, 16);
    isU = dataType == TensorProto::UINT16;
    break;
  case TensorProto::INT32:
  case TensorProto::UINT32:
    type = IntegerType::get(ctx, 32);
    isU = dataType == TensorProto::UINT32;
    break;
  case TensorProto::INT64:
  case TensorProto::UINT64:
    type = IntegerType::get(ctx, 64);
    isU = dataType == TensorProto::UINT64;
    break;
  default:
    return {};
  }
  if (isUnsigned)
    *isUnsigned = isU;
  return type;
}

std::string npu::onnx_import::shapeString(ArrayRef<int64_t> shape) {
  return "[" +
         llvm::join(llvm::map_range(
                        shape, [](int64_t d) { return std::to_string(d); }),
                    ",") +
         "]";
}

/// Bytes per element as stored by ONNX (bool takes a byte).
static uint64_t storageBytes(Type elementType) {
  return std::max<uint64_t>(1, elementType.getIntOrFloatBitWidth() / 8);
}

LogicalResult npu::onnx_import::checkShape(ArrayRef<int64_t> shape,
                                           Type elementType, Location loc,
                                           const Twine &what, bool allowEmpty) {
  uint64_t count = 1;
  bool overflow = false;
  for (auto [i, d] : llvm::enumerate(shape)) {
    if (d < 0)
      return emitError(loc) << what << ": dimension " << i << " is " << d
                            << "; negative dimensions are not supported";
    if (d == 0 && !allowEmpty)
      return emitError(loc) << what << ": dimension " << i
                            << " is 0; zero-sized graph inputs and outputs "
                               "are not supported";
    overflow |= __builtin_mul_overflow(count, uint64_t(d), &count);
  }
  uint64_t bytes = 0;
  overflow |= __builtin_mul_overflow(count, storageBytes(elementType), &bytes);
  if (overflow || bytes > kMaxTensorBytes)
    return emitError(loc) << what << ": tensor of shape " << shapeString(shape)
                          << " is too large to address (more than 2^40 bytes)";
  return success();
}

//===----------------------------------------------------------------------===//
// Building constant attributes
//===----------------------------------------------------------------------===//

/// Resource keys are printed bare, so keep identifier characters only.
static std::string sanitizeBlobName(StringRef name) {
  std::string out;
  for (char c : name)
    out.push_back(llvm::isAlnum(c) || c == '_' || c == '.' ? c : '_');
  if (out.empty() || llvm::isDigit(out[0]) || out[0] == '.')
    out.insert(0, "t_");
  return out;
}

/// A destination for tensor bytes: a blob for large tensors (filled in
/// place, so weights are copied exactly once) or a small vector.
namespace {
class TensorSink {
public:
  TensorSink(RankedTensorType type)
      : type(type), bytes(type.getNumElements() *
                          storageBytes(type.getElementType())) {
    if (useBlob())
      blob = HeapAsmResourceBlob::allocate(
          bytes, std::max<size_t>(8, storageBytes(type.getElementType())));
    else
      small.resize(bytes);
  }
  bool useBlob() const {
    return type.getNumElements() > kMaxDenseElements &&
           !type.getElementType().isInteger(1);
  }
  MutableArrayRef<char> data() {
    return useBlob() ? blob.getMutableData() : MutableArrayRef<char>(small);
  }
  ElementsAttr finish(StringRef name) {
    if (useBlob())
      return DenseResourceElementsAttr::get(type, sanitizeBlobName(name),
                                            std::move(blob));
    return makeElements(type, small, name);
  }

private:
  RankedTensorType type;
  uint64_t bytes;
  AsmResourceBlob blob;
  std::vector<char> small;
};
} // namespace

ElementsAttr npu::onnx_import::makeElements(RankedTensorType type,
                                            ArrayRef<char> raw,
                                            StringRef name) {
  Type et = type.getElementType();
  if (et.isInteger(1)) {
    SmallVector<bool> bools(llvm::map_range(raw, [](char c) { return c != 0; }));
    return DenseElementsAttr::get(type, ArrayRef<bool>(bools));
  }
  if (type.getNumElements() > kMaxDenseElements) {
    AsmResourceBlob blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(
        raw, std::max<size_t>(8, storageBytes(et)));
    return DenseResourceElementsAttr::get(type, sanitizeBlobName(name),
                                          std::move(blob));
  }
  return DenseElementsAttr::getFromRawBuffer(type, raw);
}

template <typename T>
static void storeAs(MutableArrayRef<char> dst, size_t i, T v) {
  std::memcpy(dst.data() + i * sizeof(T), &v, sizeof(T));
}

ElementsAttr npu::onnx_import::makeIntElements(RankedTensorType type,
                                               ArrayRef<int64_t> values,
                                               StringRef name) {
  TensorSink sink(type);
  MutableArrayRef<char> dst = sink.data();
  unsigned width = type.getElementType().getIntOrFloatBitWidth();
  for (auto [i, v] : llvm::enumerate(values)) {
    switch (width) {
    case 1:
      dst[i] = v != 0;
      break;
    case 8:
      storeAs<int8_t>(dst, i, int8_t(v));
      break;
    case 16:
      storeAs<int16_t>(dst, i, int16_t(v));
      break;
    case 32:
      storeAs<int32_t>(dst, i, int32_t(v));
      break;
    default:
      storeAs<int64_t>(dst, i, v);
      break;
    }
  }
  return sink.finish(name);
}

ElementsAttr npu::onnx_import::makeFloatElements(RankedTensorType type,
                                                 ArrayRef<double> values,
                                                 StringRef name) {
  auto ft = cast<FloatType>(type.getElementType());
  TensorSink sink(type);
  MutableArrayRef<char> dst = sink.data();
  for (auto [i, v] : llvm::enumerate(values)) {
    if (ft.isF64()) {
      storeAs<double>(dst, i, v);
    } else if (ft.isF32()) {
      storeAs<float>(dst, i, float(v));
    } else {
      bool lost;
      APFloat f(v);
      f.convert(ft.getFloatSemantics(), APFloat::rmNearestTiesToEven, &lost);
      storeAs<uint16_t>(dst, i,
                        uint16_t(f.bitcastToAPInt().getZExtValue()));
    }
  }
  return sink.finish(name);
}

//===----------------------------------------------------------------------===//
// Reading constant attributes back
//===----------------------------------------------------------------------===//

/// Raw bytes of a non-splat dense or resource attribute, else nullopt.
static std::optional<ArrayRef<char>> rawBytes(ElementsAttr attr) {
  if (auto dense = dyn_cast<DenseIntOrFPElementsAttr>(attr)) {
    if (dense.getElementType().isInteger(1))
      return std::nullopt; // bit-packed
    return dense.getRawData();
  }
  if (auto res = dyn_cast<DenseResourceElementsAttr>(attr)) {
    if (const AsmResourceBlob *blob = res.getRawHandle().getBlob())
      return blob->getData();
  }
  return std::nullopt;
}

std::optional<SmallVector<int64_t>>
npu::onnx_import::readInts(ElementsAttr attr, int64_t maxElements,
                           bool isUnsigned) {
  if (!attr)
    return std::nullopt;
  auto type = attr.getShapedType();
  auto it = dyn_cast<IntegerType>(type.getElementType());
  if (!it || !type.hasStaticShape() || type.getNumElements() > maxElements)
    return std::nullopt;
  unsigned width = it.getWidth();
  bool zext = isUnsigned || width == 1;
  SmallVector<int64_t> out;
  out.reserve(type.getNumElements());
  if (auto dense = dyn_cast<DenseIntElementsAttr>(attr)) {
    for (const APInt &v : dense.getValues<APInt>())
      out.push_back(zext ? int64_t(v.getZExtValue()) : v.getSExtValue());
    return out;
  }
  auto raw = rawBytes(attr);
  if (!raw || width < 8 ||
      raw->size() != size_t(type.getNumElements()) * (width / 8))
    return std::nullopt;
  for (int64_t i = 0, e = type.getNumElements(); i < e; ++i) {
    const char *p = raw->data() + i * (width / 8);
    uint64_t bits = 0;
    std::memcpy(&bits, p, width / 8);
    APInt v(width, bits);
    out.push_back(zext ? int64_t(v.getZExtValue()) : v.getSExtValue());
  }
  return out;
}

std::optional<SmallVector<double>>
npu::onnx_import::readFloats(ElementsAttr attr, int64_t maxElements) {
  if (!attr)
    return std::nullopt;
  auto type = attr.getShapedType();
  if (!type.hasStaticShape() || type.getNumElements() > maxElements)
    return std::nullopt;
  if (isa<IntegerType>(type.getElementType())) {
    auto ints = readInts(attr, maxElements);
    if (!ints)
      return std::nullopt;
    return SmallVector<double>(llvm::map_range(
        *ints, [](int64_t v) { return double(v); }));
  }
  auto ft = dyn_cast<FloatType>(type.getElementType());
  if (!ft)
    return std::nullopt;
  SmallVector<double> out;
  if (auto dense = dyn_cast<DenseFPElementsAttr>(attr)) {
    for (const APFloat &v : dense.getValues<APFloat>()) {
      APFloat d = v;
      bool lost;
      d.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lost);
      out.push_back(d.convertToDouble());
    }
    return out;
  }
  auto raw = rawBytes(attr);
  unsigned bytes = ft.getWidth() / 8;
  if (!raw || raw->size() != size_t(type.getNumElements()) * bytes)
    return std::nullopt;
  for (int64_t i = 0, e = type.getNumElements(); i < e; ++i) {
    uint64_t bits = 0;
    std::memcpy(&bits, raw->data() + i * bytes, bytes);
    APFloat v(ft.getFloatSemantics(), APInt(ft.getWidth(), bits));
    bool lost;
    v.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lost);
    out.push_back(v.convertToDouble());
  }
  return out;
}

//===----------------------------------------------------------------------===//
// TensorProto import
//===----------------------------------------------------------------------===//

namespace {
/// Reads a TensorProto's payload into a TensorSink, whichever of raw_data,
/// the typed repeated fields or external data holds it.
class TensorReader {
public:
  TensorReader(const TensorProto &t, StringRef modelDir, Location loc,
               const Twine &what)
      : t(t), modelDir(modelDir), loc(loc), what(what.str()) {}

  FailureOr<ElementsAttr> read(RankedTensorType type, bool isUnsigned);

private:
  InFlightDiagnostic error() { return emitError(loc) << what << ": "; }
  LogicalResult readTyped(RankedTensorType type, MutableArrayRef<char> dst);
  LogicalResult readExternal(MutableArrayRef<char> dst);
  LogicalResult countMismatch(int64_t got, int64_t want, StringRef field) {
    return error() << "field '" << field << "' has " << got
                   << " values, expected " << want << " for shape "
                   << shapeString(shape);
  }

  const TensorProto &t;
  StringRef modelDir;
  Location loc;
  std::string what;
  SmallVector<int64_t> shape;
};
} // namespace

FailureOr<ElementsAttr> TensorReader::read(RankedTensorType type,
                                           bool isUnsigned) {
  shape.assign(type.getShape().begin(), type.getShape().end());
  uint64_t bytes = type.getNumElements() * storageBytes(type.getElementType());
  TensorSink sink(type);
  MutableArrayRef<char> dst = sink.data();
  if (t.data_location() == TensorProto::EXTERNAL) {
    if (failed(readExternal(dst)))
      return failure();
  } else if (t.has_raw_data()) {
    if (t.raw_data().size() != bytes)
      return error() << "raw_data has " << t.raw_data().size()
                     << " bytes, but shape " << shapeString(shape) << " of "
                     << dataTypeName(t.data_type()) << " needs " << bytes;
    std::memcpy(dst.data(), t.raw_data().data(), bytes);
  } else if (failed(readTyped(type, dst))) {
    return failure();
  }
  (void)isUnsigned;
  return sink.finish(t.name());
}

LogicalResult TensorReader::readTyped(RankedTensorType type,
                                      MutableArrayRef<char> dst) {
  int64_t n = type.getNumElements();
  auto copyField = [&](const auto &field, StringRef name) -> LogicalResult {
    if (field.size() != n)
      return countMismatch(field.size(), n, name);
    std::memcpy(dst.data(), field.data(), dst.size());
    return success();
  };
  switch (t.data_type()) {
  case TensorProto::FLOAT:
    return copyField(t.float_data(), "float_data");
  case TensorProto::DOUBLE:
    return copyField(t.double_data(), "double_data");
  case TensorProto::INT64:
    return copyField(t.int64_data(), "int64_data");
  case TensorProto::INT32:
    return copyField(t.int32_data(), "int32_data");
  case TensorProto::UINT64:
    return copyField(t.uint64_data(), "uint64_data");
  case TensorProto::UINT32:
    if (t.uint64_data_size() != n)
      return countMismatch(t.uint64_data_size(), n, "uint64_data");
    for (int64_t i = 0; i < n; ++i)
      storeAs<uint32_t>(dst, i, uint32_t(t.uint64_data(i)));
    return success();
  default:
    break;
  }
  // bool, 8/16-bit integers and 16-bit floats are widened into int32_data.
  if (t.int32_data_size() != n)
    return countMismatch(t.int32_data_size(), n, "int32_data");
  unsigned width = storageBytes(type.getElementType());
  for (int64_t i = 0; i < n; ++i) {
    int32_t v = t.int32_data(i);
    if (width == 1)
      dst[i] = type.getElementType().isInteger(1) ? char(v != 0) : char(v);
    else
      storeAs<uint16_t>(dst, i, uint16_t(v));
  }
  return success();
}

static std::optional<uint64_t> parseU64(StringRef s) {
  uint64_t v;
  if (s.trim().getAsInteger(10, v))
    return std::nullopt;
  return v;
}

LogicalResult TensorReader::readExternal(MutableArrayRef<char> dst) {
  std::string location;
  std::optional<uint64_t> offset = 0, length;
  for (const auto &kv : t.external_data()) {
    if (kv.key() == "location") {
      location = kv.value();
    } else if (kv.key() == "offset") {
      if (!(offset = parseU64(kv.value())))
        return error() << "external data offset '" << kv.value()
                       << "' is not a non-negative integer";
    } else if (kv.key() == "length") {
      if (!(length = parseU64(kv.value())))
        return error() << "external data length '" << kv.value()
                       << "' is not a non-negative integer";
    }
  }
  if (location.empty())
    return error() << "external data has no 'location'";
  if (llvm::sys::path::is_absolute(location) ||
      llvm::sys::path::is_absolute(location, llvm::sys::path::Style::windows))
    return error() << "external data path '" << location
                   << "' is absolute; it must be relative to the model's "
                      "folder";
  for (StringRef part : llvm::make_range(llvm::sys::path::begin(location),
                                         llvm::sys::path::end(location)))
    if (part == "..")
      return error() << "external data path '" << location
                     << "' escapes the model's folder";
  SmallString<256> dir(modelDir.empty() ? "." : modelDir), realDir, realFile;
  SmallString<256> path(dir);
  llvm::sys::path::append(path, location);
  if (llvm::sys::fs::real_path(dir, realDir))
    return error() << "cannot resolve the model folder '" << dir << "'";
  if (std::error_code ec = llvm::sys::fs::real_path(path, realFile))
    return error() << "cannot open external data file '" << path
                   << "': " << ec.message();
  if (!StringRef(realFile).starts_with((realDir + "/").str()))
    return error() << "external data path '" << location
                   << "' resolves to '" << realFile
                   << "', outside the model's folder";
  llvm::sys::fs::file_status status;
  if (llvm::sys::fs::status(realFile, status) ||
      !llvm::sys::fs::is_regular_file(status))
    return error() << "external data '" << location
                   << "' is not a regular file";
  uint64_t fileSize = status.getSize();
  if (length && *length != dst.size())
    return error() << "external data length " << *length
                   << " does not match the " << dst.size()
                   << " bytes of shape " << shapeString(shape);
  uint64_t end;
  if (__builtin_add_overflow(*offset, uint64_t(dst.size()), &end) || end > fileSize)
    return error() << "external data file '" << location << "' has "
                   << fileSize << " bytes, the tensor needs bytes " << *offset
                   << " to " << *offset + dst.size();
  auto fd = llvm::sys::fs::openNativeFileForRead(realFile);
  if (!fd)
    return error() << "cannot read external data '" << location
                   << "': " << llvm::toString(fd.takeError());
  size_t done = 0;
  while (done < dst.size()) {
    auto got = llvm::sys::fs::readNativeFileSlice(
        *fd, dst.drop_front(done), *offset + done);
    if (!got || *got == 0) {
      if (!got)
        llvm::consumeError(got.takeError());
      llvm::sys::fs::closeFile(*fd);
      return error() << "reading external data '" << location << "' failed";
    }
    done += *got;
  }
  llvm::sys::fs::closeFile(*fd);
  return success();
}

FailureOr<ElementsAttr>
npu::onnx_import::importTensor(const TensorProto &t, StringRef modelDir,
                               Location loc, const Twine &what,
                               bool *isUnsigned) {
  MLIRContext *ctx = loc.getContext();
  bool isU = false;
  Type et = convertDataType(t.data_type(), ctx, &isU);
  if (!et)
    return emitError(loc) << what << ": unsupported element type "
                          << dataTypeName(t.data_type());
  if (t.has_segment())
    return emitError(loc) << what << ": segmented tensors are not supported";
  SmallVector<int64_t> shape(t.dims().begin(), t.dims().end());
  if (failed(checkShape(shape, et, loc, what)))
    return failure();
  if (isUnsigned)
    *isUnsigned = isU;
  return TensorReader(t, modelDir, loc, what)
      .read(RankedTensorType::get(shape, et), isU);
}
