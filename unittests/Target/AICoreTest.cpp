//===- AICoreTest.cpp - aicore dialect vs ISA.def, in-process round trips -===//
#include "npu/Dialect/AICore/IR/AICoreOps.h"
#include "npu/Target/Translations.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/MemoryBuffer.h"
#include "gtest/gtest.h"
#include <random>
#include <set>

using namespace mlir;
using namespace npu;

namespace {

/// Prints the module as text and parses it back, so each round trip also
/// covers the dialect's assembly format.
FailureOr<isa::Program> throughText(const isa::Program &prog,
                                    MLIRContext &ctx) {
  OwningOpRef<ModuleOp> module =
      aicore::importProgram(prog, &ctx, UnknownLoc::get(&ctx));
  if (!module)
    return failure();
  std::string text;
  llvm::raw_string_ostream os(text);
  module->print(os);
  OwningOpRef<ModuleOp> parsed = parseSourceString<ModuleOp>(text, &ctx);
  if (!parsed)
    return failure();
  return aicore::exportProgram(*parsed);
}

isa::Program loadAsm(const std::string &path) {
  auto buf = llvm::MemoryBuffer::getFile(path);
  EXPECT_TRUE(bool(buf)) << path;
  if (!buf)
    return {};
  llvm::Expected<isa::Program> prog =
      isa::parseAssembly((*buf)->getBuffer(), path);
  EXPECT_TRUE(bool(prog)) << toString(prog.takeError());
  return prog ? *prog : isa::Program();
}

TEST(AICore, OneOpPerOpcode) {
  MLIRContext ctx;
  ctx.loadDialect<aicore::AICoreDialect>();
  for (unsigned i = 0; i < isa::kNumOpcodes; ++i) {
    auto name = RegisteredOperationName::lookup(
        aicore::getOpName(isa::Opcode(i)), &ctx);
    ASSERT_TRUE(name.has_value()) << aicore::getOpName(isa::Opcode(i)).str();
    EXPECT_TRUE(name->hasInterface<aicore::InstOpInterface>());
  }
  for (unsigned i = 0; i < isa::kNumDTypes; ++i)
    EXPECT_EQ(aicore::stringifyDType(aicore::DType(i)),
              isa::dtypeName(isa::DType(i)));
  for (unsigned i = 0; i < isa::kNumBuffers; ++i)
    EXPECT_EQ(aicore::stringifyBuffer(aicore::Buffer(i)),
              isa::bufferName(isa::Buffer(i)));
}

// The lit test all-opcodes.s is the per-opcode round trip; it must keep
// covering the whole table as ISA.def grows.
TEST(AICore, LitTestCoversEveryOpcode) {
  isa::Program prog = loadAsm(std::string(NPU_SOURCE_DIR) +
                              "/test/lit/Target/AICore/all-opcodes.s");
  std::set<unsigned> seen;
  for (const isa::Instruction &inst : prog.code)
    seen.insert(unsigned(inst.op));
  for (unsigned i = 0; i < isa::kNumOpcodes; ++i)
    EXPECT_TRUE(seen.count(i))
        << "all-opcodes.s lacks opcode " << i << " ("
        << isa::opcodeInfo(isa::Opcode(i)).mnemonic << ")";
}

TEST(AICore, BenchKernelsRoundTrip) {
  MLIRContext ctx;
  for (const char *k :
       {"gemm_f16", "elementwise_f16", "conv_load3d_f16", "vector_small_ops"}) {
    isa::Program prog =
        loadAsm(std::string(NPU_SOURCE_DIR) + "/bench/npu/" + k + ".s");
    FailureOr<isa::Program> back = throughText(prog, ctx);
    ASSERT_TRUE(succeeded(back)) << k;
    EXPECT_TRUE(*back == prog) << k;
  }
}

/// Random field values, kept to what the ISA and the dialect accept.
std::optional<isa::Instruction> randomInst(isa::Opcode op, std::mt19937_64 &rng,
                                           unsigned progSize) {
  const isa::OperandSpec *specs =
      isa::formatOperands(isa::opcodeInfo(op).format);
  for (int attempt = 0; attempt < 500; ++attempt) {
    isa::Instruction inst;
    inst.op = op;
    for (unsigned i = 0; specs[i].kind != isa::OperandKind::End; ++i) {
      const isa::OperandSpec &s = specs[i];
      uint64_t v = rng();
      if (s.bits < 64)
        v &= (uint64_t(1) << s.bits) - 1;
      switch (s.kind) {
      case isa::OperandKind::Target:
        v %= progSize;
        break;
      case isa::OperandKind::SfxType:
        v %= isa::kNumDTypes;
        break;
      case isa::OperandKind::SfxCmp:
        v %= isa::kNumCmpModes;
        break;
      case isa::OperandKind::SfxRound:
        v = attempt % 2 ? 0 : v % isa::kNumRoundModes;
        break;
      case isa::OperandKind::Pipe:
        v = 1 + v % 6;
        break;
      case isa::OperandKind::Imm:
        if (s.bits > 4 && attempt % 3 == 1)
          v = 1 + v % 16;
        else if (s.bits > 6 && attempt % 3 == 2)
          v = 16 * (1 + v % 4);
        break;
      default:
        if (isa::isAddress(s.kind) && (v & 31) == 0) {
          // A static address must meet the buffer's alignment.
          unsigned align =
              aicore::getBufferAlignment(isa::addressBuffer(s.kind));
          v = isa::makeAddr(0, ((v >> 5) * isa::kAddrUnit) / align * align);
        }
        break;
      }
      inst.f[i] = v;
    }
    if (llvm::Error e = isa::verifyInstruction(inst)) {
      llvm::consumeError(std::move(e));
      continue;
    }
    return inst;
  }
  return std::nullopt;
}

TEST(AICore, RandomProgramsRoundTrip) {
  MLIRContext ctx;
  std::mt19937_64 rng(42);
  for (int round = 0; round < 20; ++round) {
    isa::Program prog;
    const unsigned size = 3 * isa::kNumOpcodes;
    for (unsigned i = 0; i < size; ++i) {
      std::optional<isa::Instruction> inst =
          randomInst(isa::Opcode(i % isa::kNumOpcodes), rng, size);
      ASSERT_TRUE(inst.has_value()) << i % isa::kNumOpcodes;
      prog.code.push_back(*inst);
    }
    prog.cores = 1 + round;
    prog.buffers.push_back({"A", isa::kGMBase, 100, isa::GMInit::Random,
                            isa::DType::BF16, double(round), ""});
    prog.buffers.push_back({"B", 0x2000, 8192, isa::GMInit::Const,
                            isa::DType::F32, -1.25 / (round + 1), ""});
    prog.buffers.push_back(
        {"C", 0x4000, 64, isa::GMInit::File, isa::DType::F16, 0, "c d.bin"});
    prog.outputs.push_back({"B", "b.npy", isa::DType::F32, {2, 16}});
    FailureOr<isa::Program> back = throughText(prog, ctx);
    ASSERT_TRUE(succeeded(back)) << round;
    EXPECT_TRUE(*back == prog) << round;
    EXPECT_EQ(isa::writeBinary(*back), isa::writeBinary(prog)) << round;
  }
}

} // namespace
