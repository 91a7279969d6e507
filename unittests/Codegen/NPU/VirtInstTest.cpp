//===- VirtInstTest.cpp - one npuk.i op per ISA opcode --------------------===//
#include "npu/Dialect/AICore/IR/AICoreOps.h"
#include "npu/Dialect/NPUK/IR/NPUKOps.h"

#include "mlir/IR/MLIRContext.h"
#include "gtest/gtest.h"

using namespace mlir;
using namespace npu;

namespace {

// Every opcode but the branches (tile IR uses scf) has a virtual
// instruction named after its aicore op, implementing VirtInstOpInterface.
TEST(VirtInst, OnePerOpcode) {
  MLIRContext ctx;
  ctx.loadDialect<npuk::NPUKDialect>();
  unsigned count = 0;
  for (unsigned i = 0; i < isa::kNumOpcodes; ++i) {
    auto opc = isa::Opcode(i);
    isa::Format f = isa::opcodeInfo(opc).format;
    std::string name = ("npuk.i." + aicore::getOpName(opc).drop_front(7)).str();
    auto op = RegisteredOperationName::lookup(name, &ctx);
    if (f == isa::Format::Branch || f == isa::Format::Jump) {
      EXPECT_FALSE(op.has_value()) << name;
      continue;
    }
    ASSERT_TRUE(op.has_value()) << name;
    EXPECT_TRUE(op->hasInterface<npuk::VirtInstOpInterface>()) << name;
    ++count;
  }
  EXPECT_EQ(count, isa::kNumOpcodes - 5); // beq bne blt bge j
}

} // namespace
