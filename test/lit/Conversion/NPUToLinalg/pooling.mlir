// RUN: npu-opt %s -convert-npu-to-linalg -split-input-file | FileCheck %s

// Max pooling pads with -inf; ceil mode adds one more row/column at the end
// so the last window fits.
// CHECK-LABEL: func.func @max_pool_ceil
// CHECK: %[[NINF:.+]] = arith.constant 0xFF800000 : f32
// CHECK: %[[P:.+]] = tensor.pad %arg0 low[0, 0, 0, 0] high[0, 0, 1, 1]
// CHECK: tensor.yield %[[NINF]] : f32
// CHECK: } : tensor<1x2x6x6xf32> to tensor<1x2x7x7xf32>
// CHECK: %[[I:.+]] = linalg.fill ins(%[[NINF]] : f32) outs(%{{.+}} : tensor<1x2x3x3xf32>)
// CHECK: %[[W:.+]] = tensor.empty() : tensor<3x3xf32>
// CHECK: linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[P]], %[[W]] : tensor<1x2x7x7xf32>, tensor<3x3xf32>) outs(%[[I]] : tensor<1x2x3x3xf32>)
func.func @max_pool_ceil(%x: tensor<1x2x6x6xf32>) -> tensor<1x2x3x3xf32> {
  %0 = npu.max_pool %x {ceil_mode, kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>} : tensor<1x2x6x6xf32> -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}

// -----

// CHECK-LABEL: func.func @max_pool_pads_dilation
// CHECK: tensor.pad %arg0 low[0, 0, 1, 0] high[0, 0, 1, 1]
// CHECK: linalg.pooling_nchw_max {dilations = dense<2> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
// CHECK-SAME: tensor<1x1x7x6xf32>, tensor<2x2xf32>
func.func @max_pool_pads_dilation(%x: tensor<1x1x5x5xf32>) -> tensor<1x1x5x4xf32> {
  %0 = npu.max_pool %x {kernel = array<i64: 2, 2>, strides = array<i64: 1, 1>, pads = array<i64: 1, 0, 1, 1>, dilations = array<i64: 2, 2>} : tensor<1x1x5x5xf32> -> tensor<1x1x5x4xf32>
  return %0 : tensor<1x1x5x4xf32>
}

// -----

// count_include_pad = false with ceil mode: zero padding (explicit 1 plus one
// extra for ceil mode), a sum pool, then division by the number of input
// cells each window covers per row and per column: [2, 3, 3, 1].
// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[H:.+]] = affine_map<(d0, d1, d2, d3) -> (d2)>
// CHECK-DAG: #[[W:.+]] = affine_map<(d0, d1, d2, d3) -> (d3)>
// CHECK-LABEL: func.func @avg_pool_exclude_pad_ceil
// CHECK: %[[Z:.+]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[P:.+]] = tensor.pad %arg0 low[0, 0, 1, 1] high[0, 0, 2, 2]
// CHECK: tensor.yield %[[Z]] : f32
// CHECK: %[[S:.+]] = linalg.pooling_nchw_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[P]], %{{.+}} : tensor<1x2x9x9xf32>, tensor<3x3xf32>)
// CHECK: %[[CH:.+]] = arith.constant dense<[2.000000e+00, 3.000000e+00, 3.000000e+00, 1.000000e+00]> : tensor<4xf32>
// CHECK: %[[CW:.+]] = arith.constant dense<[2.000000e+00, 3.000000e+00, 3.000000e+00, 1.000000e+00]> : tensor<4xf32>
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[H]], #[[W]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%[[S]], %[[CH]], %[[CW]] :
// CHECK: ^bb0(%[[SUM:.+]]: f32, %[[A:.+]]: f32, %[[B:.+]]: f32, %{{.+}}: f32):
// CHECK-NEXT: %[[N:.+]] = arith.mulf %[[A]], %[[B]]
// CHECK-NEXT: arith.divf %[[SUM]], %[[N]]
func.func @avg_pool_exclude_pad_ceil(%x: tensor<1x2x6x6xf32>) -> tensor<1x2x4x4xf32> {
  %0 = npu.avg_pool %x {ceil_mode, kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>} : tensor<1x2x6x6xf32> -> tensor<1x2x4x4xf32>
  return %0 : tensor<1x2x4x4xf32>
}

// -----

// count_include_pad counts the explicit pads but never ceil mode's extra
// cells: windows start at -1, 1, 3, 5 and stop at the padded end 7.
// CHECK-LABEL: func.func @avg_pool_include_pad_ceil
// CHECK: arith.constant dense<[3.000000e+00, 3.000000e+00, 3.000000e+00, 2.000000e+00]> : tensor<4xf32>
func.func @avg_pool_include_pad_ceil(%x: tensor<1x2x6x6xf32>) -> tensor<1x2x4x4xf32> {
  %0 = npu.avg_pool %x {count_include_pad, ceil_mode, kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>} : tensor<1x2x6x6xf32> -> tensor<1x2x4x4xf32>
  return %0 : tensor<1x2x4x4xf32>
}

// -----

// Every window is full: one scalar divisor.
// CHECK-LABEL: func.func @avg_pool_uniform
// CHECK-NOT: tensor.pad
// CHECK: linalg.pooling_nchw_sum
// CHECK: linalg.generic
// CHECK: arith.constant 4.000000e+00 : f32
// CHECK-NEXT: arith.divf
func.func @avg_pool_uniform(%x: tensor<1x2x6x6xf32>) -> tensor<1x2x3x3xf32> {
  %0 = npu.avg_pool %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>} : tensor<1x2x6x6xf32> -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}

// -----

// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[NC:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1)>
// CHECK-LABEL: func.func @global_avg_pool
// CHECK: %[[S:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[NC]]], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
// CHECK: %[[M:.+]] = linalg.generic
// CHECK: arith.constant 4.900000e+01 : f32
// CHECK: tensor.expand_shape %[[M]] {{\[\[}}0], [1, 2, 3]] output_shape [1, 8, 1, 1] : tensor<1x8xf32> into tensor<1x8x1x1xf32>
func.func @global_avg_pool(%x: tensor<1x8x7x7xf32>) -> tensor<1x8x1x1xf32> {
  %0 = npu.global_avg_pool %x : tensor<1x8x7x7xf32> -> tensor<1x8x1x1xf32>
  return %0 : tensor<1x8x1x1xf32>
}

// -----

// 3-D: a generic over n, c, od, oh, ow (parallel) and kd, kh, kw
// (reduction); the empty window tensor bounds the k loops.
// CHECK-DAG: #[[IN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2 * 2 + d5, d3 + d6, d4 + d7)>
// CHECK-DAG: #[[WIN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d5, d6, d7)>
// CHECK-DAG: #[[OUT:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3, d4)>
// CHECK-LABEL: func.func @max_pool3d
// CHECK: %[[I:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<1x2x2x3x3xf32>)
// CHECK: %[[W:.+]] = tensor.empty() : tensor<2x2x2xf32>
// CHECK: linalg.generic {indexing_maps = [#[[IN]], #[[WIN]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%arg0, %[[W]] : tensor<1x2x4x4x4xf32>, tensor<2x2x2xf32>) outs(%[[I]] : tensor<1x2x2x3x3xf32>)
// CHECK: arith.maximumf
func.func @max_pool3d(%x: tensor<1x2x4x4x4xf32>) -> tensor<1x2x2x3x3xf32> {
  %0 = npu.max_pool %x {kernel = array<i64: 2, 2, 2>, strides = array<i64: 2, 1, 1>, pads = array<i64: 0, 0, 0, 0, 0, 0>, dilations = array<i64: 1, 1, 1>} : tensor<1x2x4x4x4xf32> -> tensor<1x2x2x3x3xf32>
  return %0 : tensor<1x2x2x3x3xf32>
}

// -----

// 1-D runs as 2-D with a unit height.
// CHECK-LABEL: func.func @avg_pool1d
// CHECK: %[[O:.+]] = tensor.expand_shape %{{.+}} {{\[\[}}0], [1], [2, 3]] output_shape [1, 2, 1, 3]
// CHECK: %[[I:.+]] = tensor.expand_shape %arg0 {{\[\[}}0], [1], [2, 3]] output_shape [1, 2, 1, 6]
// CHECK: %[[S:.+]] = linalg.pooling_nchw_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<[1, 2]> : tensor<2xi64>} ins(%[[I]], %{{.+}} : tensor<1x2x1x6xf32>, tensor<1x2xf32>) outs(%[[O]] : tensor<1x2x1x3xf32>)
// CHECK: tensor.collapse_shape %[[S]] {{\[\[}}0], [1], [2, 3]] : tensor<1x2x1x3xf32> into tensor<1x2x3xf32>
func.func @avg_pool1d(%x: tensor<1x2x6xf32>) -> tensor<1x2x3xf32> {
  %0 = npu.avg_pool %x {kernel = array<i64: 2>, strides = array<i64: 2>, pads = array<i64: 0, 0>} : tensor<1x2x6xf32> -> tensor<1x2x3xf32>
  return %0 : tensor<1x2x3xf32>
}

// -----

// Max and its row-major input position in one generic with two outputs
// (padding cells are skipped; ties go to the smaller position), then the
// position re-flattened column-major: (nc * H + h) * W + w becomes
// nc * H * W + w * H + h.
// CHECK-LABEL: func.func @max_pool_indices
// CHECK: %[[P:.+]] = tensor.pad %arg0 low[0, 0, 0, 0] high[0, 0, 0, 1]
// CHECK: %[[BIG:.+]] = arith.constant 9223372036854775807 : i64
// CHECK: %[[R:.+]]:2 = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%[[P]], %{{.+}} : tensor<1x1x4x6xf32>, tensor<2x2xf32>) outs(%{{.+}}, %{{.+}} : tensor<1x1x2x3xf32>, tensor<1x1x2x3xi64>)
// CHECK: %[[GT:.+]] = arith.cmpf ogt, %[[IN:.+]], %[[CUR:.+]] : f32
// CHECK: %[[LT:.+]] = arith.cmpi slt, %[[POS:.+]], %[[CURI:.+]] : i64
// CHECK: %[[EQ:.+]] = arith.cmpf oeq
// CHECK: %[[TIE:.+]] = arith.andi %[[EQ]], %[[LT]]
// CHECK: %[[BETTER:.+]] = arith.ori %[[GT]], %[[TIE]]
// CHECK: %[[TAKE:.+]] = arith.andi %{{.+}}, %[[BETTER]]
// CHECK: %[[V:.+]] = arith.select %[[TAKE]], %[[IN]], %[[CUR]] : f32
// CHECK: %[[I:.+]] = arith.select %[[TAKE]], %[[POS]], %[[CURI]] : i64
// CHECK: linalg.yield %[[V]], %[[I]] : f32, i64
// CHECK: %[[COL:.+]] = linalg.generic {{.*}} ins(%[[R]]#1 : tensor<1x1x2x3xi64>)
// CHECK: arith.remsi %{{.+}}, %c5_i64
// CHECK: arith.remsi %{{.+}}, %c4_i64
// CHECK: return %[[R]]#0, %[[COL]]
func.func @max_pool_indices(%x: tensor<1x1x4x5xf32>) -> (tensor<1x1x2x3xf32>, tensor<1x1x2x3xi64>) {
  %0, %1 = npu.max_pool_with_indices %x {column_major, kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 1>, dilations = array<i64: 1, 1>} : tensor<1x1x4x5xf32> -> tensor<1x1x2x3xf32>, tensor<1x1x2x3xi64>
  return %0, %1 : tensor<1x1x2x3xf32>, tensor<1x1x2x3xi64>
}
