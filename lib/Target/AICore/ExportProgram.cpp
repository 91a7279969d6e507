//===- ExportProgram.cpp - an aicore.program to isa::Program --------------===//
#include "npu/Dialect/AICore/IR/AICoreOps.h"
#include "npu/Target/Translations.h"

#include "llvm/ADT/StringMap.h"

using namespace mlir;
using namespace npu;
using namespace npu::aicore;

static LogicalResult exportInstruction(Operation *op, isa::Opcode opcode,
                                       const llvm::StringMap<uint64_t> &labels,
                                       isa::Instruction &inst) {
  inst.op = opcode;
  const isa::OperandSpec *specs =
      isa::formatOperands(isa::opcodeInfo(opcode).format);
  unsigned operand = 0;
  for (unsigned i = 0; specs[i].kind != isa::OperandKind::End; ++i) {
    const isa::OperandSpec &s = specs[i];
    if (isa::isAddress(s.kind)) {
      auto addr = op->getOperand(operand++).getDefiningOp<AddrOp>();
      if (!addr)
        return op->emitOpError()
               << "operand '" << s.name
               << "' must come from aicore.addr to be encoded";
      inst.f[i] = isa::makeAddr(addr.getBase(), addr.getOffset());
      continue;
    }
    Attribute attr = op->getAttr(s.name);
    switch (s.kind) {
    case isa::OperandKind::Target:
      // The program verifier has checked that the label exists.
      inst.f[i] = labels.lookup(cast<FlatSymbolRefAttr>(attr).getValue());
      break;
    case isa::OperandKind::F32:
      inst.f[i] =
          cast<FloatAttr>(attr).getValue().bitcastToAPInt().getZExtValue();
      break;
    default: {
      // The verifier has checked the range; SImm keeps its low bits.
      uint64_t v = uint64_t(cast<IntegerAttr>(attr).getInt());
      inst.f[i] = s.bits < 64 ? v & ((uint64_t(1) << s.bits) - 1) : v;
      break;
    }
    }
  }
  return success();
}

static LogicalResult exportBody(ProgramOp program, isa::Program &prog) {
  Block &body = program.getBody().front();
  llvm::StringMap<uint64_t> labels;
  uint64_t count = 0;
  for (Operation &op : body) {
    if (auto label = dyn_cast<LabelOp>(op))
      labels[label.getSymName()] = count;
    else if (llvm::isa<InstOpInterface>(op))
      ++count;
  }
  for (Operation &op : body) {
    if (auto gm = dyn_cast<GMOp>(op)) {
      isa::GMBuffer buf;
      buf.name = gm.getSymName().str();
      buf.size = gm.getSize();
      buf.addr = gm.getAddr();
      buf.init = isa::GMInit(gm.getInit());
      if (auto dtype = gm.getDtype())
        buf.dtype = isa::DType(*dtype);
      if (auto value = gm.getValue())
        buf.value = value->convertToDouble();
      if (auto path = gm.getPath())
        buf.path = path->str();
      prog.buffers.push_back(buf);
    } else if (auto out = dyn_cast<OutputOp>(op)) {
      isa::OutputSpec spec;
      spec.buffer = out.getBuffer().str();
      spec.path = out.getPath().str();
      spec.dtype = isa::DType(out.getDtype());
      for (int64_t d : out.getShape())
        spec.shape.push_back(uint64_t(d));
      prog.outputs.push_back(spec);
    } else if (auto inst = dyn_cast<InstOpInterface>(op)) {
      prog.code.emplace_back();
      if (failed(exportInstruction(&op, inst.getOpcode(), labels,
                                   prog.code.back())))
        return failure();
    } else if (!llvm::isa<LabelOp, AddrOp>(op)) {
      return op.emitOpError() << "has no NPU encoding";
    }
  }
  return success();
}

FailureOr<isa::Program> npu::aicore::exportProgram(Operation *root) {
  SmallVector<ProgramOp> programs;
  root->walk([&](ProgramOp p) { programs.push_back(p); });
  if (programs.size() != 1)
    return root->emitError()
           << "expected exactly one aicore.program, found " << programs.size();
  ProgramOp program = programs.front();
  isa::Program prog;
  prog.cores = unsigned(program.getCores());
  if (failed(exportBody(program, prog)))
    return failure();
  // The same checks a binary file gets when it is loaded.
  llvm::Expected<isa::Program> check = isa::readBinary(isa::writeBinary(prog));
  if (!check)
    return program.emitOpError()
           << "is not a valid NPU program: " << toString(check.takeError());
  return prog;
}
