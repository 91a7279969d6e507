// RUN: npu-opt %s -split-input-file -verify-diagnostics

func.func @f(%x: tensor<1x3x5x7xf32>) {
  // expected-error @below {{'npuk.convert' op result shape [1,1,5,7,8] must be [1,1,5,7,16], the nc1hwc0 shape of logical [1,3,5,7]}}
  %0 = npuk.convert %x <nchw> -> <nc1hwc0> : tensor<1x3x5x7xf32> -> tensor<1x1x5x7x8xf32>
  return
}

// -----

func.func @f(%x: tensor<3x5x7xf32>) {
  // expected-error @below {{'npuk.convert' op operand: layout nc1hwc0 needs a rank-4 NCHW tensor, got rank 3}}
  %0 = npuk.convert %x <nd> -> <nc1hwc0> : tensor<3x5x7xf32> -> tensor<1x1x5x7x16xf32>
  return
}

// -----

func.func @f(%x: tensor<3x5x7xf32>) {
  // expected-error @below {{'npuk.convert' op layout nchw needs a rank-4 NCHW tensor, got rank 3}}
  %0 = npuk.convert %x <nd> -> <nchw> : tensor<3x5x7xf32> -> tensor<3x5x7xf32>
  return
}

// -----

func.func @f(%x: tensor<16x16x3xf32>) {
  // expected-error @below {{'npuk.convert' op operand: layout fz needs a rank-4 OIHW tensor, got rank 3}}
  %0 = npuk.convert %x <nchw> -> <fz> : tensor<16x16x3xf32> -> tensor<3x1x16x16xf16>
  return
}

// -----

func.func @f(%x: tensor<2x16x16xf32>) {
  // expected-error @below {{'npuk.convert' op operand: layout fnz needs a rank-2 K x N tensor, got rank 3}}
  %0 = npuk.convert %x <nd> -> <fnz> : tensor<2x16x16xf32> -> tensor<1x1x16x16xf16>
  return
}

// -----

func.func @f(%x: tensor<1x1x5x7x16xf16>) {
  // expected-error @below {{'npuk.convert' op operand shape [1,1,5,7,16] must be [1,2,5,7,16], the nc1hwc0 shape of logical [1,17,5,7]}}
  %0 = npuk.convert %x <nc1hwc0> -> <nchw> : tensor<1x1x5x7x16xf16> -> tensor<1x17x5x7xf32>
  return
}

// -----

func.func @f(%x: tensor<1x1x16x16xf16>) {
  // expected-error @below {{'npuk.convert' op converts between two physical layouts (fz -> fnz); go through a logical one}}
  %0 = npuk.convert %x <fz> -> <fnz> : tensor<1x1x16x16xf16> -> tensor<1x1x16x16xf16>
  return
}

// -----

func.func @f(%x: tensor<4x4xf16>) {
  // expected-error @below {{'npuk.convert' op converts 'f16' to 'bf16' directly; go through f32}}
  %0 = npuk.convert %x <nd> -> <nd> : tensor<4x4xf16> -> tensor<4x4xbf16>
  return
}

// -----

func.func @f(%x: tensor<4x4xi32>) {
  // expected-error @below {{'npuk.convert' op element type 'i32' is not supported (f32, f16 or bf16)}}
  %0 = npuk.convert %x <nd> -> <nd> : tensor<4x4xi32> -> tensor<4x4xf32>
  return
}

// -----

func.func @f(%x: tensor<4x4xf32>) {
  // expected-error @below {{'npuk.convert' op scale_exp 65 is out of range [-64, 64]}}
  %0 = npuk.convert %x <nd> -> <nd> scale 65 : tensor<4x4xf32> -> tensor<4x4xf16>
  return
}

// -----

func.func @f(%x: tensor<4x4xf32>) {
  // expected-error @below {{'npuk.convert' op result shape [16] must equal the operand shape [4,4] when the layout stays logical}}
  %0 = npuk.convert %x <nd> -> <nd> : tensor<4x4xf32> -> tensor<16xf32>
  return
}

// -----

func.func @f(%x: tensor<1x1x16x8xf16>) {
  // expected-error @below {{'npuk.convert' op shape [1,1,16,8] is not a fnz shape ([KF][NF][16][16])}}
  %0 = npuk.convert %x <fnz> -> <fnz> : tensor<1x1x16x8xf16> -> tensor<1x1x16x8xf32>
  return
}

// -----

func.func @f(%x: tensor<?x3x5x7xf32>) {
  // expected-error @below {{'npuk.convert' op needs static shapes}}
  %0 = npuk.convert %x <nchw> -> <nc1hwc0> : tensor<?x3x5x7xf32> -> tensor<1x1x5x7x16xf32>
  return
}

// -----

func.func @f(%x: tensor<4xf32>) {
  // expected-error @below {{expected ::npu::npuk::Layout to be one of: nd, nchw, nc1hwc0, fz, fnz}}
  // expected-error @below {{failed to parse NPUK_LayoutAttr parameter 'value'}}
  %0 = npuk.convert %x <nz> -> <nd> : tensor<4xf32> -> tensor<4xf32>
  return
}
