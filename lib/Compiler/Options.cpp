//===- Options.cpp - parsing of compile option enums ----------------------===//
#include "npu/Compiler/Options.h"

#include "llvm/ADT/StringSwitch.h"

using namespace npu;

static constexpr std::pair<const char *, EmitKind> kEmitKinds[] = {
    {"npu", EmitKind::NPU},
    {"linalg", EmitKind::Linalg},
    {"bufferized", EmitKind::Bufferized},
    {"llvm-dialect", EmitKind::LLVMDialect},
    {"llvmir", EmitKind::LLVMIR},
    {"asm", EmitKind::Assembly},
    {"obj", EmitKind::Object},
    {"lib", EmitKind::SharedLib},
    {"npu-graph", EmitKind::NPUGraph},
    {"artifact", EmitKind::Artifact},
};

std::optional<EmitKind> npu::parseEmitKind(llvm::StringRef name) {
  for (auto &[n, k] : kEmitKinds)
    if (name == n)
      return k;
  return std::nullopt;
}

llvm::StringRef npu::emitKindName(EmitKind kind) {
  for (auto &[n, k] : kEmitKinds)
    if (k == kind)
      return n;
  return "?";
}

std::optional<Target> npu::parseTarget(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<Target>>(name)
      .Case("cpu", Target::CPU)
      .Case("npu", Target::NPU)
      .Default(std::nullopt);
}
