//===- Footprint.h - the bytes an NPU instruction touches -------*- C++ -*-===//
//
// The compiler's copy of the simulator's operand ranges (lib/Simulator/
// Access.cpp), used by on-chip allocation and sync insertion. It is meant to
// be replaced by the shared `isa::footprint` (include/npu/Target/ISA/
// Footprint.h, design §7.4) once that lands: keep this one function the only
// place that knows instruction ranges.
//===----------------------------------------------------------------------===//
#ifndef NPU_DIALECT_NPUK_IR_FOOTPRINT_H
#define NPU_DIALECT_NPUK_IR_FOOTPRINT_H

#include "npu/Target/ISA/Instruction.h"
#include "llvm/ADT/SmallVector.h"

namespace npu::npuk {

/// The bytes an operand touches: [lo, hi) bounds them; with rows > 1 they
/// are exactly `rows` runs of `rowBytes`, `stride` apart, starting at lo
/// (bursts, matrix rows). Otherwise the whole bounding range counts, as in
/// the simulator's race checker.
struct Span {
  uint64_t lo = 0, hi = 0;
  uint64_t rows = 1, rowBytes = 0, stride = 0;
  bool strided() const { return rows > 1 && rowBytes < stride; }
};
/// True if some byte is in both.
bool spansOverlap(const Span &a, const Span &b);

struct Access {
  isa::Buffer buf;
  Span span;
  bool write;
  const char *what; // The operand's field name.
};

/// The feature map `load3d` reads (set by the last `set_fmap` of MTE1).
struct FmapState {
  unsigned h = 1, w = 1, c1 = 1;
};

/// Appends the accesses of `inst` to `out`. `resolved[i]` is field i with
/// addresses as absolute byte addresses (offset included) and other fields
/// as their raw values, i.e. what the simulator's issue stage computes.
void footprint(const isa::Instruction &inst, const uint64_t resolved[],
               const FmapState &fmap, llvm::SmallVectorImpl<Access> &out);

} // namespace npu::npuk

#endif // NPU_DIALECT_NPUK_IR_FOOTPRINT_H
