// RUN: npu-opt %s -split-input-file -npu-fold-constant-layout | FileCheck %s

// CHECK-LABEL: func @transpose_dense
// CHECK-NEXT: %[[C:.*]] = npu.constant dense<{{\[}}[1, 4], [2, 5], [3, 6]]> : tensor<3x2xi32>
// CHECK-NEXT: return %[[C]]
func.func @transpose_dense() -> tensor<3x2xi32> {
  %c = npu.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi32>
  %t = npu.transpose %c {perm = array<i64: 1, 0>} : tensor<2x3xi32> -> tensor<3x2xi32>
  return %t : tensor<3x2xi32>
}

// -----

// A 3-D permutation of a resource blob: result (i, j, k) is input (k, i, j)
// for a [2, 3, 4] input holding 0..23 as i16. Small results become dense.
// CHECK-LABEL: func @transpose_resource
// CHECK-NEXT: %[[C:.*]] = npu.constant dense<{{\[}}[{{\[}}0, 12], [1, 13], [2, 14], [3, 15]], {{\[}}[4, 16], [5, 17], [6, 18], [7, 19]], {{\[}}[8, 20], [9, 21], [10, 22], [11, 23]]]> : tensor<3x4x2xi16>
// CHECK-NEXT: return %[[C]]
func.func @transpose_resource() -> tensor<3x4x2xi16> {
  %c = npu.constant dense_resource<iota> : tensor<2x3x4xi16>
  %t = npu.transpose %c {perm = array<i64: 1, 2, 0>} : tensor<2x3x4xi16> -> tensor<3x4x2xi16>
  return %t : tensor<3x4x2xi16>
}
{-#
  dialect_resources: {
    builtin: {
      iota: "0x0200000000000100020003000400050006000700080009000A000B000C000D000E000F0010001100120013001400150016001700"
    }
  }
#-}

// -----

// CHECK-LABEL: func @reshape_resource
// CHECK-NEXT: npu.constant dense_resource<blob> : tensor<2x2xf32>
func.func @reshape_resource() -> tensor<2x2xf32> {
  %c = npu.constant dense_resource<blob> : tensor<4xf32>
  %r = npu.reshape %c : tensor<4xf32> -> tensor<2x2xf32>
  return %r : tensor<2x2xf32>
}
{-#
  dialect_resources: {
    builtin: {
      blob: "0x040000000000803F0000004000004040000080C0"
    }
  }
#-}

// -----

// Non-constant operands are left alone.
// CHECK-LABEL: func @not_constant
// CHECK: npu.transpose
func.func @not_constant(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  %t = npu.transpose %x {perm = array<i64: 1, 0>} : tensor<2x3xf32> -> tensor<3x2xf32>
  return %t : tensor<3x2xf32>
}
