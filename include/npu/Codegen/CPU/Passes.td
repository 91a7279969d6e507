// Passes of the CPU backend (LLVM codegen for the host).
#ifndef NPU_CODEGEN_CPU_PASSES_TD
#define NPU_CODEGEN_CPU_PASSES_TD

include "mlir/Pass/PassBase.td"

def RecordSignature : Pass<"npu-cpu-record-signature", "mlir::ModuleOp"> {
  let summary = "Record the entry function's I/O signature as JSON";
  let description = [{
    Reads names (`npu.name` argument/result attributes), element types and
    shapes of the entry function while it still has tensor types, and
    stores them as the module attribute `npu.signature` (a JSON string).
    `npu-cpu-emit-entry` later embeds it in the artifact.
  }];
  let options = [
    Option<"entry", "entry", "std::string", /*default=*/"\"main\"",
           "Name of the entry function">
  ];
}

def CopyForwardedResults : Pass<"npu-cpu-copy-forwarded-results",
                                "mlir::func::FuncOp"> {
  let summary = "Give every returned tensor a value of its own";
  let description = [{
    A result that is a function argument, or a value returned more than
    once, gets a `linalg.copy` into a fresh `tensor.empty`. Each result then
    bufferizes to its own allocation, which `buffer-results-to-out-params`
    can replace by the caller's buffer; forwarded arguments and repeated
    values otherwise crash that pass (LLVM 19).
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect",
                           "mlir::tensor::TensorDialect"];
}

def ProtectInputs : Pass<"npu-cpu-protect-inputs", "mlir::func::FuncOp"> {
  let summary = "Keep bufferization from writing into caller-owned inputs";
  let description = [{
    Marks every tensor argument of a public function
    `bufferization.writable = false`. One-shot bufferization otherwise
    treats arguments as writable and may update an input in place, which
    corrupts the caller's buffer (the artifact ABI passes inputs by pointer)
    and makes a second run see different inputs. Written-to inputs are
    copied instead.
  }];
}

def EmitEntryPoint : Pass<"npu-cpu-emit-entry", "mlir::ModuleOp"> {
  let summary = "Add the artifact's C entry points to an LLVM-dialect module";
  let description = [{
    Expects the entry function lowered with the bare-pointer memref calling
    convention (inputs, then outputs, one pointer each). Adds:
      int32_t npu_run(void **buffers);      // buffers: inputs then outputs
      const char *npu_signature(void);     // the JSON from npu.signature
      int32_t npu_abi_version(void);       // currently 1
    With `parts`, adds instead `int32_t npu_part_<name>(void **buffers)` for
    each listed function: the host parts of an NPU artifact.
  }];
  let options = [
    Option<"entry", "entry", "std::string", /*default=*/"\"main\"",
           "Name of the lowered entry function">,
    ListOption<"parts", "parts", "std::string",
               "NPU artifact CPU parts to export instead of the entry">
  ];
  let dependentDialects = ["mlir::LLVM::LLVMDialect"];
}

def LoopOrder : Pass<"npu-cpu-loop-order", "mlir::func::FuncOp"> {
  let summary = "Order contraction and convolution loops for vectorization";
  let description = [{
    Generalizes linalg contractions and convolutions and interchanges their
    loops to (outer parallel dims, reduction dims, innermost output dim), so
    the innermost loop walks the output contiguously and LLVM's loop
    vectorizer can turn it into SIMD code without reassociating reductions.
    This is the portable fallback until packed micro-kernels take over.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

def FlattenConstantGlobals : Pass<"npu-cpu-flatten-constant-globals",
                                  "mlir::ModuleOp"> {
  let summary = "Store constant LLVM globals as flat byte arrays";
  let description = [{
    Rewrites every `llvm.mlir.global` initialized by a dense or
    dense_resource attribute to an `!llvm.array<N x i8>` holding the raw
    bytes. With opaque pointers nothing else changes, but LLVM then sees one
    byte string per weight instead of millions of nested constant arrays:
    translating and emitting ResNet-50's 100 MB of weights drops from tens
    of seconds to a memcpy.
  }];
  let options = [
    Option<"minBytes", "min-bytes", "int64_t", /*default=*/"64",
           "Only flatten globals of at least this many bytes">
  ];
  let dependentDialects = ["mlir::LLVM::LLVMDialect"];
}

def FuseElementwise : Pass<"npu-cpu-fuse-elementwise", "mlir::ModuleOp"> {
  let summary = "Fuse elementwise linalg producers into parallel consumers";
  let description = [{
    Upstream elementwise fusion, restricted so that a producer is only fused
    into a consumer without reduction loops. Fusing into a matmul or a
    reduction would recompute the producer once per reduction step (GELU's
    erf once per k of the next matmul, for example).
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

#endif // NPU_CODEGEN_CPU_PASSES_TD
