//===- ONNXImporter.h - import ONNX models into the npu dialect -*- C++ -*-===//
#ifndef NPU_IMPORT_ONNX_ONNXIMPORTER_H
#define NPU_IMPORT_ONNX_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/StringRef.h"

#include <string>

#include <memory>

namespace onnx {
class ModelProto;
class TensorProto;
} // namespace onnx

namespace mlir {
class MLIRContext;
} // namespace mlir

namespace npu {

struct ONNXImportOptions {
  /// Name of the generated function.
  std::string funcName = "main";
  /// Overrides for graph input shapes (symbolic/unknown dims), by input name.
  llvm::StringMap<llvm::SmallVector<int64_t>> inputShapes;
  /// Element shapes of sequence graph inputs, whose length the model leaves
  /// open; element K becomes the function argument "NAME.K".
  llvm::StringMap<llvm::SmallVector<llvm::SmallVector<int64_t>>>
      sequenceShapes;
  /// Optional graph inputs compiled as None (they take no argument).
  llvm::StringSet<> noneInputs;
  /// Graph inputs bound to compile-time values: each becomes a constant as
  /// if it were an initializer. The value must have the declared element
  /// type (bfloat16 may be given as uint16 bit patterns) and fit the
  /// declared dimensions.
  llvm::StringMap<std::shared_ptr<const onnx::TensorProto>> boundInputs;
};

/// Imports the model at `path`. The encoding is detected from the content:
/// binary ModelProto, ONNX text syntax (onnx/defs/parser.h) or protobuf text
/// format; a path ending in `.onnxtxt` or `.txt` is never read as binary.
/// Errors go to the context's diagnostic engine and the result is null.
mlir::OwningOpRef<mlir::ModuleOp>
importONNXFile(llvm::StringRef path, mlir::MLIRContext *ctx,
               const ONNXImportOptions &opts = {});

/// Imports an in-memory model. `modelDir` anchors external data files;
/// `displayName` names the model in locations and diagnostics.
mlir::OwningOpRef<mlir::ModuleOp>
importONNXModel(const onnx::ModelProto &model, llvm::StringRef modelDir,
                llvm::StringRef displayName, mlir::MLIRContext *ctx,
                const ONNXImportOptions &opts = {});

/// Imports a model held in memory in any of the three encodings; the
/// encoding is detected from the content (binary protobuf, ONNX text
/// syntax, protobuf text format) unless `forceText` is set.
mlir::OwningOpRef<mlir::ModuleOp>
importONNXBuffer(llvm::StringRef buffer, llvm::StringRef modelDir,
                 llvm::StringRef displayName, mlir::MLIRContext *ctx,
                 const ONNXImportOptions &opts = {}, bool forceText = false);

/// Parses NAME:D0xD1x... (a tensor; "scalar" for rank 0), NAME:[D0xD1,...]
/// (a sequence, "[]" when empty) or NAME:none (a None optional) into `opts`.
bool parseONNXInputShape(llvm::StringRef spec, ONNXImportOptions &opts);

/// Registers `--import-onnx` with mlir-translate style tools.
void registerONNXImportTranslation();

} // namespace npu

#endif // NPU_IMPORT_ONNX_ONNXIMPORTER_H
