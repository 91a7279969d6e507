//===- AICoreOps.h - attributes and ops of the aicore dialect ---*- C++ -*-===//
#ifndef NPU_DIALECT_AICORE_IR_AICOREOPS_H
#define NPU_DIALECT_AICORE_IR_AICOREOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "npu/Dialect/AICore/IR/AICoreDialect.h"
#include "npu/Target/ISA/Instruction.h"

#include "npu/Dialect/AICore/IR/AICoreEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "npu/Dialect/AICore/IR/AICoreAttrs.h.inc"

#include "npu/Dialect/AICore/IR/AICoreInterfaces.h.inc"

namespace npu::aicore {
/// The verifier shared by every instruction op: buffer kinds, field ranges,
/// then npu::isa::verifyInstruction's semantic rules.
mlir::LogicalResult verifyInstOp(mlir::Operation *op, isa::Opcode opcode);

/// Range-checks the attribute of a non-address field `s` of `op` and gives
/// its raw field value (branch targets are left to the program).
mlir::LogicalResult encodeAttrField(mlir::Operation *op,
                                    const isa::OperandSpec &s,
                                    mlir::Attribute attr, uint64_t &raw);

/// The buffer a memref lives in, if its memory space is `#aicore.space<..>`.
std::optional<isa::Buffer> getBuffer(mlir::Type type);

/// Byte alignment of a static (base x0) address in a buffer.
unsigned getBufferAlignment(isa::Buffer buffer);

/// The op name (`aicore.copy_gm_l1`) of an opcode.
llvm::StringRef getOpName(isa::Opcode opcode);

} // namespace npu::aicore

#define GET_OP_CLASSES
#include "npu/Dialect/AICore/IR/AICoreOps.h.inc"

#endif // NPU_DIALECT_AICORE_IR_AICOREOPS_H
