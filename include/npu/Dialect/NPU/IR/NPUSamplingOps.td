// npu image-sampling ops: resize, grid sample, RoI align. Included by
// NPUOps.td; verifiers and the shared resize coefficients are in
// NPUSamplingOps.cpp (see NPUSampling.h).
#ifndef NPU_DIALECT_NPU_IR_NPUSAMPLINGOPS_TD
#define NPU_DIALECT_NPU_IR_NPUSAMPLINGOPS_TD

def NPU_ResizeOp : NPU_Op<"resize", [Pure, SameOperandsAndResultElementType]> {
  let summary = "Resize by interpolation along every axis (ONNX Resize)";
  let description = [{
    Output position `x` of axis `d` maps to the input coordinate given by
    `coordinate_mode` (ONNX coordinate_transformation_mode: half_pixel,
    half_pixel_symmetric, pytorch_half_pixel, align_corners, asymmetric,
    tf_half_pixel_for_nn or tf_crop_and_resize) from `scales[d]` and the
    result size; `roi` (all starts, then all ends, normalized) is used by
    tf_crop_and_resize only, whose out-of-range points take
    `extrapolation_value`. `mode` is nearest (rounded by `nearest_mode`:
    round_prefer_floor, round_prefer_ceil, floor or ceil), linear or cubic
    (Keys kernel with `cubic_coeff_a`). Neighbours beyond the border repeat
    the edge, or get weight 0 with `exclude_outside` (weights renormalized).
    The interpolation is separable; coefficients follow the ONNX reference
    implementation, in double precision.
  }];
  let arguments = (ins NPU_Tensor:$input, StrAttr:$mode,
                       StrAttr:$coordinate_mode,
                       DefaultValuedStrAttr<StrAttr, "round_prefer_floor">:$nearest_mode,
                       DenseF64ArrayAttr:$scales,
                       OptionalAttr<DenseF64ArrayAttr>:$roi,
                       DefaultValuedAttr<F64Attr, "-0.75">:$cubic_coeff_a,
                       UnitAttr:$exclude_outside,
                       DefaultValuedAttr<F64Attr, "0.0">:$extrapolation_value);
  let results = (outs NPU_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def NPU_GridSampleOp : NPU_Op<"grid_sample", [Pure, InferTypeOpAdaptor]> {
  let summary = "Sample an NCHW input at grid points (ONNX GridSample 16)";
  let description = [{
    `grid` is [N, Ho, Wo, 2] holding (x, y) in [-1, 1] (the corner pixels'
    centers with `align_corners`, their outer edges otherwise); the result
    is [N, C, Ho, Wo]. `mode` is bilinear, nearest (ties to even) or
    bicubic (A = -0.75); `padding_mode` is zeros, border or reflection.
    Follows torch.nn.functional.grid_sample.
  }];
  let arguments = (ins NPU_FloatTensor:$input, NPU_FloatTensor:$grid,
                       StrAttr:$mode, StrAttr:$padding_mode,
                       UnitAttr:$align_corners);
  let results = (outs NPU_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $grid attr-dict `:` type($input) `,` type($grid) `->`
    type($result)
  }];
  let hasVerifier = 1;
}

def NPU_RoiAlignOp : NPU_Op<"roi_align", [Pure, InferTypeOpAdaptor]> {
  let summary = "RoI align on NCHW features (ONNX RoiAlign)";
  let description = [{
    `rois` is [R, 4] boxes (x1, y1, x2, y2) in input coordinates before
    `spatial_scale`; `batch_indices` [R] picks the image (clamped into
    range). Each of the `output_height` x `output_width` bins averages (or,
    with mode "max", takes the largest weighted corner of) bilinear samples
    on a `sampling_ratio`^2 grid, or ceil(bin size) per axis when 0.
    `half_pixel` shifts box corners by -0.5; without it boxes are at least
    1 x 1 (ONNX output_half_pixel). Follows ONNX Runtime.
  }];
  let arguments = (ins NPU_FloatTensor:$input, NPU_FloatTensor:$rois,
                       NPU_IndexTensor:$batch_indices, StrAttr:$mode,
                       ConfinedAttr<I64Attr, [IntPositive]>:$output_height,
                       ConfinedAttr<I64Attr, [IntPositive]>:$output_width,
                       ConfinedAttr<I64Attr, [IntNonNegative]>:$sampling_ratio,
                       F64Attr:$spatial_scale, UnitAttr:$half_pixel);
  let results = (outs NPU_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $rois `,` $batch_indices attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

#endif // NPU_DIALECT_NPU_IR_NPUSAMPLINGOPS_TD
