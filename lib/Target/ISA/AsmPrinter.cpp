//===- AsmPrinter.cpp - Canonical assembly text for instructions/programs -===//
#include "npu/Target/ISA/Program.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <set>

using namespace llvm;

namespace npu::isa {

static const char *const kCmpNames[] = {"eq", "ne", "lt", "le", "gt", "ge"};
static const char *const kRoundNames[] = {"rne", "rz", "floor", "ceil",
                                          "away"};
static const char *const kInitNames[] = {"zero", "acc"};

const char *cmpModeName(unsigned v) { return v < 6 ? kCmpNames[v] : "?"; }
const char *roundModeName(unsigned v) { return v < 5 ? kRoundNames[v] : "?"; }
const char *initName(unsigned v) { return v < 2 ? kInitNames[v] : "?"; }

/// Shortest decimal form that reads back to the same fp32 bits; NaNs (whose
/// payloads decimal cannot carry) print as raw bits.
static void printF32(raw_ostream &os, uint32_t bits) {
  float f;
  std::memcpy(&f, &bits, 4);
  if (std::isnan(f)) {
    os << "f32:" << format_hex(bits, 10);
    return;
  }
  for (int prec = 1; prec <= 9; ++prec) {
    char buf[64];
    snprintf(buf, sizeof(buf), "%.*g", prec, double(f));
    float back = strtof(buf, nullptr);
    uint32_t bb;
    std::memcpy(&bb, &back, 4);
    if (bb == bits) {
      os << buf;
      return;
    }
  }
  os << "f32:" << format_hex(bits, 10);
}

static void printOperand(raw_ostream &os, const Instruction &inst, unsigned i,
                         const OperandSpec &s) {
  uint64_t v = inst.f[i];
  switch (s.kind) {
  case OperandKind::Reg:
    os << "x" << v;
    return;
  case OperandKind::Imm:
  case OperandKind::Event:
    os << v;
    return;
  case OperandKind::SImm:
    os << inst.simm(i);
    return;
  case OperandKind::F32:
    printF32(os, uint32_t(v));
    return;
  case OperandKind::Target:
    os << "L" << v;
    return;
  case OperandKind::Pipe:
    os << pipeName(Pipe(v));
    return;
  default:
    break;
  }
  if (isAddress(s.kind)) {
    unsigned reg = inst.addrReg(i);
    uint64_t off = inst.addrOff(i);
    os << bufferName(addressBuffer(s.kind)) << "[";
    if (reg != 0) {
      os << "x" << reg;
      if (off)
        os << "+" << format_hex(off, 0);
    } else {
      os << format_hex(off, 0);
    }
    os << "]";
  }
}

static void printSuffix(raw_ostream &os, const OperandSpec &s, uint64_t v) {
  os << ".";
  switch (s.kind) {
  case OperandKind::SfxType:
    os << dtypeName(DType(v));
    break;
  case OperandKind::SfxCmp:
    os << cmpModeName(unsigned(v));
    break;
  case OperandKind::SfxInit:
    os << initName(unsigned(v));
    break;
  default:
    os << roundModeName(unsigned(v));
    break;
  }
}

std::string printInstruction(const Instruction &inst) {
  if (unsigned(inst.op) >= kNumOpcodes)
    return "<bad opcode>";
  std::string out;
  raw_string_ostream os(out);
  const OpcodeInfo &info = inst.info();
  os << info.mnemonic;
  const OperandSpec *ops = formatOperands(info.format);
  for (unsigned i = 0; ops[i].kind != OperandKind::End; ++i)
    if (isSuffix(ops[i].kind))
      printSuffix(os, ops[i], inst.f[i]);
  bool first = true;
  for (unsigned i = 0; ops[i].kind != OperandKind::End; ++i) {
    if (isSuffix(ops[i].kind))
      continue;
    os << (first ? " " : ", ");
    first = false;
    printOperand(os, inst, i, ops[i]);
  }
  return out;
}

static void printQuoted(raw_ostream &os, StringRef s) {
  os << '"';
  for (char c : s) {
    if (c == '"' || c == '\\')
      os << '\\';
    os << c;
  }
  os << '"';
}

std::string printProgram(const Program &prog) {
  std::string out;
  raw_string_ostream os(out);
  os << ".cores " << prog.cores << "\n";
  for (const GMBuffer &b : prog.buffers) {
    os << ".gm " << b.name << ", " << b.size;
    switch (b.init) {
    case GMInit::Zero:
      break;
    case GMInit::Random:
      os << ", random " << dtypeName(b.dtype) << " " << uint64_t(b.value);
      break;
    case GMInit::Const:
      os << ", const " << dtypeName(b.dtype) << " "
         << format("%.17g", b.value);
      break;
    case GMInit::Iota:
      os << ", iota " << dtypeName(b.dtype);
      break;
    case GMInit::File:
      os << ", file ";
      printQuoted(os, b.path);
      break;
    }
    os << " @" << format_hex(b.addr, 0) << "\n";
  }
  for (const OutputSpec &o : prog.outputs) {
    os << ".output " << o.buffer << ", ";
    printQuoted(os, o.path);
    os << ", " << dtypeName(o.dtype);
    for (uint64_t d : o.shape)
      os << ", " << d;
    os << "\n";
  }
  std::set<uint64_t> targets;
  for (const Instruction &inst : prog.code) {
    Format f = inst.info().format;
    if (f == Format::Branch)
      targets.insert(inst.f[fmt::Branch::target]);
    else if (f == Format::Jump)
      targets.insert(inst.f[fmt::Jump::target]);
  }
  for (size_t i = 0; i < prog.code.size(); ++i) {
    if (targets.count(i))
      os << "L" << i << ":\n";
    os << "  " << printInstruction(prog.code[i]) << "\n";
  }
  return out;
}

} // namespace npu::isa
