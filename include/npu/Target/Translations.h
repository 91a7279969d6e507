//===- Translations.h - aicore <-> NPU assembly and binary ------*- C++ -*-===//
#ifndef NPU_TARGET_TRANSLATIONS_H
#define NPU_TARGET_TRANSLATIONS_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "npu/Target/ISA/Program.h"

namespace npu {
/// Registers the npu-translate translations --aicore-to-asm, --aicore-to-bin,
/// --asm-to-aicore and --bin-to-aicore.
void registerNPUTargetTranslations();

namespace aicore {
/// A module holding one `aicore.program` equal to `prog`: branch targets
/// become `aicore.label @L<index>`, each address an `aicore.addr`. Returns
/// null with a message in `error` if the program breaks a rule the dialect
/// checks statically but the ISA leaves to run time (address alignment).
mlir::OwningOpRef<mlir::ModuleOp> importProgram(const isa::Program &prog,
                                                mlir::MLIRContext *ctx,
                                                mlir::Location loc,
                                                std::string *error = nullptr);

/// The program of the single `aicore.program` in `root` (or `root` itself),
/// checked as the binary reader checks a file. Emits a diagnostic on failure.
mlir::FailureOr<isa::Program> exportProgram(mlir::Operation *root);
} // namespace aicore
} // namespace npu

#endif // NPU_TARGET_TRANSLATIONS_H
