//===- Passes.h - NPU backend passes and pipelines --------------*- C++ -*-===//
#ifndef NPU_CODEGEN_NPU_PASSES_H
#define NPU_CODEGEN_NPU_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"
#include "npu/Dialect/AICore/IR/AICoreDialect.h"
#include "npu/Dialect/NPUK/IR/NPUKDialect.h"

namespace npu {
#define GEN_PASS_DECL
#define GEN_PASS_REGISTRATION
#include "npu/Codegen/NPU/Passes.h.inc"

/// Options shared by the NPU backend's pipelines (`npu-device-graph`).
struct DevicePipelineOptions
    : mlir::PassPipelineOptions<DevicePipelineOptions> {
  Option<std::string> config{*this, "config",
                             llvm::cl::desc("Simulator preset or INI file"),
                             llvm::cl::init("dv-910")};
  ListOption<std::string> forceCpu{
      *this, "force-cpu",
      llvm::cl::desc("ONNX node names to keep on the host CPU")};
  Option<bool> noFallback{*this, "no-fallback",
                          llvm::cl::desc("Fail instead of falling back to "
                                         "the CPU"),
                          llvm::cl::init(false)};
  Option<std::string> precision{
      *this, "precision",
      llvm::cl::desc("Cube input type: fp16 or bf16 (fp32 accumulation)"),
      llvm::cl::init("fp16")};
  Option<unsigned> tunePlans{
      *this, "tune-plans",
      llvm::cl::desc("Per conv kernel, lower and simulate (timing only) the "
                     "cost model's best N tile plans and keep the fastest; "
                     "1 trusts the model"),
      llvm::cl::init(3)};
  Option<bool> prefetch{
      *this, "prefetch",
      llvm::cl::desc("Cube kernels prefetch the next kernels' weights into "
                     "the L2 (configs with an L2)"),
      llvm::cl::init(true)};
  ListOption<std::string> kernels{
      *this, "kernels",
      llvm::cl::desc("Op families placed on the NPU (matmul); experimental: "
                     "fp16 without range calibration")};
};

/// npu -> kernels and a host schedule with a global-memory plan.
void buildDeviceGraphPipeline(mlir::OpPassManager &pm,
                              const DevicePipelineOptions &options);

void registerNPUPipelines();
} // namespace npu

#endif // NPU_CODEGEN_NPU_PASSES_H
