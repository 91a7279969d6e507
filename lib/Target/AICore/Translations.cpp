//===- Translations.cpp - npu-translate registrations for aicore <-> ISA --===//
#include "npu/Target/Translations.h"
#include "npu/Dialect/AICore/IR/AICoreDialect.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;
using namespace npu;

/// Reads the main buffer as assembly or binary. Bad input gets one line,
/// "file: error: ..." (assembly errors carry their own file:line:col).
static OwningOpRef<Operation *> importFile(llvm::SourceMgr &sourceMgr,
                                           MLIRContext *ctx, bool binary) {
  const llvm::MemoryBuffer *buf =
      sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
  StringRef name = buf->getBufferIdentifier();
  auto fail = [&](const Twine &msg) {
    llvm::errs() << name << ": error: " << msg << "\n";
    return nullptr;
  };
  ArrayRef<uint8_t> bytes(
      reinterpret_cast<const uint8_t *>(buf->getBufferStart()),
      buf->getBufferSize());
  llvm::Expected<isa::Program> prog = isa::Program();
  if (binary) {
    prog = isa::readBinary(bytes);
  } else if (isa::isBinary(bytes)) {
    return fail("input is an NPU binary; use --bin-to-aicore");
  } else {
    prog = isa::parseAssembly(buf->getBuffer(), name);
  }
  if (!prog) {
    std::string msg = toString(prog.takeError());
    if (!binary && StringRef(msg).starts_with(name)) {
      llvm::errs() << msg << "\n";
      return nullptr;
    }
    return fail(msg);
  }
  std::string err;
  OwningOpRef<ModuleOp> module = aicore::importProgram(
      *prog, ctx, FileLineColLoc::get(ctx, name, 0, 0), &err);
  if (!module)
    return fail(err);
  return module;
}

void npu::registerNPUTargetTranslations() {
  auto dialects = [](DialectRegistry &registry) {
    registry.insert<aicore::AICoreDialect>();
  };
  static TranslateFromMLIRRegistration toAsm(
      "aicore-to-asm", "aicore.program -> NPU assembly",
      [](Operation *op, llvm::raw_ostream &os) -> LogicalResult {
        FailureOr<isa::Program> prog = aicore::exportProgram(op);
        if (failed(prog))
          return failure();
        os << isa::printProgram(*prog);
        return success();
      },
      dialects);
  static TranslateFromMLIRRegistration toBin(
      "aicore-to-bin", "aicore.program -> NPU binary",
      [](Operation *op, llvm::raw_ostream &os) -> LogicalResult {
        FailureOr<isa::Program> prog = aicore::exportProgram(op);
        if (failed(prog))
          return failure();
        std::vector<uint8_t> bytes = isa::writeBinary(*prog);
        os.write(reinterpret_cast<const char *>(bytes.data()), bytes.size());
        return success();
      },
      dialects);
  static TranslateToMLIRRegistration fromAsm(
      "asm-to-aicore", "NPU assembly -> aicore.program",
      [](llvm::SourceMgr &sourceMgr, MLIRContext *ctx) {
        return importFile(sourceMgr, ctx, /*binary=*/false);
      },
      dialects);
  static TranslateToMLIRRegistration fromBin(
      "bin-to-aicore", "NPU binary -> aicore.program",
      [](llvm::SourceMgr &sourceMgr, MLIRContext *ctx) {
        return importFile(sourceMgr, ctx, /*binary=*/true);
      },
      dialects);
}
