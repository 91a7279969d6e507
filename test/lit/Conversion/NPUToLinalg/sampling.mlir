// RUN: npu-opt %s -convert-npu-to-linalg -split-input-file | FileCheck %s

// Nearest: one gather whose per-axis source indices are constants.
// CHECK-DAG: #[[H:.+]] = affine_map<(d0, d1, d2, d3) -> (d2)>
// CHECK-DAG: #[[W:.+]] = affine_map<(d0, d1, d2, d3) -> (d3)>
// CHECK-LABEL: func.func @nearest
// CHECK-DAG: %[[IH:.+]] = arith.constant dense<[0, 0, 1, 1, 2, 2]> : tensor<6xi64>
// CHECK-DAG: %[[IW:.+]] = arith.constant dense<[0, 0, 1, 1, 2, 2, 3, 3]> : tensor<8xi64>
// CHECK: linalg.generic {indexing_maps = [#[[H]], #[[W]], #{{.+}}], {{.*}} ins(%[[IH]], %[[IW]] : tensor<6xi64>, tensor<8xi64>)
// CHECK: ^bb0(%[[A:.+]]: i64, %[[B:.+]]: i64, %{{.+}}: f32):
// CHECK-DAG: %[[N:.+]] = linalg.index 0
// CHECK-DAG: %[[C:.+]] = linalg.index 1
// CHECK-DAG: %[[Y:.+]] = arith.index_cast %[[A]] : i64 to index
// CHECK-DAG: %[[X:.+]] = arith.index_cast %[[B]] : i64 to index
// CHECK: %[[V:.+]] = tensor.extract %arg0[%[[N]], %[[C]], %[[Y]], %[[X]]]
// CHECK: linalg.yield %[[V]]
func.func @nearest(%x: tensor<1x2x3x4xf32>) -> tensor<1x2x6x8xf32> {
  %0 = npu.resize %x {mode = "nearest", coordinate_mode = "asymmetric", nearest_mode = "floor", scales = array<f64: 1.0, 1.0, 2.0, 2.0>} : tensor<1x2x3x4xf32> -> tensor<1x2x6x8xf32>
  return %0 : tensor<1x2x6x8xf32>
}

// -----

// Linear: one pass per resized axis, the shrinking one first; each reads
// [out, taps] index and weight tables. N and C are not touched.
// CHECK-DAG: #[[W0:.+]] = affine_map<(d0, d1, d2, d3) -> (d3, 0)>
// CHECK-DAG: #[[W1:.+]] = affine_map<(d0, d1, d2, d3) -> (d3, 1)>
// CHECK-DAG: #[[H0:.+]] = affine_map<(d0, d1, d2, d3) -> (d2, 0)>
// CHECK-DAG: #[[H1:.+]] = affine_map<(d0, d1, d2, d3) -> (d2, 1)>
// CHECK-LABEL: func.func @linear
// CHECK-DAG: %[[IW:.+]] = arith.constant dense<{{\[\[}}0, 1], [2, 3]]> : tensor<2x2xi64>
// CHECK-DAG: %[[WW:.+]] = arith.constant dense<5.000000e-01> : tensor<2x2xf32>
// CHECK: %[[P:.+]] = linalg.generic {indexing_maps = [#[[W0]], #[[W0]], #[[W1]], #[[W1]], #{{.+}}], {{.*}} ins(%[[IW]], %[[WW]], %[[IW]], %[[WW]] : {{.*}}) outs(%{{.+}} : tensor<1x2x4x2xf32>)
// CHECK: ^bb0(%[[I0:.+]]: i64, %[[W0V:.+]]: f32, %[[I1:.+]]: i64, %[[W1V:.+]]: f32, %{{.+}}: f32):
// CHECK: %[[X0:.+]] = arith.index_cast %[[I0]]
// CHECK: %[[V0:.+]] = tensor.extract %arg0[%{{.+}}, %{{.+}}, %{{.+}}, %[[X0]]]
// CHECK: %[[T0:.+]] = arith.mulf %[[W0V]], %[[V0]]
// CHECK: %[[T1:.+]] = arith.mulf %[[W1V]], %{{.+}}
// CHECK: %[[S:.+]] = arith.addf %[[T0]], %[[T1]]
// CHECK: linalg.yield %[[S]]
// CHECK-DAG: %[[IH:.+]] = arith.constant dense<{{\[\[}}0, 0], [0, 1], [0, 1], [1, 2], [1, 2], [2, 3], [2, 3], [3, 3]]> : tensor<8x2xi64>
// CHECK-DAG: %[[WH:.+]] = arith.constant dense<{{\[\[}}2.500000e-01, 7.500000e-01], [7.500000e-01, 2.500000e-01], {{.*}}]> : tensor<8x2xf32>
// CHECK: %[[R:.+]] = linalg.generic {indexing_maps = [#[[H0]], #[[H0]], #[[H1]], #[[H1]], #{{.+}}], {{.*}} ins(%[[IH]], %[[WH]], %[[IH]], %[[WH]] : {{.*}}) outs(%{{.+}} : tensor<1x2x8x2xf32>)
// CHECK: tensor.extract %[[P]]
// CHECK: return %[[R]]
func.func @linear(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x8x2xf32> {
  %0 = npu.resize %x {mode = "linear", coordinate_mode = "half_pixel", scales = array<f64: 1.0, 1.0, 2.0, 0.5>} : tensor<1x2x4x4xf32> -> tensor<1x2x8x2xf32>
  return %0 : tensor<1x2x8x2xf32>
}

// -----

// A resize that maps every point onto itself is its input.
// CHECK-LABEL: func.func @identity
// CHECK-NEXT: return %arg0
func.func @identity(%x: tensor<1x2x4x4xf16>) -> tensor<1x2x4x4xf16> {
  %0 = npu.resize %x {mode = "cubic", coordinate_mode = "align_corners", scales = array<f64: 1.0, 1.0, 1.0, 1.0>} : tensor<1x2x4x4xf16> -> tensor<1x2x4x4xf16>
  return %0 : tensor<1x2x4x4xf16>
}

// -----

// tf_crop_and_resize: points outside the input take the extrapolation
// value; f16 data is interpolated in f32.
// CHECK-LABEL: func.func @crop
// CHECK-DAG: %[[OUT:.+]] = arith.constant dense<[true, false, false]> : tensor<3xi1>
// CHECK: linalg.generic {{.*}} ins(%{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %[[OUT]] : {{.*}}) outs(%{{.+}} : tensor<3x4xf16>)
// CHECK: ^bb0(%{{.+}}: i64, %{{.+}}: f32, %{{.+}}: i64, %{{.+}}: f32, %[[M:.+]]: i1, %{{.+}}: f16):
// CHECK: arith.extf %{{.+}} : f16 to f32
// CHECK: %[[S:.+]] = arith.addf
// CHECK: %[[E:.+]] = arith.constant 2.500000e+00 : f32
// CHECK: %[[SEL:.+]] = arith.select %[[M]], %[[E]], %[[S]] : f32
// CHECK: %[[T:.+]] = arith.truncf %[[SEL]] : f32 to f16
// CHECK: linalg.yield %[[T]]
func.func @crop(%x: tensor<4x4xf16>) -> tensor<3x4xf16> {
  %0 = npu.resize %x {mode = "linear", coordinate_mode = "tf_crop_and_resize", roi = array<f64: -0.5, 0.0, 1.0, 1.0>, extrapolation_value = 2.5 : f64, scales = array<f64: 0.75, 1.0>} : tensor<4x4xf16> -> tensor<3x4xf16>
  return %0 : tensor<3x4xf16>
}

// -----

// Grid sample reads (x, y) through two maps into the grid and gathers with
// indices clamped into the input; nearest rounds half to even.
// CHECK-DAG: #[[GX:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3, 0)>
// CHECK-DAG: #[[GY:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3, 1)>
// CHECK-LABEL: func.func @grid
// CHECK: linalg.generic {indexing_maps = [#[[GX]], #[[GY]], #{{.+}}], {{.*}} ins(%arg1, %arg1 : {{.*}}) outs(%{{.+}} : tensor<1x2x5x6xf32>)
// CHECK: math.roundeven
// CHECK: math.roundeven
// CHECK: arith.fptosi
// CHECK: %[[V:.+]] = tensor.extract %arg0
// CHECK: %[[R:.+]] = arith.select %{{.+}}, %[[V]], %{{.+}} : f32
// CHECK: linalg.yield %[[R]]
func.func @grid(%x: tensor<1x2x3x4xf32>, %g: tensor<1x5x6x2xf32>) -> tensor<1x2x5x6xf32> {
  %0 = npu.grid_sample %x, %g {mode = "nearest", padding_mode = "border"} : tensor<1x2x3x4xf32>, tensor<1x5x6x2xf32> -> tensor<1x2x5x6xf32>
  return %0 : tensor<1x2x5x6xf32>
}

// -----

// RoI align: one output point per generic iteration; the adaptive
// sampling grid is a pair of run-time scf.for loops accumulating samples.
// CHECK-DAG: #[[R0:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, 0)>
// CHECK-DAG: #[[R3:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, 3)>
// CHECK-DAG: #[[BI:.+]] = affine_map<(d0, d1, d2, d3) -> (d0)>
// CHECK-LABEL: func.func @roi
// CHECK: linalg.generic {indexing_maps = [#[[R0]], #{{.+}}, #{{.+}}, #[[R3]], #[[BI]], #{{.+}}], {{.*}} ins(%arg1, %arg1, %arg1, %arg1, %arg2 : {{.*}}) outs(%{{.+}} : tensor<3x2x2x2xf32>)
// CHECK: arith.maxsi
// CHECK: arith.minsi
// CHECK: math.ceil
// CHECK: %[[GH:.+]] = arith.fptosi %{{.+}} : f32 to i64
// CHECK: %[[GW:.+]] = arith.fptosi %{{.+}} : f32 to i64
// CHECK: %[[SUM:.+]] = scf.for %{{.+}} = %{{.+}} to %[[GH]] {{.*}} -> (f32) : i64 {
// CHECK: scf.for %{{.+}} = %{{.+}} to %[[GW]] {{.*}} -> (f32) : i64 {
// CHECK-COUNT-4: tensor.extract %arg0
// CHECK: %[[AVG:.+]] = arith.divf %[[SUM]], %{{.+}} : f32
// CHECK: linalg.yield %[[AVG]]
func.func @roi(%x: tensor<1x2x8x8xf32>, %r: tensor<3x4xf32>, %b: tensor<3xi64>) -> tensor<3x2x2x2xf32> {
  %0 = npu.roi_align %x, %r, %b {mode = "avg", output_height = 2 : i64, output_width = 2 : i64, sampling_ratio = 0 : i64, spatial_scale = 0.5 : f64} : (tensor<1x2x8x8xf32>, tensor<3x4xf32>, tensor<3xi64>) -> tensor<3x2x2x2xf32>
  return %0 : tensor<3x2x2x2xf32>
}
