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

#endif // NPU_DIALECT_NPUK_IR_NPUKPHYSICALOPS_TD
