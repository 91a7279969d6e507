//===- ImportProgram.cpp - isa::Program to an aicore.program --------------===//
#include "npu/Dialect/AICore/IR/AICoreOps.h"
#include "npu/Target/Translations.h"

#include "mlir/IR/Builders.h"
#include <set>

using namespace mlir;
using namespace npu;
using namespace npu::aicore;

static Attribute fieldAttr(OpBuilder &b, const isa::Instruction &inst,
                           unsigned i, const isa::OperandSpec &s) {
  MLIRContext *ctx = b.getContext();
  uint64_t v = inst.f[i];
  switch (s.kind) {
  case isa::OperandKind::Reg:
  case isa::OperandKind::Event:
    return b.getI32IntegerAttr(int32_t(v));
  case isa::OperandKind::Imm:
    return b.getI64IntegerAttr(int64_t(v));
  case isa::OperandKind::SImm:
    return b.getI64IntegerAttr(inst.simm(i));
  case isa::OperandKind::F32:
    return FloatAttr::get(b.getF32Type(),
                          APFloat(APFloat::IEEEsingle(), APInt(32, v)));
  case isa::OperandKind::Target:
    return FlatSymbolRefAttr::get(ctx, "L" + std::to_string(v));
  case isa::OperandKind::Pipe:
    return PipeAttr::get(ctx, Pipe(v));
  case isa::OperandKind::SfxType:
    return DTypeAttr::get(ctx, DType(v));
  case isa::OperandKind::SfxCmp:
    return CmpModeAttr::get(ctx, CmpMode(v));
  case isa::OperandKind::SfxInit:
    return InitModeAttr::get(ctx, InitMode(v));
  case isa::OperandKind::SfxRound:
    return RoundModeAttr::get(ctx, RoundMode(v));
  default:
    llvm_unreachable("address fields are operands");
  }
}

static void importInstruction(OpBuilder &b, Location loc,
                              const isa::Instruction &inst) {
  MLIRContext *ctx = b.getContext();
  OperationState state(loc, getOpName(inst.op));
  const isa::OperandSpec *specs = isa::formatOperands(inst.info().format);
  for (unsigned i = 0; specs[i].kind != isa::OperandKind::End; ++i) {
    const isa::OperandSpec &s = specs[i];
    if (!isa::isAddress(s.kind)) {
      state.addAttribute(s.name, fieldAttr(b, inst, i, s));
      continue;
    }
    auto space = BufferAttr::get(ctx, Buffer(isa::addressBuffer(s.kind)));
    auto type = MemRefType::get({ShapedType::kDynamic}, b.getI8Type(),
                                MemRefLayoutAttrInterface(), space);
    state.addOperands(
        b.create<AddrOp>(loc, type, inst.addrReg(i), inst.addrOff(i))
            .getResult());
  }
  b.create(state);
}

/// A static address the aicore.addr verifier would reject, as a message.
static std::string misalignedAddress(const isa::Instruction &inst) {
  const isa::OperandSpec *specs = isa::formatOperands(inst.info().format);
  for (unsigned i = 0; specs[i].kind != isa::OperandKind::End; ++i) {
    if (!isa::isAddress(specs[i].kind) || inst.addrReg(i) != 0)
      continue;
    isa::Buffer buf = isa::addressBuffer(specs[i].kind);
    unsigned align = getBufferAlignment(buf);
    if (inst.addrOff(i) % align)
      return (isa::bufferName(buf) + " address " + Twine(inst.addrOff(i)) +
              " is not " + Twine(align) + "-byte aligned")
          .str();
  }
  return "";
}

OwningOpRef<ModuleOp> npu::aicore::importProgram(const isa::Program &prog,
                                                 MLIRContext *ctx, Location loc,
                                                 std::string *error) {
  for (size_t i = 0; i < prog.code.size(); ++i) {
    std::string msg = misalignedAddress(prog.code[i]);
    if (msg.empty())
      continue;
    if (error)
      *error = "instruction " + std::to_string(i) + " '" +
               isa::printInstruction(prog.code[i]) + "': " + msg;
    return nullptr;
  }
  ctx->loadDialect<AICoreDialect>();
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  OpBuilder b(ctx);
  b.setInsertionPointToEnd(module->getBody());
  auto program = b.create<ProgramOp>(loc, prog.cores);
  b.setInsertionPointToStart(&program.getBody().emplaceBlock());

  for (const isa::GMBuffer &buf : prog.buffers) {
    bool typed = buf.init == isa::GMInit::Random ||
                 buf.init == isa::GMInit::Const ||
                 buf.init == isa::GMInit::Iota;
    bool valued =
        buf.init == isa::GMInit::Random || buf.init == isa::GMInit::Const;
    b.create<GMOp>(loc, b.getStringAttr(buf.name),
                   b.getI64IntegerAttr(buf.size), b.getI64IntegerAttr(buf.addr),
                   GMInitAttr::get(ctx, GMInit(buf.init)),
                   typed ? DTypeAttr::get(ctx, DType(buf.dtype)) : DTypeAttr(),
                   valued ? b.getF64FloatAttr(buf.value) : FloatAttr(),
                   buf.init == isa::GMInit::File ? b.getStringAttr(buf.path)
                                                 : StringAttr());
  }
  for (const isa::OutputSpec &out : prog.outputs) {
    SmallVector<int64_t> shape(out.shape.begin(), out.shape.end());
    b.create<OutputOp>(
        loc, FlatSymbolRefAttr::get(ctx, out.buffer), b.getStringAttr(out.path),
        DTypeAttr::get(ctx, DType(out.dtype)), b.getDenseI64ArrayAttr(shape));
  }

  std::set<uint64_t> targets;
  for (const isa::Instruction &inst : prog.code) {
    isa::Format f = inst.info().format;
    if (f == isa::Format::Branch)
      targets.insert(inst.f[isa::fmt::Branch::target]);
    else if (f == isa::Format::Jump)
      targets.insert(inst.f[isa::fmt::Jump::target]);
  }
  for (size_t i = 0; i < prog.code.size(); ++i) {
    if (targets.count(i))
      b.create<LabelOp>(loc, b.getStringAttr("L" + std::to_string(i)));
    importInstruction(b, loc, prog.code[i]);
  }
  return module;
}
