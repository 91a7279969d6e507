//===- ConvGeometry.h - the tiling of the cube conv kernel ----------------===//
//
// The tile geometry buildConvKernel emits, shared with the tile planner
// (CostModel.cpp) so that estimates and budgets use the emitter's numbers.
//===----------------------------------------------------------------------===//
#ifndef NPU_LIB_CODEGEN_NPU_CONVGEOMETRY_H
#define NPU_LIB_CODEGEN_NPU_CONVGEOMETRY_H

#include "npu/Codegen/NPU/TileBuilder.h"

#include <vector>

namespace npu::npuk {

/// A strided 1x1 conv without vertical padding copies only the input rows
/// it reads (every strideH-th), so load3d then steps one row at a time.
inline bool convSkipsRows(const ConvKernelSpec &s) {
  return s.kh == 1 && s.strideH > 1 && s.padTop == 0 && s.padBottom == 0 &&
         s.h * s.w <= 65535;
}
/// Input rows between two output rows, as the band in L1 holds them.
inline int64_t convBandStep(const ConvKernelSpec &s) {
  return convSkipsRows(s) ? 1 : s.strideH;
}

/// Output row tiles [t0, t1) that share one band shape: `rows` output rows
/// read input rows clipped by `clipTop`/`clipBot` rows of padding.
struct ConvBand {
  int64_t t0, t1, rows, clipTop, clipBot;
  /// Input rows the band reads (padding rows excluded).
  int64_t present(const ConvKernelSpec &s) const {
    return (rows - 1) * convBandStep(s) + s.dilH * (s.kh - 1) + 1 - clipTop -
           clipBot;
  }
};

/// A block is (image, output row tile, group of nPer N tiles); when the
/// whole band fits one L1 copy (groups == 1) it is copied once per block
/// and the next block's band is prefetched into the other copy.
struct ConvGeometry {
  int64_t c1, o1, ho, wo, rowsPerTile, tiles, mfMax, nb, bandRows, cg, groups;
  int64_t nPer, nGroups, chunksPerTile;
  bool resident; // Weights stay in L1.
  bool hoisted;  // One band copy per block (groups == 1).
  std::vector<ConvBand> bands;

  explicit ConvGeometry(const ConvKernelSpec &s);
  int64_t blocks(const ConvKernelSpec &s) const {
    return s.n * tiles * nGroups;
  }
  /// Bytes of one copy of the band buffer in L1.
  int64_t bandBytes(const ConvKernelSpec &s) const {
    return cg * bandRows * s.w * 32;
  }
  int64_t residentBytes(const ConvKernelSpec &s) const {
    return convWeightBytes(s) + (nb * s.nf - o1) * 512;
  }
  unsigned bandCopies(const ConvKernelSpec &s) const {
    return hoisted || groups > 1 || s.l0cCopies > 1 ? 2 : 1;
  }
};

/// On-chip bytes the conv kernel allocates per buffer (every copy), as
/// npuk-alloc-onchip will place them before alignment.
struct ConvFootprint {
  int64_t l1 = 0, l0a = 0, l0b = 0, l0c = 0;
};
ConvFootprint convFootprint(const ConvKernelSpec &s);

} // namespace npu::npuk

#endif // NPU_LIB_CODEGEN_NPU_CONVGEOMETRY_H
