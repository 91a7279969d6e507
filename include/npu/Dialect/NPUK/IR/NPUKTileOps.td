// Tile-level npuk ops: on-chip buffers and virtual instructions.
#ifndef NPU_DIALECT_NPUK_IR_NPUKTILEOPS_TD
#define NPU_DIALECT_NPUK_IR_NPUKTILEOPS_TD

include "npu/Dialect/NPUK/IR/NPUKBase.td"
include "npu/Dialect/NPUK/IR/NPUKInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

// A buffer operand: a memref whose memory space is `#aicore.space<X>`
// (normally `memref<?xi8, #aicore.space<X>>`).
def NPUK_BufferRef : Type<CPred<"::npu::npuk::isBufferRef($_self)">,
    "memref in an #aicore.space", "::mlir::MemRefType">;

// The aicore dialect's enum attributes, used by name (their ODS enums live
// in the generated AICoreInstOps.td, which also defines the aicore ops).
class NPUK_AICoreEnumAttr<string name, string summary>
    : Attr<CPred<"::llvm::isa<::npu::aicore::" # name # "Attr>($_self)">,
           summary> {
  let storageType = "::npu::aicore::" # name # "Attr";
  let returnType = "::npu::aicore::" # name;
  let convertFromStorage = "$_self.getValue()";
  let constBuilderCall =
      "::npu::aicore::" # name # "Attr::get($_builder.getContext(), $0)";
}
def NPUK_PipeAttr : NPUK_AICoreEnumAttr<"Pipe", "queued pipe">;
def NPUK_DTypeAttr : NPUK_AICoreEnumAttr<"DType", "element type suffix">;
def NPUK_CmpModeAttr : NPUK_AICoreEnumAttr<"CmpMode", "vcmp mode">;
def NPUK_InitModeAttr : NPUK_AICoreEnumAttr<"InitMode", "mmad init">;
def NPUK_RoundModeAttr : NPUK_AICoreEnumAttr<"RoundMode", "vconv rounding">;
def NPUK_GMInitAttr : NPUK_AICoreEnumAttr<"GMInit", "GM initialiser">;

// One virtual instruction `npuk.i.<opcode>`; the defs are generated from
// ISA.def by `npu-aicore-tdgen --gen=npuk`. Fields keep their ISA names: an
// address field `x` is the operands `$x` (buffer) and `$x_off` (index byte
// offset), a register field is an index operand (the `d` of a scalar
// instruction is its result), every other field is an attribute named and
// typed as in `aicore.*`.
class NPUK_VirtInstOp<string mnemonic, string opcode>
    : NPUK_Op<mnemonic, [NPUK_VirtInstOpInterface]> {
  let hasVerifier = 1;
  let extraClassDeclaration =
      "static constexpr ::npu::isa::Opcode kOpcode = ::npu::isa::Opcode::" #
      opcode # ";";
  let extraClassDefinition = [{
    ::mlir::LogicalResult $cppClass::verify() {
      return ::npu::npuk::verifyVirtInst(getOperation(), kOpcode);
    }
  }];
}

include "npu/Dialect/NPUK/IR/NPUKInstOps.td"

def NPUK_SlotOp : NPUK_Op<"slot", [Pure]> {
  let summary = "A named on-chip buffer region, before allocation";
  let description = [{
    `copies` regions of `bytes` bytes each in the buffer of the result type
    (L1, L0A, L0B, L0C or UB), each aligned to `align` (default: the
    buffer's alignment, L0A/L0B 512 B, L0C 64 B, L1/UB 32 B). Each result is
    one copy, so a double-buffered loop names its copies statically.
    `npuk-alloc-onchip` replaces each result by an `npuk.slot_at`.

    ```mlir
    %a:2 = npuk.slot "a_l1" bytes 32768 copies 2 : memref<?xi8, #aicore.space<l1>>
    ```
  }];
  let arguments = (ins StrAttr:$name, I64Attr:$bytes, I64Attr:$align);
  let results = (outs Variadic<NPUK_BufferRef>:$copies);
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    ::npu::isa::Buffer getBuffer();
  }];
}

def NPUK_SlotAtOp : NPUK_Op<"slot_at", [Pure]> {
  let summary = "One copy of an allocated on-chip slot";
  let description = [{
    Copy `copy` of slot `name`: `bytes` bytes at byte `offset` of the buffer
    of the result type. Addresses into it are `offset` plus the instruction's
    offset operand.
  }];
  let arguments = (ins StrAttr:$name, I64Attr:$copy, I64Attr:$offset,
                       I64Attr:$bytes);
  let results = (outs NPUK_BufferRef:$result);
  let assemblyFormat = [{
    $name `[` $copy `]` `offset` $offset `bytes` $bytes attr-dict `:`
    type($result)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    ::npu::isa::Buffer getBuffer();
  }];
}

def NPUK_GMOp : NPUK_Op<"gm", [Pure]> {
  let summary = "A global-memory region at an absolute (plan) address";
  let description = [{
    `size` bytes at GM address `addr` (4 KiB aligned), named `name` in the
    program's `.gm` table. Several `npuk.gm` ops may name the same region if
    they agree. `init` (default `zero`, with `dtype`, `value`, `path` as in
    `aicore.gm`) is for kernels run on their own by npu-sim; a Device never
    applies it.

    ```mlir
    %A = npuk.gm "A" size 2097152 at 4096 random f16 1.0 : memref<?xi8, #aicore.space<gm>>
    ```
  }];
  let arguments = (ins StrAttr:$name, I64Attr:$size, I64Attr:$addr,
      NPUK_GMInitAttr:$init, OptionalAttr<NPUK_DTypeAttr>:$dtype,
      OptionalAttr<F64Attr>:$value, OptionalAttr<StrAttr>:$path);
  let results = (outs NPUK_BufferRef:$result);
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
}

def NPUK_OutputOp : NPUK_Op<"output"> {
  let summary = "Dump a GM region after a standalone run (`.output`)";
  let arguments = (ins StrAttr:$name, StrAttr:$path, NPUK_DTypeAttr:$dtype,
                       DenseI64ArrayAttr:$shape);
  let assemblyFormat =
      "$name `,` $path `,` custom<Enum>($dtype) `,` $shape attr-dict";
}

def NPUK_CoreIdOp : NPUK_Op<"core_id", [Pure]> {
  let summary = "This core's index (0 .. core_num - 1)";
  let results = (outs Index:$result);
  let assemblyFormat = "attr-dict";
}

def NPUK_CoreNumOp : NPUK_Op<"core_num", [Pure]> {
  let summary = "The number of cores the kernel runs on";
  let results = (outs Index:$result);
  let assemblyFormat = "attr-dict";
}

#endif // NPU_DIALECT_NPUK_IR_NPUKTILEOPS_TD
