// Passes of the NPU backend. Tile level (design §7.3-§7.5): on-chip
// allocation, synchronization and the lowering to aicore.
#ifndef NPU_CODEGEN_NPU_PASSES_TD
#define NPU_CODEGEN_NPU_PASSES_TD

include "mlir/Pass/PassBase.td"

def AllocOnChip : Pass<"npuk-alloc-onchip", "mlir::func::FuncOp"> {
  let summary = "Give every npuk.slot a static offset in its on-chip buffer";
  let description = [{
    Works on tile kernels (functions with an `npuk.cores` attribute). Per
    buffer (L1, L0A, L0B, L0C, UB) the slots are bump-allocated largest
    first, each copy at its alignment (L0A/L0B 512 B, L0C 64 B, L1/UB 32 B
    unless the slot asks for more), and each `npuk.slot` result becomes an
    `npuk.slot_at`. Buffer sizes come from the machine config. When the
    slots do not fit, the error names the buffer, every slot, the total and
    the shortfall:
    `L1 overflows by 52224 bytes: fmap 2 x 401408 + ... = 1100800 > 1048576`.
    Every access with a constant offset is checked to stay inside its slot copy
    or GM region (bounding footprint, as the simulator checks it).
  }];
  let options = [
    Option<"config", "config", "std::string", /*default=*/"\"dv-910\"",
           "Machine config: a preset (dv-910, dv-a2) or an INI file">
  ];
  let dependentDialects = ["npu::npuk::NPUKDialect"];
}

def InsertSync : Pass<"npuk-insert-sync", "mlir::func::FuncOp"> {
  let summary = "Insert set_flag/wait_flag between the pipes of a tile kernel";
  let description = [{
    Expects an allocated tile kernel without flags (barriers are kept). Two
    virtual instructions on different pipes whose footprints overlap (at
    least one writing) must be ordered. Same-iteration dependences get a flag
    set after the last producer and waited before the first consumer of its
    window, in the block where both meet; loop-carried ones become tokens:
    waited before the consumer and set after the producer in the loop body,
    primed at kernel entry and drained at the end, so they hold for any trip
    count. Tokens guarding the same buffers share a flag across loops. A
    must-analysis (the one `npuk-verify-sync` runs) then drops every flag the
    others already imply, outermost first. Events are coloured per pipe pair
    within the config's `events`; on exhaustion tokens share an event, then
    overlapping flags merge, and a `barrier` is the last resort.
  }];
  let options = [
    Option<"config", "config", "std::string", /*default=*/"\"dv-910\"",
           "Machine config: a preset (dv-910, dv-a2) or an INI file">
  ];
  let dependentDialects = ["npu::npuk::NPUKDialect"];
}

def VerifySync : Pass<"npuk-verify-sync", "mlir::func::FuncOp"> {
  let summary = "Check the flags of a tile kernel";
  let description = [{
    Runs the kernel abstractly (loops to a fixpoint, both branches of every
    `scf.if`, loops possibly empty unless their bounds say otherwise) and
    reports every pair of conflicting virtual instructions on different
    pipes not ordered by a chain of flags or barriers, every set_flag on a
    flag that may still be set, every wait_flag that may find no set, flags
    whose state differs between the paths that meet, flags left set at the
    end, and events outside the config's range.
  }];
  let options = [
    Option<"config", "config", "std::string", /*default=*/"\"dv-910\"",
           "Machine config: a preset (dv-910, dv-a2) or an INI file">
  ];
}

def ToAICore : Pass<"npuk-to-aicore", "mlir::ModuleOp"> {
  let summary = "Lower tile kernels to aicore programs";
  let description = [{
    Each tile kernel (a `func.func` with `npuk.cores`, no arguments, after
    allocation and sync) becomes one `aicore.program cores(N)`: `scf` is
    lowered to branches between labels, index arithmetic to scalar
    instructions, values get registers x1..x31 by linear scan (constants are
    rematerialized when registers run out; more than 31 live values is an
    error naming the kernel), `npuk.i.*` become `aicore.*` field by field,
    the program declares the GM regions it touches and ends in `end`.
  }];
  let dependentDialects = ["npu::aicore::AICoreDialect"];
}

#endif // NPU_CODEGEN_NPU_PASSES_TD
