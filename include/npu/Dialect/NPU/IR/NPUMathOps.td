// npu ops beyond the foundation set: more unary math, comparisons, logic,
// select, modulo, products and arg-reductions. Included by NPUOps.td.
#ifndef NPU_DIALECT_NPU_IR_NPUMATHOPS_TD
#define NPU_DIALECT_NPU_IR_NPUMATHOPS_TD

//===----------------------------------------------------------------------===//
// Unary math on floats (one math-dialect op each) and on any element
//===----------------------------------------------------------------------===//

def NPU_FloorOp : NPU_UnaryOp<"floor", NPU_FloatTensor> { let summary = "floor"; }
def NPU_CeilOp : NPU_UnaryOp<"ceil", NPU_FloatTensor> { let summary = "ceil"; }
def NPU_RoundOp : NPU_UnaryOp<"round", NPU_FloatTensor> {
  let summary = "Round to nearest, ties to even (ONNX Round)";
}
def NPU_SinOp : NPU_UnaryOp<"sin", NPU_FloatTensor> { let summary = "sin"; }
def NPU_CosOp : NPU_UnaryOp<"cos", NPU_FloatTensor> { let summary = "cos"; }
def NPU_TanOp : NPU_UnaryOp<"tan", NPU_FloatTensor> { let summary = "tan"; }
def NPU_AsinOp : NPU_UnaryOp<"asin", NPU_FloatTensor> { let summary = "asin"; }
def NPU_AcosOp : NPU_UnaryOp<"acos", NPU_FloatTensor> { let summary = "acos"; }
def NPU_AtanOp : NPU_UnaryOp<"atan", NPU_FloatTensor> { let summary = "atan"; }
def NPU_SinhOp : NPU_UnaryOp<"sinh", NPU_FloatTensor> { let summary = "sinh"; }
def NPU_CoshOp : NPU_UnaryOp<"cosh", NPU_FloatTensor> { let summary = "cosh"; }
def NPU_AsinhOp : NPU_UnaryOp<"asinh", NPU_FloatTensor> { let summary = "asinh"; }
def NPU_AcoshOp : NPU_UnaryOp<"acosh", NPU_FloatTensor> { let summary = "acosh"; }
def NPU_AtanhOp : NPU_UnaryOp<"atanh", NPU_FloatTensor> { let summary = "atanh"; }
def NPU_SignOp : NPU_UnaryOp<"sign"> {
  let summary = "-1, 0 or 1 by the sign of x (integers read as signed)";
}
def NPU_NotOp : NPU_UnaryOp<"not", RankedTensorOf<[NPU_Int]>> {
  let summary = "Bitwise not (logical not on i1)";
}

def NPU_IsNaNOp : NPU_Op<"is_nan", [Pure, SameOperandsAndResultShape]> {
  let summary = "Whether each element is NaN";
  let arguments = (ins NPU_FloatTensor:$input);
  let results = (outs RankedTensorOf<[I1]>:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
}

def NPU_IsInfOp : NPU_Op<"is_inf", [Pure, SameOperandsAndResultShape]> {
  let summary = "Whether each element is an infinity of a selected sign";
  let arguments = (ins NPU_FloatTensor:$input,
                       DefaultValuedAttr<BoolAttr, "true">:$positive,
                       DefaultValuedAttr<BoolAttr, "true">:$negative);
  let results = (outs RankedTensorOf<[I1]>:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
}

//===----------------------------------------------------------------------===//
// Binary: logic, modulo, comparisons, select
//===----------------------------------------------------------------------===//

class NPU_IntBinaryOp<string mnemonic, list<Trait> traits = []>
    : NPU_BinaryOp<mnemonic, traits> {
  let arguments = (ins RankedTensorOf<[NPU_Int]>:$lhs,
                       RankedTensorOf<[NPU_Int]>:$rhs);
}
def NPU_AndOp : NPU_IntBinaryOp<"and", [Commutative]> { let summary = "Bitwise and"; }
def NPU_OrOp : NPU_IntBinaryOp<"or", [Commutative]> { let summary = "Bitwise or"; }
def NPU_XorOp : NPU_IntBinaryOp<"xor", [Commutative]> { let summary = "Bitwise xor"; }

def NPU_BitShiftOp : NPU_BinaryOp<"bit_shift"> {
  let summary = "Bitwise shift of unsigned integers (ONNX BitShift)";
  let description = [{
    Shifts `lhs` left when `left` is set, otherwise right (logically), by
    `rhs` bits; both read as unsigned. A shift by the bit width or more
    gives 0, as numpy does.
  }];
  let arguments = (ins RankedTensorOf<[NPU_Int]>:$lhs,
                       RankedTensorOf<[NPU_Int]>:$rhs, UnitAttr:$left);
}

def NPU_ModOp : NPU_BinaryOp<"mod"> {
  let summary = "Remainder (ONNX Mod)";
  let description = [{
    With `fmod` the result takes the sign of the dividend (C fmod);
    otherwise, for integers, the sign of the divisor (Python %). Floats
    require `fmod`. `unsigned_operands` reads integers as unsigned.
  }];
  let arguments = (ins NPU_Tensor:$lhs, NPU_Tensor:$rhs, UnitAttr:$fmod,
                       UnitAttr:$unsigned_operands);
  let hasVerifier = 1;
}

def NPU_CompareOp : NPU_Op<"compare", [Pure, InferTypeOpAdaptor,
                                       SameOperandsElementType]> {
  let summary = "Elementwise comparison with numpy broadcasting, to i1";
  let description = [{
    `predicate` is one of eq, ne, lt, le, gt, ge. Floats compare ordered
    (NaN compares false except for ne); integers as signed unless
    `unsigned_operands`.
  }];
  let arguments = (ins NPU_Tensor:$lhs, NPU_Tensor:$rhs, StrAttr:$predicate,
                       UnitAttr:$unsigned_operands);
  let results = (outs RankedTensorOf<[I1]>:$result);
  let assemblyFormat = [{
    $predicate `,` $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->`
    type($result)
  }];
  let hasVerifier = 1;
}

def NPU_SelectOp : NPU_Op<"select", [Pure, InferTypeOpAdaptor]> {
  let summary = "cond ? lhs : rhs elementwise, all three broadcasting";
  let arguments = (ins RankedTensorOf<[I1]>:$cond, NPU_Tensor:$lhs,
                       NPU_Tensor:$rhs);
  let results = (outs NPU_Tensor:$result);
  let assemblyFormat = [{
    $cond `,` $lhs `,` $rhs attr-dict `:` type($cond) `,` type($lhs) `,`
    type($rhs) `->` type($result)
  }];
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

def NPU_ReduceProdOp : NPU_ReduceOp<"reduce_prod"> { let summary = "Product"; }

def NPU_ArgMaxOp : NPU_Op<"arg_max", [Pure, InferTypeOpAdaptor]> {
  let summary = "Index (i64) of the largest (or, with `is_min`, smallest) "
                "element along `axis`";
  let description = [{
    Ties resolve to the first index, or the last with `select_last_index`.
    `keepdims` keeps the reduced dimension with size 1. Integers compare
    as signed unless `unsigned_input`.
  }];
  let arguments = (ins NPU_Tensor:$input, I64Attr:$axis, BoolAttr:$keepdims,
                       UnitAttr:$is_min, UnitAttr:$select_last_index,
                       UnitAttr:$unsigned_input);
  let results = (outs RankedTensorOf<[I64]>:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
}

#endif // NPU_DIALECT_NPU_IR_NPUMATHOPS_TD
