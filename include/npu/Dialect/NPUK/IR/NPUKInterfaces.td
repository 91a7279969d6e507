// Op interfaces of the npuk dialect (a main file of its own: mlir-tblgen
// emits only the interfaces of its main file).
#ifndef NPU_DIALECT_NPUK_IR_NPUKINTERFACES_TD
#define NPU_DIALECT_NPUK_IR_NPUKINTERFACES_TD

include "mlir/IR/OpBase.td"

def NPUK_VirtInstOpInterface : OpInterface<"VirtInstOpInterface"> {
  let description = [{
    A virtual instruction: exactly one NPU instruction whose addresses are
    (buffer, byte offset) SSA pairs and whose registers are SSA values.
  }];
  let cppNamespace = "::npu::npuk";
  let methods = [
    InterfaceMethod<"The ISA opcode of this instruction.", "::npu::isa::Opcode",
      "getOpcode", (ins), [{}], [{ return ConcreteOp::kOpcode; }]>,
    InterfaceMethod<[{
        The pipe whose queue executes it (for set_flag, wait_flag and
        pipe_barrier: the pipe named by the operand).
      }], "::npu::isa::Pipe", "getInstPipe", (ins), [{}],
      [{ return ::npu::npuk::getVirtInstPipe($_op); }]>,
    InterfaceMethod<[{
        The bytes it touches once its address fields are resolved:
        `addressBytes` holds one absolute byte address per address field, in
        field order; `fmap` is the feature map `load3d` reads.
      }], "void", "getAccesses",
      (ins "::llvm::ArrayRef<uint64_t>":$addressBytes,
           "const ::npu::isa::FmapState &":$fmap,
           "::llvm::SmallVectorImpl<::npu::isa::Access> &":$out), [{}],
      [{ ::npu::npuk::getVirtInstAccesses($_op, addressBytes, fmap, out); }]>,
  ];
}

#endif // NPU_DIALECT_NPUK_IR_NPUKINTERFACES_TD
