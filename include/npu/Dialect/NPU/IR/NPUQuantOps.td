// Affine (zero point + scale) quantization and integer matmul/conv, the ops
// int8 work starts from: QDQ import, requantizing epilogues, and packed
// integer micro-kernels claiming matmul_integer/conv2d_integer.
// Included by NPUOps.td.
#ifndef NPU_DIALECT_NPU_IR_NPUQUANTOPS_TD
#define NPU_DIALECT_NPU_IR_NPUQUANTOPS_TD

def NPU_IntTensor : RankedTensorOf<[NPU_Int]>;

//===----------------------------------------------------------------------===//
// Quantize, requantize, dequantize
//===----------------------------------------------------------------------===//

// `scale` is rank 0 (per tensor) or rank 1 with one entry per element of
// dimension `axis` of the input (per axis); `axis` is set exactly in the
// per-axis form. `zero_point` has the scale's shape or is rank 0 (shared). Integers are signless: `unsigned_*` says
// how the integer side is read and where results saturate.
class NPU_AffineQuantOp<string mnemonic> : NPU_Op<mnemonic, [Pure,
    InferTypeOpAdaptor]> {
  let assemblyFormat = [{
    $input `,` $scale `,` $zero_point attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def NPU_QuantizeOp : NPU_AffineQuantOp<"quantize"> {
  let summary = "saturate(round_even(input / scale) + zero_point)";
  let description = [{
    ONNX QuantizeLinear. `input` and `scale` have the same float type; the
    result has the zero point's integer type (at most 16 bits) and
    saturates to its unsigned range with `unsigned_result`, else to its
    signed range. Rounding is to nearest, ties to even.
  }];
  let arguments = (ins NPU_FloatTensor:$input, NPU_FloatTensor:$scale,
                       NPU_IntTensor:$zero_point, OptionalAttr<I64Attr>:$axis,
                       UnitAttr:$unsigned_result);
  let results = (outs NPU_IntTensor:$result);
}

def NPU_RequantizeOp : NPU_AffineQuantOp<"requantize"> {
  let summary = "saturate(round_even(float(input) * scale) + zero_point)";
  let description = [{
    The epilogue of integer matmul/conv: a signed integer accumulator
    (typically i32 from npu.matmul_integer) is converted to the float type
    of `scale`, multiplied by it (the combined multiplier, e.g.
    a_scale * b_scale / y_scale) and saturated like npu.quantize.
  }];
  let arguments = (ins NPU_IntTensor:$input, NPU_FloatTensor:$scale,
                       NPU_IntTensor:$zero_point, OptionalAttr<I64Attr>:$axis,
                       UnitAttr:$unsigned_result);
  let results = (outs NPU_IntTensor:$result);
}

def NPU_DequantizeOp : NPU_AffineQuantOp<"dequantize"> {
  let summary = "float(input - zero_point) * scale";
  let description = [{
    ONNX DequantizeLinear. `zero_point` has the input's integer type; the
    difference is taken in at least 32 bits (reading both as unsigned with
    `unsigned_input`), then converted to the float type of `scale`, which
    is the result's element type.
  }];
  let arguments = (ins NPU_IntTensor:$input, NPU_FloatTensor:$scale,
                       NPU_IntTensor:$zero_point, OptionalAttr<I64Attr>:$axis,
                       UnitAttr:$unsigned_input);
  let results = (outs NPU_FloatTensor:$result);
}

//===----------------------------------------------------------------------===//
// Integer matmul and convolution with zero points, accumulating in i32
//===----------------------------------------------------------------------===//

def NPU_MatMulIntegerOp : NPU_Op<"matmul_integer", [Pure,
    InferTypeOpAdaptor]> {
  let summary = "matmul(lhs - lhs_zero_point, rhs - rhs_zero_point) in i32";
  let description = [{
    Shapes follow npu.matmul. Each zero point has its operand's element
    type and broadcasts (numpy rules) to the operand: rank 0 per tensor,
    [M, 1] per row of lhs, [N] per column of rhs, with leading batch dims
    as needed. Operands of at most 16 bits are read as unsigned with
    `unsigned_lhs` / `unsigned_rhs`; differences, products and sums are
    i32 (exact for 8-bit operands while K < 2^15).
  }];
  let arguments = (ins NPU_IntTensor:$lhs, NPU_IntTensor:$rhs,
                       NPU_IntTensor:$lhs_zero_point,
                       NPU_IntTensor:$rhs_zero_point, UnitAttr:$unsigned_lhs,
                       UnitAttr:$unsigned_rhs);
  let results = (outs RankedTensorOf<[I32]>:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs `,` $lhs_zero_point `,` $rhs_zero_point attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def NPU_Conv2DIntegerOp : NPU_Op<"conv2d_integer", [Pure,
    InferTypeOpAdaptor]> {
  let summary = "2-D npu.conv of (input - input_zero_point) and "
                "(weight - weight_zero_point) in i32";
  let description = [{
    Shapes and window attributes follow npu.conv with two spatial dims
    (NCHW input, FCHW weight). Zero points broadcast
    to their operand (rank 0 per tensor, [F, 1, 1, 1] per output channel of
    the weight); padding holds the input zero point, so it adds nothing.
    The optional i32 `bias` [F] is added to the accumulator. Signedness and
    widths as for npu.matmul_integer.
  }];
  let arguments = (ins NPU_IntTensor:$input, NPU_IntTensor:$weight,
                       NPU_IntTensor:$input_zero_point,
                       NPU_IntTensor:$weight_zero_point,
                       Optional<RankedTensorOf<[I32]>>:$bias,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
                       DenseI64ArrayAttr:$dilations,
                       ConfinedAttr<I64Attr, [IntPositive]>:$group,
                       UnitAttr:$unsigned_input, UnitAttr:$unsigned_weight);
  let results = (outs RankedTensorOf<[I32]>:$result);
  let assemblyFormat = [{
    $input `,` $weight `,` $input_zero_point `,` $weight_zero_point
    (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

#endif // NPU_DIALECT_NPU_IR_NPUQUANTOPS_TD
