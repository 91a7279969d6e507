//===- ISATest.cpp - Encoding, assembly and container round trips ---------===//
#include "npu/Target/ISA/Program.h"
#include "llvm/Support/MemoryBuffer.h"
#include "gtest/gtest.h"
#include <random>

using namespace npu::isa;
using namespace llvm;

namespace {

/// A random instruction of opcode `op` that passes verification.
std::optional<Instruction> randomInst(Opcode op, std::mt19937_64 &rng,
                                      unsigned progSize) {
  for (int attempt = 0; attempt < 200; ++attempt) {
    Instruction inst;
    inst.op = op;
    const OperandSpec *ops = formatOperands(opcodeInfo(op).format);
    for (unsigned i = 0; ops[i].kind != OperandKind::End; ++i) {
      uint64_t v = rng();
      if (ops[i].bits < 64)
        v &= (uint64_t(1) << ops[i].bits) - 1;
      switch (ops[i].kind) {
      case OperandKind::Target:
        v %= progSize;
        break;
      case OperandKind::SfxType:
        v %= kNumDTypes;
        break;
      case OperandKind::SfxCmp:
        v %= kNumCmpModes;
        break;
      case OperandKind::SfxRound:
        v = attempt % 2 ? 0 : v % kNumRoundModes;
        break;
      case OperandKind::Pipe:
        v = 1 + v % 6;
        break;
      case OperandKind::Imm:
        // Small values and multiples of 16 satisfy the cross-field
        // constraints (fractal multiples, strides >= sizes) more often.
        if (ops[i].bits > 4 && attempt % 3 == 1)
          v = 1 + v % 16;
        else if (ops[i].bits > 6 && attempt % 3 == 2)
          v = 16 * (1 + v % 4);
        break;
      default:
        break;
      }
      inst.f[i] = v;
    }
    if (Error e = verifyInstruction(inst)) {
      consumeError(std::move(e));
      continue;
    }
    return inst;
  }
  return std::nullopt;
}

Program randomProgram(std::mt19937_64 &rng) {
  Program p;
  const unsigned size = 4 * kNumOpcodes;
  p.code.resize(size);
  for (unsigned i = 0; i + 1 < size; ++i) {
    std::optional<Instruction> inst =
        randomInst(Opcode(i % kNumOpcodes), rng, size);
    EXPECT_TRUE(inst.has_value()) << opcodeInfo(Opcode(i % kNumOpcodes)).mnemonic;
    if (inst)
      p.code[i] = *inst;
  }
  p.code.back().op = Opcode::END;
  p.cores = 3;
  GMBuffer a{"A", kGMBase, 100, GMInit::Random, DType::BF16, 7, ""};
  GMBuffer b{"B", 0x2000, 8192, GMInit::Const, DType::F32, -1.25, ""};
  GMBuffer c{"C", 0x10000, 64, GMInit::File, DType::F16, 0, "in dir/x.npy"};
  p.buffers = {a, b, c};
  p.outputs = {{"B", "out.npy", DType::S32, {2, 4}}, {"A", "a.bin", DType::U8, {}}};
  return p;
}

} // namespace

TEST(ISA, EveryOpcodeEncodesAndDecodes) {
  std::mt19937_64 rng(1);
  for (unsigned op = 0; op < kNumOpcodes; ++op)
    for (int i = 0; i < 50; ++i) {
      std::optional<Instruction> inst = randomInst(Opcode(op), rng, 100);
      ASSERT_TRUE(inst) << opcodeInfo(Opcode(op)).mnemonic;
      uint8_t word[kInstBytes];
      encodeInstruction(*inst, word);
      Expected<Instruction> back = decodeInstruction(word);
      ASSERT_TRUE(bool(back)) << toString(back.takeError());
      EXPECT_EQ(*back, *inst) << printInstruction(*inst);
    }
}

TEST(ISA, ProgramRoundTripsThroughBinaryAndAssembly) {
  std::mt19937_64 rng(2);
  for (int iter = 0; iter < 20; ++iter) {
    Program p = randomProgram(rng);
    // binary -> program -> binary is byte-exact.
    std::vector<uint8_t> bin = writeBinary(p);
    Expected<Program> fromBin = readBinary(bin);
    ASSERT_TRUE(bool(fromBin)) << toString(fromBin.takeError());
    EXPECT_EQ(*fromBin, p);
    EXPECT_EQ(writeBinary(*fromBin), bin);
    // program -> text -> program is exact, and the text is a fixed point.
    std::string text = printProgram(p);
    Expected<Program> fromText = parseAssembly(text, "rt.s");
    ASSERT_TRUE(bool(fromText)) << toString(fromText.takeError()) << "\n" << text;
    EXPECT_EQ(*fromText, p);
    EXPECT_EQ(printProgram(*fromText), text);
    EXPECT_EQ(writeBinary(*fromText), bin);
  }
}

TEST(ISA, AssemblySyntax) {
  const char *src = R"(
; comment
.equ T, 2 * (3 + 4)           # another comment
.gm A, 4096, random f16 5
.gm B, 64 @0x4000             // explicit placement
top: li x1, A + T
  li x2, f32(0.5)
  vadds.f16 ub[x1 + 32*T], ub[0x40], -1.5, 3, 1, 1, 8, 8
  vconv.s32.f16 ub[0], ub[256], 1, 1, 1, 8, 4   ; round mode defaults to rne
  bne x1, x2, top
  end
)";
  Expected<Program> p = parseAssembly(src, "syntax.s");
  ASSERT_TRUE(bool(p)) << toString(p.takeError());
  ASSERT_EQ(p->code.size(), 6u);
  EXPECT_EQ(p->buffers[1].addr, 0x4000u);
  EXPECT_EQ(p->code[0].simm(fmt::RI64::imm), int64_t(kGMBase + 14));
  EXPECT_EQ(p->code[1].f[fmt::RI64::imm], 0x3f000000u);
  EXPECT_EQ(printInstruction(p->code[2]),
            "vadds.f16 ub[x1+0x1c0], ub[0x40], -1.5, 3, 1, 1, 8, 8");
  EXPECT_EQ(printInstruction(p->code[3]),
            "vconv.s32.f16.rne ub[0x0], ub[0x100], 1, 1, 1, 8, 4");
  EXPECT_EQ(p->code[4].f[fmt::Branch::target], 0u);
  // -D overrides .equ.
  AsmOptions opts;
  opts.defines["T"] = 1;
  Expected<Program> q = parseAssembly(src, "syntax.s", opts);
  ASSERT_TRUE(bool(q));
  EXPECT_EQ(q->code[0].simm(fmt::RI64::imm), int64_t(kGMBase + 1));
}

TEST(ISA, AssemblyErrorsAreOneLineWithLocation) {
  struct Case {
    const char *src, *msg;
  } cases[] = {
      {"  frob x1\n", "2:3: error: unknown instruction 'frob'"},
      {"  vadd.f16 ub[16], ub[0], ub[0], 1, 1, 1, 1, 8, 8, 8\n",
       "multiple of 32"},
      {"  copy gm[0], gm[0], 1, 1, 1, 1\n", "must be in ub"},
      {"  vadd.s8 ub[0], ub[0], ub[0], 1, 1, 1, 1, 8, 8, 8\n",
       "type s8 not supported"},
      {"  mmad.f16.zero l0c[0], l0a[0], l0b[0], 4096, 1, 1\n", "out of range"},
      {"  mmad.f16.zero l0c[0], l0a[0], l0b[0], 0, 1, 1\n", "at least 1"},
      {"  addi x1, x2, 0x80000000\n", "out of range"},
      {"  li x32, 0\n", "expected a register"},
      {"  j nowhere\n", "undefined label 'nowhere'"},
      {"  set_flag V, V, 0\n", "must differ"},
      {"  set_flag V, MTE2, 16\n", "out of range"},
      {"  li x1, 1 / 0\n", "division by zero"},
      {"  vadd.f16 ub[0], ub[0]\n", "too few operands"},
      {".gm A, 0\n", "size"},
      {".bogus 1\n", "unknown directive"},
      {"  nop\n", "no instructions"}, // placeholder replaced below
  };
  for (const Case &c : cases) {
    std::string src = std::string("\n") + c.src + "  end\n";
    if (StringRef(c.msg) == "no instructions")
      src = ".cores 1\n";
    Expected<Program> p = parseAssembly(src, "bad.s");
    ASSERT_FALSE(bool(p)) << c.src;
    std::string msg = toString(p.takeError());
    EXPECT_NE(msg.find(c.msg), std::string::npos) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
  }
}

TEST(ISA, DecoderRejectsBadWords) {
  uint8_t word[kInstBytes] = {};
  word[0] = uint8_t(kNumOpcodes); // Unknown opcode.
  Expected<Instruction> r = decodeInstruction(word);
  ASSERT_FALSE(bool(r));
  EXPECT_NE(toString(r.takeError()).find("unknown opcode"), std::string::npos);
  std::memset(word, 0, sizeof(word));
  word[0] = uint8_t(Opcode::NOP);
  word[15] = 0x80; // Reserved bit.
  r = decodeInstruction(word);
  ASSERT_FALSE(bool(r));
  EXPECT_NE(toString(r.takeError()).find("reserved bits"), std::string::npos);
  // Random words either fail cleanly or re-encode to themselves.
  std::mt19937_64 rng(3);
  unsigned valid = 0;
  for (int i = 0; i < 200000; ++i) {
    uint64_t w0 = rng(), w1 = rng() & (rng() & rng());
    w0 = (w0 & ~0xffull) | (w0 % kNumOpcodes);
    std::memcpy(word, &w0, 8);
    std::memcpy(word + 8, &w1, 8);
    Expected<Instruction> d = decodeInstruction(word);
    if (!d) {
      consumeError(d.takeError());
      continue;
    }
    ++valid;
    uint8_t again[kInstBytes];
    encodeInstruction(*d, again);
    EXPECT_EQ(std::memcmp(again, word, kInstBytes), 0);
  }
  EXPECT_GT(valid, 0u);
}

TEST(ISA, BinaryContainerRejectsTruncationAndCorruption) {
  std::mt19937_64 rng(4);
  Program p = randomProgram(rng);
  std::vector<uint8_t> bin = writeBinary(p);
  for (size_t n = 0; n < bin.size(); n += 7) {
    Expected<Program> r = readBinary(ArrayRef<uint8_t>(bin).take_front(n));
    EXPECT_FALSE(bool(r)) << n;
    if (!r)
      consumeError(r.takeError());
  }
  for (int i = 0; i < 2000; ++i) {
    std::vector<uint8_t> bad = bin;
    bad[rng() % bad.size()] ^= uint8_t(1u << (rng() % 8));
    Expected<Program> r = readBinary(bad);
    if (r)
      EXPECT_EQ(writeBinary(*r), bad);
    else
      consumeError(r.takeError());
  }
}

TEST(ISA, DocsContainTheGeneratedEncodingTable) {
  auto buf = MemoryBuffer::getFile(NPU_SOURCE_DIR "/docs/isa.md");
  ASSERT_TRUE(bool(buf));
  EXPECT_NE((*buf)->getBuffer().find(encodingMarkdown()), StringRef::npos)
      << "docs/isa.md is stale: paste `npu-sim --print-isa-table` into it";
}
