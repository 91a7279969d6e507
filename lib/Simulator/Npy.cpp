//===- Npy.cpp - Minimal .npy reader/writer for GM inputs and outputs -----===//
#include "npu/Simulator/Simulator.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace npu::sim {

static Error npyError(StringRef path, const Twine &msg) {
  return createStringError(inconvertibleErrorCode(),
                           path + ": bad .npy file: " + msg);
}

Expected<std::vector<uint8_t>> readNpy(StringRef path) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> buf =
      MemoryBuffer::getFile(path, false, false);
  if (!buf)
    return createStringError(buf.getError(), "cannot read '" + path + "': " +
                                                  buf.getError().message());
  StringRef s = (*buf)->getBuffer();
  if (s.size() < 10 || !s.starts_with("\x93NUMPY"))
    return npyError(path, "missing magic");
  unsigned major = uint8_t(s[6]);
  size_t hdrLen, pos;
  if (major == 1) {
    hdrLen = uint8_t(s[8]) | (size_t(uint8_t(s[9])) << 8);
    pos = 10;
  } else if (major == 2 || major == 3) {
    if (s.size() < 12)
      return npyError(path, "truncated header");
    hdrLen = uint8_t(s[8]) | (size_t(uint8_t(s[9])) << 8) |
             (size_t(uint8_t(s[10])) << 16) | (size_t(uint8_t(s[11])) << 24);
    pos = 12;
  } else {
    return npyError(path, "unsupported version " + Twine(major));
  }
  if (s.size() - pos < hdrLen)
    return npyError(path, "truncated header");
  StringRef hdr = s.substr(pos, hdrLen);
  auto field = [&](StringRef key) -> StringRef {
    size_t k = hdr.find(key);
    if (k == StringRef::npos)
      return {};
    StringRef rest = hdr.substr(k + key.size()).ltrim(" :");
    return rest;
  };
  StringRef descr = field("'descr'");
  if (descr.size() < 2 || descr[0] != '\'')
    return npyError(path, "missing descr");
  descr = descr.drop_front().take_until([](char c) { return c == '\''; });
  static const struct {
    const char *d;
    unsigned size;
  } kTypes[] = {{"<f2", 2}, {"<f4", 4}, {"<f8", 8}, {"|i1", 1}, {"|u1", 1},
                {"<i2", 2}, {"<u2", 2}, {"<i4", 4}, {"<u4", 4}, {"<i8", 8},
                {"|b1", 1}};
  unsigned itemSize = 0;
  for (const auto &t : kTypes)
    if (descr == t.d)
      itemSize = t.size;
  if (!itemSize)
    return npyError(path, "unsupported dtype '" + descr + "'");
  if (field("'fortran_order'").starts_with("True"))
    return npyError(path, "Fortran order is not supported");
  StringRef shape = field("'shape'");
  if (!shape.consume_front("("))
    return npyError(path, "missing shape");
  shape = shape.take_until([](char c) { return c == ')'; });
  uint64_t count = 1;
  SmallVector<StringRef, 8> dims;
  shape.split(dims, ',', -1, false);
  for (StringRef d : dims) {
    d = d.trim();
    if (d.empty())
      continue;
    uint64_t v;
    if (d.getAsInteger(10, v) || (v && count > (uint64_t(1) << 40) / v))
      return npyError(path, "bad shape");
    count *= v;
  }
  pos += hdrLen;
  if (s.size() - pos != count * itemSize)
    return npyError(path, "data is " + Twine(s.size() - pos) +
                              " bytes, shape needs " + Twine(count * itemSize));
  return std::vector<uint8_t>(s.begin() + pos, s.end());
}

Error writeNpy(StringRef path, ArrayRef<uint8_t> data, isa::DType dtype,
               ArrayRef<uint64_t> shape) {
  // bf16 has no numpy dtype; it is written as its raw uint16 bits.
  static const char *const kDescr[] = {"<f2", "<u2", "<f4", "|i1",
                                       "|u1", "<i2", "<i4"};
  std::string hdr = std::string("{'descr': '") + kDescr[unsigned(dtype)] +
                    "', 'fortran_order': False, 'shape': (";
  for (uint64_t d : shape)
    hdr += std::to_string(d) + ", ";
  if (shape.size() > 1)
    hdr.resize(hdr.size() - 1), hdr.back() = ',', hdr.pop_back();
  else if (shape.size() == 1)
    hdr.pop_back();
  hdr += "), }";
  size_t total = 10 + hdr.size() + 1;
  hdr.append((64 - total % 64) % 64, ' ');
  hdr += '\n';
  std::error_code ec;
  raw_fd_ostream os(path, ec, sys::fs::OF_None);
  if (ec)
    return createStringError(ec, "cannot write '" + path + "': " +
                                     ec.message());
  os << "\x93NUMPY" << char(1) << char(0) << char(hdr.size() & 0xff)
     << char(hdr.size() >> 8) << hdr;
  os.write(reinterpret_cast<const char *>(data.data()), data.size());
  return Error::success();
}

} // namespace npu::sim
