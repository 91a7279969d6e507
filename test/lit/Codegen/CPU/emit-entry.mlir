// RUN: npu-opt %s -split-input-file -npu-cpu-emit-entry -verify-diagnostics | FileCheck %s

// CHECK-LABEL: llvm.func internal @main(
// CHECK-LABEL: llvm.func @npu_run(%arg0: !llvm.ptr) -> i32
// CHECK: %[[SLOT0:.*]] = llvm.getelementptr %arg0[0] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK: %[[IN:.*]] = llvm.load %[[SLOT0]] : !llvm.ptr -> !llvm.ptr
// CHECK: %[[SLOT:.*]] = llvm.getelementptr %arg0[1] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK: %[[OUT:.*]] = llvm.load %[[SLOT]]
// CHECK: llvm.call @main(%[[IN]], %[[OUT]])
// CHECK: llvm.mlir.global internal constant @npu_signature_json("{}\00")
// CHECK-LABEL: llvm.func @npu_signature() -> !llvm.ptr
// CHECK-LABEL: llvm.func @npu_abi_version() -> i32
// CHECK: llvm.mlir.constant(1 : i32)
module attributes {npu.signature = "{}"} {
  llvm.func @main(%in: !llvm.ptr, %out: !llvm.ptr) {
    llvm.return
  }
}

// -----

// expected-error@+1 {{npu-cpu-emit-entry needs the lowered entry 'main' and the npu.signature attribute (run npu-cpu-record-signature first)}}
module {
  llvm.func @main(%in: !llvm.ptr) {
    llvm.return
  }
}

// -----

module attributes {npu.signature = "{}"} {
  // expected-error@+1 {{entry must take bare pointers}}
  llvm.func @main(%in: i64) {
    llvm.return
  }
}
