//===- TensorTest.cpp - dtypes, half floats, signatures, file names -------===//
#include "npu/Runtime/Tensor.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstring>

using namespace npu::rt;

namespace {
TEST(Half, RoundTripsEveryHalfValue) {
  for (uint32_t h = 0; h < 0x10000; ++h) {
    if ((h & 0x7c00) == 0x7c00 && (h & 0x3ff))
      continue; // NaNs keep NaN-ness, not payload
    EXPECT_EQ(floatToHalf(halfToFloat(h)), h) << std::hex << h;
  }
}

TEST(Half, RoundsToNearestEven) {
  // 1 + 2^-11 lies halfway between 1 and the next half (1 + 2^-10).
  EXPECT_EQ(floatToHalf(1.0f + std::ldexp(1.0f, -11)), 0x3c00);
  EXPECT_EQ(floatToHalf(1.0f + 3 * std::ldexp(1.0f, -11)), 0x3c02);
  EXPECT_EQ(floatToHalf(65520.0f), 0x7c00); // rounds up to infinity
  EXPECT_EQ(floatToHalf(65519.0f), 0x7bff);
  EXPECT_EQ(floatToHalf(std::ldexp(1.0f, -25)), 0x0000); // tie to even zero
  EXPECT_EQ(floatToHalf(std::ldexp(1.5f, -25)), 0x0001);
}

TEST(BFloat16, RoundsToNearestEven) {
  EXPECT_EQ(floatToBF16(1.0f), 0x3f80);
  float halfway;
  uint32_t bits = 0x3f808000; // exactly between 0x3f80 and 0x3f81
  std::memcpy(&halfway, &bits, 4);
  EXPECT_EQ(floatToBF16(halfway), 0x3f80);
  bits = 0x3f818000;
  std::memcpy(&halfway, &bits, 4);
  EXPECT_EQ(floatToBF16(halfway), 0x3f82);
  EXPECT_EQ(bf16ToFloat(0x4049), 3.140625f);
}

TEST(Signature, JSONRoundTrip) {
  Signature sig;
  sig.inputs.push_back({"input", DType::F32, {1, 3, 224, 224}});
  sig.inputs.push_back({"ids:0", DType::I64, {1, 128}});
  sig.outputs.push_back({"out/put", DType::Bool, {}});
  auto back = Signature::fromJSON(sig.toJSON());
  ASSERT_TRUE(bool(back)) << llvm::toString(back.takeError());
  ASSERT_EQ(back->inputs.size(), 2u);
  EXPECT_EQ(back->inputs[1].str(), "ids:0: int64[1,128]");
  EXPECT_EQ(back->outputs[0].str(), "out/put: bool[]");
}

TEST(Signature, RejectsOtherABIVersionsAndGarbage) {
  auto v2 = Signature::fromJSON(R"({"abi_version":2,"inputs":[],"outputs":[]})");
  ASSERT_FALSE(bool(v2));
  EXPECT_NE(llvm::toString(v2.takeError()).find("ABI version 2"),
            std::string::npos);
  auto bad = Signature::fromJSON(
      R"({"abi_version":1,"inputs":[{"name":"x","dtype":"float128","shape":[1]}],"outputs":[]})");
  ASSERT_FALSE(bool(bad));
  EXPECT_NE(llvm::toString(bad.takeError()).find("unknown dtype 'float128'"),
            std::string::npos);
  auto junk = Signature::fromJSON("{not json");
  EXPECT_FALSE(bool(junk));
  llvm::consumeError(junk.takeError());
}

TEST(FileNames, KeepSafeCharactersOnly) {
  EXPECT_EQ(sanitizeFileName("output"), "output");
  EXPECT_EQ(sanitizeFileName("a/b:c d.e-f_g"), "a_b_c_d.e-f_g");
  EXPECT_EQ(sanitizeFileName("../x"), ".._x");
}
} // namespace
