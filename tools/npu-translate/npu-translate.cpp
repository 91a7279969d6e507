//===- npu-translate.cpp - translate between MLIR and other formats -------===//
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "npu/InitAll.h"

int main(int argc, char **argv) {
  npu::registerAllTranslations();
  return mlir::failed(mlir::mlirTranslateMain(
      argc, argv,
      "npu-translate: converts between MLIR and external formats.\n"
      "  --import-onnx           ONNX model (binary or text) -> npu dialect\n"
      "  --mlir-to-llvmir        LLVM dialect -> LLVM IR\n"
      "plus the ISA assembly/binary translations of the aicore dialect.\n"));
}
