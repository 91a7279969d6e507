//===- AICoreTdGen.cpp - Generate instruction ops from ISA.def ------------===//
//
// Host tool run at build time, so ISA.def stays the single table behind the
// dialects as well:
//   --gen=aicore (default): the ODS enums and one `aicore.*` op per opcode;
//   --gen=npuk: one `npuk.i.*` virtual instruction per opcode (SSA addresses
//     and registers), see include/npu/Dialect/NPUK/IR/NPUKTileOps.td.
//===----------------------------------------------------------------------===//
#include "npu/Target/ISA/Instruction.h"
#include <cctype>
#include <cstdio>
#include <cstring>
#include <string>

namespace npu::isa {
// Suffix names, defined next to the assembly printer.
const char *cmpModeName(unsigned v);
const char *roundModeName(unsigned v);
const char *initName(unsigned v);
} // namespace npu::isa

using namespace npu::isa;

static const char *const kOpcodeEnumNames[] = {
#define NPU_INST(E, M, P, F, T) #E,
#include "npu/Target/ISA/ISA.def"
};

static std::string lower(std::string s) {
  for (char &c : s)
    c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

/// COPY_GM_L1 -> CopyGmL1.
static std::string camel(const std::string &s) {
  std::string out;
  bool up = true;
  for (char c : s) {
    if (c == '_') {
      up = true;
      continue;
    }
    out += up ? char(std::toupper(static_cast<unsigned char>(c)))
              : char(std::tolower(static_cast<unsigned char>(c)));
    up = false;
  }
  return out;
}

static void printEnum(FILE *out, const char *name, const char *summary,
                      unsigned first, unsigned count,
                      const char *(*caseName)(unsigned), bool specialized) {
  std::fprintf(out, "def AICore_%s : I32EnumAttr<\"%s\", \"%s\", [\n", name,
               name, summary);
  for (unsigned i = first; i < first + count; ++i) {
    std::string s = caseName(i);
    std::string id = s;
    for (char &c : id)
      c = char(std::toupper(static_cast<unsigned char>(c)));
    std::fprintf(out, "    I32EnumAttrCase<\"%s\", %u, \"%s\">%s\n", id.c_str(),
                 i, s.c_str(), i + 1 < first + count ? "," : "");
  }
  std::fprintf(out, "  ]> {\n  let cppNamespace = \"::npu::aicore\";\n");
  if (!specialized)
    std::fprintf(out, "  let genSpecializedAttr = 0;\n");
  std::fprintf(out, "}\n\n");
}

static const char *dtypeCase(unsigned i) { return dtypeName(DType(i)).data(); }
static const char *pipeCase(unsigned i) { return pipeName(Pipe(i)).data(); }
static const char *bufferCase(unsigned i) {
  return bufferName(Buffer(i)).data();
}
static const char *cmpCase(unsigned i) { return cmpModeName(i); }
static const char *roundCase(unsigned i) { return roundModeName(i); }
static const char *initCase(unsigned i) { return initName(i); }

/// The ODS argument type of one field.
static const char *argType(OperandKind k) {
  switch (k) {
  case OperandKind::Reg:
  case OperandKind::Event:
    return "I32Attr";
  case OperandKind::Imm:
  case OperandKind::SImm:
    return "I64Attr";
  case OperandKind::F32:
    return "F32Attr";
  case OperandKind::Target:
    return "FlatSymbolRefAttr";
  case OperandKind::Pipe:
    return "AICore_Pipe";
  case OperandKind::SfxType:
    return "AICore_DType";
  case OperandKind::SfxCmp:
    return "AICore_CmpMode";
  case OperandKind::SfxInit:
    return "AICore_InitMode";
  case OperandKind::SfxRound:
    return "AICore_RoundMode";
  default:
    return "AnyRankedOrUnrankedMemRef";
  }
}

static void printOp(FILE *out, unsigned opc) {
  const OpcodeInfo &info = opcodeInfo(Opcode(opc));
  std::string e = kOpcodeEnumNames[opc];
  std::string args, sfx, elems, types;
  for (const OperandSpec *o = formatOperands(info.format);
       o->kind != OperandKind::End; ++o) {
    std::string n = o->name;
    args += std::string(args.empty() ? "" : ",\n      ") + argType(o->kind) +
            ":$" + n;
    if (isSuffix(o->kind)) {
      sfx += "$" + n + " ";
      continue;
    }
    std::string el;
    if (o->kind == OperandKind::Imm)
      el = "`" + n + "` `=` $" + n;
    else if (o->kind == OperandKind::Reg)
      el = "custom<Reg>($" + n + ")";
    else
      el = "$" + n;
    elems += (elems.empty() ? "" : " `,` ") + el;
    if (isAddress(o->kind))
      types += (types.empty() ? "type($" : " `,` type($") + n + ")";
  }
  std::string fmt = sfx + elems + (elems.empty() ? "" : " ") + "attr-dict";
  if (!types.empty())
    fmt += " `:` " + types;
  std::string pipe = info.pipe == Pipe::Dyn ? std::string("operand")
                                            : pipeName(info.pipe).str();
  std::fprintf(out,
               "def AICore_%sOp : AICore_InstOp<\"%s\", \"%s\"> {\n"
               "  let summary = \"`%s` (opcode %u, pipe %s)\";\n"
               "  let arguments = (ins%s%s);\n"
               "  let assemblyFormat = \"%s\";\n}\n\n",
               camel(e).c_str(), lower(e).c_str(), e.c_str(), info.mnemonic,
               opc, pipe.c_str(), args.empty() ? "" : "\n      ", args.c_str(),
               fmt.c_str());
}

//===--- npuk.i.*
//-----------------------------------------------------------===//

/// Branches and jumps have no virtual instruction: tile IR uses scf.
static bool hasVirtualInst(const OpcodeInfo &info) {
  return info.format != Format::Branch && info.format != Format::Jump;
}

/// The ODS attribute of a non-address, non-register field in npuk.
static const char *npukAttrType(OperandKind k) {
  switch (k) {
  case OperandKind::Pipe:
    return "NPUK_PipeAttr";
  case OperandKind::SfxType:
    return "NPUK_DTypeAttr";
  case OperandKind::SfxCmp:
    return "NPUK_CmpModeAttr";
  case OperandKind::SfxInit:
    return "NPUK_InitModeAttr";
  case OperandKind::SfxRound:
    return "NPUK_RoundModeAttr";
  default:
    return argType(k);
  }
}

/// A scalar instruction's `d` register is its result; every other register
/// field is an operand.
static bool isResultReg(const OperandSpec &o) {
  return o.kind == OperandKind::Reg && std::strcmp(o.name, "d") == 0;
}

static void printVirtualOp(FILE *out, unsigned opc) {
  const OpcodeInfo &info = opcodeInfo(Opcode(opc));
  std::string e = kOpcodeEnumNames[opc];
  std::string args, results, sfx, elems, types;
  auto addArg = [&](const std::string &a) {
    args += (args.empty() ? "" : ",\n      ") + a;
  };
  for (const OperandSpec *o = formatOperands(info.format);
       o->kind != OperandKind::End; ++o) {
    std::string n = o->name;
    if (isResultReg(*o)) {
      results = "Index:$" + n;
      continue;
    }
    if (isSuffix(o->kind) || o->kind == OperandKind::Pipe) {
      addArg(std::string(npukAttrType(o->kind)) + ":$" + n);
      (isSuffix(o->kind) ? sfx : elems) +=
          std::string(isSuffix(o->kind) || elems.empty() ? "" : " `,` ") +
          "custom<Enum>($" + n + ")" + (isSuffix(o->kind) ? " " : "");
      continue;
    }
    std::string el;
    if (isAddress(o->kind)) {
      addArg("NPUK_BufferRef:$" + n);
      addArg("Index:$" + n + "_off");
      el = "$" + n + " `[` $" + n + "_off `]`";
      types += (types.empty() ? "type($" : " `,` type($") + n + ")";
    } else if (o->kind == OperandKind::Reg) {
      addArg("Index:$" + n);
      el = "$" + n;
    } else {
      addArg(std::string(npukAttrType(o->kind)) + ":$" + n);
      el = o->kind == OperandKind::Imm ? "`" + n + "` `=` $" + n : "$" + n;
    }
    elems += (elems.empty() ? "" : " `,` ") + el;
  }
  std::string fmt = sfx + elems + (elems.empty() ? "" : " ") + "attr-dict";
  if (!types.empty())
    fmt += " `:` " + types;
  std::string pipe = info.pipe == Pipe::Dyn ? std::string("operand")
                                            : pipeName(info.pipe).str();
  std::fprintf(out,
               "def NPUK_I_%sOp : NPUK_VirtInstOp<\"i.%s\", \"%s\"> {\n"
               "  let summary = \"virtual `%s` (opcode %u, pipe %s)\";\n"
               "  let arguments = (ins%s%s);\n",
               camel(e).c_str(), lower(e).c_str(), e.c_str(), info.mnemonic,
               opc, pipe.c_str(), args.empty() ? "" : "\n      ", args.c_str());
  if (!results.empty())
    std::fprintf(out, "  let results = (outs %s);\n", results.c_str());
  std::fprintf(out, "  let assemblyFormat = \"%s\";\n}\n\n", fmt.c_str());
}

static void genAICore(FILE *out) {
  printEnum(out, "Buffer", "NPU buffer (address space)", 0, kNumBuffers,
            bufferCase, false);
  printEnum(out, "DType", "element type suffix", 0, kNumDTypes, dtypeCase,
            true);
  printEnum(out, "CmpMode", "vcmp mode", 0, kNumCmpModes, cmpCase, true);
  printEnum(out, "RoundMode", "vconv rounding", 0, kNumRoundModes, roundCase,
            true);
  printEnum(out, "InitMode", "mmad accumulator init", 0, 2, initCase, true);
  // Pipe operands name one of the six queued pipes (not S).
  printEnum(out, "Pipe", "queued pipe", unsigned(Pipe::MTE1), kNumPipes - 1,
            pipeCase, true);
  for (unsigned op = 0; op < kNumOpcodes; ++op)
    printOp(out, op);
}

static void genNPUK(FILE *out) {
  for (unsigned op = 0; op < kNumOpcodes; ++op)
    if (hasVirtualInst(opcodeInfo(Opcode(op))))
      printVirtualOp(out, op);
}

int main(int argc, char **argv) {
  bool npuk = false;
  const char *path = nullptr;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--gen=npuk") == 0)
      npuk = true;
    else if (std::strcmp(argv[i], "--gen=aicore") == 0)
      npuk = false;
    else if (argv[i][0] == '-' || path) {
      std::fprintf(stderr, "usage: npu-aicore-tdgen [--gen=aicore|npuk] "
                           "[OUTPUT.td]\n");
      return 1;
    } else
      path = argv[i];
  }
  FILE *out = path ? std::fopen(path, "w") : stdout;
  if (!out) {
    std::fprintf(stderr, "npu-aicore-tdgen: cannot write '%s'\n", path);
    return 1;
  }
  std::fprintf(out,
               "// Generated by npu-aicore-tdgen%s from "
               "include/npu/Target/ISA/ISA.def. Do not edit.\n\n",
               npuk ? " --gen=npuk" : "");
  if (npuk)
    genNPUK(out);
  else
    genAICore(out);
  return out == stdout || std::fclose(out) == 0 ? 0 : 1;
}
