// RUN: npu-opt %s -split-input-file -verify-diagnostics
// Verifiers of npu.resize, npu.grid_sample and npu.roi_align.

func.func @resize_mode(%x: tensor<1x4xf32>) -> tensor<1x8xf32> {
  // expected-error@+1 {{unknown mode 'area'}}
  %0 = npu.resize %x {mode = "area", coordinate_mode = "half_pixel", scales = array<f64: 1.0, 2.0>} : tensor<1x4xf32> -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

func.func @resize_int_linear(%x: tensor<1x4xi32>) -> tensor<1x8xi32> {
  // expected-error@+1 {{mode 'linear' needs a float tensor}}
  %0 = npu.resize %x {mode = "linear", coordinate_mode = "half_pixel", scales = array<f64: 1.0, 2.0>} : tensor<1x4xi32> -> tensor<1x8xi32>
  return %0 : tensor<1x8xi32>
}

// -----

func.func @resize_coordinate(%x: tensor<1x4xf32>) -> tensor<1x8xf32> {
  // expected-error@+1 {{unknown coordinate_mode 'center'}}
  %0 = npu.resize %x {mode = "linear", coordinate_mode = "center", scales = array<f64: 1.0, 2.0>} : tensor<1x4xf32> -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

func.func @resize_nearest_mode(%x: tensor<1x4xf32>) -> tensor<1x8xf32> {
  // expected-error@+1 {{unknown nearest_mode 'round'}}
  %0 = npu.resize %x {mode = "nearest", coordinate_mode = "asymmetric", nearest_mode = "round", scales = array<f64: 1.0, 2.0>} : tensor<1x4xf32> -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

func.func @resize_scales(%x: tensor<1x4xf32>) -> tensor<1x8xf32> {
  // expected-error@+1 {{expects 2 scales, got 1}}
  %0 = npu.resize %x {mode = "linear", coordinate_mode = "half_pixel", scales = array<f64: 2.0>} : tensor<1x4xf32> -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

func.func @resize_negative_scale(%x: tensor<1x4xf32>) -> tensor<1x8xf32> {
  // expected-error@+1 {{scales must be positive and finite}}
  %0 = npu.resize %x {mode = "linear", coordinate_mode = "half_pixel", scales = array<f64: 1.0, -2.0>} : tensor<1x4xf32> -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

func.func @resize_rank(%x: tensor<1x4xf32>) -> tensor<8xf32> {
  // expected-error@+1 {{result rank 1 differs from input rank 2}}
  %0 = npu.resize %x {mode = "linear", coordinate_mode = "half_pixel", scales = array<f64: 1.0, 2.0>} : tensor<1x4xf32> -> tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

func.func @resize_missing_roi(%x: tensor<1x4xf32>) -> tensor<1x8xf32> {
  // expected-error@+1 {{roi is required by tf_crop_and_resize and only by it}}
  %0 = npu.resize %x {mode = "linear", coordinate_mode = "tf_crop_and_resize", scales = array<f64: 1.0, 2.0>} : tensor<1x4xf32> -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

func.func @resize_roi_length(%x: tensor<1x4xf32>) -> tensor<1x8xf32> {
  // expected-error@+1 {{expects 4 roi values, got 2}}
  %0 = npu.resize %x {mode = "linear", coordinate_mode = "tf_crop_and_resize", roi = array<f64: 0.0, 1.0>, scales = array<f64: 1.0, 2.0>} : tensor<1x4xf32> -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

func.func @grid_mode(%x: tensor<1x2x3x4xf32>, %g: tensor<1x5x6x2xf32>) -> tensor<1x2x5x6xf32> {
  // expected-error@+1 {{unknown mode 'linear'}}
  %0 = npu.grid_sample %x, %g {mode = "linear", padding_mode = "zeros"} : tensor<1x2x3x4xf32>, tensor<1x5x6x2xf32> -> tensor<1x2x5x6xf32>
  return %0 : tensor<1x2x5x6xf32>
}

// -----

func.func @grid_padding(%x: tensor<1x2x3x4xf32>, %g: tensor<1x5x6x2xf32>) -> tensor<1x2x5x6xf32> {
  // expected-error@+1 {{unknown padding_mode 'wrap'}}
  %0 = npu.grid_sample %x, %g {mode = "nearest", padding_mode = "wrap"} : tensor<1x2x3x4xf32>, tensor<1x5x6x2xf32> -> tensor<1x2x5x6xf32>
  return %0 : tensor<1x2x5x6xf32>
}

// -----

func.func @grid_shape(%x: tensor<1x2x3x4xf32>, %g: tensor<1x5x6x3xf32>) -> tensor<1x2x5x6xf32> {
  // expected-error@+2 {{expects a rank-4 input and a [N, Ho, Wo, 2] grid}}
  // expected-error@+1 {{'npu.grid_sample' op failed to infer returned types}}
  %0 = npu.grid_sample %x, %g {mode = "nearest", padding_mode = "zeros"} : tensor<1x2x3x4xf32>, tensor<1x5x6x3xf32> -> tensor<1x2x5x6xf32>
  return %0 : tensor<1x2x5x6xf32>
}

// -----

func.func @grid_batch(%x: tensor<2x2x3x4xf32>, %g: tensor<1x5x6x2xf32>) -> tensor<2x2x5x6xf32> {
  // expected-error@+2 {{input and grid batch sizes differ}}
  // expected-error@+1 {{'npu.grid_sample' op failed to infer returned types}}
  %0 = npu.grid_sample %x, %g {mode = "nearest", padding_mode = "zeros"} : tensor<2x2x3x4xf32>, tensor<1x5x6x2xf32> -> tensor<2x2x5x6xf32>
  return %0 : tensor<2x2x5x6xf32>
}

// -----

func.func @roi_mode(%x: tensor<1x2x8x8xf32>, %r: tensor<3x4xf32>, %b: tensor<3xi64>) -> tensor<3x2x1x1xf32> {
  // expected-error@+1 {{unknown mode 'sum'}}
  %0 = npu.roi_align %x, %r, %b {mode = "sum", output_height = 1 : i64, output_width = 1 : i64, sampling_ratio = 0 : i64, spatial_scale = 1.0 : f64} : (tensor<1x2x8x8xf32>, tensor<3x4xf32>, tensor<3xi64>) -> tensor<3x2x1x1xf32>
  return %0 : tensor<3x2x1x1xf32>
}

// -----

func.func @roi_boxes(%x: tensor<1x2x8x8xf32>, %r: tensor<3x5xf32>, %b: tensor<3xi64>) -> tensor<3x2x1x1xf32> {
  // expected-error@+2 {{rois must be [R, 4]}}
  // expected-error@+1 {{'npu.roi_align' op failed to infer returned types}}
  %0 = npu.roi_align %x, %r, %b {mode = "avg", output_height = 1 : i64, output_width = 1 : i64, sampling_ratio = 0 : i64, spatial_scale = 1.0 : f64} : (tensor<1x2x8x8xf32>, tensor<3x5xf32>, tensor<3xi64>) -> tensor<3x2x1x1xf32>
  return %0 : tensor<3x2x1x1xf32>
}

// -----

func.func @roi_batch(%x: tensor<1x2x8x8xf32>, %r: tensor<3x4xf32>, %b: tensor<2xi64>) -> tensor<3x2x1x1xf32> {
  // expected-error@+2 {{batch_indices must be [R] with R rois}}
  // expected-error@+1 {{'npu.roi_align' op failed to infer returned types}}
  %0 = npu.roi_align %x, %r, %b {mode = "avg", output_height = 1 : i64, output_width = 1 : i64, sampling_ratio = 0 : i64, spatial_scale = 1.0 : f64} : (tensor<1x2x8x8xf32>, tensor<3x4xf32>, tensor<2xi64>) -> tensor<3x2x1x1xf32>
  return %0 : tensor<3x2x1x1xf32>
}

// -----

func.func @roi_types(%x: tensor<1x2x8x8xf32>, %r: tensor<3x4xf16>, %b: tensor<3xi64>) -> tensor<3x2x1x1xf32> {
  // expected-error@+1 {{rois and input element types differ}}
  %0 = npu.roi_align %x, %r, %b {mode = "avg", output_height = 1 : i64, output_width = 1 : i64, sampling_ratio = 0 : i64, spatial_scale = 1.0 : f64} : (tensor<1x2x8x8xf32>, tensor<3x4xf16>, tensor<3xi64>) -> tensor<3x2x1x1xf32>
  return %0 : tensor<3x2x1x1xf32>
}
