//===- Instruction.h - NPU instruction model, opcodes and operand kinds ---===//
#ifndef NPU_TARGET_ISA_INSTRUCTION_H
#define NPU_TARGET_ISA_INSTRUCTION_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace npu::isa {

/// Execution units. The scalar unit issues everything in order into the
/// per-pipe queues of the six pipes.
enum class Pipe : uint8_t { S, MTE1, MTE2, MTE3, M, V, FIX, Dyn };
constexpr unsigned kNumPipes = 7; // S + the six queued pipes.
llvm::StringRef pipeName(Pipe p);
std::optional<Pipe> parsePipe(llvm::StringRef s);

/// Element types. Masks in ISA.def use bit (1 << value).
enum class DType : uint8_t { F16, BF16, F32, S8, U8, S16, S32 };
constexpr unsigned kNumDTypes = 7;
llvm::StringRef dtypeName(DType t);
std::optional<DType> parseDType(llvm::StringRef s);
unsigned dtypeSize(DType t);
inline bool isFloat(DType t) {
  return t == DType::F16 || t == DType::BF16 || t == DType::F32;
}

enum class CmpMode : uint8_t { EQ, NE, LT, LE, GT, GE };
constexpr unsigned kNumCmpModes = 6;
enum class RoundMode : uint8_t { RNE, RZ, FLOOR, CEIL, AWAY };
constexpr unsigned kNumRoundModes = 5;

/// Buffers (address spaces).
enum class Buffer : uint8_t { GM, L1, L0A, L0B, L0C, UB };
constexpr unsigned kNumBuffers = 6;
llvm::StringRef bufferName(Buffer b);

enum class OperandKind : uint8_t {
  Reg, Imm, SImm, F32, Target, Pipe, Event,
  GM, L1, L0A, L0B, L0C, UB,
  SfxType, SfxCmp, SfxInit, SfxRound, End
};
inline bool isAddress(OperandKind k) {
  return k >= OperandKind::GM && k <= OperandKind::UB;
}
inline bool isSuffix(OperandKind k) {
  return k >= OperandKind::SfxType && k <= OperandKind::SfxRound;
}
inline Buffer addressBuffer(OperandKind k) {
  return Buffer(unsigned(k) - unsigned(OperandKind::GM));
}

struct OperandSpec {
  OperandKind kind;
  const char *name;
  unsigned bits;
};

enum class Format : uint8_t {
#define NPU_FORMAT(N, ...) N,
#include "npu/Target/ISA/ISA.def"
};

/// Operand indices per format, e.g. fmt::VBin::dst.
namespace fmt {
#define OPND(K, N, B) N,
#define NPU_FORMAT(F, ...)                                                     \
  namespace F {                                                                \
  enum : unsigned { __VA_ARGS__ numOperands };                                 \
  }
#include "npu/Target/ISA/ISA.def"
} // namespace fmt

enum class Opcode : uint8_t {
#define NPU_INST(E, M, P, F, T) E,
#include "npu/Target/ISA/ISA.def"
  NumOpcodes
};
constexpr unsigned kNumOpcodes = unsigned(Opcode::NumOpcodes);

struct OpcodeInfo {
  const char *mnemonic;
  Pipe pipe; // Pipe::Dyn: taken from an operand.
  Format format;
  unsigned typeMask;
};
const OpcodeInfo &opcodeInfo(Opcode op);
/// The operand list of a format, terminated by OperandKind::End.
const OperandSpec *formatOperands(Format f);
unsigned numOperands(Format f);

constexpr unsigned kMaxOperands = 14;
constexpr unsigned kInstBytes = 16; // Every instruction is one 128-bit word.
constexpr unsigned kAddrUnit = 32;  // Address offsets count 32-byte units.

/// One decoded instruction: the opcode plus the raw (unsigned) value of each
/// field in format order. Address fields hold (offset << 5) | reg.
struct Instruction {
  Opcode op = Opcode::NOP;
  std::array<uint64_t, kMaxOperands> f{};

  const OpcodeInfo &info() const { return opcodeInfo(op); }
  uint64_t operator[](unsigned i) const { return f[i]; }
  int64_t simm(unsigned i) const;
  unsigned addrReg(unsigned i) const { return unsigned(f[i] & 31); }
  uint64_t addrOff(unsigned i) const { return (f[i] >> 5) * kAddrUnit; }
  DType type(unsigned i) const { return DType(f[i]); }
  /// The pipe whose queue executes this instruction.
  Pipe pipe() const;
  bool operator==(const Instruction &o) const {
    return op == o.op && f == o.f;
  }
};

inline uint64_t makeAddr(unsigned reg, uint64_t byteOffset) {
  return ((byteOffset / kAddrUnit) << 5) | (reg & 31);
}

/// Semantic checks shared by the assembler and the decoder: every field in
/// range, enum values known, type suffixes allowed for the opcode.
llvm::Error verifyInstruction(const Instruction &inst);

} // namespace npu::isa

#endif // NPU_TARGET_ISA_INSTRUCTION_H
