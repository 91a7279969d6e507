// RUN: npu-opt %s -npu-cpu-flatten-constant-globals | FileCheck %s

// Dense and dense_resource weights become raw little-endian bytes.
// CHECK: llvm.mlir.global private constant @dense("\00\00\80?\00\00\00@\00\00@@\00\00\80@\00\00\A0@\00\00\C0@\00\00\E0@\00\00\00A\00\00\10A\00\00 A\00\000A\00\00@A\00\00PA\00\00`A\00\00pA\00\00\80A") {addr_space = 0 : i32, alignment = 64 : i64}{{$}}
llvm.mlir.global private constant @dense(dense<[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0], [9.0, 10.0, 11.0, 12.0], [13.0, 14.0, 15.0, 16.0]]> : tensor<4x4xf32>) {addr_space = 0 : i32, alignment = 64 : i64} : !llvm.array<4 x array<4 x f32>>

// CHECK: llvm.mlir.global private constant @splat("{{(\\01\\00)+}}") {addr_space = 0 : i32}{{$}}
llvm.mlir.global private constant @splat(dense<1> : tensor<32xi16>) {addr_space = 0 : i32} : !llvm.array<32 x i16>

// CHECK: llvm.mlir.global private constant @resource("\01\02\03\04\05{{.*}}=>?@") {addr_space = 0 : i32}{{$}}
llvm.mlir.global private constant @resource(dense_resource<blob> : tensor<16xi32>) {addr_space = 0 : i32} : !llvm.array<16 x i32>

// Small globals and bit-packed i1 data keep their form.
// CHECK: llvm.mlir.global private constant @small(dense<1.000000e+00> : tensor<2xf32>)
llvm.mlir.global private constant @small(dense<1.0> : tensor<2xf32>) {addr_space = 0 : i32} : !llvm.array<2 x f32>
// CHECK: llvm.mlir.global private constant @bools(dense<true> : tensor<128xi1>)
llvm.mlir.global private constant @bools(dense<true> : tensor<128xi1>) {addr_space = 0 : i32} : !llvm.array<128 x i1>

{-#
  dialect_resources: {
    builtin: {
      blob: "0x040000000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F202122232425262728292A2B2C2D2E2F303132333435363738393A3B3C3D3E3F40"
    }
  }
#-}
