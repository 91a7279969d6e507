//===- npu-isa-fuzzer.cpp - libFuzzer target for the binary/assembly readers ===//
//
// Any input must either be rejected with an error or round-trip exactly:
// binary -> Program -> binary is byte-identical, and Program -> assembly ->
// Program is the identity. Crashes, sanitizer reports and mismatches abort.
//===----------------------------------------------------------------------===//
#include "npu/Target/ISA/Program.h"
#include <cstdio>
#include <cstdlib>
#include <cstring>

using namespace npu::isa;

static void check(bool ok, const char *what) {
  if (!ok) {
    std::fprintf(stderr, "round-trip mismatch: %s\n", what);
    std::abort();
  }
}

static void roundTrip(const Program &p) {
  std::string text = printProgram(p);
  llvm::Expected<Program> back = parseAssembly(text, "fuzz.s");
  if (!back) {
    std::fprintf(stderr, "%s\n%s\n", llvm::toString(back.takeError()).c_str(),
                 text.c_str());
    check(false, "printed program does not parse");
  }
  check(*back == p, "assembly round trip");
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::ArrayRef<uint8_t> bytes(data, size);
  if (isBinary(bytes)) {
    llvm::Expected<Program> p = readBinary(bytes);
    if (!p) {
      llvm::consumeError(p.takeError());
      return 0;
    }
    std::vector<uint8_t> again = writeBinary(*p);
    check(again.size() == size && std::memcmp(again.data(), data, size) == 0,
          "binary round trip");
    roundTrip(*p);
    return 0;
  }
  // Single instruction words are the decoder's hottest path.
  if (size == kInstBytes) {
    llvm::Expected<Instruction> inst = decodeInstruction(data);
    if (!inst) {
      llvm::consumeError(inst.takeError());
    } else {
      uint8_t word[kInstBytes];
      encodeInstruction(*inst, word);
      check(std::memcmp(word, data, kInstBytes) == 0, "word round trip");
    }
  }
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
  llvm::Expected<Program> p = parseAssembly(text, "fuzz.s");
  if (!p) {
    llvm::consumeError(p.takeError());
    return 0;
  }
  roundTrip(*p);
  return 0;
}
