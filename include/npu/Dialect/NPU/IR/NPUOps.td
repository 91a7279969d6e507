// Operations of the npu dialect (graph/tensor level, value semantics).
#ifndef NPU_DIALECT_NPU_IR_NPUOPS_TD
#define NPU_DIALECT_NPU_IR_NPUOPS_TD

include "npu/Dialect/NPU/IR/NPUBase.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"

//===----------------------------------------------------------------------===//
// Constants and casts
//===----------------------------------------------------------------------===//

def NPU_ConstantOp : NPU_Op<"constant", [ConstantLike, Pure,
    AllTypesMatch<["value", "result"]>]> {
  let summary = "A constant tensor";
  let description = [{
    Weights are held as `dense_resource` blobs so importing a 100 MB model
    does not unique every element; small constants may use `dense`.
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs NPU_Tensor:$result);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
}

def NPU_CastOp : NPU_Op<"cast", [Pure, SameOperandsAndResultShape]> {
  let summary = "Element type conversion (ONNX Cast)";
  let description = [{
    Float to integer truncates toward zero; integer to float rounds to
    nearest; `i1` results compare against zero. Integer operands are read as
    signed unless `unsigned_input` is set.
  }];
  let arguments = (ins NPU_Tensor:$input, UnitAttr:$unsigned_input);
  let results = (outs NPU_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise binary ops with numpy broadcasting
//===----------------------------------------------------------------------===//

class NPU_BinaryOp<string mnemonic, list<Trait> traits = []>
    : NPU_Op<mnemonic, traits # [Pure, InferTypeOpAdaptor,
                                  SameOperandsElementType]> {
  let arguments = (ins NPU_Tensor:$lhs, NPU_Tensor:$rhs);
  let results = (outs NPU_Tensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)
  }];
  let description = [{
    Multidirectional (numpy) broadcasting: shapes are aligned on the right
    and each dimension pair must be equal or contain a 1.
  }];
}

def NPU_AddOp : NPU_BinaryOp<"add", [Commutative]> {
  let summary = "Elementwise addition";
  let hasFolder = 1;
}
def NPU_SubOp : NPU_BinaryOp<"sub"> { let summary = "Elementwise subtraction"; }
def NPU_MulOp : NPU_BinaryOp<"mul", [Commutative]> {
  let summary = "Elementwise multiplication";
  let hasFolder = 1;
}
def NPU_DivOp : NPU_BinaryOp<"div"> {
  let summary = "Elementwise division (integers truncate toward zero)";
  let description = [{
    Multidirectional (numpy) broadcasting. `unsigned_operands` reads
    integers as unsigned.
  }];
  let arguments = (ins NPU_Tensor:$lhs, NPU_Tensor:$rhs,
                       UnitAttr:$unsigned_operands);
  let hasFolder = 1;
}
def NPU_PowOp : NPU_BinaryOp<"pow"> {
  let summary = "Elementwise power";
  let hasCanonicalizer = 1;
}
def NPU_MaxOp : NPU_BinaryOp<"max", [Commutative]> {
  let summary = "Elementwise maximum";
}
def NPU_MinOp : NPU_BinaryOp<"min", [Commutative]> {
  let summary = "Elementwise minimum";
}

//===----------------------------------------------------------------------===//
// Elementwise unary ops
//===----------------------------------------------------------------------===//

class NPU_UnaryOp<string mnemonic, Type ty = NPU_Tensor,
                  list<Trait> traits = []>
    : NPU_Op<mnemonic, traits # [Pure, SameOperandsAndResultType]> {
  let arguments = (ins ty:$input);
  let results = (outs ty:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def NPU_ReluOp : NPU_UnaryOp<"relu"> { let summary = "max(x, 0)"; }
def NPU_SigmoidOp : NPU_UnaryOp<"sigmoid", NPU_FloatTensor> {
  let summary = "1 / (1 + exp(-x))";
}
def NPU_TanhOp : NPU_UnaryOp<"tanh", NPU_FloatTensor> { let summary = "tanh"; }
def NPU_ErfOp : NPU_UnaryOp<"erf", NPU_FloatTensor> {
  let summary = "Gauss error function";
}
def NPU_SqrtOp : NPU_UnaryOp<"sqrt", NPU_FloatTensor> { let summary = "sqrt"; }
def NPU_ExpOp : NPU_UnaryOp<"exp", NPU_FloatTensor> { let summary = "exp"; }
def NPU_LogOp : NPU_UnaryOp<"log", NPU_FloatTensor> {
  let summary = "Natural logarithm";
}
def NPU_NegOp : NPU_UnaryOp<"neg"> {
  let summary = "-x";
  let hasFolder = 1;
}
def NPU_ReciprocalOp : NPU_UnaryOp<"reciprocal", NPU_FloatTensor> {
  let summary = "1 / x";
}

def NPU_ClipOp : NPU_Op<"clip", [Pure, SameOperandsAndResultType]> {
  let summary = "Clamp to [min, max]; an absent bound does not clamp";
  let arguments = (ins NPU_Tensor:$input, OptionalAttr<F64Attr>:$min,
                       OptionalAttr<F64Attr>:$max);
  let results = (outs NPU_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Linear algebra and convolution
//===----------------------------------------------------------------------===//

def NPU_MatMulOp : NPU_Op<"matmul", [Pure, InferTypeOpAdaptor,
                                     SameOperandsElementType]> {
  let summary = "numpy matmul: batched, with broadcasting of batch dims";
  let description = [{
    Both operands have rank >= 1. A rank-1 lhs is treated as [1, K] and a
    rank-1 rhs as [K, 1]; the inserted unit dimension is removed from the
    result. Leading batch dimensions broadcast like elementwise ops.
  }];
  let arguments = (ins NPU_Tensor:$lhs, NPU_Tensor:$rhs);
  let results = (outs NPU_Tensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)
  }];
}

def NPU_ConvOp : NPU_Op<"conv", [Pure, InferTypeOpAdaptor]> {
  let summary = "N-D convolution, N C D1..Ds input and F C/g K1..Ks weight";
  let description = [{
    `s >= 1` spatial dimensions. `weight` is [F, C / group, K1, .., Ks];
    the optional `bias` is [F]. `strides` and `dilations` have `s` entries,
    `pads` has `2 s`: all begins, then all ends (ONNX order).
  }];
  let arguments = (ins NPU_FloatTensor:$input, NPU_FloatTensor:$weight,
                       Optional<NPU_FloatTensor>:$bias,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
                       DenseI64ArrayAttr:$dilations,
                       ConfinedAttr<I64Attr, [IntPositive]>:$group);
  let results = (outs NPU_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:`
    functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Normalization and softmax
//===----------------------------------------------------------------------===//

def NPU_SoftmaxOp : NPU_Op<"softmax", [Pure, SameOperandsAndResultType]> {
  let summary = "Softmax along one axis (ONNX opset >= 13 semantics)";
  let arguments = (ins NPU_FloatTensor:$input, I64Attr:$axis);
  let results = (outs NPU_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def NPU_LayerNormOp : NPU_Op<"layer_norm", [Pure]> {
  let summary = "Layer normalization over the dimensions from `axis` on";
  let description = [{
    `scale` and the optional `bias` have the normalized shape
    (or broadcast to it). Statistics are computed in the element type.
  }];
  let arguments = (ins NPU_FloatTensor:$input, NPU_FloatTensor:$scale,
                       Optional<NPU_FloatTensor>:$bias, I64Attr:$axis,
                       F64Attr:$epsilon);
  let results = (outs NPU_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $scale (`,` $bias^)? attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def NPU_BatchNormOp : NPU_Op<"batch_norm", [Pure]> {
  let summary = "Inference batch normalization over channel dimension 1";
  let arguments = (ins NPU_FloatTensor:$input, NPU_FloatTensor:$scale,
                       NPU_FloatTensor:$bias, NPU_FloatTensor:$mean,
                       NPU_FloatTensor:$variance, F64Attr:$epsilon);
  let results = (outs NPU_FloatTensor:$result);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

// Window attributes of the pooling ops, for `s >= 1` spatial dimensions of
// an N C D1..Ds input: `kernel`, `strides` and `dilations` have `s`
// entries, `pads` has `2 s` (all begins, then all ends). With `ceil_mode`
// output sizes round up (the last window must start inside the input or
// the leading padding).
class NPU_PoolOp<string mnemonic> : NPU_Op<mnemonic, [Pure,
    InferTypeOpAdaptor]> {
  let results = (outs NPU_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
}

def NPU_MaxPoolOp : NPU_PoolOp<"max_pool"> {
  let summary = "N-D max pooling";
  let arguments = (ins NPU_FloatTensor:$input, DenseI64ArrayAttr:$kernel,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
                       DenseI64ArrayAttr:$dilations, UnitAttr:$ceil_mode);
}

def NPU_AvgPoolOp : NPU_PoolOp<"avg_pool"> {
  let summary = "N-D average pooling";
  let description = [{
    Padding cells count toward the divisor only with `count_include_pad`.
  }];
  let arguments = (ins NPU_FloatTensor:$input, DenseI64ArrayAttr:$kernel,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
                       UnitAttr:$count_include_pad, UnitAttr:$ceil_mode);
}

def NPU_MaxPoolWithIndicesOp : NPU_Op<"max_pool_with_indices", [Pure,
    InferTypeOpAdaptor]> {
  let summary = "N-D max pooling that also returns where each maximum is";
  let description = [{
    Window attributes as for `npu.max_pool`. `indices` (i64) holds the
    position of each maximum in the flattened input (batch and channel
    included); with `column_major` the spatial dims of that position are
    flattened in reverse order (ONNX storage_order 1). Ties resolve to the
    first cell of the window; padding is never selected unless the whole
    window is padding.
  }];
  let arguments = (ins NPU_FloatTensor:$input, DenseI64ArrayAttr:$kernel,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
                       DenseI64ArrayAttr:$dilations, UnitAttr:$ceil_mode,
                       UnitAttr:$column_major);
  let results = (outs NPU_FloatTensor:$result,
                      RankedTensorOf<[I64]>:$indices);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($result) `,` type($indices)
  }];
}

def NPU_GlobalAvgPoolOp : NPU_Op<"global_avg_pool", [Pure,
    InferTypeOpAdaptor]> {
  let summary = "Mean over all spatial dimensions (rank >= 3), kept as 1";
  let arguments = (ins NPU_FloatTensor:$input);
  let results = (outs NPU_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

class NPU_ReduceOp<string mnemonic> : NPU_Op<mnemonic, [Pure,
    InferTypeOpAdaptor]> {
  let description = [{
    Reduces over `axes` (sorted, non-negative, unique). `keepdims` keeps
    each reduced dimension with size 1.
  }];
  let arguments = (ins NPU_Tensor:$input, DenseI64ArrayAttr:$axes,
                       BoolAttr:$keepdims);
  let results = (outs NPU_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
}

def NPU_ReduceMeanOp : NPU_ReduceOp<"reduce_mean"> { let summary = "Mean"; }
def NPU_ReduceSumOp : NPU_ReduceOp<"reduce_sum"> { let summary = "Sum"; }
def NPU_ReduceMaxOp : NPU_ReduceOp<"reduce_max"> { let summary = "Maximum"; }

//===----------------------------------------------------------------------===//
// Shape and data movement
//===----------------------------------------------------------------------===//

def NPU_ReshapeOp : NPU_Op<"reshape", [Pure, SameOperandsAndResultElementType]> {
  let summary = "Reinterpret a tensor with a new static shape";
  let arguments = (ins NPU_Tensor:$input);
  let results = (outs NPU_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def NPU_FlattenOp : NPU_Op<"flatten", [Pure, InferTypeOpAdaptor]> {
  let summary = "Collapse to 2-D: dims before `axis` and dims from `axis`";
  let arguments = (ins NPU_Tensor:$input, I64Attr:$axis);
  let results = (outs NPU_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasCanonicalizer = 1;
}

def NPU_TransposeOp : NPU_Op<"transpose", [Pure, InferTypeOpAdaptor]> {
  let summary = "Permute dimensions: result dim i is input dim perm[i]";
  let arguments = (ins NPU_Tensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs NPU_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasFolder = 1;
}

def NPU_ConcatOp : NPU_Op<"concat", [Pure, InferTypeOpAdaptor,
                                     SameOperandsElementType]> {
  let summary = "Concatenate along `axis`";
  let arguments = (ins Variadic<NPU_Tensor>:$inputs, I64Attr:$axis);
  let results = (outs NPU_Tensor:$result);
  let assemblyFormat = [{
    $inputs attr-dict `:` functional-type($inputs, results)
  }];
  let hasFolder = 1;
}

def NPU_SplitOp : NPU_Op<"split", [Pure, InferTypeOpAdaptor]> {
  let summary = "Split along `axis` into pieces of the given sizes";
  let arguments = (ins NPU_Tensor:$input, I64Attr:$axis,
                       DenseI64ArrayAttr:$sizes);
  let results = (outs Variadic<NPU_Tensor>:$results);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($results)";
}

def NPU_SliceOp : NPU_Op<"slice", [Pure, InferTypeOpAdaptor]> {
  let summary = "Strided slice with per-dimension start, size and step";
  let description = [{
    Attributes cover every dimension and are already clamped by the
    importer: result dim i has `sizes[i]` elements taken from
    `starts[i] + k * steps[i]`. Negative steps walk backwards.
  }];
  let arguments = (ins NPU_Tensor:$input, DenseI64ArrayAttr:$starts,
                       DenseI64ArrayAttr:$sizes, DenseI64ArrayAttr:$steps);
  let results = (outs NPU_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def NPU_GatherOp : NPU_Op<"gather", [Pure, InferTypeOpAdaptor]> {
  let summary = "ONNX Gather: take slices of `data` along `axis`";
  let description = [{
    Result shape is data.shape[:axis] + indices.shape + data.shape[axis+1:].
    Negative indices count from the end; out-of-range indices are clamped
    at run time so generated code never reads outside `data`.
  }];
  let arguments = (ins NPU_Tensor:$data, NPU_IndexTensor:$indices,
                       I64Attr:$axis);
  let results = (outs NPU_Tensor:$result);
  let assemblyFormat = [{
    $data `,` $indices attr-dict `:` type($data) `,` type($indices) `->`
    type($result)
  }];
}

def NPU_ScatterFlatOp : NPU_Op<"scatter_flat", [Pure, InferTypeOpAdaptor]> {
  let summary = "Zeros of `shape` with updates written at flat positions";
  let description = [{
    The result (of `shape`, the updates' element type) is zero except that
    element `indices.flat[i]` of the row-major flattened result is
    `updates.flat[i]`, for every i in order: a later update to the same
    position wins. Positions outside [0, size) are skipped at run time.
    `indices` has the shape of `updates`.
  }];
  let arguments = (ins NPU_Tensor:$updates, NPU_IndexTensor:$indices,
                       DenseI64ArrayAttr:$shape);
  let results = (outs NPU_Tensor:$result);
  let assemblyFormat = [{
    $updates `,` $indices attr-dict `:` type($updates) `,` type($indices)
    `->` type($result)
  }];
}

def NPU_PadOp : NPU_Op<"pad", [Pure, InferTypeOpAdaptor]> {
  let summary = "Pad with a constant, by reflection or by edge values";
  let description = [{
    `pads` holds all begin amounts, then all end amounts (ONNX
    order); all entries are non-negative. `mode` is "constant", "reflect"
    or "edge".
  }];
  let arguments = (ins NPU_Tensor:$input, DenseI64ArrayAttr:$pads,
                       DefaultValuedStrAttr<StrAttr, "constant">:$mode,
                       DefaultValuedAttr<F64Attr, "0.0">:$value);
  let results = (outs NPU_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

include "npu/Dialect/NPU/IR/NPUMathOps.td"
include "npu/Dialect/NPU/IR/NPUQuantOps.td"
include "npu/Dialect/NPU/IR/NPUScanOps.td"
include "npu/Dialect/NPU/IR/NPUControlFlowOps.td"
include "npu/Dialect/NPU/IR/NPUAlgebraOps.td"
include "npu/Dialect/NPU/IR/NPUSamplingOps.td"

#endif // NPU_DIALECT_NPU_IR_NPUOPS_TD
