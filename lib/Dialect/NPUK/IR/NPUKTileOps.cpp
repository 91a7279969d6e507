//===- NPUKTileOps.cpp - tile-level npuk ops
//--------------------------------===//
#include "npu/Dialect/NPUK/IR/NPUKOps.h"

#include "NPUKSyntax.h"
#include "mlir/IR/Builders.h"
#include <cstring>

using namespace mlir;
using namespace npu;
using namespace npu::npuk;

bool npu::npuk::isBufferRef(Type type) {
  return llvm::isa<MemRefType>(type) && aicore::getBuffer(type).has_value();
}

static bool isResultReg(const isa::OperandSpec &s) {
  return s.kind == isa::OperandKind::Reg && std::strcmp(s.name, "d") == 0;
}

static const isa::OperandSpec *specsOf(isa::Opcode opcode) {
  return isa::formatOperands(isa::opcodeInfo(opcode).format);
}

//===--- Virtual instructions ---------------------------------------------===//

SmallVector<AddressOperand> npu::npuk::getAddressOperands(Operation *op) {
  auto inst = cast<VirtInstOpInterface>(op);
  const isa::OperandSpec *specs = specsOf(inst.getOpcode());
  SmallVector<AddressOperand> out;
  unsigned operand = 0;
  for (unsigned i = 0; specs[i].kind != isa::OperandKind::End; ++i) {
    if (isa::isAddress(specs[i].kind)) {
      out.push_back({i, isa::addressBuffer(specs[i].kind),
                     op->getOperand(operand), op->getOperand(operand + 1)});
      operand += 2;
    } else if (specs[i].kind == isa::OperandKind::Reg &&
               !isResultReg(specs[i])) {
      ++operand;
    }
  }
  return out;
}

isa::Instruction npu::npuk::getInstruction(Operation *op,
                                           ArrayRef<uint64_t> addressBytes) {
  isa::Instruction inst;
  inst.op = cast<VirtInstOpInterface>(op).getOpcode();
  const isa::OperandSpec *specs = specsOf(inst.op);
  unsigned addr = 0;
  for (unsigned i = 0; specs[i].kind != isa::OperandKind::End; ++i) {
    const isa::OperandSpec &s = specs[i];
    if (isa::isAddress(s.kind)) {
      inst.f[i] = addr < addressBytes.size() ? addressBytes[addr] : 0;
      ++addr;
    } else if (s.kind != isa::OperandKind::Reg) {
      if (Attribute a = op->getAttr(s.name)) {
        if (auto f = dyn_cast<FloatAttr>(a))
          inst.f[i] = f.getValue().bitcastToAPInt().getZExtValue();
        else if (auto n = dyn_cast<IntegerAttr>(a))
          inst.f[i] = uint64_t(n.getInt());
      }
    }
  }
  return inst;
}

LogicalResult npu::npuk::verifyVirtInst(Operation *op, isa::Opcode opcode) {
  isa::Instruction inst;
  inst.op = opcode;
  for (const AddressOperand &a : getAddressOperands(op))
    if (aicore::getBuffer(a.base.getType()) != a.buffer)
      return op->emitOpError()
             << "operand '" << specsOf(opcode)[a.field].name
             << "' must be a memref in #aicore.space<"
             << isa::bufferName(a.buffer) << ">, got " << a.base.getType();
  const isa::OperandSpec *specs = specsOf(opcode);
  for (unsigned i = 0; specs[i].kind != isa::OperandKind::End; ++i)
    if (!isa::isAddress(specs[i].kind) &&
        specs[i].kind != isa::OperandKind::Reg &&
        failed(aicore::encodeAttrField(op, specs[i], op->getAttr(specs[i].name),
                                       inst.f[i])))
      return failure();
  // Addresses and registers are not known yet: the ISA's checks see zeros,
  // which satisfy every rule that involves them.
  if (llvm::Error e = isa::verifyInstruction(inst)) {
    std::string msg = llvm::toString(std::move(e));
    size_t cut = msg.find("': ");
    return op->emitOpError(cut == std::string::npos ? msg
                                                    : msg.substr(cut + 3));
  }
  return success();
}

isa::Pipe npu::npuk::getVirtInstPipe(Operation *op) {
  isa::Opcode opcode = cast<VirtInstOpInterface>(op).getOpcode();
  const char *field = opcode == isa::Opcode::SET_FLAG       ? "src"
                      : opcode == isa::Opcode::WAIT_FLAG    ? "dst"
                      : opcode == isa::Opcode::PIPE_BARRIER ? "pipe"
                                                            : nullptr;
  if (!field)
    return isa::opcodeInfo(opcode).pipe;
  return isa::Pipe(
      unsigned(op->getAttrOfType<aicore::PipeAttr>(field).getValue()));
}

void npu::npuk::getVirtInstAccesses(Operation *op,
                                    ArrayRef<uint64_t> addressBytes,
                                    const FmapState &fmap,
                                    SmallVectorImpl<Access> &out) {
  isa::Instruction inst = getInstruction(op, addressBytes);
  // A prefetch only warms the L2: no data effect, nothing to order.
  if (inst.op == isa::Opcode::PREFETCH)
    return;
  isa::AccessList list;
  isa::footprint(inst, inst.f.data(), fmap, list);
  out.append(list.begin(), list.end());
}

//===--- Slots ------------------------------------------------------------===//

// npuk.slot "name" bytes N [align A] [copies C] : type
ParseResult SlotOp::parse(OpAsmParser &parser, OperationState &result) {
  std::string name;
  int64_t bytes = 0, align = 0, copies = 1;
  Type type;
  if (parser.parseString(&name) || parser.parseKeyword("bytes") ||
      parser.parseInteger(bytes))
    return failure();
  if (succeeded(parser.parseOptionalKeyword("align")) &&
      parser.parseInteger(align))
    return failure();
  SMLoc copiesLoc = parser.getCurrentLocation();
  if (succeeded(parser.parseOptionalKeyword("copies")) &&
      parser.parseInteger(copies))
    return failure();
  if (parser.parseOptionalAttrDict(result.attributes) ||
      parser.parseColonType(type))
    return failure();
  if (copies < 1 || copies > 64)
    return parser.emitError(copiesLoc, "copies must be in 1..64");
  std::optional<isa::Buffer> buf = aicore::getBuffer(type);
  if (!align && buf)
    align = aicore::getBufferAlignment(*buf);
  Builder &b = parser.getBuilder();
  result.addAttribute("name", b.getStringAttr(name));
  result.addAttribute("bytes", b.getI64IntegerAttr(bytes));
  result.addAttribute("align", b.getI64IntegerAttr(align));
  result.addTypes(SmallVector<Type>(copies, type));
  return success();
}

void SlotOp::print(OpAsmPrinter &p) {
  p << " ";
  p.printString(getName());
  p << " bytes " << getBytes();
  if (getBuffer() == isa::Buffer::GM ||
      uint64_t(getAlign()) != aicore::getBufferAlignment(getBuffer()))
    p << " align " << getAlign();
  if (getNumResults() != 1)
    p << " copies " << getNumResults();
  p.printOptionalAttrDict((*this)->getAttrs(), {"name", "bytes", "align"});
  p << " : " << getResult(0).getType();
}

isa::Buffer SlotOp::getBuffer() {
  return *aicore::getBuffer(getResult(0).getType());
}

/// Common checks of slot and slot_at: an on-chip buffer, positive size.
static LogicalResult verifyOnChip(Operation *op, Type type, int64_t bytes) {
  std::optional<isa::Buffer> buf = aicore::getBuffer(type);
  if (!buf || *buf == isa::Buffer::GM)
    return op->emitOpError() << "must be in an on-chip buffer (l1, l0a, l0b, "
                                "l0c or ub), got "
                             << type;
  if (bytes <= 0)
    return op->emitOpError() << "needs a positive size, got " << bytes;
  return success();
}

LogicalResult SlotOp::verify() {
  if (getNumResults() == 0)
    return emitOpError("needs at least one copy");
  Type type = getResult(0).getType();
  if (llvm::any_of(getResultTypes(), [&](Type t) { return t != type; }))
    return emitOpError("copies must have one type");
  if (failed(verifyOnChip(*this, type, getBytes())))
    return failure();
  int64_t align = getAlign(), need = aicore::getBufferAlignment(getBuffer());
  if (align <= 0 || (align & (align - 1)) || align % need)
    return emitOpError() << "align " << align
                         << " must be a power of two and a multiple of " << need
                         << " (the " << isa::bufferName(getBuffer())
                         << " alignment)";
  return success();
}

isa::Buffer SlotAtOp::getBuffer() { return *aicore::getBuffer(getType()); }

LogicalResult SlotAtOp::verify() {
  if (failed(verifyOnChip(*this, getType(), getBytes())))
    return failure();
  if (getOffset() < 0 ||
      getOffset() % aicore::getBufferAlignment(getBuffer()) || getCopy() < 0)
    return emitOpError() << "offset " << getOffset() << " is not "
                         << aicore::getBufferAlignment(getBuffer())
                         << "-byte aligned";
  return success();
}

//===--- GM regions -------------------------------------------------------===//

// npuk.gm "name" size N at ADDR [INIT [DTYPE] [VALUE] [PATH]] : type
ParseResult GMOp::parse(OpAsmParser &parser, OperationState &result) {
  std::string name;
  int64_t size, addr;
  Type type;
  if (parser.parseString(&name) || parser.parseKeyword("size") ||
      parser.parseInteger(size) || parser.parseKeyword("at") ||
      parser.parseInteger(addr))
    return failure();
  Builder &b = parser.getBuilder();
  MLIRContext *ctx = parser.getContext();
  aicore::GMInit init = aicore::GMInit::Zero;
  StringRef kw;
  SMLoc loc = parser.getCurrentLocation();
  if (succeeded(parser.parseOptionalKeyword(&kw))) {
    std::optional<aicore::GMInit> v = aicore::symbolizeGMInit(kw);
    if (!v)
      return parser.emitError(loc, "unknown GM init '") << kw << "'";
    init = *v;
  }
  if (init == aicore::GMInit::Random || init == aicore::GMInit::Const ||
      init == aicore::GMInit::Iota) {
    aicore::DTypeAttr dtype;
    if (parseEnum(parser, dtype))
      return failure();
    result.addAttribute("dtype", dtype);
  }
  if (init == aicore::GMInit::Random || init == aicore::GMInit::Const) {
    double value;
    if (parser.parseFloat(value))
      return failure();
    result.addAttribute("value", b.getF64FloatAttr(value));
  }
  if (init == aicore::GMInit::File) {
    std::string path;
    if (parser.parseString(&path))
      return failure();
    result.addAttribute("path", b.getStringAttr(path));
  }
  if (parser.parseOptionalAttrDict(result.attributes) ||
      parser.parseColonType(type))
    return failure();
  result.addAttribute("name", b.getStringAttr(name));
  result.addAttribute("size", b.getI64IntegerAttr(size));
  result.addAttribute("addr", b.getI64IntegerAttr(addr));
  result.addAttribute("init", aicore::GMInitAttr::get(ctx, init));
  result.addTypes(type);
  return success();
}

void GMOp::print(OpAsmPrinter &p) {
  p << " ";
  p.printString(getName());
  p << " size " << getSize() << " at " << getAddr();
  if (getInit() != aicore::GMInit::Zero)
    p << " " << aicore::stringifyGMInit(getInit());
  if (auto dtype = getDtype())
    p << " " << aicore::stringifyDType(*dtype);
  if (auto value = getValueAttr())
    p << " " << value.getValue();
  if (auto path = getPath()) {
    p << " ";
    p.printString(*path);
  }
  p.printOptionalAttrDict((*this)->getAttrs(), {"name", "size", "addr", "init",
                                                "dtype", "value", "path"});
  p << " : " << getType();
}

LogicalResult GMOp::verify() {
  if (aicore::getBuffer(getType()) != isa::Buffer::GM)
    return emitOpError() << "must be a memref in #aicore.space<gm>, got "
                         << getType();
  if (getSize() <= 0 || getAddr() <= 0 || getAddr() % 4096)
    return emitOpError() << "needs a positive size and a 4 KiB aligned "
                            "address, got size "
                         << getSize() << " at " << getAddr();
  return success();
}
