// Physical npuk ops: NPU compute on physical layouts, before tiling.
#ifndef NPU_DIALECT_NPUK_IR_NPUKPHYSICALOPS_TD
#define NPU_DIALECT_NPUK_IR_NPUKPHYSICALOPS_TD

include "npu/Dialect/NPUK/IR/NPUKBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def NPUK_MatmulOp : NPUK_Op<"matmul", [Pure]> {
  let summary = "Cube matmul with its FIX epilogue, on physical layouts";
  let description = [{
    `result[..., n] = relu?(sum_k lhs[..., k] * W[k, n] + bias[n])`,
    accumulated in f32 (L0C) and rounded to the result type by FIX.
    `lhs` is row-major (nd) f16 or bf16 with K as the last dim; `rhs` is the
    K x N weight in the `fnz` layout ([ceil(K/16)][ceil(N/16)][16][16], same
    element type); `n` is the logical N. `bias` is an f32 vector of N
    (added by `mmad_bias`). The result is row-major f32, f16 or bf16.

    ```mlir
    %y = npuk.matmul %a, %w, %b {n = 1000, relu}
        : tensor<1x2048xf16>, tensor<128x63x16x16xf16>, tensor<1000xf32> -> tensor<1x1000xf16>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$lhs, AnyRankedTensor:$rhs,
                       Optional<AnyRankedTensor>:$bias,
                       ConfinedAttr<I64Attr, [IntPositive]>:$n,
                       UnitAttr:$relu);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs (`,` $bias^)? attr-dict `:` type($lhs) `,` type($rhs)
    (`,` type($bias)^)? `->` type($result)
  }];
  let hasVerifier = 1;
}

def NPUK_Conv2dOp : NPUK_Op<"conv2d", [Pure]> {
  let summary = "Cube 2-D convolution with its FIX epilogue, on physical layouts";
  let description = [{
    `result = relu?(conv2d(input, W) + bias)` (group 1), accumulated in f32
    (L0C) and rounded to the result type by FIX. `input` is nc1hwc0
    `[N][C1][H][W][16]` f16 or bf16 (pad channels +0); `weight` is the fz
    layout `[C1*KH*KW][ceil(O/16)][16][16]` of the same element type; `o` is
    the logical output channel count; `bias` an f32 vector of `o`. The
    result is nc1hwc0 `[N][ceil(O/16)][Ho][Wo][16]` in f32, f16 or bf16, its
    pad lanes +0. `kernel` = [KH, KW], `strides` and `dilations` = [h, w],
    `pads` = [top, left, bottom, right] (ONNX order).

    ```mlir
    %y = npuk.conv2d %x, %w, %b {o = 64, kernel = array<i64: 3, 3>,
        strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>,
        dilations = array<i64: 1, 1>, relu}
        : tensor<1x4x56x56x16xf16>, tensor<36x4x16x16xf16>, tensor<64xf32>
        -> tensor<1x4x56x56x16xf16>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$weight,
                       Optional<AnyRankedTensor>:$bias,
                       ConfinedAttr<I64Attr, [IntPositive]>:$o,
                       DenseI64ArrayAttr:$kernel, DenseI64ArrayAttr:$strides,
                       DenseI64ArrayAttr:$pads, DenseI64ArrayAttr:$dilations,
                       UnitAttr:$relu);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` type($input) `,`
    type($weight) (`,` type($bias)^)? `->` type($result)
  }];
  let hasVerifier = 1;
}

#endif // NPU_DIALECT_NPUK_IR_NPUKPHYSICALOPS_TD
