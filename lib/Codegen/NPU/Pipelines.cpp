//===- Pipelines.cpp - the NPU backend's pass pipelines -------------------===//
#include "npu/Codegen/NPU/Passes.h"

#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "npu/Transforms/Passes.h"

using namespace mlir;

void npu::buildDeviceGraphPipeline(OpPassManager &pm,
                                   const DevicePipelineOptions &options) {
  pm.addPass(createCanonicalizerPass());
  // Transposed constant weights (Gemm transB) become plain constants.
  pm.addPass(createFoldConstantLayout());
  PartitionOptions partition;
  partition.forceCpu = options.forceCpu;
  partition.noFallback = options.noFallback;
  partition.kernels = options.kernels;
  pm.addPass(createPartition(partition));
  AssignLayoutsOptions layouts;
  layouts.precision = options.precision;
  pm.addPass(createAssignLayouts(layouts));
  // Folds weight conversions into constants, cancels exact round trips.
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createFormKernels());
  pm.addPass(createOutline());
  pm.addPass(createPlanGM());
  LowerKernelsOptions lower;
  lower.config = options.config;
  lower.tunePlans = options.tunePlans;
  lower.prefetch = options.prefetch;
  pm.addPass(createLowerKernels(lower));
}

void npu::registerNPUPipelines() {
  PassPipelineRegistration<DevicePipelineOptions>(
      "npu-device-graph",
      "npu -> NPU kernels and host CPU parts, outlined, with a "
      "global-memory plan",
      buildDeviceGraphPipeline);
}
