//===- InitAll.cpp - register every npu and upstream dialect and pass -----===//
#include "npu/InitAll.h"

#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "npu/Dialect/NPU/IR/NPUDialect.h"

void npu::registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<npu::NPUDialect>();
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
}

void npu::registerAllPasses() { mlir::registerAllPasses(); }
