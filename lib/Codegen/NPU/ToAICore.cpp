//===- ToAICore.cpp - tile kernels to aicore programs ---------------------===//
#include "npu/Codegen/NPU/Passes.h"

#include "MachineProgram.h"
#include "TileAnalysis.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/Transforms/DialectConversion.h"
#include "llvm/ADT/StringSet.h"
#include <map>

namespace npu {
#define GEN_PASS_DEF_TOAICORE
#include "npu/Codegen/NPU/Passes.h.inc"
} // namespace npu

using namespace mlir;
using namespace npu;
using namespace npu::npuk;
using namespace npu::npuk::mc;

static std::string labelName(unsigned l) { return "L" + std::to_string(l); }

/// `.gm` declarations (ascending addresses) of the regions the kernel uses
/// or dumps, and its `.output`s.
static LogicalResult declareGlobals(func::FuncOp f, OpBuilder &b) {
  std::map<std::string, GMOp> byName;
  SmallVector<OutputOp> outputs;
  llvm::StringSet<> dumped;
  f.walk([&](OutputOp out) {
    outputs.push_back(out);
    dumped.insert(out.getName());
  });
  WalkResult r = f.walk([&](Operation *op) {
    auto gm = dyn_cast<GMOp>(op);
    if (!gm || (gm.use_empty() && !dumped.contains(gm.getName())))
      return WalkResult::advance();
    auto [it, fresh] = byName.try_emplace(gm.getName().str(), gm);
    GMOp first = it->second;
    if (!fresh &&
        (first.getAddr() != gm.getAddr() || first.getSize() != gm.getSize() ||
         first.getInit() != gm.getInit())) {
      gm.emitOpError() << "redeclares GM region '" << gm.getName()
                       << "' differently";
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  if (r.wasInterrupted())
    return failure();
  SmallVector<GMOp> regions;
  for (auto &[name, gm] : byName)
    regions.push_back(gm);
  llvm::sort(regions, [](GMOp a, GMOp b) { return a.getAddr() < b.getAddr(); });
  MLIRContext *ctx = b.getContext();
  for (GMOp gm : regions)
    b.create<aicore::GMOp>(
        gm.getLoc(), b.getStringAttr(gm.getName()), gm.getSizeAttr(),
        gm.getAddrAttr(), aicore::GMInitAttr::get(ctx, gm.getInit()),
        gm.getDtypeAttr(), gm.getValueAttr(), gm.getPathAttr());
  for (OutputOp out : outputs) {
    if (!byName.count(out.getName().str()))
      return out.emitOpError() << "names GM region '" << out.getName()
                               << "', which the kernel does not declare";
    b.create<aicore::OutputOp>(
        out.getLoc(), FlatSymbolRefAttr::get(ctx, out.getName()),
        out.getPathAttr(), out.getDtypeAttr(), out.getShapeAttr());
  }
  return success();
}

/// One aicore instruction op from a machine instruction.
static LogicalResult emitInst(const MInst &mi, ArrayRef<unsigned> phys,
                              OpBuilder &b) {
  MLIRContext *ctx = b.getContext();
  OperationState st(mi.loc, aicore::getOpName(mi.opc));
  const isa::OperandSpec *specs =
      isa::formatOperands(isa::opcodeInfo(mi.opc).format);
  for (unsigned i = 0; specs[i].kind != isa::OperandKind::End; ++i) {
    const isa::OperandSpec &s = specs[i];
    const Field &fl = mi.f[i];
    switch (fl.kind) {
    case Field::Addr: {
      auto space = aicore::BufferAttr::get(
          ctx, aicore::Buffer(unsigned(isa::addressBuffer(s.kind))));
      auto type = MemRefType::get({ShapedType::kDynamic}, b.getI8Type(),
                                  MemRefLayoutAttrInterface(), space);
      st.addOperands(
          b.create<aicore::AddrOp>(mi.loc, type, phys[fl.reg], fl.imm)
              .getResult());
      break;
    }
    case Field::Reg:
      st.addAttribute(s.name, b.getI32IntegerAttr(int32_t(phys[fl.reg])));
      break;
    case Field::Imm:
      st.addAttribute(s.name, b.getI64IntegerAttr(fl.imm));
      break;
    case Field::Target:
      st.addAttribute(s.name,
                      FlatSymbolRefAttr::get(ctx, labelName(fl.target)));
      break;
    case Field::FromSource: {
      Attribute a = mi.src ? mi.src->getAttr(s.name) : Attribute();
      if (!a)
        return emitError(mi.loc)
               << "internal error: no value for field '" << s.name << "' of "
               << isa::opcodeInfo(mi.opc).mnemonic;
      st.addAttribute(s.name, a);
      break;
    }
    }
  }
  b.create(st);
  return success();
}

namespace {
struct ToAICorePass : npu::impl::ToAICoreBase<ToAICorePass> {
  void runOnOperation() override {
    SmallVector<func::FuncOp> kernels;
    for (auto f : getOperation().getOps<func::FuncOp>())
      if (isTileKernel(f))
        kernels.push_back(f);
    for (func::FuncOp f : kernels)
      if (failed(lowerOne(f)))
        return signalPassFailure();
  }

  LogicalResult lowerOne(func::FuncOp f) {
    auto cores = f->getAttrOfType<IntegerAttr>(kCoresAttr);
    if (!cores || cores.getInt() < 1 || cores.getInt() > 4096)
      return f.emitOpError()
             << "needs '" << kCoresAttr << "' = the number of cores (1..4096)";
    if (f.getNumArguments() || f.getNumResults())
      return f.emitOpError("is a tile kernel and must take no arguments and "
                           "return nothing (GM is reached through npuk.gm)");
    // scf -> cf; everything else stays for the lowering.
    RewritePatternSet patterns(&getContext());
    populateSCFToControlFlowConversionPatterns(patterns);
    ConversionTarget target(getContext());
    target.addIllegalDialect<scf::SCFDialect>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    if (failed(applyPartialConversion(f, target, std::move(patterns))))
      return failure();
    // Constants live in registers from the start; if that needs more than
    // 31 registers, they are loaded again next to every use.
    FailureOr<Program> prog = failure();
    std::variant<std::vector<unsigned>, AllocFailure> alloc;
    for (bool remat : {false, true}) {
      prog = lowerKernel(f, remat);
      if (failed(prog))
        return failure();
      removeDeadCode(*prog);
      coalesceCopies(*prog);
      alloc = allocateRegisters(*prog);
      if (std::holds_alternative<std::vector<unsigned>>(alloc))
        break;
    }
    if (auto *fail = std::get_if<AllocFailure>(&alloc))
      return emitError(prog->code[fail->inst].loc)
             << "kernel '" << f.getSymName() << "' needs " << fail->live
             << " scalar registers here, more than the 31 the NPU has (x1.."
                "x31; there is no spill memory): split the kernel or keep "
                "fewer index values live";
    return emit(f, *prog, std::get<std::vector<unsigned>>(alloc));
  }

  LogicalResult emit(func::FuncOp f, const Program &prog,
                     ArrayRef<unsigned> phys) {
    OpBuilder b(f);
    auto program = b.create<aicore::ProgramOp>(
        f.getLoc(), f->getAttrOfType<IntegerAttr>(kCoresAttr).getInt());
    program->setAttr("npuk.kernel", f.getSymNameAttr());
    b.setInsertionPointToStart(&program.getBody().emplaceBlock());
    if (failed(declareGlobals(f, b)))
      return failure();
    std::vector<bool> used(prog.numLabels, false);
    for (const MInst &mi : prog.code)
      for (const Field &fl : mi.f)
        if (fl.kind == Field::Target)
          used[fl.target] = true;
    for (const MInst &mi : prog.code) {
      // Self-moves left by the allocator are dropped.
      if (mi.opc == isa::Opcode::MOV && mi.labels.empty() &&
          phys[mi.f[0].reg] == phys[mi.f[1].reg])
        continue;
      for (int l : mi.labels)
        if (used[l])
          b.create<aicore::LabelOp>(mi.loc, b.getStringAttr(labelName(l)));
      if (failed(emitInst(mi, phys, b)))
        return failure();
    }
    f.erase();
    return success();
  }
};
} // namespace
