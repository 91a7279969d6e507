//===- NPUKOps.h - operations of the npuk dialect ---------------*- C++ -*-===//
#ifndef NPU_DIALECT_NPUK_IR_NPUKOPS_H
#define NPU_DIALECT_NPUK_IR_NPUKOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "npu/Dialect/AICore/IR/AICoreOps.h"
#include "npu/Dialect/NPUK/IR/NPUKDialect.h"
#include "npu/Target/ISA/Footprint.h"

#include "npu/Dialect/NPUK/IR/NPUKOpsEnums.h.inc"
#define GET_ATTRDEF_CLASSES
#include "npu/Dialect/NPUK/IR/NPUKOpsAttrs.h.inc"

namespace npu::npuk {
// Footprints come from the ISA library, shared with the simulator's checks.
using isa::Access;
using isa::FmapState;
using isa::Span;
using isa::spansOverlap;

/// True for a memref whose memory space is `#aicore.space<X>`.
bool isBufferRef(mlir::Type type);

/// The verifier shared by the virtual instructions: buffer kinds, field
/// ranges, then npu::isa::verifyInstruction's rules on the static fields.
mlir::LogicalResult verifyVirtInst(mlir::Operation *op, isa::Opcode opcode);
/// The pipe a virtual instruction runs on (the operand pipe for sync ops).
isa::Pipe getVirtInstPipe(mlir::Operation *op);
/// See VirtInstOpInterface::getAccesses.
void getVirtInstAccesses(mlir::Operation *op,
                         llvm::ArrayRef<uint64_t> addressBytes,
                         const FmapState &fmap,
                         llvm::SmallVectorImpl<Access> &out);

/// One address field of a virtual instruction.
struct AddressOperand {
  unsigned field;     // Index in the instruction's format.
  isa::Buffer buffer; // The buffer the field names.
  mlir::Value base;   // The buffer value (slot, slot_at or gm).
  mlir::Value offset; // Index byte offset from `base`.
};
llvm::SmallVector<AddressOperand> getAddressOperands(mlir::Operation *op);
/// The instruction with every attribute field filled in, address fields set
/// to `addressBytes` (one per address field, or 0) and registers to 0.
isa::Instruction getInstruction(mlir::Operation *op,
                                llvm::ArrayRef<uint64_t> addressBytes = {});
} // namespace npu::npuk

#include "npu/Dialect/NPUK/IR/NPUKInterfaces.h.inc"

#define GET_OP_CLASSES
#include "npu/Dialect/NPUK/IR/NPUKOps.h.inc"

#endif // NPU_DIALECT_NPUK_IR_NPUKOPS_H
