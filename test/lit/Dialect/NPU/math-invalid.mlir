// RUN: npu-opt %s -split-input-file -verify-diagnostics

func.func @bad_predicate(%a: tensor<4xf32>) -> tensor<4xi1> {
  // expected-error@+1 {{unknown predicate 'gtx'}}
  %0 = npu.compare "gtx", %a, %a : tensor<4xf32>, tensor<4xf32> -> tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

func.func @float_mod(%a: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error@+1 {{float operands require fmod}}
  %0 = npu.mod %a, %a : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @arg_axis(%a: tensor<4xf32>) -> tensor<i64> {
  // expected-error@+2 {{axis 1 is out of range for rank 1}}
  // expected-error@+1 {{failed to infer returned types}}
  %0 = npu.arg_max %a {axis = 1 : i64, keepdims = false} : tensor<4xf32> -> tensor<i64>
  return %0 : tensor<i64>
}

// -----

func.func @select_types(%c: tensor<4xi1>, %a: tensor<4xf32>, %b: tensor<4xi32>) -> tensor<4xf32> {
  // expected-error@+2 {{lhs and rhs element types differ}}
  // expected-error@+1 {{failed to infer returned types}}
  %0 = npu.select %c, %a, %b : tensor<4xi1>, tensor<4xf32>, tensor<4xi32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @and_float(%a: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error@+1 {{must be ranked tensor of}}
  %0 = npu.and %a, %a : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
