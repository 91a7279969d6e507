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
