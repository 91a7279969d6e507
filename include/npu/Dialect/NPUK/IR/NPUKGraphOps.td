// Graph and schedule level npuk ops: kernel groups and the host schedule.
#ifndef NPU_DIALECT_NPUK_IR_NPUKGRAPHOPS_TD
#define NPU_DIALECT_NPUK_IR_NPUKGRAPHOPS_TD

include "npu/Dialect/NPUK/IR/NPUKBase.td"
include "mlir/IR/EnumAttr.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def NPUK_KindCube : I32EnumAttrCase<"cube", 0>;
def NPUK_KindVector : I32EnumAttrCase<"vector", 1>;
def NPUK_KindCPU : I32EnumAttrCase<"cpu", 2>;
def NPUK_KernelKind : I32EnumAttr<"KernelKind", "where a kernel runs",
    [NPUK_KindCube, NPUK_KindVector, NPUK_KindCPU]> {
  let cppNamespace = "::npu::npuk";
}

def NPUK_KernelOp : NPUK_Op<"kernel", [IsolatedFromAbove]> {
  let summary = "A group of npu ops that runs as one kernel or CPU part";
  let description = [{
    The body computes the results from the block arguments, which are the
    operands. `kind` says where it runs: `cube` or `vector` kernels on the
    NPU, `cpu` on the host through the CPU backend. `nodes` lists the ONNX
    nodes it implements, in order, for reports and statistics.

    ```mlir
    %r = npuk.kernel "cpu000" cpu nodes ["relu0"] (%x) : (tensor<4xf32>) -> tensor<4xf32> {
    ^bb0(%a: tensor<4xf32>):
      %0 = npu.relu %a : tensor<4xf32>
      npuk.yield %0 : tensor<4xf32>
    }
    ```
  }];
  let arguments = (ins StrAttr:$sym_name, NPUK_KernelKind:$kind,
                       StrArrayAttr:$nodes, Variadic<AnyType>:$inputs);
  let results = (outs Variadic<AnyType>:$results);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    $sym_name $kind `nodes` $nodes `(` $inputs `)` attr-dict `:`
    functional-type($inputs, $results) $body
  }];
  let hasVerifier = 1;
}

def NPUK_YieldOp : NPUK_Op<"yield", [Pure, Terminator,
    HasParent<"KernelOp">]> {
  let summary = "Results of an npuk.kernel";
  let arguments = (ins Variadic<AnyType>:$values);
  let assemblyFormat = "($values^ `:` type($values))? attr-dict";
}

class NPUK_CallBase<string mnemonic, list<Trait> traits = []>
    : NPUK_Op<mnemonic, !listconcat(traits,
        [DeclareOpInterfaceMethods<SymbolUserOpInterface>])> {
  let results = (outs Variadic<AnyType>:$results);
  let extraClassDeclaration = [{
    mlir::FunctionType getCalleeType() {
      return mlir::FunctionType::get(getContext(), getOperands().getTypes(),
                                     getResultTypes());
    }
  }];
}

def NPUK_CallCPUOp : NPUK_CallBase<"call_cpu"> {
  let summary = "Host schedule: run a CPU part";
  let description = [{
    Calls the outlined CPU part `@callee` (a `func.func` in the same module)
    on the host. In the artifact, the part reads its operands and writes its
    results in simulated global memory.
  }];
  let arguments = (ins FlatSymbolRefAttr:$callee, Variadic<AnyType>:$args);
  let assemblyFormat = [{
    $callee `(` $args `)` attr-dict `:` functional-type($args, $results)
  }];
}

def NPUK_LaunchOp : NPUK_CallBase<"launch"> {
  let summary = "Host schedule: launch an NPU kernel on `cores` cores";
  let description = [{
    The callee is the kernel as a `func.func` on tensors (before lowering)
    or an `npuk.device_kernel` (after), with the call's type.
  }];
  let arguments = (ins FlatSymbolRefAttr:$callee, Variadic<AnyType>:$args,
                       ConfinedAttr<I32Attr, [IntPositive]>:$cores);
  let assemblyFormat = [{
    $callee `(` $args `)` `cores` `(` $cores `)` attr-dict `:`
    functional-type($args, $results)
  }];
}

def NPUK_DeviceKernelOp : NPUK_Op<"device_kernel", [Symbol,
    IsolatedFromAbove, SingleBlock, NoTerminator]> {
  let summary = "An NPU kernel lowered to machine code";
  let description = [{
    The final form of an NPU kernel: one `aicore.program` whose `aicore.gm`
    buffers sit at the addresses of the host schedule's global-memory plan.
    `function_type` is the tensor signature `npuk.launch` calls it with;
    `kind` and `nodes` are as on `npuk.kernel`.

    ```mlir
    npuk.device_kernel @k000 cube nodes ["/fc/Gemm"] : (tensor<1x64xf16>) -> tensor<1x64xf16> {
      aicore.program cores(1) { ... }
    }
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name,
                       TypeAttrOf<FunctionType>:$function_type,
                       NPUK_KernelKind:$kind, StrArrayAttr:$nodes);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    $sym_name $kind `nodes` $nodes `:` $function_type attr-dict-with-keyword
    $body
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The aicore.program of the body.
    mlir::Operation *getProgram() {
      return getBody().front().empty() ? nullptr : &getBody().front().front();
    }
  }];
}

#endif // NPU_DIALECT_NPUK_IR_NPUKGRAPHOPS_TD
