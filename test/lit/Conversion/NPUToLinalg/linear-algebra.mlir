// RUN: npu-opt %s -convert-npu-to-linalg -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @matmul_2d
// CHECK-SAME: (%[[A:.+]]: tensor<4x8xf32>, %[[B:.+]]: tensor<8x16xf32>)
// CHECK: %[[Z:.+]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[E:.+]] = tensor.empty() : tensor<4x16xf32>
// CHECK: %[[F:.+]] = linalg.fill ins(%[[Z]] : f32) outs(%[[E]] : tensor<4x16xf32>)
// CHECK: %[[M:.+]] = linalg.matmul ins(%[[A]], %[[B]] : tensor<4x8xf32>, tensor<8x16xf32>) outs(%[[F]] : tensor<4x16xf32>)
// CHECK: return %[[M]]
func.func @matmul_2d(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>) -> tensor<4x16xf32> {
  %0 = npu.matmul %a, %b : tensor<4x8xf32>, tensor<8x16xf32> -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

// A 2-D rhs shared by every batch: the lhs batch folds into M.
// CHECK-LABEL: func.func @matmul_shared_rhs
// CHECK-SAME: (%[[A:.+]]: tensor<2x5x8xf32>, %[[B:.+]]: tensor<8x16xf32>)
// CHECK: %[[C:.+]] = tensor.collapse_shape %[[A]] {{\[\[}}0, 1], [2]] : tensor<2x5x8xf32> into tensor<10x8xf32>
// CHECK: %[[M:.+]] = linalg.matmul ins(%[[C]], %[[B]] : tensor<10x8xf32>, tensor<8x16xf32>)
// CHECK: %[[R:.+]] = tensor.expand_shape %[[M]] {{\[\[}}0, 1], [2]] output_shape [2, 5, 16] : tensor<10x16xf32> into tensor<2x5x16xf32>
// CHECK: return %[[R]]
// CHECK-NOT: linalg.batch_matmul
func.func @matmul_shared_rhs(%a: tensor<2x5x8xf32>, %b: tensor<8x16xf32>) -> tensor<2x5x16xf32> {
  %0 = npu.matmul %a, %b : tensor<2x5x8xf32>, tensor<8x16xf32> -> tensor<2x5x16xf32>
  return %0 : tensor<2x5x16xf32>
}

// -----

// Batch dims broadcast ([2,1] with [3] -> [2,3]), then collapse into one.
// CHECK-DAG: #[[LB:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, 0, d2, d3)>
// CHECK-DAG: #[[RB:.+]] = affine_map<(d0, d1, d2, d3) -> (d1, d2, d3)>
// CHECK-LABEL: func.func @matmul_batch_broadcast
// CHECK: %[[L:.+]] = linalg.generic {indexing_maps = [#[[LB]], #{{.+}}]{{.*}} outs(%{{.+}} : tensor<2x3x3x4xf32>)
// CHECK: %[[LC:.+]] = tensor.collapse_shape %[[L]] {{\[\[}}0, 1], [2], [3]] : tensor<2x3x3x4xf32> into tensor<6x3x4xf32>
// CHECK: %[[R:.+]] = linalg.generic {indexing_maps = [#[[RB]], #{{.+}}]{{.*}} outs(%{{.+}} : tensor<2x3x4x5xf32>)
// CHECK: %[[RC:.+]] = tensor.collapse_shape %[[R]] {{\[\[}}0, 1], [2], [3]] : tensor<2x3x4x5xf32> into tensor<6x4x5xf32>
// CHECK: %[[BM:.+]] = linalg.batch_matmul ins(%[[LC]], %[[RC]] : tensor<6x3x4xf32>, tensor<6x4x5xf32>) outs(%{{.+}} : tensor<6x3x5xf32>)
// CHECK: tensor.expand_shape %[[BM]] {{\[\[}}0, 1], [2], [3]] output_shape [2, 3, 3, 5]
func.func @matmul_batch_broadcast(%a: tensor<2x1x3x4xf32>, %b: tensor<3x4x5xf32>) -> tensor<2x3x3x5xf32> {
  %0 = npu.matmul %a, %b : tensor<2x1x3x4xf32>, tensor<3x4x5xf32> -> tensor<2x3x3x5xf32>
  return %0 : tensor<2x3x3x5xf32>
}

// -----

// Rank-1 operands gain a unit dim that the result drops again.
// CHECK-LABEL: func.func @matmul_vectors
// CHECK: %[[A:.+]] = tensor.expand_shape %arg0 {{\[\[}}0, 1]] output_shape [1, 4] : tensor<4xf32> into tensor<1x4xf32>
// CHECK: %[[B:.+]] = tensor.expand_shape %arg1 {{\[\[}}0, 1]] output_shape [4, 1] : tensor<4xf32> into tensor<4x1xf32>
// CHECK: %[[M:.+]] = linalg.matmul ins(%[[A]], %[[B]] : tensor<1x4xf32>, tensor<4x1xf32>)
// CHECK: tensor.collapse_shape %[[M]] [] : tensor<1x1xf32> into tensor<f32>
func.func @matmul_vectors(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<f32> {
  %0 = npu.matmul %a, %b : tensor<4xf32>, tensor<4xf32> -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// CHECK-LABEL: func.func @matmul_int
// CHECK: arith.constant 0 : i32
// CHECK: linalg.matmul ins(%{{.+}}, %{{.+}} : tensor<2x3xi32>, tensor<3x4xi32>)
func.func @matmul_int(%a: tensor<2x3xi32>, %b: tensor<3x4xi32>) -> tensor<2x4xi32> {
  %0 = npu.matmul %a, %b : tensor<2x3xi32>, tensor<3x4xi32> -> tensor<2x4xi32>
  return %0 : tensor<2x4xi32>
}

// -----

// Zero padding with tensor.pad, the named conv into a zero-filled init, and
// the bias as a separate elementwise epilogue reading bias[f].
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[CH:.+]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func.func @conv
// CHECK-SAME: (%[[X:.+]]: tensor<1x3x8x8xf32>, %[[W:.+]]: tensor<16x3x3x3xf32>, %[[B:.+]]: tensor<16xf32>)
// CHECK: %[[Z:.+]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[P:.+]] = tensor.pad %[[X]] low[0, 0, 1, 2] high[0, 0, 0, 1]
// CHECK: tensor.yield %[[Z]] : f32
// CHECK: } : tensor<1x3x8x8xf32> to tensor<1x3x9x11xf32>
// CHECK: %[[F:.+]] = linalg.fill
// CHECK: %[[C:.+]] = linalg.conv_2d_nchw_fchw {dilations = dense<[1, 2]> : tensor<2xi64>, strides = dense<[2, 1]> : tensor<2xi64>} ins(%[[P]], %[[W]] : tensor<1x3x9x11xf32>, tensor<16x3x3x3xf32>) outs(%[[F]] : tensor<1x16x4x7xf32>)
// CHECK: %[[R:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[CH]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%[[C]], %[[B]] : tensor<1x16x4x7xf32>, tensor<16xf32>)
// CHECK: arith.addf
// CHECK: return %[[R]]
func.func @conv(%x: tensor<1x3x8x8xf32>, %w: tensor<16x3x3x3xf32>, %b: tensor<16xf32>) -> tensor<1x16x4x7xf32> {
  %0 = npu.conv %x, %w, %b {strides = array<i64: 2, 1>, pads = array<i64: 1, 2, 0, 1>, dilations = array<i64: 1, 2>, group = 1 : i64} : (tensor<1x3x8x8xf32>, tensor<16x3x3x3xf32>, tensor<16xf32>) -> tensor<1x16x4x7xf32>
  return %0 : tensor<1x16x4x7xf32>
}

// -----

// CHECK-LABEL: func.func @conv_depthwise
// CHECK: %[[P:.+]] = tensor.pad %arg0 low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: %[[W:.+]] = tensor.collapse_shape %arg1 {{\[\[}}0], [1, 2], [3]] : tensor<8x1x3x3xf32> into tensor<8x3x3xf32>
// CHECK: linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[P]], %[[W]] : tensor<1x8x8x8xf32>, tensor<8x3x3xf32>) outs(%{{.+}} : tensor<1x8x6x6xf32>)
func.func @conv_depthwise(%x: tensor<1x8x6x6xf32>, %w: tensor<8x1x3x3xf32>) -> tensor<1x8x6x6xf32> {
  %0 = npu.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 8 : i64} : (tensor<1x8x6x6xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x6x6xf32>
  return %0 : tensor<1x8x6x6xf32>
}

// -----

// General groups: split C and F into [G, C/G] and [G, F/G].
// CHECK-LABEL: func.func @conv_grouped
// CHECK: %[[I:.+]] = tensor.expand_shape %arg0 {{\[\[}}0], [1, 2], [3], [4]] output_shape [1, 2, 2, 6, 6] : tensor<1x4x6x6xf32> into tensor<1x2x2x6x6xf32>
// CHECK: %[[W:.+]] = tensor.expand_shape %arg1 {{\[\[}}0, 1], [2], [3], [4]] output_shape [2, 3, 2, 3, 3] : tensor<6x2x3x3xf32> into tensor<2x3x2x3x3xf32>
// CHECK: %[[C:.+]] = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<[2, 1]> : tensor<2xi64>} ins(%[[I]], %[[W]] : tensor<1x2x2x6x6xf32>, tensor<2x3x2x3x3xf32>) outs(%{{.+}} : tensor<1x2x3x2x4xf32>)
// CHECK: tensor.collapse_shape %[[C]] {{\[\[}}0], [1, 2], [3], [4]] : tensor<1x2x3x2x4xf32> into tensor<1x6x2x4xf32>
func.func @conv_grouped(%x: tensor<1x4x6x6xf32>, %w: tensor<6x2x3x3xf32>) -> tensor<1x6x2x4xf32> {
  %0 = npu.conv %x, %w {strides = array<i64: 2, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 2 : i64} : (tensor<1x4x6x6xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x2x4xf32>
  return %0 : tensor<1x6x2x4xf32>
}

// -----

// A channel multiplier (F = 2C) takes the grouped path.
// CHECK-LABEL: func.func @conv_depthwise_multiplier
// CHECK: linalg.conv_2d_ngchw_gfchw
// CHECK-SAME: tensor<1x4x1x5x5xf32>, tensor<4x2x1x3x3xf32>
func.func @conv_depthwise_multiplier(%x: tensor<1x4x5x5xf32>, %w: tensor<8x1x3x3xf32>) -> tensor<1x8x3x3xf32> {
  %0 = npu.conv %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 4 : i64} : (tensor<1x4x5x5xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x3x3xf32>
  return %0 : tensor<1x8x3x3xf32>
}

// -----

// 3-D (any rank but 1 and 2): a generic over n, g, f, od, oh, ow
// (parallel) and c, kd, kh, kw (reduction) with the named ops' maps.
// CHECK-DAG: #[[IN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8, d9) -> (d0, d1, d6, d3 + d7, d4 * 2 + d8, d5 + d9)>
// CHECK-DAG: #[[W:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8, d9) -> (d1, d2, d6, d7, d8, d9)>
// CHECK-DAG: #[[OUT:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8, d9) -> (d0, d1, d2, d3, d4, d5)>
// CHECK-LABEL: func.func @conv3d_grouped
// CHECK: %[[I:.+]] = tensor.expand_shape %arg0 {{\[\[}}0], [1, 2], [3], [4], [5]] output_shape [1, 2, 2, 4, 5, 6]
// CHECK: %[[W6:.+]] = tensor.expand_shape %arg1 {{\[\[}}0, 1], [2], [3], [4], [5]] output_shape [2, 3, 2, 2, 3, 3]
// CHECK: %[[O:.+]] = tensor.expand_shape %{{.+}} {{\[\[}}0], [1, 2], [3], [4], [5]] output_shape [1, 2, 3, 3, 2, 4]
// CHECK: %[[C:.+]] = linalg.generic {indexing_maps = [#[[IN]], #[[W]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction", "reduction"]} ins(%[[I]], %[[W6]] : {{.*}}) outs(%[[O]] : tensor<1x2x3x3x2x4xf32>)
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: tensor.collapse_shape %[[C]] {{\[\[}}0], [1, 2], [3], [4], [5]] : tensor<1x2x3x3x2x4xf32> into tensor<1x6x3x2x4xf32>
func.func @conv3d_grouped(%x: tensor<1x4x4x5x6xf32>, %w: tensor<6x2x2x3x3xf32>, %b: tensor<6xf32>) -> tensor<1x6x3x2x4xf32> {
  %0 = npu.conv %x, %w, %b {strides = array<i64: 1, 2, 1>, pads = array<i64: 0, 0, 0, 0, 0, 0>, dilations = array<i64: 1, 1, 1>, group = 2 : i64} : (tensor<1x4x4x5x6xf32>, tensor<6x2x2x3x3xf32>, tensor<6xf32>) -> tensor<1x6x3x2x4xf32>
  return %0 : tensor<1x6x3x2x4xf32>
}

// -----

// 1-D runs as 2-D with a unit height, so it keeps the named op.
// CHECK-LABEL: func.func @conv1d
// CHECK: %[[P:.+]] = tensor.pad %arg0 low[0, 0, 1] high[0, 0, 1]
// CHECK: %[[O:.+]] = tensor.expand_shape %{{.+}} {{\[\[}}0], [1], [2, 3]] output_shape [1, 5, 1, 10]
// CHECK: %[[W:.+]] = tensor.expand_shape %arg1 {{\[\[}}0], [1], [2, 3]] output_shape [5, 3, 1, 3]
// CHECK: %[[I:.+]] = tensor.expand_shape %[[P]] {{\[\[}}0], [1], [2, 3]] output_shape [1, 3, 1, 12]
// CHECK: %[[C:.+]] = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[I]], %[[W]] : tensor<1x3x1x12xf32>, tensor<5x3x1x3xf32>) outs(%[[O]] : tensor<1x5x1x10xf32>)
// CHECK: tensor.collapse_shape %[[C]] {{\[\[}}0], [1], [2, 3]] : tensor<1x5x1x10xf32> into tensor<1x5x10xf32>
func.func @conv1d(%x: tensor<1x3x10xf32>, %w: tensor<5x3x3xf32>) -> tensor<1x5x10xf32> {
  %0 = npu.conv %x, %w {strides = array<i64: 1>, pads = array<i64: 1, 1>, dilations = array<i64: 1>, group = 1 : i64} : (tensor<1x3x10xf32>, tensor<5x3x3xf32>) -> tensor<1x5x10xf32>
  return %0 : tensor<1x5x10xf32>
}
