//===- Program.h - An NPU program: code plus GM declarations and outputs --===//
#ifndef NPU_TARGET_ISA_PROGRAM_H
#define NPU_TARGET_ISA_PROGRAM_H

#include "npu/Target/ISA/Instruction.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace npu::isa {

/// How a GM buffer is initialised before the program starts.
enum class GMInit : uint8_t { Zero, Random, Const, Iota, File };
constexpr unsigned kNumGMInits = 5;

/// A named global-memory buffer declared with `.gm`.
struct GMBuffer {
  std::string name;
  uint64_t addr = 0; // Assigned by the assembler, 4 KiB aligned.
  uint64_t size = 0;
  GMInit init = GMInit::Zero;
  DType dtype = DType::F16; // Element type for Random/Const/Iota.
  double value = 0;         // Const value or Random seed.
  std::string path;         // File: raw bytes, or .npy by extension.
  bool operator==(const GMBuffer &o) const {
    return name == o.name && addr == o.addr && size == o.size &&
           init == o.init && dtype == o.dtype && value == o.value &&
           path == o.path;
  }
};

/// A GM buffer dumped after the run with `.output`.
struct OutputSpec {
  std::string buffer;
  std::string path; // .npy gets a header with dtype and shape; else raw.
  DType dtype = DType::F32;
  std::vector<uint64_t> shape;
  bool operator==(const OutputSpec &o) const {
    return buffer == o.buffer && path == o.path && dtype == o.dtype &&
           shape == o.shape;
  }
};

constexpr uint64_t kGMBase = 0x1000; // GM address 0 is never valid.
constexpr uint64_t kGMAlign = 0x1000;
/// NPUBIN01 container version (header word after the magic).
constexpr uint32_t kBinaryVersion = 1;

struct Program {
  std::vector<Instruction> code;
  std::vector<GMBuffer> buffers;
  std::vector<OutputSpec> outputs;
  unsigned cores = 1; // Block dim: how many cores run the program.

  const GMBuffer *findBuffer(llvm::StringRef name) const;
  /// Total GM bytes needed (end of the last buffer).
  uint64_t gmSize() const;
  bool operator==(const Program &o) const {
    return code == o.code && buffers == o.buffers && outputs == o.outputs &&
           cores == o.cores;
  }
};

//===--- Binary form -------------------------------------------------------===//

/// Encode one instruction into its 16-byte little-endian word.
void encodeInstruction(const Instruction &inst, uint8_t out[kInstBytes]);
/// Decode and verify one 16-byte word.
llvm::Expected<Instruction> decodeInstruction(const uint8_t in[kInstBytes]);

/// The container: header, buffer table, output table, code words.
std::vector<uint8_t> writeBinary(const Program &prog);
llvm::Expected<Program> readBinary(llvm::ArrayRef<uint8_t> bytes);
/// True if the bytes start with the binary magic.
bool isBinary(llvm::ArrayRef<uint8_t> bytes);

//===--- Assembly form -----------------------------------------------------===//

struct AsmOptions {
  /// Extra `.equ` constants (e.g. from -D on the command line); they
  /// override definitions in the source.
  std::map<std::string, int64_t> defines;
};

/// Parse assembly text. Errors are "<name>:<line>:<col>: error: ...".
llvm::Expected<Program> parseAssembly(llvm::StringRef text,
                                      llvm::StringRef bufferName = "<asm>",
                                      const AsmOptions &opts = {});
/// Print one instruction (no label resolution; targets print as numbers).
std::string printInstruction(const Instruction &inst);
/// Print a whole program in canonical form; branch targets become labels
/// `L<index>`.
std::string printProgram(const Program &prog);

/// Parse a whole file, assembly or binary (decided by the magic).
llvm::Expected<Program> loadProgram(llvm::StringRef path,
                                    const AsmOptions &opts = {});

/// Markdown table of every opcode's encoding (generated into docs/isa.md).
std::string encodingMarkdown();

} // namespace npu::isa

#endif // NPU_TARGET_ISA_PROGRAM_H
