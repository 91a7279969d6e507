// RUN: npu-opt %s -split-input-file -canonicalize | FileCheck %s

// A convert that keeps the layout (or relabels nd as nchw), the type and the
// scale is the identity.
// CHECK-LABEL: func.func @identity
// CHECK-SAME: (%[[X:.*]]: tensor<1x3x5x7xf32>)
// CHECK-NEXT: return %[[X]], %[[X]]
func.func @identity(%x: tensor<1x3x5x7xf32>) -> (tensor<1x3x5x7xf32>, tensor<1x3x5x7xf32>) {
  %0 = npuk.convert %x <nchw> -> <nchw> : tensor<1x3x5x7xf32> -> tensor<1x3x5x7xf32>
  %1 = npuk.convert %x <nd> -> <nchw> : tensor<1x3x5x7xf32> -> tensor<1x3x5x7xf32>
  return %0, %1 : tensor<1x3x5x7xf32>, tensor<1x3x5x7xf32>
}

// -----

// Inverse pairs that round nothing cancel: a layout round trip, f16 -> f32
// -> f16 with cancelling exponents, and a physical -> logical -> physical
// pair (pad lanes are +0 by invariant).
// CHECK-LABEL: func.func @exact_pairs
// CHECK-SAME: (%[[A:.*]]: tensor<1x3x5x7xf32>, %[[B:.*]]: tensor<1x1x5x7x16xf16>, %[[W:.*]]: tensor<1000x1xbf16>)
// CHECK-NEXT: return %[[A]], %[[B]], %[[W]]
func.func @exact_pairs(%a: tensor<1x3x5x7xf32>, %b: tensor<1x1x5x7x16xf16>, %w: tensor<1000x1xbf16>)
    -> (tensor<1x3x5x7xf32>, tensor<1x1x5x7x16xf16>, tensor<1000x1xbf16>) {
  %0 = npuk.convert %a <nchw> -> <nc1hwc0> : tensor<1x3x5x7xf32> -> tensor<1x1x5x7x16xf32>
  %1 = npuk.convert %0 <nc1hwc0> -> <nd> : tensor<1x1x5x7x16xf32> -> tensor<1x3x5x7xf32>
  %2 = npuk.convert %b <nc1hwc0> -> <nchw> scale 5 : tensor<1x1x5x7x16xf16> -> tensor<1x3x5x7xf32>
  %3 = npuk.convert %2 <nchw> -> <nc1hwc0> scale -5 : tensor<1x3x5x7xf32> -> tensor<1x1x5x7x16xf16>
  %4 = npuk.convert %w <nd> -> <fnz> : tensor<1000x1xbf16> -> tensor<63x1x16x16xf32>
  %5 = npuk.convert %4 <fnz> -> <nd> : tensor<63x1x16x16xf32> -> tensor<1000x1xbf16>
  return %1, %3, %5 : tensor<1x3x5x7xf32>, tensor<1x1x5x7x16xf16>, tensor<1000x1xbf16>
}

// -----

// Pairs that may round stay: f32 -> f16 -> f32; bf16 scaled in f32 (bf16
// has f32's exponent range, so x * 2^-e may overflow); exponents that do
// not cancel; scaling in the same type.
// CHECK-LABEL: func.func @rounding_pairs
// CHECK: %[[R0:.*]] = npuk.convert %{{.*}} <nchw> -> <nc1hwc0>
// CHECK: %[[R1:.*]] = npuk.convert %[[R0]] <nc1hwc0> -> <nchw>
// CHECK: %[[R2:.*]] = npuk.convert %{{.*}} <nd> -> <nd> scale 2
// CHECK: %[[R3:.*]] = npuk.convert %[[R2]] <nd> -> <nd> scale -2
// CHECK: %[[R4:.*]] = npuk.convert %{{.*}} <nd> -> <nd> scale 2
// CHECK: %[[R5:.*]] = npuk.convert %[[R4]] <nd> -> <nd> scale -1
// CHECK: %[[R6:.*]] = npuk.convert %{{.*}} <nd> -> <nd> scale 3 : tensor<4xf32> -> tensor<4xf32>
// CHECK: %[[R7:.*]] = npuk.convert %[[R6]] <nd> -> <nd> scale -3 : tensor<4xf32> -> tensor<4xf32>
// CHECK: return %[[R1]], %[[R3]], %[[R5]], %[[R7]]
func.func @rounding_pairs(%a: tensor<1x3x5x7xf32>, %b: tensor<4xbf16>, %c: tensor<4xf16>, %d: tensor<4xf32>)
    -> (tensor<1x3x5x7xf32>, tensor<4xbf16>, tensor<4xf16>, tensor<4xf32>) {
  %0 = npuk.convert %a <nchw> -> <nc1hwc0> : tensor<1x3x5x7xf32> -> tensor<1x1x5x7x16xf16>
  %1 = npuk.convert %0 <nc1hwc0> -> <nchw> : tensor<1x1x5x7x16xf16> -> tensor<1x3x5x7xf32>
  %2 = npuk.convert %b <nd> -> <nd> scale 2 : tensor<4xbf16> -> tensor<4xf32>
  %3 = npuk.convert %2 <nd> -> <nd> scale -2 : tensor<4xf32> -> tensor<4xbf16>
  %4 = npuk.convert %c <nd> -> <nd> scale 2 : tensor<4xf16> -> tensor<4xf32>
  %5 = npuk.convert %4 <nd> -> <nd> scale -1 : tensor<4xf32> -> tensor<4xf16>
  %6 = npuk.convert %d <nd> -> <nd> scale 3 : tensor<4xf32> -> tensor<4xf32>
  %7 = npuk.convert %6 <nd> -> <nd> scale -3 : tensor<4xf32> -> tensor<4xf32>
  return %1, %3, %5, %7 : tensor<1x3x5x7xf32>, tensor<4xbf16>, tensor<4xf16>, tensor<4xf32>
}

// -----

// A constant folds to a constant of the same dialect. N=1, C=3, H=1, W=2,
// scaled by 2^-1 and rounded to f16 (RNE): 1 + 2^-11 is a tie that rounds
// to even 1.0, 1 + 3*2^-11 one that rounds up to 1 + 2^-9; 0.1 rounds to
// 0x2E66 = 0.0999755859375. Lanes 3..15 of each pixel are +0.
// CHECK-LABEL: func.func @fold_nc1hwc0
// CHECK-NEXT: %[[C:.*]] = npu.constant dense<{{\[\[\[\[}}[1.000000e+00, 1.001950e+00, 9.997550e-02, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00], [-1.000000e+00, 6.550400e+04, 0x7C00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00]]]]]> : tensor<1x1x1x2x16xf16>
// CHECK-NEXT: return %[[C]]
func.func @fold_nc1hwc0() -> tensor<1x1x1x2x16xf16> {
  // (c, w): (0,0)=2+2^-10 (0,1)=-2 (1,0)=2+3*2^-10 (1,1)=131008 (2,0)=0.2 (2,1)=131072
  %c = npu.constant dense<[[[[2.0009765625, -2.0]], [[2.0029296875, 131008.0]], [[0.2, 131072.0]]]]> : tensor<1x3x1x2xf32>
  %0 = npuk.convert %c <nchw> -> <nc1hwc0> scale 1 : tensor<1x3x1x2xf32> -> tensor<1x1x1x2x16xf16>
  return %0 : tensor<1x1x1x2x16xf16>
}

// -----

// A splat becomes a full constant (its pad lanes are zero); an
// arith.constant stays an arith.constant.
// CHECK-LABEL: func.func @fold_splat
// CHECK-NEXT: %[[C:.*]] = arith.constant dense<{{\[\[\[\[\[}}1.000000e+00, 1.000000e+00, 1.000000e+00, 0.000000e+00,
// CHECK-SAME: : tensor<1x1x1x2x16xbf16>
// CHECK-NEXT: return %[[C]]
func.func @fold_splat() -> tensor<1x1x1x2x16xbf16> {
  %c = arith.constant dense<1.0> : tensor<1x3x1x2xf32>
  %0 = npuk.convert %c <nchw> -> <nc1hwc0> : tensor<1x3x1x2xf32> -> tensor<1x1x1x2x16xbf16>
  return %0 : tensor<1x1x1x2x16xbf16>
}

// -----

// dense_resource in, dense_resource out (> 256 bytes). B = [[1,2,3],[4,5,6]]
// (K = 2, N = 3) in fnz f16: element (k, n) at n*16 + k of the one fractal:
// 1 4 at 0, 2 5 at 16, 3 6 at 32 (f16 0x3C00 0x4400, ...), zeros elsewhere.
// The physical -> logical convert of the result reads the same values back.
// CHECK-LABEL: func.func @fold_fnz
// CHECK-NEXT: %[[C:.*]] = npu.constant dense_resource<[[BLOB:fnz.*]]> : tensor<1x1x16x16xf16>
// CHECK-NEXT: %[[D:.*]] = npu.constant dense<{{\[\[}}1.000000e+00, 2.000000e+00, 3.000000e+00], [4.000000e+00, 5.000000e+00, 6.000000e+00]]> : tensor<2x3xf32>
// CHECK-NEXT: return %[[C]], %[[D]]
// CHECK: [[BLOB]]: "0x08000000003C00440000000000000000000000000000000000000000000000000000000000400045000000000000000000000000000000000000000000000000000000000042004600000000000000000000000000000000000000000000000000000000{{0+}}"
func.func @fold_fnz() -> (tensor<1x1x16x16xf16>, tensor<2x3xf32>) {
  %c = npu.constant dense_resource<b> : tensor<2x3xf32>
  %0 = npuk.convert %c <nd> -> <fnz> : tensor<2x3xf32> -> tensor<1x1x16x16xf16>
  %1 = npuk.convert %0 <fnz> -> <nd> : tensor<1x1x16x16xf16> -> tensor<2x3xf32>
  return %0, %1 : tensor<1x1x16x16xf16>, tensor<2x3xf32>
}

{-#
  dialect_resources: {
    builtin: {
      b: "0x040000000000803F0000004000004040000080400000A0400000C040"
    }
  }
#-}
