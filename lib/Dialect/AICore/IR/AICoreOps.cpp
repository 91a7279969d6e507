//===- AICoreOps.cpp - aicore op verifiers and custom syntax --------------===//
#include "npu/Dialect/AICore/IR/AICoreOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/StringSet.h"

using namespace mlir;
using namespace npu;
using namespace npu::aicore;

//===--- Registers: `xN` --------------------------------------------------===//

static ParseResult parseReg(OpAsmParser &parser, IntegerAttr &reg) {
  SMLoc loc = parser.getCurrentLocation();
  StringRef kw;
  unsigned n;
  if (parser.parseKeyword(&kw))
    return failure();
  if (!kw.consume_front("x") || kw.getAsInteger(10, n) || n > 31)
    return parser.emitError(loc, "expected a register x0..x31");
  reg = parser.getBuilder().getI32IntegerAttr(int32_t(n));
  return success();
}

static void printReg(OpAsmPrinter &printer, Operation *, IntegerAttr reg) {
  printer << "x" << reg.getInt();
}

#define GET_OP_CLASSES
#include "npu/Dialect/AICore/IR/AICoreOps.cpp.inc"

//===--- Instructions -----------------------------------------------------===//

unsigned npu::aicore::getBufferAlignment(isa::Buffer b) {
  switch (b) {
  case isa::Buffer::L0A:
  case isa::Buffer::L0B:
    return 512;
  case isa::Buffer::L0C:
    return 64;
  default:
    return isa::kAddrUnit;
  }
}

static constexpr uint64_t kMaxAddrOffset = uint64_t(isa::kAddrUnit) << 15;

LogicalResult npu::aicore::encodeAttrField(Operation *op,
                                           const isa::OperandSpec &s,
                                           Attribute attr, uint64_t &raw) {
  switch (s.kind) {
  case isa::OperandKind::Target:
    return success(); // Resolved by the program verifier and the translation.
  case isa::OperandKind::F32:
    raw = cast<FloatAttr>(attr).getValue().bitcastToAPInt().getZExtValue();
    return success();
  case isa::OperandKind::SImm: {
    int64_t v = cast<IntegerAttr>(attr).getInt();
    if (s.bits < 64) {
      int64_t lo = -(int64_t(1) << (s.bits - 1)), hi = -lo - 1;
      if (v < lo || v > hi)
        return op->emitOpError()
               << "field '" << s.name << "' = " << v << " is out of range ["
               << lo << ", " << hi << "]";
      raw = uint64_t(v) & ((uint64_t(1) << s.bits) - 1);
    } else {
      raw = uint64_t(v);
    }
    return success();
  }
  default: {
    // Registers, immediates, events and enum values: unsigned fields.
    int64_t v = cast<IntegerAttr>(attr).getInt();
    uint64_t hi = (uint64_t(1) << s.bits) - 1;
    if (v < 0 || uint64_t(v) > hi)
      return op->emitOpError() << "field '" << s.name << "' = " << v
                               << " is out of range [0, " << hi << "]";
    raw = uint64_t(v);
    return success();
  }
  }
}

LogicalResult npu::aicore::verifyInstOp(Operation *op, isa::Opcode opcode) {
  isa::Instruction inst;
  inst.op = opcode;
  const isa::OperandSpec *specs =
      isa::formatOperands(isa::opcodeInfo(opcode).format);
  unsigned operand = 0;
  for (unsigned i = 0; specs[i].kind != isa::OperandKind::End; ++i) {
    const isa::OperandSpec &s = specs[i];
    if (isa::isAddress(s.kind)) {
      Value v = op->getOperand(operand++);
      isa::Buffer want = isa::addressBuffer(s.kind);
      std::optional<isa::Buffer> got = getBuffer(v.getType());
      if (got != want)
        return op->emitOpError()
               << "operand '" << s.name
               << "' must be a memref in #aicore.space<"
               << isa::bufferName(want) << ">, got " << v.getType();
      // The ISA checks see the address when it is known and well formed.
      if (auto addr = v.getDefiningOp<AddrOp>())
        if (addr.getBase() < 32 && addr.getOffset() < kMaxAddrOffset)
          inst.f[i] = isa::makeAddr(addr.getBase(), addr.getOffset());
      continue;
    }
    if (failed(encodeAttrField(op, s, op->getAttr(s.name), inst.f[i])))
      return failure();
  }
  if (llvm::Error e = isa::verifyInstruction(inst)) {
    // Drop the "'<instruction text>': " prefix the ISA puts on its messages.
    std::string msg = llvm::toString(std::move(e));
    size_t cut = msg.find("': ");
    return op->emitOpError(cut == std::string::npos ? msg
                                                    : msg.substr(cut + 3));
  }
  return success();
}

//===--- Addresses --------------------------------------------------------===//

LogicalResult AddrOp::verify() {
  std::optional<isa::Buffer> buf = getBuffer(getType());
  if (!buf)
    return emitOpError() << "result must be a memref in an #aicore.space, got "
                         << getType();
  int64_t base = getBaseAttr().getInt(), off = getOffsetAttr().getInt();
  if (base < 0 || base > 31)
    return emitOpError() << "base register x" << base
                         << " is not one of x0..x31";
  if (off < 0 || uint64_t(off) >= kMaxAddrOffset || off % isa::kAddrUnit)
    return emitOpError() << "offset " << off
                         << " must be a multiple of 32 below 1 MiB";
  unsigned align = getBufferAlignment(*buf);
  if (base == 0 && off % align)
    return emitOpError() << "address " << isa::bufferName(*buf) << "[" << off
                         << "] is not " << align << "-byte aligned";
  return success();
}

//===--- Program and declarations -----------------------------------------===//

LogicalResult ProgramOp::verify() {
  int64_t cores = getCoresAttr().getInt();
  if (cores < 1 || cores > 4096)
    return emitOpError() << "cores must be in 1..4096, got " << cores;
  return success();
}

LogicalResult ProgramOp::verifyRegions() {
  llvm::StringSet<> labels, buffers;
  for (Operation &op : getBody().front()) {
    if (auto label = dyn_cast<LabelOp>(op)) {
      if (!labels.insert(label.getSymName()).second)
        return label.emitOpError()
               << "label @" << label.getSymName() << " is defined twice";
    } else if (auto gm = dyn_cast<GMOp>(op)) {
      if (!buffers.insert(gm.getSymName()).second)
        return gm.emitOpError()
               << "GM buffer @" << gm.getSymName() << " is declared twice";
    }
  }
  for (Operation &op : getBody().front()) {
    if (auto out = dyn_cast<OutputOp>(op)) {
      if (!buffers.contains(out.getBuffer()))
        return out.emitOpError()
               << "names unknown GM buffer @" << out.getBuffer();
    } else if (auto target = op.getAttrOfType<FlatSymbolRefAttr>("target");
               target && llvm::isa<InstOpInterface>(op)) {
      if (!labels.contains(target.getValue()))
        return op.emitOpError()
               << "branch target @" << target.getValue() << " is not a label";
    }
  }
  return success();
}

LogicalResult GMOp::verify() {
  GMInit init = getInit();
  bool typed =
      init == GMInit::Random || init == GMInit::Const || init == GMInit::Iota;
  bool valued = init == GMInit::Random || init == GMInit::Const;
  if (typed != bool(getDtype()))
    return emitOpError() << "a dtype is "
                         << (typed ? "required" : "not allowed")
                         << " with init '" << stringifyGMInit(init) << "'";
  if (valued != bool(getValue()))
    return emitOpError() << "a value is "
                         << (valued ? "required" : "not allowed")
                         << " with init '" << stringifyGMInit(init) << "'";
  if ((init == GMInit::File) != bool(getPath()))
    return emitOpError() << "a path is required with init 'file' only";
  if (getSizeAttr().getInt() <= 0 || getAddrAttr().getInt() <= 0 ||
      getAddr() % 4096)
    return emitOpError() << "needs a positive size and a 4 KiB aligned address";
  return success();
}
