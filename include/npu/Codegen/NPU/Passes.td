// Passes of the NPU backend (docs/design/npu-backend.md).
#ifndef NPU_CODEGEN_NPU_PASSES_TD
#define NPU_CODEGEN_NPU_PASSES_TD

include "mlir/Pass/PassBase.td"

//===----------------------------------------------------------------------===//
// Graph level: placement, kernel groups, host schedule, global memory.
//===----------------------------------------------------------------------===//

def Partition : Pass<"npuk-partition", "mlir::ModuleOp"> {
  let summary = "Decide where each npu op runs: NPU kernel or host CPU";
  let description = [{
    Sets `npuk.placement = {on = "npu"|"cpu", code, text}` on every op of
    the entry function. An op runs on the NPU when the backend can lower it
    and the config can hold it; otherwise it falls back to the host CPU and
    the code says why (`cpu.no_lowering`, `cpu.forced`, ...). With
    `no-fallback`, an op that cannot run on the NPU is an error naming its
    ONNX node.
  }];
  let options = [
    Option<"entry", "entry", "std::string", /*default=*/"\"main\"",
           "Name of the entry function">,
    ListOption<"forceCpu", "force-cpu", "std::string",
               "ONNX node names to keep on the host CPU">,
    Option<"noFallback", "no-fallback", "bool", /*default=*/"false",
           "Fail instead of falling back to the CPU">,
    ListOption<"kernels", "kernels", "std::string",
               "Op families placed on the NPU (matmul); experimental: fp16 "
               "without range calibration">
  ];
}

def AssignLayouts : Pass<"npuk-assign-layouts", "mlir::ModuleOp"> {
  let summary = "Put NPU anchors on physical layouts and precisions";
  let description = [{
    Rewrites each cube anchor (`npu.cube.matmul`) and its fused epilogue
    (`fused.bias`, `fused.fix_relu`) into one `npuk.matmul`: the activation
    is converted to the cube's input type on the host (`npuk.convert`,
    placed on the CPU), the constant weight to the `fnz` layout (folded at
    compile time by the canonicalizer), the bias to an f32 vector, and the
    result back to the logical type. Conversions between two cube kernels
    cancel in the canonicalizer when the round trip is exact (f16 -> f32 ->
    f16). The ONNX nodes fused into an anchor are kept in `npuk.fused`.
  }];
  let options = [
    Option<"entry", "entry", "std::string", /*default=*/"\"main\"",
           "Name of the entry function">,
    Option<"precision", "precision", "std::string", /*default=*/"\"fp16\"",
           "Cube input type: fp16 or bf16">
  ];
  let dependentDialects = ["npu::npuk::NPUKDialect"];
}

def FormKernels : Pass<"npuk-form-kernels", "mlir::ModuleOp"> {
  let summary = "Group placed ops into npuk.kernel regions";
  let description = [{
    Each NPU anchor (`npu.cube.*`: a matmul) starts an `npuk.kernel ... cube`
    and its epilogue ops (`fused.*`: bias add, relu) join it. Each maximal
    convex connected group of CPU-placed ops becomes an
    `npuk.kernel ... cpu` region (a host CPU part), so that no path leaves a
    group and re-enters it. Constants used only inside a group are cloned
    into it. Kernels are named `cpu000`, `cpu001`, ... in schedule order and
    list the ONNX nodes they implement.
  }];
  let options = [
    Option<"entry", "entry", "std::string", /*default=*/"\"main\"",
           "Name of the entry function">
  ];
  let dependentDialects = ["npu::npuk::NPUKDialect"];
}

def Outline : Pass<"npuk-outline", "mlir::ModuleOp"> {
  let summary = "Outline npuk.kernel regions into functions";
  let description = [{
    Each `npuk.kernel` becomes a private `func.func` of the same name
    carrying `npuk.kind` and `npuk.nodes`, called from the entry function by
    `npuk.call_cpu` (CPU parts) or `npuk.launch` (NPU kernels). The entry
    function is then the host schedule.
  }];
  let options = [
    Option<"entry", "entry", "std::string", /*default=*/"\"main\"",
           "Name of the entry function">
  ];
  let dependentDialects = ["mlir::func::FuncDialect"];
}

def PlanGM : Pass<"npuk-plan-gm", "mlir::ModuleOp"> {
  let summary = "Place every tensor of the host schedule in global memory";
  let description = [{
    Assigns each tensor of the schedule (graph inputs, graph outputs and
    intermediate results) a global-memory region, aligned to `align` bytes.
    Graph inputs and outputs get regions of their own; intermediates reuse
    freed space first-fit by liveness over the schedule order, and a
    kernel's results never alias its operands. Records
    `npuk.gm = [offset, bytes]` on arguments and `npuk.gm` arrays on
    schedule ops, and `npuk.gm_bytes` on the module.
  }];
  let options = [
    Option<"entry", "entry", "std::string", /*default=*/"\"main\"",
           "Name of the entry function">,
    Option<"align", "align", "int64_t", /*default=*/"4096",
           "Region alignment in bytes">
  ];
}

def LowerKernels : Pass<"npuk-lower-kernels", "mlir::ModuleOp"> {
  let summary = "Lower each NPU kernel to machine code at its GM addresses";
  let description = [{
    Runs after `npuk-plan-gm`. For each `npuk.launch` of a kernel function
    whose body is an `npuk.matmul`, an `npuk.conv2d` or a vector chain,
    builds the tile kernel at the plan addresses of its operands and
    result, spread over min(config cores, output tiles / blocks) cores,
    runs the tile passes (`npuk-alloc-onchip`, `npuk-insert-sync`,
    `npuk-verify-sync`, `npuk-to-aicore`) and replaces the function by an
    `npuk.device_kernel`. Conv tile plans come from `planConv` (the cost
    model, under the config's buffer budgets); the best `tune-plans` (with
    the best streamed-band plan when that is > 1) are lowered and timed on
    the simulator and the fastest is kept, recorded
    as `npuk.plan`. A kernel body with no lowering, or a conv no plan fits,
    is an error naming the kernel.
  }];
  let options = [
    Option<"entry", "entry", "std::string", /*default=*/"\"main\"",
           "Name of the entry function">,
    Option<"config", "config", "std::string", /*default=*/"\"dv-910\"",
           "Machine config: a preset (dv-910, dv-a2) or an INI file">,
    Option<"tunePlans", "tune-plans", "unsigned", /*default=*/"3",
           "Per conv kernel, lower and simulate (timing only) the cost "
           "model's best N tile plans (and, for N > 1, its best plan that "
           "streams the input band) and keep the fastest; 1 trusts the "
           "model">,
    Option<"prefetch", "prefetch", "bool", /*default=*/"true",
           "With an L2 in the config, each cube kernel prefetches the "
           "weights of the next kernels into the L2 while it computes "
           "(planPrefetch)">
  ];
  let dependentDialects = ["npu::npuk::NPUKDialect",
                           "npu::aicore::AICoreDialect",
                           "mlir::scf::SCFDialect",
                           "mlir::arith::ArithDialect"];
}

def WriteReport : Pass<"npuk-write-report", "mlir::ModuleOp"> {
  let summary = "Write the compile report: every ONNX node, where and why";
  let description = [{
    Writes the `npu-report/1` JSON (docs/npu-target.md): each ONNX node of
    the model (module attribute `npu.onnx_nodes`) exactly once, with its
    placement, its kernel and the reason code, then the kernels and the
    global-memory plan. Nodes that left no op behind are reported as
    `folded.import`. Runs after `npuk-outline`.
  }];
  let options = [
    Option<"path", "path", "std::string", /*default=*/"\"-\"",
           "Output file ('-' = stdout)">,
    Option<"entry", "entry", "std::string", /*default=*/"\"main\"",
           "Name of the entry function">
  ];
}

//===----------------------------------------------------------------------===//
// Tile level (design §7.3-§7.5): on-chip allocation, synchronization and
// the lowering to aicore.
//===----------------------------------------------------------------------===//

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
