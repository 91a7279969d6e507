//===- LLVMBackend.h - LLVM dialect to native code -------------*- C++ -*-===//
#ifndef NPU_LIB_COMPILER_LLVMBACKEND_H
#define NPU_LIB_COMPILER_LLVMBACKEND_H

#include "npu/Runtime/CPUModel.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/IR/Module.h"
#include "llvm/Target/TargetMachine.h"

namespace npu {
/// A target machine for this host (`cpu` = "native") or a named CPU.
llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createTargetMachine(llvm::StringRef cpu, unsigned optLevel);

/// LLVM dialect -> optimized LLVM IR for `tm`.
llvm::Expected<std::unique_ptr<llvm::Module>>
translateToLLVMIR(mlir::ModuleOp module, llvm::LLVMContext &ctx,
                  llvm::TargetMachine &tm, unsigned optLevel);

/// Writes an object file (or assembly if `assembly`) for `mod`.
llvm::Error emitNative(llvm::Module &mod, llvm::TargetMachine &tm,
                       bool assembly, llvm::StringRef path);

/// Links one object into a shared library with the system C compiler.
llvm::Error linkSharedLibrary(llvm::StringRef objectPath,
                              llvm::StringRef outputPath);

/// JIT-compiles an LLVM-dialect module with MLIR's ExecutionEngine.
llvm::Expected<rt::CPUModel> jitCompile(mlir::ModuleOp module,
                                        llvm::StringRef cpu,
                                        unsigned optLevel);
} // namespace npu

#endif // NPU_LIB_COMPILER_LLVMBACKEND_H
