//===- AICoreDialect.cpp - aicore dialect registration and attributes -----===//
#include "npu/Dialect/AICore/IR/AICoreDialect.h"
#include "npu/Dialect/AICore/IR/AICoreOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace npu::aicore;

#include "npu/Dialect/AICore/IR/AICoreEnums.cpp.inc"
#include "npu/Dialect/AICore/IR/AICoreOpsDialect.cpp.inc"
#define GET_ATTRDEF_CLASSES
#include "npu/Dialect/AICore/IR/AICoreAttrs.cpp.inc"
#include "npu/Dialect/AICore/IR/AICoreInterfaces.cpp.inc"

namespace {
/// Prints `memref<?xi8, #aicore.space<ub>>`, the type of imported addresses,
/// as the alias `!ub_buf`.
struct AICoreOpAsmInterface : public OpAsmDialectInterface {
  using OpAsmDialectInterface::OpAsmDialectInterface;
  AliasResult getAlias(Type type, raw_ostream &os) const override {
    auto memref = dyn_cast<MemRefType>(type);
    if (!memref || memref.getRank() != 1 || !memref.isDynamicDim(0) ||
        !memref.getElementType().isInteger(8) ||
        !memref.getLayout().isIdentity())
      return AliasResult::NoAlias;
    auto space = dyn_cast_or_null<BufferAttr>(memref.getMemorySpace());
    if (!space)
      return AliasResult::NoAlias;
    os << stringifyBuffer(space.getValue()) << "_buf";
    return AliasResult::FinalAlias;
  }
};
} // namespace

void AICoreDialect::initialize() {
  addInterfaces<AICoreOpAsmInterface>();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "npu/Dialect/AICore/IR/AICoreAttrs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "npu/Dialect/AICore/IR/AICoreOps.cpp.inc"
      >();
}

std::optional<npu::isa::Buffer> npu::aicore::getBuffer(Type type) {
  auto memref = dyn_cast<BaseMemRefType>(type);
  if (!memref)
    return std::nullopt;
  auto space = dyn_cast_or_null<BufferAttr>(memref.getMemorySpace());
  if (!space)
    return std::nullopt;
  return npu::isa::Buffer(unsigned(space.getValue()));
}

StringRef npu::aicore::getOpName(npu::isa::Opcode opcode) {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v = {
#define NPU_INST(E, M, P, F, T) "aicore." #E,
#include "npu/Target/ISA/ISA.def"
    };
    for (std::string &s : v)
      s = StringRef(s).lower();
    return v;
  }();
  return names[unsigned(opcode)];
}
