//===- NpyTest.cpp - .npy reading and writing -----------------------------===//
#include "npu/Runtime/Npy.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"

using namespace npu::rt;

namespace {
std::string tempPath(const char *name) {
  llvm::SmallString<128> path;
  llvm::sys::fs::createUniquePath(std::string("npu-npy-%%%%%%-") + name, path,
                                  /*MakeAbsolute=*/true);
  return path.str().str();
}

/// A version 1.0 .npy header around `dict` (no data).
std::string npyHeader(const std::string &dict) {
  std::string out("\x93NUMPY\x01\x00", 8);
  out += char(dict.size() & 0xff);
  out += char(dict.size() >> 8);
  return out + dict;
}

void writeRaw(const std::string &path, const std::string &bytes) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  ASSERT_FALSE(ec);
  os << bytes;
}

TEST(Npy, RoundTripKeepsDtypeShapeAndBytes) {
  for (DType dt : {DType::F32, DType::F16, DType::I64, DType::U8, DType::Bool,
                   DType::F64, DType::I32}) {
    Tensor t(dt, {2, 3, 4});
    auto *bytes = static_cast<uint8_t *>(t.data());
    for (size_t i = 0; i < t.byteSize(); ++i)
      bytes[i] = dt == DType::Bool ? (i & 1) : uint8_t(i * 7 + 1);
    std::string path = tempPath("rt.npy");
    ASSERT_FALSE(llvm::errorToBool(writeNpy(path, t)));
    auto back = readNpy(path);
    ASSERT_TRUE(bool(back)) << llvm::toString(back.takeError());
    EXPECT_EQ(back->dtype(), dt);
    EXPECT_EQ(llvm::ArrayRef<int64_t>(back->shape()),
              llvm::ArrayRef<int64_t>({2, 3, 4}));
    EXPECT_EQ(0, memcmp(back->data(), t.data(), t.byteSize()));
    llvm::sys::fs::remove(path);
  }
}

TEST(Npy, ScalarAndVectorShapes) {
  for (std::vector<int64_t> shape : {std::vector<int64_t>{},
                                     std::vector<int64_t>{5}}) {
    Tensor t(DType::F32, shape);
    std::string path = tempPath("s.npy");
    ASSERT_FALSE(llvm::errorToBool(writeNpy(path, t)));
    auto back = readNpy(path);
    ASSERT_TRUE(bool(back));
    EXPECT_EQ(back->shape().size(), shape.size());
    EXPECT_EQ(back->numElements(), t.numElements());
    llvm::sys::fs::remove(path);
  }
}

TEST(Npy, RejectsBadFiles) {
  struct Case {
    const char *what;
    std::string bytes;
    const char *message;
  } cases[] = {
      {"no magic", "hello world, not numpy", "missing the \\x93NUMPY magic"},
      {"truncated header", std::string("\x93NUMPY\x01\x00\x40\x00{'descr'", 17),
       "truncated header"},
      {"fortran",
       npyHeader("{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }"),
       "Fortran-order"},
      {"short data",
       npyHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }"),
       "expected 16 data bytes, found 0"},
      {"dtype",
       npyHeader("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }"),
       "unsupported dtype '<c8'"},
  };
  for (const Case &c : cases) {
    std::string path = tempPath("bad.npy");
    writeRaw(path, c.bytes);
    auto t = readNpy(path);
    ASSERT_FALSE(bool(t)) << c.what;
    std::string msg = llvm::toString(t.takeError());
    EXPECT_NE(msg.find(c.message), std::string::npos) << c.what << ": " << msg;
    llvm::sys::fs::remove(path);
  }
}
} // namespace
