// Ops of the aicore dialect: the program container, buffer addresses, labels,
// GM declarations and (generated) one op per NPU instruction.
#ifndef NPU_DIALECT_AICORE_IR_AICOREOPS_TD
#define NPU_DIALECT_AICORE_IR_AICOREOPS_TD

include "npu/Dialect/AICore/IR/AICoreBase.td"

// Declared here, not in AICoreBase.td: mlir-tblgen emits only the
// interfaces of its main file.
def AICore_InstOpInterface : OpInterface<"InstOpInterface"> {
  let description = "An op that is exactly one NPU instruction.";
  let cppNamespace = "::npu::aicore";
  let methods = [
    InterfaceMethod<"The ISA opcode this op encodes.", "::npu::isa::Opcode",
      "getOpcode", (ins), [{}], [{ return ConcreteOp::kOpcode; }]>,
  ];
}

// One NPU instruction; the defs are generated from ISA.def. Fields carry the
// ISA operand names; the shared verifier checks buffer kinds and field
// ranges, then runs the ISA's own semantic checks.
class AICore_InstOp<string mnemonic, string opcode>
    : AICore_Op<mnemonic, [AICore_InstOpInterface]> {
  let hasVerifier = 1;
  let extraClassDeclaration =
      "static constexpr ::npu::isa::Opcode kOpcode = ::npu::isa::Opcode::" #
      opcode # ";";
  let extraClassDefinition = [{
    ::mlir::LogicalResult $cppClass::verify() {
      return ::npu::aicore::verifyInstOp(getOperation(), kOpcode);
    }
  }];
}

include "npu/Dialect/AICore/IR/AICoreInstOps.td"

// `#aicore.space<ub>`: the memory space of buffer memrefs.
def AICore_SpaceAttr : EnumAttr<AICore_Dialect, AICore_Buffer, "space"> {
  let assemblyFormat = "`<` $value `>`";
}

// How a GM buffer is initialised (npu::isa::GMInit).
def AICore_GMInit : I32EnumAttr<"GMInit", "GM buffer initialiser", [
    I32EnumAttrCase<"Zero", 0, "zero">, I32EnumAttrCase<"Random", 1, "random">,
    I32EnumAttrCase<"Const", 2, "const">, I32EnumAttrCase<"Iota", 3, "iota">,
    I32EnumAttrCase<"File", 4, "file">]> {
  let cppNamespace = "::npu::aicore";
}

def AICore_ProgramOp : AICore_Op<"program", [
    IsolatedFromAbove, SingleBlock, NoTerminator]> {
  let summary = "An NPU program: GM declarations plus the instruction stream";
  let description = [{
    The body lists `aicore.gm` and `aicore.output` declarations, then the
    instructions in program order. `aicore.label` marks a branch target;
    `aicore.addr` ops give the buffer operands of the next instruction.
    `cores` is the number of cores launched (block dim).
  }];
  let arguments = (ins I64Attr:$cores);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "`cores` `(` $cores `)` attr-dict-with-keyword $body";
  let hasVerifier = 1;
  let hasRegionVerifier = 1;
}

def AICore_GMOp : AICore_Op<"gm", [HasParent<"ProgramOp">]> {
  let summary = "Declare a named global-memory buffer (`.gm`)";
  let description = [{
    `size` bytes at GM address `addr` (4 KiB aligned). `dtype` is present for
    `random`, `const` and `iota`; `value` (seed or constant) for `random` and
    `const`; `path` for `file`.
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, I64Attr:$size,
      I64Attr:$addr, AICore_GMInit:$init, OptionalAttr<AICore_DType>:$dtype,
      OptionalAttr<F64Attr>:$value, OptionalAttr<StrAttr>:$path);
  let assemblyFormat = [{
    $sym_name `,` $size `at` $addr $init ($dtype^)? (`value` $value^)?
    (`path` $path^)? attr-dict
  }];
  let hasVerifier = 1;
}

def AICore_OutputOp : AICore_Op<"output", [HasParent<"ProgramOp">]> {
  let summary = "Dump a GM buffer after the run (`.output`)";
  let arguments = (ins FlatSymbolRefAttr:$buffer, StrAttr:$path,
      AICore_DType:$dtype, DenseI64ArrayAttr:$shape);
  let assemblyFormat = "$buffer `,` $path `,` $dtype `,` $shape attr-dict";
}

def AICore_LabelOp : AICore_Op<"label", [HasParent<"ProgramOp">]> {
  let summary = "A branch target: the next instruction";
  let arguments = (ins SymbolNameAttr:$sym_name);
  let assemblyFormat = "$sym_name attr-dict";
}

def AICore_AddrOp : AICore_Op<"addr"> {
  let summary = "A buffer address: base register plus byte offset";
  let description = [{
    `%v = aicore.addr x3[256] : memref<?xi8, #aicore.space<ub>>` is the
    address `ub[x3 + 0x100]` as a memref in that buffer. The register is read
    when the instruction using `%v` issues. The offset is a multiple of 32
    below 1 MiB; with base `x0` it is absolute and must also meet the buffer's
    alignment (L0A/L0B 512 B, L0C 64 B, L1/UB/GM 32 B).
  }];
  let arguments = (ins I32Attr:$base, I64Attr:$offset);
  let results = (outs AnyRankedOrUnrankedMemRef:$result);
  let assemblyFormat =
      "custom<Reg>($base) `[` $offset `]` attr-dict `:` type($result)";
  let hasVerifier = 1;
}

#endif // NPU_DIALECT_AICORE_IR_AICOREOPS_TD
