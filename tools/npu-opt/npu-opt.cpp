//===- npu-opt.cpp - run npu and upstream MLIR passes on .mlir files ------===//
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "npu/InitAll.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  npu::registerAllDialects(registry);
  npu::registerAllPasses();
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv,
      "npu-opt: runs npu passes and pipelines (and every upstream MLIR pass)\n"
      "on an MLIR file. Use --help-list to see passes; pipelines such as\n"
      "--npu-cpu-pipeline reproduce any stage of npuc.\n",
      registry));
}
