// RUN: npu-opt %s -convert-npu-to-linalg -split-input-file | FileCheck %s

// nchw -> nc1hwc0: convert the elements (scale in f32, then RNE truncf),
// pad C with +0, split C, move C0 innermost.
// CHECK-LABEL: func.func @to_nc1hwc0
// CHECK-SAME: (%[[X:.+]]: tensor<2x17x5x7xf32>)
// CHECK: %[[E:.+]] = linalg.generic
// CHECK-SAME: ins(%[[X]] : tensor<2x17x5x7xf32>) outs(%{{.+}} : tensor<2x17x5x7xf16>)
// CHECK: ^bb0(%[[IN:.+]]: f32, %{{.+}}: f16):
// CHECK: %[[S:.+]] = arith.constant 6.250000e-02 : f32
// CHECK: %[[M:.+]] = arith.mulf %[[IN]], %[[S]] : f32
// CHECK: %[[T:.+]] = arith.truncf %[[M]] : f32 to f16
// CHECK: linalg.yield %[[T]] : f16
// CHECK: %[[ZERO:.+]] = arith.constant 0.000000e+00 : f16
// CHECK: %[[P:.+]] = tensor.pad %[[E]] low[0, 0, 0, 0] high[0, 15, 0, 0]
// CHECK: tensor.yield %[[ZERO]] : f16
// CHECK: } : tensor<2x17x5x7xf16> to tensor<2x32x5x7xf16>
// CHECK: %[[S2:.+]] = tensor.expand_shape %[[P]] {{\[\[}}0], [1, 2], [3], [4]] output_shape [2, 2, 16, 5, 7]
// CHECK: %[[R:.+]] = linalg.transpose ins(%[[S2]] : tensor<2x2x16x5x7xf16>) outs(%{{.+}} : tensor<2x2x5x7x16xf16>) permutation = [0, 1, 3, 4, 2]
// CHECK: return %[[R]]
func.func @to_nc1hwc0(%x: tensor<2x17x5x7xf32>) -> tensor<2x2x5x7x16xf16> {
  %0 = npuk.convert %x <nchw> -> <nc1hwc0> scale 4 : tensor<2x17x5x7xf32> -> tensor<2x2x5x7x16xf16>
  return %0 : tensor<2x2x5x7x16xf16>
}

// -----

// nc1hwc0 -> nchw: C0 back next to C1, merge, slice off the pad lanes, then
// widen and scale (pad lanes are never converted).
// CHECK-LABEL: func.func @from_nc1hwc0
// CHECK-SAME: (%[[X:.+]]: tensor<2x2x5x7x16xbf16>)
// CHECK: %[[T:.+]] = linalg.transpose ins(%[[X]] : tensor<2x2x5x7x16xbf16>) outs(%{{.+}} : tensor<2x2x16x5x7xbf16>) permutation = [0, 1, 4, 2, 3]
// CHECK: %[[C:.+]] = tensor.collapse_shape %[[T]] {{\[\[}}0], [1, 2], [3], [4]] : tensor<2x2x16x5x7xbf16> into tensor<2x32x5x7xbf16>
// CHECK: %[[S:.+]] = tensor.extract_slice %[[C]][0, 0, 0, 0] [2, 17, 5, 7] [1, 1, 1, 1]
// CHECK: %[[E:.+]] = linalg.generic
// CHECK-SAME: ins(%[[S]] : tensor<2x17x5x7xbf16>)
// CHECK: %[[B:.+]] = arith.bitcast %{{.+}} : bf16 to i16
// CHECK: %[[W:.+]] = arith.extui %[[B]] : i16 to i32
// CHECK: %[[SH:.+]] = arith.shli %[[W]]
// CHECK: arith.bitcast %[[SH]] : i32 to f32
// CHECK: arith.constant 8.000000e+00 : f32
// CHECK: arith.mulf
// CHECK-NOT: arith.truncf
// CHECK: return %[[E]]
func.func @from_nc1hwc0(%x: tensor<2x2x5x7x16xbf16>) -> tensor<2x17x5x7xf32> {
  %0 = npuk.convert %x <nc1hwc0> -> <nchw> scale -3 : tensor<2x2x5x7x16xbf16> -> tensor<2x17x5x7xf32>
  return %0 : tensor<2x17x5x7xf32>
}

// -----

// OIHW -> fz: pad O and I to 16, split both, order (c1, ky, kx, nf, o0, i0)
// and merge (c1, ky, kx) into the K fractal index.
// CHECK-LABEL: func.func @to_fz
// CHECK: linalg.generic
// CHECK: arith.truncf %{{.+}} : f32 to f16
// CHECK: tensor.pad %{{.+}} low[0, 0, 0, 0] high[12, 13, 0, 0]
// CHECK: } : tensor<20x3x3x2xf16> to tensor<32x16x3x2xf16>
// CHECK: tensor.expand_shape %{{.+}} {{\[\[}}0, 1], [2, 3], [4], [5]] output_shape [2, 16, 1, 16, 3, 2]
// CHECK: %[[T:.+]] = linalg.transpose ins(%{{.+}} : tensor<2x16x1x16x3x2xf16>) outs(%{{.+}} : tensor<1x3x2x2x16x16xf16>) permutation = [2, 4, 5, 0, 1, 3]
// CHECK: %[[R:.+]] = tensor.collapse_shape %[[T]] {{\[\[}}0, 1, 2], [3], [4], [5]] : tensor<1x3x2x2x16x16xf16> into tensor<6x2x16x16xf16>
// CHECK: return %[[R]]
func.func @to_fz(%w: tensor<20x3x3x2xf32>) -> tensor<6x2x16x16xf16> {
  %0 = npuk.convert %w <nchw> -> <fz> : tensor<20x3x3x2xf32> -> tensor<6x2x16x16xf16>
  return %0 : tensor<6x2x16x16xf16>
}

// -----

// fz -> OIHW: the inverse steps; the element type stays, so no generic.
// CHECK-LABEL: func.func @from_fz
// CHECK-SAME: (%[[X:.+]]: tensor<6x2x16x16xf32>)
// CHECK: %[[E:.+]] = tensor.expand_shape %[[X]] {{\[\[}}0, 1, 2], [3], [4], [5]] output_shape [1, 3, 2, 2, 16, 16]
// CHECK: %[[T:.+]] = linalg.transpose ins(%[[E]] : tensor<1x3x2x2x16x16xf32>) outs(%{{.+}} : tensor<2x16x1x16x3x2xf32>) permutation = [3, 4, 0, 5, 1, 2]
// CHECK: %[[C:.+]] = tensor.collapse_shape %[[T]] {{\[\[}}0, 1], [2, 3], [4], [5]]
// CHECK: %[[S:.+]] = tensor.extract_slice %[[C]][0, 0, 0, 0] [20, 3, 3, 2] [1, 1, 1, 1]
// CHECK-NOT: linalg.generic
// CHECK: return %[[S]]
func.func @from_fz(%x: tensor<6x2x16x16xf32>) -> tensor<20x3x3x2xf32> {
  %0 = npuk.convert %x <fz> -> <nchw> : tensor<6x2x16x16xf32> -> tensor<20x3x3x2xf32>
  return %0 : tensor<20x3x3x2xf32>
}

// -----

// K x N -> fnz: [KF][16 k][NF][16 n] -> [KF][NF][16 n][16 k]. Rounding to
// bf16 is integer RNE (x + 0x7fff + lsb) >> 16, NaN made quiet, never a
// host instruction that flushes bf16 subnormals.
// CHECK-LABEL: func.func @to_fnz
// CHECK: linalg.generic
// CHECK: %[[I:.+]] = arith.bitcast %{{.+}} : f32 to i32
// CHECK: arith.shrui %[[I]]
// CHECK: arith.andi
// CHECK: arith.addi
// CHECK: arith.addi %[[I]]
// CHECK: arith.shrui
// CHECK: arith.ori
// CHECK: arith.cmpf uno
// CHECK: arith.select
// CHECK: arith.trunci %{{.+}} : i32 to i16
// CHECK: arith.bitcast %{{.+}} : i16 to bf16
// CHECK-NOT: arith.truncf
// CHECK: tensor.pad %{{.+}} low[0, 0] high[8, 15]
// CHECK: } : tensor<1000x1xbf16> to tensor<1008x16xbf16>
// CHECK: tensor.expand_shape %{{.+}} {{\[\[}}0, 1], [2, 3]] output_shape [63, 16, 1, 16]
// CHECK: %[[T:.+]] = linalg.transpose ins(%{{.+}} : tensor<63x16x1x16xbf16>) outs(%{{.+}} : tensor<63x1x16x16xbf16>) permutation = [0, 2, 3, 1]
// CHECK: return %[[T]]
func.func @to_fnz(%b: tensor<1000x1xf32>) -> tensor<63x1x16x16xbf16> {
  %0 = npuk.convert %b <nd> -> <fnz> : tensor<1000x1xf32> -> tensor<63x1x16x16xbf16>
  return %0 : tensor<63x1x16x16xbf16>
}

// -----

// Same layout: only the element conversion; nothing at all for nd -> nchw.
// CHECK-LABEL: func.func @same_layout
// CHECK-SAME: (%[[X:.+]]: tensor<1x2x16x16xf16>, %[[Y:.+]]: tensor<1x2x3x4xf32>)
// CHECK: %[[E:.+]] = linalg.generic
// CHECK: arith.extf %{{.+}} : f16 to f32
// CHECK-NOT: arith.mulf
// CHECK-NOT: tensor.pad
// CHECK-NOT: linalg.transpose
// CHECK: return %[[E]], %[[Y]]
func.func @same_layout(%x: tensor<1x2x16x16xf16>, %y: tensor<1x2x3x4xf32>) -> (tensor<1x2x16x16xf32>, tensor<1x2x3x4xf32>) {
  %0 = npuk.convert %x <fnz> -> <fnz> : tensor<1x2x16x16xf16> -> tensor<1x2x16x16xf32>
  %1 = npuk.convert %y <nd> -> <nchw> : tensor<1x2x3x4xf32> -> tensor<1x2x3x4xf32>
  return %0, %1 : tensor<1x2x16x16xf32>, tensor<1x2x3x4xf32>
}
