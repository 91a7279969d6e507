//===- Footprint.h - The bytes each instruction reads and writes ----------===//
//
// One definition of operand footprints, shared by the simulator (bounds,
// alignment and race checks) and the compiler (sync insertion), so both agree
// on what overlaps, including the conservative bounding ranges of load2d,
// load3d (the whole feature map) and strided vector operands.
//===----------------------------------------------------------------------===//
#ifndef NPU_TARGET_ISA_FOOTPRINT_H
#define NPU_TARGET_ISA_FOOTPRINT_H

#include "npu/Target/ISA/Instruction.h"
#include "llvm/ADT/ArrayRef.h"

namespace npu::isa {

/// The bytes an operand touches: [lo, hi) bounds them; when rows > 1 they
/// are exactly rows runs of rowBytes, stride bytes apart, starting at lo
/// (bursts, matrix rows). Otherwise the whole bounding range counts.
struct Span {
  uint64_t lo, hi;
  uint64_t rows = 1, rowBytes = 0, stride = 0;
  bool strided() const { return rows > 1 && rowBytes < stride; }
};
bool spansOverlap(const Span &a, const Span &b);
/// True if every byte of `inner` is in `outer`.
bool spanCovers(const Span &outer, const Span &inner);

/// One operand's footprint in one buffer.
struct Access {
  Buffer buf;
  Span span;
  bool write;
  uint64_t align;   // Required alignment of span.lo.
  const char *what; // Operand name for messages ("src", "dst", "a", ...).
};

/// The footprint of one instruction (at most 6 operands touch memory).
struct AccessList {
  Access a[6];
  unsigned n = 0;
  void add(Buffer b, uint64_t lo, uint64_t hi, bool write, uint64_t align,
           const char *what) {
    a[n++] = {b, {lo, hi}, write, align, what};
  }
  /// `rows` runs of `rowBytes`, `stride` apart.
  void addRows(Buffer b, uint64_t lo, uint64_t rows, uint64_t rowBytes,
               uint64_t stride, bool write, uint64_t align, const char *what) {
    Span s{lo, lo + (rows - 1) * stride + rowBytes, rows, rowBytes, stride};
    a[n++] = {b, s, write, align, what};
  }
  const Access *begin() const { return a; }
  const Access *end() const { return a + n; }
};

/// The feature-map descriptor `set_fmap` sets (load3d reads the whole map).
struct FmapState {
  unsigned h = 1, w = 1, c1 = 1, pt = 0, pb = 0, pl = 0, pr = 0;
};

/// Operand values as an instruction executes them: address operands are
/// byte addresses (register value + offset), register operands are register
/// values, every other operand is its raw field. `regs` has 32 entries.
void resolveOperands(const Instruction &inst, llvm::ArrayRef<uint64_t> regs,
                     uint64_t resolved[kMaxOperands]);

/// Appends to `out` what `inst` reads and writes, given its resolved operand
/// values (see resolveOperands; a compiler passes static addresses) and the
/// current feature map. Instructions that touch no buffer add nothing.
/// Sizes are not checked against any buffer; that is the caller's job.
void footprint(const Instruction &inst, const uint64_t resolved[],
               const FmapState &fmap, AccessList &out);

} // namespace npu::isa

#endif // NPU_TARGET_ISA_FOOTPRINT_H
