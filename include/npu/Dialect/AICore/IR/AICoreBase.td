// The aicore dialect: its definition and base op class.
#ifndef NPU_DIALECT_AICORE_IR_AICOREBASE_TD
#define NPU_DIALECT_AICORE_IR_AICOREBASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

def AICore_Dialect : Dialect {
  let name = "aicore";
  let summary = "Machine-level dialect: one op per NPU instruction";
  let description = [{
    Each instruction of the da Vinci-style NPU (include/npu/Target/ISA/ISA.def)
    is one op. Buffer operands are memrefs whose memory space is
    `#aicore.space<gm|l1|l0a|l0b|l0c|ub>`; the other fields are attributes
    (registers print as `xN`, branch targets as `@label`). An
    `aicore.program` holds the GM declarations and the instruction stream,
    in order, and translates to and from the ISA's assembly and binary.
  }];
  let cppNamespace = "::npu::aicore";
  let useDefaultAttributePrinterParser = 1;
  // Instructions are built and read generically by field name.
  let usePropertiesForAttributes = 0;
}

class AICore_Op<string mnemonic, list<Trait> traits = []>
    : Op<AICore_Dialect, mnemonic, traits>;

#endif // NPU_DIALECT_AICORE_IR_AICOREBASE_TD
