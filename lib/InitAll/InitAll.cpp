//===- InitAll.cpp - register every npu and upstream dialect and pass -----===//
#include "npu/InitAll.h"

#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/InitAllTranslations.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "npu/Dialect/NPU/IR/NPUDialect.h"

#ifdef NPU_HAVE_NPUIMPORTONNX
#include "npu/Import/ONNX/ONNXImporter.h"
#endif
#ifdef NPU_HAVE_NPUCONVERSION
#include "npu/Conversion/Passes.h"
#endif
#ifdef NPU_HAVE_NPUTRANSFORMS
#include "npu/Transforms/Passes.h"
#endif
#ifdef NPU_HAVE_NPUCODEGENCPU
#include "npu/Codegen/CPU/Passes.h"
#endif
#ifdef NPU_HAVE_NPUCODEGENNPU
#include "npu/Codegen/NPU/Passes.h"
#endif
#ifdef NPU_HAVE_NPUAICOREDIALECT
#include "npu/Dialect/AICore/IR/AICoreDialect.h"
#endif
#ifdef NPU_HAVE_NPUKDIALECT
#include "npu/Dialect/NPUK/IR/NPUKDialect.h"
#endif
#ifdef NPU_HAVE_NPUTARGET
#include "npu/Target/Translations.h"
#endif

void npu::registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<npu::NPUDialect>();
#ifdef NPU_HAVE_NPUAICOREDIALECT
  registry.insert<npu::aicore::AICoreDialect>();
#endif
#ifdef NPU_HAVE_NPUKDIALECT
  registry.insert<npu::npuk::NPUKDialect>();
#endif
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::registerAllToLLVMIRTranslations(registry);
}

void npu::registerAllPasses() {
  mlir::registerAllPasses();
#ifdef NPU_HAVE_NPUCONVERSION
  npu::registerNPUConversionPasses();
#endif
#ifdef NPU_HAVE_NPUTRANSFORMS
  npu::registerNPUTransformsPasses();
#endif
#ifdef NPU_HAVE_NPUCODEGENCPU
  npu::registerCPUCodegenPasses();
  npu::registerCPUPipelines();
#endif
#ifdef NPU_HAVE_NPUCODEGENNPU
  npu::registerNPUCodegenPasses();
  npu::registerNPUPipelines();
#endif
}

void npu::registerAllTranslations() {
  mlir::registerAllTranslations();
#ifdef NPU_HAVE_NPUIMPORTONNX
  npu::registerONNXImportTranslation();
#endif
#ifdef NPU_HAVE_NPUTARGET
  npu::registerNPUTargetTranslations();
#endif
}
