// RUN: npu-opt %s -split-input-file -verify-diagnostics

func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @below {{'npuk.kernel' op operand 0 has type 'tensor<4xf32>' but the body argument has type 'tensor<4xf16>'}}
  %k = npuk.kernel "k0" cpu nodes [] (%x) : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<4xf16>):
    npuk.yield %x : tensor<4xf32>
  }
  return %k : tensor<4xf32>
}

// -----

func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @below {{'npuk.kernel' op yields 1 values whose types differ from the op's results}}
  %k = npuk.kernel "k0" vector nodes [] (%x) : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<4xf32>):
    %0 = npu.cast %a : tensor<4xf32> -> tensor<4xf16>
    npuk.yield %0 : tensor<4xf16>
  }
  return %k : tensor<4xf32>
}

// -----

func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @below {{'npuk.call_cpu' op callee @missing is not a func.func}}
  %c = npuk.call_cpu @missing(%x) : (tensor<4xf32>) -> tensor<4xf32>
  return %c : tensor<4xf32>
}

// -----

func.func private @part(tensor<4xf32>) -> tensor<4xf16>
func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @below {{'npuk.launch' op callee @part has type '(tensor<4xf32>) -> tensor<4xf16>' but the call has type '(tensor<4xf32>) -> tensor<4xf32>'}}
  %c = npuk.launch @part(%x) cores(1) : (tensor<4xf32>) -> tensor<4xf32>
  return %c : tensor<4xf32>
}

// -----

func.func private @part(tensor<4xf32>) -> tensor<4xf32>
func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @below {{'npuk.launch' op attribute 'cores' failed to satisfy constraint}}
  %c = npuk.launch @part(%x) cores(0) : (tensor<4xf32>) -> tensor<4xf32>
  return %c : tensor<4xf32>
}

// -----

// expected-error @below {{'npuk.device_kernel' op body must hold exactly one aicore.program}}
npuk.device_kernel @k vector nodes [] : (tensor<4xf32>) -> tensor<4xf32> {
}

// -----

npuk.device_kernel @k vector nodes [] : (tensor<4xf32>) -> tensor<4xf32> {
  aicore.program cores(1) {
    aicore.end
  }
}
func.func @f(%x: tensor<4xf32>) -> tensor<4xf16> {
  // expected-error @below {{'npuk.launch' op callee @k has type '(tensor<4xf32>) -> tensor<4xf32>' but the call has type '(tensor<4xf32>) -> tensor<4xf16>'}}
  %c = npuk.launch @k(%x) cores(1) : (tensor<4xf32>) -> tensor<4xf16>
  return %c : tensor<4xf16>
}

// -----

func.func @f(%a: tensor<4x40xf16>, %w: tensor<3x2x16x16xf16>) -> tensor<4x33xf16> {
  // expected-error @below {{'npuk.matmul' op rhs must be the fnz layout of a 40x33 weight, [3][3][16][16], got 'tensor<3x2x16x16xf16>'}}
  %0 = npuk.matmul %a, %w {n = 33} : tensor<4x40xf16>, tensor<3x2x16x16xf16> -> tensor<4x33xf16>
  return %0 : tensor<4x33xf16>
}

// -----

func.func @f(%a: tensor<4x40xf32>, %w: tensor<3x3x16x16xf32>) -> tensor<4x33xf32> {
  // expected-error @below {{'npuk.matmul' op lhs must be f16 or bf16, got 'f32'}}
  %0 = npuk.matmul %a, %w {n = 33} : tensor<4x40xf32>, tensor<3x3x16x16xf32> -> tensor<4x33xf32>
  return %0 : tensor<4x33xf32>
}

// -----

func.func @f(%a: tensor<4x40xf16>, %w: tensor<3x3x16x16xf16>, %b: tensor<33xf16>) -> tensor<4x33xf32> {
  // expected-error @below {{'npuk.matmul' op bias must be tensor<33xf32>, got 'tensor<33xf16>'}}
  %0 = npuk.matmul %a, %w, %b {n = 33} : tensor<4x40xf16>, tensor<3x3x16x16xf16>, tensor<33xf16> -> tensor<4x33xf32>
  return %0 : tensor<4x33xf32>
}

// -----

func.func @f(%x: tensor<1x2x8x8x16xf16>, %w: tensor<9x2x16x16xf16>) -> tensor<1x2x8x8x16xf16> {
  // expected-error @below {{'npuk.conv2d' op weight must be the fz layout [18][2][16][16], got 'tensor<9x2x16x16xf16>'}}
  %0 = npuk.conv2d %x, %w {o = 20, kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>} : tensor<1x2x8x8x16xf16>, tensor<9x2x16x16xf16> -> tensor<1x2x8x8x16xf16>
  return %0 : tensor<1x2x8x8x16xf16>
}

// -----

func.func @f(%x: tensor<1x2x8x8x16xf16>, %w: tensor<18x2x16x16xf16>) -> tensor<1x2x8x8x16xf16> {
  // expected-error @below {{'npuk.conv2d' op result must be [1][2][4][4][16], got 'tensor<1x2x8x8x16xf16>'}}
  %0 = npuk.conv2d %x, %w {o = 20, kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>} : tensor<1x2x8x8x16xf16>, tensor<18x2x16x16xf16> -> tensor<1x2x8x8x16xf16>
  return %0 : tensor<1x2x8x8x16xf16>
}

// -----

func.func @f(%x: tensor<1x2x8x8x16xf16>, %w: tensor<18x2x16x16xf16>) -> tensor<1x2x8x8x16xf16> {
  // expected-error @below {{'npuk.conv2d' op kernel, strides and dilations need 2 values, pads 4}}
  %0 = npuk.conv2d %x, %w {o = 20, kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1>, dilations = array<i64: 1, 1>} : tensor<1x2x8x8x16xf16>, tensor<18x2x16x16xf16> -> tensor<1x2x8x8x16xf16>
  return %0 : tensor<1x2x8x8x16xf16>
}

// -----

func.func @f(%x: tensor<1x2x8x8xf16>, %w: tensor<18x2x16x16xf16>) -> tensor<1x2x8x8x16xf16> {
  // expected-error @below {{'npuk.conv2d' op input must be nc1hwc0 [N][C1][H][W][16], got 'tensor<1x2x8x8xf16>'}}
  %0 = npuk.conv2d %x, %w {o = 20, kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>} : tensor<1x2x8x8xf16>, tensor<18x2x16x16xf16> -> tensor<1x2x8x8x16xf16>
  return %0 : tensor<1x2x8x8x16xf16>
}

// -----

func.func @f(%x: tensor<1x2x8x8x16xf16>, %w: tensor<18x2x16x16xf16>, %b: tensor<32xf32>) -> tensor<1x2x8x8x16xf16> {
  // expected-error @below {{'npuk.conv2d' op bias must be tensor<20xf32>, got 'tensor<32xf32>'}}
  %0 = npuk.conv2d %x, %w, %b {o = 20, kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>} : tensor<1x2x8x8x16xf16>, tensor<18x2x16x16xf16>, tensor<32xf32> -> tensor<1x2x8x8x16xf16>
  return %0 : tensor<1x2x8x8x16xf16>
}
