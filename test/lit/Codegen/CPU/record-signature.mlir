// RUN: npu-opt %s -split-input-file -npu-cpu-record-signature -verify-diagnostics | FileCheck %s

// CHECK-LABEL: module attributes
// CHECK-SAME: npu.signature = "{\22abi_version\22:1,\22inputs\22:[{\22dtype\22:\22float32\22,\22name\22:\22x\22,\22shape\22:[2,3]},{\22dtype\22:\22int64\22,\22name\22:\22ids\22,\22shape\22:[1,128]}],\22outputs\22:[{\22dtype\22:\22bool\22,\22name\22:\22output0\22,\22shape\22:[]}]}"
func.func @main(%x: tensor<2x3xf32> {npu.name = "x"}, %ids: tensor<1x128xi64> {npu.name = "ids"}) -> tensor<i1> {
  %c = arith.constant dense<true> : tensor<i1>
  return %c : tensor<i1>
}

// -----

// expected-error@+1 {{input 'x' must be a statically shaped tensor, got 'tensor<?x3xf32>'}}
func.func @main(%x: tensor<?x3xf32> {npu.name = "x"}) -> tensor<?x3xf32> {
  return %x : tensor<?x3xf32>
}

// -----

// expected-error@+1 {{entry function 'main' not found}}
module {
  func.func @other() {
    return
  }
}
