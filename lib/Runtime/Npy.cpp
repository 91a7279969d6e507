//===- Npy.cpp - read and write numpy .npy files --------------------------===//
#include "npu/Runtime/Npy.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

using namespace llvm;
using namespace npu::rt;

static Error npyError(StringRef path, const Twine &why) {
  return createStringError(inconvertibleErrorCode(),
                           path + ": not a usable .npy file: " + why);
}

/// numpy descr without the byte-order character, e.g. "f4".
static const std::pair<const char *, DType> kDescrs[] = {
    {"f2", DType::F16}, {"f4", DType::F32}, {"f8", DType::F64},
    {"i1", DType::I8},  {"i2", DType::I16}, {"i4", DType::I32},
    {"i8", DType::I64}, {"u1", DType::U8},  {"u2", DType::U16},
    {"u4", DType::U32}, {"u8", DType::U64}, {"b1", DType::Bool}};

/// Value of `'key': ...` in the header dict, up to the next top-level comma.
static std::optional<StringRef> dictValue(StringRef header, StringRef key) {
  size_t pos = header.find(("'" + key + "'").str());
  if (pos == StringRef::npos)
    return std::nullopt;
  StringRef rest = header.drop_front(pos + key.size() + 2).ltrim();
  if (!rest.consume_front(":"))
    return std::nullopt;
  rest = rest.ltrim();
  if (rest.starts_with("(")) {
    size_t close = rest.find(')');
    return close == StringRef::npos ? std::nullopt
                                    : std::optional(rest.take_front(close + 1));
  }
  return rest.take_until([](char c) { return c == ',' || c == '}'; }).rtrim();
}

Expected<Tensor> npu::rt::readNpy(StringRef path) {
  auto bufOr = MemoryBuffer::getFile(path, /*IsText=*/false,
                                     /*RequiresNullTerminator=*/false);
  if (!bufOr)
    return createStringError(bufOr.getError(),
                             "cannot read " + path + ": " +
                                 bufOr.getError().message());
  StringRef data = (*bufOr)->getBuffer();
  if (data.size() < 10 || !data.starts_with("\x93NUMPY"))
    return npyError(path, "missing the \\x93NUMPY magic");
  uint8_t major = data[6];
  size_t headerLen, offset;
  if (major == 1) {
    headerLen = (uint8_t)data[8] | ((uint8_t)data[9] << 8);
    offset = 10;
  } else if (major == 2 || major == 3) {
    if (data.size() < 12)
      return npyError(path, "truncated header");
    headerLen = 0;
    for (int i = 0; i < 4; ++i)
      headerLen |= (size_t)(uint8_t)data[8 + i] << (8 * i);
    offset = 12;
  } else {
    return npyError(path, "unsupported format version " + Twine(major));
  }
  if (offset + headerLen > data.size())
    return npyError(path, "truncated header");
  StringRef header = data.substr(offset, headerLen);

  auto descr = dictValue(header, "descr");
  if (!descr || descr->size() < 4)
    return npyError(path, "no 'descr'");
  StringRef d = descr->trim("'\"");
  char order = d.front();
  StringRef code = d.drop_front();
  std::optional<DType> dtype;
  for (auto &[name, t] : kDescrs)
    if (code == name)
      dtype = t;
  if (!dtype)
    return npyError(path, "unsupported dtype '" + d + "'");
  if (order == '>' && dtypeSize(*dtype) > 1)
    return npyError(path, "big-endian data is not supported");
  auto fortran = dictValue(header, "fortran_order");
  if (fortran && fortran->trim() == "True")
    return npyError(path, "Fortran-order arrays are not supported");

  auto shapeText = dictValue(header, "shape");
  if (!shapeText)
    return npyError(path, "no 'shape'");
  SmallVector<int64_t> shape;
  StringRef dims = shapeText->trim("() ");
  while (!dims.empty()) {
    auto [head, tail] = dims.split(',');
    head = head.trim();
    if (!head.empty()) {
      int64_t v;
      if (head.getAsInteger(10, v) || v < 0)
        return npyError(path, "bad shape " + *shapeText);
      shape.push_back(v);
    }
    dims = tail;
  }
  Tensor t(*dtype, shape);
  size_t bytes = t.byteSize();
  if (data.size() - offset - headerLen < bytes)
    return npyError(path, "expected " + Twine(bytes) + " data bytes, found " +
                              Twine(data.size() - offset - headerLen));
  std::memcpy(t.data(), data.data() + offset + headerLen, bytes);
  return std::move(t);
}

Error npu::rt::writeNpy(StringRef path, const Tensor &t) {
  // numpy has no bfloat16: write its bit patterns as uint16.
  DType stored = t.dtype() == DType::BF16 ? DType::U16 : t.dtype();
  std::string descr;
  for (auto &[name, type] : kDescrs)
    if (type == stored)
      descr = (dtypeSize(type) == 1 ? "|" : "<") + std::string(name);
  if (descr.empty())
    return createStringError(inconvertibleErrorCode(),
                             "cannot write " + dtypeName(t.dtype()) +
                                 " tensors as .npy");
  std::string shape = "(";
  for (int64_t d : t.shape())
    shape += std::to_string(d) + ", ";
  if (t.shape().size() > 1)
    shape.resize(shape.size() - 2);
  else if (t.shape().size() == 1)
    shape.resize(shape.size() - 1);
  shape += ")";
  std::string header = "{'descr': '" + descr +
                       "', 'fortran_order': False, 'shape': " + shape + ", }";
  // Pad so the data starts at a multiple of 64 bytes, ending in '\n'.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';

  std::error_code ec;
  raw_fd_ostream os(path, ec, sys::fs::OF_None);
  if (ec)
    return createStringError(ec, "cannot write " + path + ": " + ec.message());
  os << "\x93NUMPY" << char(1) << char(0) << char(header.size() & 0xff)
     << char(header.size() >> 8) << header;
  os.write(static_cast<const char *>(t.data()), t.byteSize());
  os.close();
  if (os.has_error())
    return createStringError(os.error(), "cannot write " + path);
  return Error::success();
}
