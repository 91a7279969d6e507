//===- MachineProgram.h - a kernel as NPU instructions on virtual registers
//===//
//
// The form npuk-to-aicore builds between the CFG and aicore: one MInst per
// NPU instruction, in program order, with labels; registers are virtual
// until the linear-scan allocator (RegAlloc.cpp) gives them x1..x31.
//===----------------------------------------------------------------------===//
#ifndef NPU_LIB_CODEGEN_NPU_MACHINEPROGRAM_H
#define NPU_LIB_CODEGEN_NPU_MACHINEPROGRAM_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "npu/Dialect/NPUK/IR/NPUKOps.h"
#include <variant>
#include <vector>

namespace npu::npuk::mc {

/// Virtual register 0 is x0 (reads zero); others are allocated.
constexpr int kZero = 0;

/// The value of one instruction field, unless it comes from `MInst::src`.
struct Field {
  enum Kind : uint8_t { FromSource, Reg, Imm, Addr, Target } kind = FromSource;
  int reg = kZero;     // Reg; Addr: the base register.
  int64_t imm = 0;     // Imm; Addr: the byte offset.
  unsigned target = 0; // Target: a label id.
};

struct MInst {
  isa::Opcode opc = isa::Opcode::NOP;
  /// Fields not set here are copied from this npuk.i op's attributes.
  mlir::Operation *src = nullptr;
  mlir::Location loc;
  std::array<Field, isa::kMaxOperands> f{};
  int def = -1;            // The register field `d` writes, if any.
  std::vector<int> labels; // Labels that mark this instruction.

  explicit MInst(isa::Opcode opc, mlir::Location loc) : opc(opc), loc(loc) {}
  /// The registers this instruction reads.
  llvm::SmallVector<int, 4> uses() const;
  bool isJump() const;   // j or a conditional branch (has a target).
  bool isUncond() const; // j or end: never falls through.
};

/// A GM region the program touches (its `.gm` declaration).
struct GMDecl {
  GMOp op;
};

struct Program {
  std::vector<MInst> code;
  unsigned numRegs = 1; // Virtual registers, including x0.
  unsigned numLabels = 0;
  /// Constant value of each virtual register that holds one (rematerializable).
  std::vector<std::optional<int64_t>> constValue;

  int newReg() {
    constValue.push_back(std::nullopt);
    return int(numRegs++);
  }
};

/// Lowers the kernel `f`, already in `cf` form, to a program on virtual
/// registers. Constants used as registers are loaded next to each use when
/// `rematerialize`, else once at the start.
mlir::FailureOr<Program> lowerKernel(mlir::func::FuncOp f, bool rematerialize);

/// Drops scalar instructions whose result nobody reads (address arithmetic
/// folded into immediates leaves some).
void removeDeadCode(Program &p);
/// Folds a copy into the instruction computing its source when that value
/// has no other use (loop counters: `add t, i, step; mov i, t`).
void coalesceCopies(Program &p);

/// Gives every virtual register one of x1..x31. On failure returns the index
/// of an instruction where more than 31 values are live and their count.
struct AllocFailure {
  unsigned inst;
  unsigned live;
};
std::variant<std::vector<unsigned>, AllocFailure>
allocateRegisters(const Program &p);

} // namespace npu::npuk::mc

#endif // NPU_LIB_CODEGEN_NPU_MACHINEPROGRAM_H
