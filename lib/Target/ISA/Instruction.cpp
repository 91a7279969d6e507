//===- Instruction.cpp - Opcode/format tables and semantic field checks ---===//
#include "npu/Target/ISA/Instruction.h"
#include "npu/Target/ISA/Program.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace npu::isa {

namespace {
#define OPND(K, N, B) {OperandKind::K, #N, B},
#define NPU_FORMAT(F, ...)                                                     \
  const OperandSpec F##Operands[] = {__VA_ARGS__{OperandKind::End, "", 0}};
#include "npu/Target/ISA/ISA.def"

const OperandSpec *const kFormatTable[] = {
#define NPU_FORMAT(F, ...) F##Operands,
#include "npu/Target/ISA/ISA.def"
};

const OpcodeInfo kOpcodeTable[] = {
#define NPU_INST(E, M, P, F, T) {M, Pipe::P, Format::F, T},
#include "npu/Target/ISA/ISA.def"
};

} // namespace

#define OPND(K, N, B) +B
#define NPU_FORMAT(F, ...)                                                     \
  static_assert(8 __VA_ARGS__ <= 128, "format " #F " exceeds 128 bits");
#include "npu/Target/ISA/ISA.def"

const OpcodeInfo &opcodeInfo(Opcode op) { return kOpcodeTable[unsigned(op)]; }
const OperandSpec *formatOperands(Format f) { return kFormatTable[unsigned(f)]; }
unsigned numOperands(Format f) {
  unsigned n = 0;
  for (const OperandSpec *o = formatOperands(f); o->kind != OperandKind::End;
       ++o)
    ++n;
  return n;
}

static const char *const kPipeNames[] = {"S", "MTE1", "MTE2", "MTE3",
                                         "M", "V",    "FIX"};
StringRef pipeName(Pipe p) {
  return unsigned(p) < kNumPipes ? kPipeNames[unsigned(p)] : "?";
}
std::optional<Pipe> parsePipe(StringRef s) {
  for (unsigned i = 0; i < kNumPipes; ++i)
    if (s.equals_insensitive(kPipeNames[i]))
      return Pipe(i);
  return std::nullopt;
}

static const char *const kTypeNames[] = {"f16", "bf16", "f32", "s8",
                                         "u8",  "s16",  "s32"};
StringRef dtypeName(DType t) {
  return unsigned(t) < kNumDTypes ? kTypeNames[unsigned(t)] : "?";
}
std::optional<DType> parseDType(StringRef s) {
  for (unsigned i = 0; i < kNumDTypes; ++i)
    if (s == kTypeNames[i])
      return DType(i);
  return std::nullopt;
}
unsigned dtypeSize(DType t) {
  switch (t) {
  case DType::S8:
  case DType::U8:
    return 1;
  case DType::F16:
  case DType::BF16:
  case DType::S16:
    return 2;
  default:
    return 4;
  }
}

static const char *const kBufferNames[] = {"gm", "l1", "l0a", "l0b", "l0c",
                                           "ub"};
StringRef bufferName(Buffer b) { return kBufferNames[unsigned(b)]; }

int64_t Instruction::simm(unsigned i) const {
  unsigned bits = formatOperands(info().format)[i].bits;
  if (bits >= 64)
    return int64_t(f[i]);
  uint64_t v = f[i] & ((uint64_t(1) << bits) - 1);
  if (v >> (bits - 1))
    v |= ~uint64_t(0) << bits;
  return int64_t(v);
}

Pipe Instruction::pipe() const {
  switch (op) {
  case Opcode::SET_FLAG:
    return Pipe(f[fmt::Flag::src]);
  case Opcode::WAIT_FLAG:
    return Pipe(f[fmt::Flag::dst]);
  case Opcode::PIPE_BARRIER:
    return Pipe(f[fmt::PipeOnly::pipe]);
  default:
    return info().pipe;
  }
}

static Error fieldError(const Instruction &inst, const Twine &msg) {
  return createStringError(inconvertibleErrorCode(), "'" +
                                                         Twine(printInstruction(inst)) +
                                                         "': " + msg);
}

static bool isQueuedPipe(uint64_t p) {
  return p >= unsigned(Pipe::MTE1) && p <= unsigned(Pipe::FIX);
}

Error verifyInstruction(const Instruction &inst) {
  if (unsigned(inst.op) >= kNumOpcodes)
    return createStringError(inconvertibleErrorCode(),
                             "unknown opcode " + Twine(unsigned(inst.op)));
  const OpcodeInfo &info = inst.info();
  const OperandSpec *ops = formatOperands(info.format);
  bool firstType = true;
  for (unsigned i = 0; ops[i].kind != OperandKind::End; ++i) {
    const OperandSpec &s = ops[i];
    uint64_t v = inst.f[i];
    if (s.bits < 64 && (v >> s.bits) != 0)
      return fieldError(inst, Twine("field '") + s.name + "' out of range (" +
                                  Twine(s.bits) + " bits)");
    switch (s.kind) {
    case OperandKind::SfxType:
      if (v >= kNumDTypes)
        return fieldError(inst, "unknown element type " + Twine(v));
      if (firstType && info.typeMask && !((info.typeMask >> v) & 1))
        return fieldError(inst, Twine("type ") + dtypeName(DType(v)) +
                                    " not supported by '" + info.mnemonic +
                                    "'");
      firstType = false;
      break;
    case OperandKind::SfxCmp:
      if (v >= kNumCmpModes)
        return fieldError(inst, "unknown compare mode " + Twine(v));
      break;
    case OperandKind::SfxRound:
      if (v >= kNumRoundModes)
        return fieldError(inst, "unknown rounding mode " + Twine(v));
      break;
    case OperandKind::Pipe:
      if (!isQueuedPipe(v))
        return fieldError(inst, "pipe must be one of MTE1 MTE2 MTE3 M V FIX");
      break;
    default:
      break;
    }
  }
  auto atLeast1 = [&](std::initializer_list<unsigned> idx) -> Error {
    for (unsigned i : idx)
      if (inst.f[i] == 0)
        return fieldError(inst, Twine("field '") + ops[i].name +
                                    "' must be at least 1");
    return Error::success();
  };
  switch (info.format) {
  case Format::Flag:
    if (inst.f[fmt::Flag::src] == inst.f[fmt::Flag::dst])
      return fieldError(inst, "source and destination pipe must differ");
    break;
  case Format::CopyGmL1:
  case Format::CopyGmUb:
  case Format::CopyUbGm:
  case Format::CopyL1Ub:
  case Format::CopyUbL1:
  case Format::CopyUbUb:
    return atLeast1({fmt::CopyGmL1::nburst, fmt::CopyGmL1::burstlen});
  case Format::Prefetch:
    return atLeast1({fmt::Prefetch::nburst, fmt::Prefetch::burstlen});
  case Format::Nd2Nz: {
    if (Error e = atLeast1({fmt::Nd2Nz::rows, fmt::Nd2Nz::cols}))
      return e;
    unsigned c0 = 32 / dtypeSize(inst.type(fmt::Nd2Nz::type));
    if (inst.f[fmt::Nd2Nz::cols] % c0)
      return fieldError(inst, "cols must be a multiple of " + Twine(c0));
    if (inst.f[fmt::Nd2Nz::srcstride] < inst.f[fmt::Nd2Nz::cols])
      return fieldError(inst, "srcstride must be at least cols");
    uint64_t dr = inst.f[fmt::Nd2Nz::dstrows];
    if (dr && (dr % 16 || dr < inst.f[fmt::Nd2Nz::rows]))
      return fieldError(inst,
                        "dstrows must be 0 or a multiple of 16 >= rows");
    break;
  }
  case Format::Load2dA:
  case Format::Load2dB:
    return atLeast1({fmt::Load2dA::repeat});
  case Format::SetFmap:
    return atLeast1({fmt::SetFmap::h, fmt::SetFmap::w, fmt::SetFmap::c1});
  case Format::Load3d:
    return atLeast1({fmt::Load3d::kh, fmt::Load3d::kw, fmt::Load3d::sh,
                     fmt::Load3d::sw, fmt::Load3d::dh, fmt::Load3d::dw,
                     fmt::Load3d::mfrac, fmt::Load3d::kfrac});
  case Format::Mmad:
    return atLeast1({fmt::Mmad::m, fmt::Mmad::n, fmt::Mmad::k});
  case Format::MmadBias:
    return atLeast1({fmt::MmadBias::m, fmt::MmadBias::n, fmt::MmadBias::k});
  case Format::VBin:
    return atLeast1({fmt::VBin::repeat});
  case Format::VUn:
    return atLeast1({fmt::VUn::repeat});
  case Format::VScalar:
    return atLeast1({fmt::VScalar::repeat});
  case Format::VCmp:
    return atLeast1({fmt::VCmp::repeat});
  case Format::VSel:
    return atLeast1({fmt::VSel::repeat});
  case Format::VReduce:
    return atLeast1({fmt::VReduce::repeat});
  case Format::VDup:
    return atLeast1({fmt::VDup::repeat});
  case Format::VConv: {
    if (Error e = atLeast1({fmt::VConv::repeat}))
      return e;
    DType d = inst.type(fmt::VConv::type), s = inst.type(fmt::VConv::srctype);
    if (d == s)
      return fieldError(inst, "vconv needs two different types");
    if (std::max(dtypeSize(d), dtypeSize(s)) < 2)
      return fieldError(inst, "vconv between 8-bit types is not supported");
    if (isFloat(d) && inst.f[fmt::VConv::round] != unsigned(RoundMode::RNE))
      return fieldError(inst, "conversion to a float type must use rne");
    break;
  }
  case Format::FixGm:
  case Format::FixL1:
  case Format::FixUb: {
    if (Error e = atLeast1({fmt::FixGm::m, fmt::FixGm::n}))
      return e;
    DType d = inst.type(fmt::FixGm::type), s = inst.type(fmt::FixGm::srctype);
    if (s == DType::F32) {
      if (!isFloat(d))
        return fieldError(inst, "fix from f32 must produce f16, bf16 or f32");
    } else if (s == DType::S32) {
      if (d == DType::BF16)
        return fieldError(inst, "fix from s32 cannot produce bf16");
    } else {
      return fieldError(inst, "fix source type must be f32 or s32");
    }
    if (inst.f[fmt::FixGm::nz2nd] &&
        inst.f[fmt::FixGm::dststride] < inst.f[fmt::FixGm::n])
      return fieldError(inst, "dststride must be at least n");
    break;
  }
  default:
    break;
  }
  return Error::success();
}

const GMBuffer *Program::findBuffer(StringRef name) const {
  for (const GMBuffer &b : buffers)
    if (b.name == name)
      return &b;
  return nullptr;
}

uint64_t Program::gmSize() const {
  uint64_t end = kGMBase;
  for (const GMBuffer &b : buffers)
    end = std::max(end, b.addr + b.size);
  return end;
}

std::string encodingMarkdown() {
  std::string s;
  raw_string_ostream os(s);
  os << "| opcode | mnemonic | pipe | fields (bit offset:width) |\n"
        "|---:|---|---|---|\n";
  for (unsigned op = 0; op < kNumOpcodes; ++op) {
    const OpcodeInfo &info = opcodeInfo(Opcode(op));
    os << "| " << op << " | `" << info.mnemonic << "` | "
       << (info.pipe == Pipe::Dyn ? StringRef("operand")
                                  : pipeName(info.pipe))
       << " | ";
    unsigned bit = 8;
    bool first = true;
    for (const OperandSpec *o = formatOperands(info.format);
         o->kind != OperandKind::End; ++o) {
      static const char *const kindNames[] = {
          "reg", "imm", "simm", "f32", "target", "pipe", "event", "gm", "l1",
          "l0a", "l0b", "l0c",  "ub",  ".type",  ".cmp", ".init", ".round"};
      os << (first ? "" : ", ") << o->name << "=" << kindNames[unsigned(o->kind)]
         << "@" << bit << ":" << o->bits;
      bit += o->bits;
      first = false;
    }
    if (first)
      os << "(none)";
    os << " |\n";
  }
  return s;
}

} // namespace npu::isa

#define OPND(K, N, B) +1
#define NPU_FORMAT(F, ...)                                                     \
  static_assert(0 __VA_ARGS__ <= npu::isa::kMaxOperands,                       \
                "format " #F " has too many operands");
#include "npu/Target/ISA/ISA.def"
