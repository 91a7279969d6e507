// Physical-level npuk: the NPU data layouts and the npuk.convert op.
#ifndef NPU_DIALECT_NPUK_IR_NPUKLAYOUTOPS_TD
#define NPU_DIALECT_NPUK_IR_NPUKLAYOUTOPS_TD

include "npu/Dialect/NPUK/IR/NPUKBase.td"
include "mlir/IR/EnumAttr.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def NPUK_LayoutND : I32EnumAttrCase<"nd", 0>;
def NPUK_LayoutNCHW : I32EnumAttrCase<"nchw", 1>;
def NPUK_LayoutNC1HWC0 : I32EnumAttrCase<"nc1hwc0", 2>;
def NPUK_LayoutFZ : I32EnumAttrCase<"fz", 3>;
def NPUK_LayoutFNZ : I32EnumAttrCase<"fnz", 4>;
def NPUK_Layout : I32EnumAttr<"Layout", "a tensor's layout in memory",
    [NPUK_LayoutND, NPUK_LayoutNCHW, NPUK_LayoutNC1HWC0, NPUK_LayoutFZ,
     NPUK_LayoutFNZ]> {
  let cppNamespace = "::npu::npuk";
  let genSpecializedAttr = 0;
}

// `#npuk.layout<nc1hwc0>`.
def NPUK_LayoutAttr : EnumAttr<NPUK_Dialect, NPUK_Layout, "layout"> {
  let assemblyFormat = "`<` $value `>`";
}

def NPUK_ConvertOp : NPUK_Op<"convert", [Pure]> {
  let summary = "Change a tensor's layout, element type and scale";
  let description = [{
    `result = input * 2^-scale_exp`, re-laid out from `from` to `to` and
    rounded to the result element type (round to nearest even). To store a
    real tensor with exponent e (stored = real * 2^-e) use `scale_exp = e`;
    to read it back use `-e`. Element types: f32, f16, bf16; f16 <-> bf16
    goes through f32. The scale is applied in f32; |scale_exp| <= 64.

    `nd` and `nchw` are logical (row-major; `nchw` is rank 4). The physical
    layouts have C0 = 16 lanes for every element type (f32 included, as the
    FIX unit's NZ output and the lane-preserving `vconv` require), and
    their pad lanes are +0. A convert goes logical -> physical, physical ->
    logical, or keeps the layout (a type or scale change only). Physical ->
    logical names the tensor's own logical shape, never a slice of it: the
    canonicalizer cancels physical -> logical -> physical pairs, relying on
    the pad lanes being +0.

    | layout | logical | physical | element (logical index -> physical) |
    |---|---|---|---|
    | nc1hwc0 | [N][C][H][W] | [N][C1][H][W][16] | (n,c,h,w) -> (n, c/16, h, w, c%16) |
    | fz | [O][I][KH][KW] | [KF][NF][16][16] | (o,i,y,x) -> (((i/16)*KH+y)*KW+x, o/16, o%16, i%16) |
    | fnz | [K][N] | [KF][NF][16][16] | (k,n) -> (k/16, n/16, n%16, k%16) |

    with C1 = ceil(C/16), NF = ceil(O/16) (or ceil(N/16)), KF = C1*KH*KW
    for fz and ceil(K/16) for fnz. Why these orders (docs/isa.md):
    - nc1hwc0 is the `load3d` source map `[c1][h][w][C0]` and the L0C/FIX
      NZ output `[n/16][Mp][16]` of a pixel band (`fix ... nz2nd=0`).
    - fz/fnz are the L0B layout of the cube's B operand (`mmad`): fractal
      (j, l) of a K x N matrix at `(j*NF + l)*512` bytes, n-major inside,
      element (k, n) at `(n%16)*16 + k%16`. So one `load2d l0b` without
      transpose (rep = fractals) copies a K-range of a GM tile unchanged.
      For fz, K is ordered as `load3d`'s img2col columns,
      `k = ((c1*kh + ky)*kw + kx)*C0 + c0`; for fnz, K is the matmul's
      input features. This is the order `nd2nz` makes from an N x K
      row-major matrix (bench/npu/conv_load3d_f16.s) and the grouped conv's
      block-diagonal weight is expanded before converting.

    Folds: a convert that changes nothing; an inverse pair that rounds
    nothing (npuk::isExactRoundTrip); a convert of a constant (to a new
    constant of the same dialect, npuk::convertConstant, bit-identical to
    the CPU lowering, which rounds bf16 in integer ops so no host
    instruction flushes subnormals).

    Example:
    ```mlir
    %y = npuk.convert %x <nchw> -> <nc1hwc0> scale 4
        : tensor<1x3x8x8xf32> -> tensor<1x1x8x8x16xf16>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, NPUK_LayoutAttr:$from,
                       NPUK_LayoutAttr:$to,
                       DefaultValuedAttr<I32Attr, "0">:$scale_exp);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $input $from `->` $to (`scale` $scale_exp^)? attr-dict `:` type($input)
    `->` type($result)
  }];
  let extraClassDeclaration = [{
    /// scale_exp as a signed value (I32Attr's accessor is unsigned).
    int32_t getScale() { return static_cast<int32_t>(getScaleExp()); }
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

#endif // NPU_DIALECT_NPUK_IR_NPUKLAYOUTOPS_TD
