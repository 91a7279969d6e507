//===- Passes.h - CPU backend passes and pipelines --------------*- C++ -*-===//
#ifndef NPU_CODEGEN_CPU_PASSES_H
#define NPU_CODEGEN_CPU_PASSES_H

#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

namespace npu {
#define GEN_PASS_DECL
#define GEN_PASS_REGISTRATION
#include "npu/Codegen/CPU/Passes.h.inc"

/// How far the CPU pipeline lowers, in order. Any stage can be reproduced
/// with npu-opt and the pipeline of the same name.
enum class CPUStage { Linalg, Bufferized, LLVM };

struct CPUPipelineOptions : mlir::PassPipelineOptions<CPUPipelineOptions> {
  Option<std::string> entry{*this, "entry",
                            llvm::cl::desc("Entry function name"),
                            llvm::cl::init("main")};
  Option<bool> fuseElementwise{
      *this, "fuse-elementwise",
      llvm::cl::desc("Fuse producer/consumer elementwise linalg ops"),
      llvm::cl::init(true)};
  ListOption<std::string> parts{
      *this, "parts",
      llvm::cl::desc("Compile these public functions as NPU artifact CPU "
                     "parts (npu_part_<name>) instead of the entry")};
};

/// npu -> linalg on tensors, cleaned up and fused (`npu-cpu-to-linalg`).
void buildCPUToLinalgPipeline(mlir::OpPassManager &pm,
                              const CPUPipelineOptions &options);
/// linalg on tensors -> loops on memrefs with out-params and deallocation
/// (`npu-cpu-bufferize`).
void buildCPUBufferizePipeline(mlir::OpPassManager &pm,
                               const CPUPipelineOptions &options);
/// loops on memrefs -> LLVM dialect with the artifact entry points
/// (`npu-cpu-to-llvm`).
void buildCPUToLLVMPipeline(mlir::OpPassManager &pm,
                            const CPUPipelineOptions &options);
/// All stages up to and including `stop` (`npu-cpu-pipeline` = LLVM).
void buildCPUPipeline(mlir::OpPassManager &pm,
                      const CPUPipelineOptions &options,
                      CPUStage stop = CPUStage::LLVM);

void registerCPUPipelines();
} // namespace npu

#endif // NPU_CODEGEN_CPU_PASSES_H
