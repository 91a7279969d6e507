//===- Artifact.h - read, write and verify `.npu` artifacts -----*- C++ -*-===//
#ifndef NPU_ARTIFACT_ARTIFACT_H
#define NPU_ARTIFACT_ARTIFACT_H

#include "npu/Artifact/npu_artifact.pb.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>

namespace npu {

/// Field 1 of every artifact; serialized first.
constexpr llvm::StringLiteral kArtifactMagic = "NPUART01";
/// The bytes every artifact starts with: field 1's tag, length, magic.
constexpr llvm::StringLiteral kArtifactPrefix = "\x0a\x08NPUART01";
constexpr uint32_t kArtifactFormatVersion = 1;
/// Protobuf caps a message at 2 GiB; the writer stops below that.
constexpr uint64_t kArtifactMaxBytes = (uint64_t(19) << 30) / 10; // 1.9 GiB
/// GM regions start on this boundary, at or above it (address 0 is invalid).
constexpr uint64_t kArtifactRegionAlign = 4096;
/// Largest GM an artifact may ask for (the NPUBIN01 address limit).
constexpr uint64_t kArtifactMaxGM = uint64_t(1) << 40;

/// True if `bytes` starts with kArtifactPrefix.
bool isArtifact(llvm::StringRef bytes);

/// Parses and verifies an artifact; `name` prefixes every error.
llvm::Expected<artifact::Artifact> readArtifactBytes(llvm::StringRef bytes,
                                                     llvm::StringRef name);
/// Reads, parses and verifies the file at `path`.
llvm::Expected<artifact::Artifact> readArtifact(llvm::StringRef path);

/// Serializes `a` to `path` ("-" is stdout). Errors if the magic is not set
/// or the message would exceed kArtifactMaxBytes. Does not verify.
llvm::Error writeArtifact(const artifact::Artifact &a, llvm::StringRef path);

/// Checks the magic, the format and ISA binary versions, every region,
/// tensor, constant, kernel, CPU part and schedule reference, and region
/// bounds (see docs/architecture.md, "NPU artifacts").
llvm::Error verifyArtifact(const artifact::Artifact &a,
                           llvm::StringRef name = "<artifact>");

} // namespace npu

#endif // NPU_ARTIFACT_ARTIFACT_H
