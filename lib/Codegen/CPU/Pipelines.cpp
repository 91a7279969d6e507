//===- Pipelines.cpp - the CPU backend's pass pipelines -------------------===//
//
// npu -> linalg on tensors -> bufferized loops -> LLVM dialect. The linalg
// stage is where tiling, packing and micro-kernel dispatch will slot in.
//
//===----------------------------------------------------------------------===//
#include "npu/Codegen/CPU/Passes.h"

#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVMPass.h"
#include "mlir/Conversion/IndexToLLVM/IndexToLLVM.h"
#include "mlir/Conversion/MathToFuncs/MathToFuncs.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/MathToLibm/MathToLibm.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/OneShotAnalysis.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "npu/Transforms/Passes.h"

#if __has_include("npu/Conversion/Passes.h.inc")
#include "npu/Conversion/Passes.h"
#define NPU_HAVE_CONVERSION 1
#endif

using namespace mlir;

/// Copies between buffers are linalg.copy, so they lower to plain loops
/// and need no runtime library.
static LogicalResult createLinalgCopy(OpBuilder &b, Location loc, Value from,
                                      Value to) {
  b.create<linalg::CopyOp>(loc, from, to);
  return success();
}

void npu::buildCPUToLinalgPipeline(OpPassManager &pm,
                                   const CPUPipelineOptions &options) {
  if (options.parts.empty())
    pm.addPass(createRecordSignature(RecordSignatureOptions{options.entry}));
  // npu-level simplifications (pow(x, 2) -> x * x, reshape chains, ...).
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createFoldConstantLayout());
#ifdef NPU_HAVE_CONVERSION
  pm.addPass(createConvertNPUToLinalg());
#endif
  pm.addPass(createCanonicalizerPass());
  if (options.fuseElementwise)
    pm.addPass(createFuseElementwise());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void npu::buildCPUBufferizePipeline(OpPassManager &pm,
                                    const CPUPipelineOptions &options) {
  pm.addNestedPass<func::FuncOp>(createCopyForwardedResults());
  pm.addNestedPass<func::FuncOp>(createProtectInputs());
  pm.addPass(bufferization::createEmptyTensorEliminationPass());
  pm.addPass(bufferization::createEmptyTensorToAllocTensorPass());

  bufferization::OneShotBufferizationOptions bufOpts;
  bufOpts.bufferizeFunctionBoundaries = true;
  bufOpts.setFunctionBoundaryTypeConversion(
      bufferization::LayoutMapOption::IdentityLayoutMap);
  bufOpts.memCpyFn = createLinalgCopy;
  pm.addPass(bufferization::createOneShotBufferizePass(bufOpts));

  // Results become caller-provided buffers: the artifact ABI passes
  // inputs then outputs, and the last allocation of each output is
  // replaced by the caller's buffer.
  bufferization::BufferResultsToOutParamsOpts outOpts;
  outOpts.hoistStaticAllocs = true;
  outOpts.memCpyFn = createLinalgCopy;
  pm.addPass(bufferization::createBufferResultsToOutParamsPass(outOpts));
  pm.addPass(createCanonicalizerPass());

  bufferization::BufferDeallocationPipelineOptions deallocOpts;
  bufferization::buildBufferDeallocationPipeline(pm, deallocOpts);
  pm.addNestedPass<func::FuncOp>(createLoopOrder());
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addPass(createCanonicalizerPass());
}

void npu::buildCPUToLLVMPipeline(OpPassManager &pm,
                                 const CPUPipelineOptions &options) {
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createConvertSCFToCFPass());
  // Intrinsics first (vectorizable); libm calls for the rest (erf, tanh).
  // Integer powers (math.ipowi) have no intrinsic: outline them first.
  pm.addPass(createConvertMathToFuncs());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  ConvertFuncToLLVMPassOptions funcOpts;
  funcOpts.useBarePtrCallConv = true;
  pm.addPass(createConvertFuncToLLVMPass(funcOpts));
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createFlattenConstantGlobals());
  EmitEntryPointOptions entryOpts;
  entryOpts.entry = options.entry;
  entryOpts.parts = options.parts;
  pm.addPass(createEmitEntryPoint(entryOpts));
  pm.addPass(createCanonicalizerPass());
}

void npu::buildCPUPipeline(OpPassManager &pm,
                           const CPUPipelineOptions &options, CPUStage stop) {
  buildCPUToLinalgPipeline(pm, options);
  if (stop == CPUStage::Linalg)
    return;
  buildCPUBufferizePipeline(pm, options);
  if (stop == CPUStage::Bufferized)
    return;
  buildCPUToLLVMPipeline(pm, options);
}

void npu::registerCPUPipelines() {
  PassPipelineRegistration<CPUPipelineOptions>(
      "npu-cpu-to-linalg",
      "CPU stage 1: record the signature, lower npu to linalg on tensors "
      "and fuse elementwise ops",
      buildCPUToLinalgPipeline);
  PassPipelineRegistration<CPUPipelineOptions>(
      "npu-cpu-bufferize",
      "CPU stage 2: one-shot bufferize, outputs to out-params, deallocation, "
      "linalg to loops",
      buildCPUBufferizePipeline);
  PassPipelineRegistration<CPUPipelineOptions>(
      "npu-cpu-to-llvm",
      "CPU stage 3: loops on memrefs to the LLVM dialect with the artifact "
      "entry points",
      buildCPUToLLVMPipeline);
  PassPipelineRegistration<CPUPipelineOptions>(
      "npu-cpu-pipeline", "The whole CPU pipeline: npu to the LLVM dialect",
      [](OpPassManager &pm, const CPUPipelineOptions &options) {
        buildCPUPipeline(pm, options);
      });
}
