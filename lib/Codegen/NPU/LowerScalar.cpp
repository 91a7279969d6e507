//===- LowerScalar.cpp - a cf-form tile kernel to NPU instructions --------===//
//
// Design §7.5 steps 1, 2 and 4: blocks become labels and branches, index
// arithmetic becomes scalar instructions, addresses become base register
// plus immediate, and npuk.i.* become instructions field by field.
//===----------------------------------------------------------------------===//
#include "MachineProgram.h"

#include "TileAnalysis.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/IR/Matchers.h"
#include <cstring>

using namespace mlir;
using namespace npu;
using namespace npu::npuk;
using namespace npu::npuk::mc;
using isa::Opcode;

static constexpr int64_t kMaxImm = int64_t(isa::kAddrUnit) << 15; // 1 MiB

static bool fitsSImm32(int64_t v) { return v == int64_t(int32_t(v)); }

static std::optional<int64_t> constantOf(Value v) {
  APInt c;
  if (matchPattern(v, m_ConstantInt(&c)))
    return c.getSExtValue();
  return std::nullopt;
}

llvm::SmallVector<int, 4> MInst::uses() const {
  llvm::SmallVector<int, 4> out;
  const isa::OperandSpec *specs =
      isa::formatOperands(isa::opcodeInfo(opc).format);
  for (unsigned i = 0; specs[i].kind != isa::OperandKind::End; ++i)
    if ((f[i].kind == Field::Reg && std::strcmp(specs[i].name, "d") != 0) ||
        f[i].kind == Field::Addr)
      out.push_back(f[i].reg);
  return out;
}

bool MInst::isJump() const {
  isa::Format fmt = isa::opcodeInfo(opc).format;
  return fmt == isa::Format::Branch || fmt == isa::Format::Jump;
}

bool MInst::isUncond() const { return opc == Opcode::J || opc == Opcode::END; }

namespace {
class Lowering {
public:
  Lowering(func::FuncOp f, bool remat) : f(f), remat(remat) {}
  FailureOr<Program> run();

private:
  func::FuncOp f;
  bool remat;
  Program p;
  std::vector<MInst> prologue; // Hoisted constant loads.
  DenseMap<Value, int> regs;
  DenseMap<int64_t, int> hoisted;
  DenseMap<Block *, unsigned> blockLabel;
  std::vector<int> pendingLabels;
  bool failed = false;

  MInst &emit(Opcode opc, Location loc) {
    p.code.emplace_back(opc, loc);
    MInst &mi = p.code.back();
    mi.labels = std::move(pendingLabels);
    pendingLabels.clear();
    return mi;
  }
  unsigned newLabel() { return p.numLabels++; }
  void place(unsigned label) { pendingLabels.push_back(int(label)); }

  InFlightDiagnostic error(Operation *op) {
    failed = true;
    return op->emitOpError();
  }

  void loadConst(std::vector<MInst> &into, int r, int64_t c, Location loc) {
    into.emplace_back(fitsSImm32(c) ? Opcode::ADDI : Opcode::LI, loc);
    MInst &mi = into.back();
    mi.def = r;
    mi.f[0] = {Field::Reg, r};
    if (fitsSImm32(c)) {
      mi.f[1] = {Field::Reg, kZero};
      mi.f[2] = {Field::Imm, 0, c};
    } else {
      mi.f[1] = {Field::Imm, 0, c};
    }
  }

  /// A register holding `c`: x0 for 0, else loaded next to the use
  /// (rematerialized) or once at the start.
  int constReg(int64_t c, Location loc) {
    if (c == 0)
      return kZero;
    if (!remat) {
      auto [it, fresh] = hoisted.try_emplace(c, 0);
      if (fresh) {
        it->second = p.newReg();
        p.constValue[it->second] = c;
        loadConst(prologue, it->second, c, loc);
      }
      return it->second;
    }
    int r = p.newReg();
    p.constValue[r] = c;
    std::vector<MInst> one;
    loadConst(one, r, c, loc);
    MInst &mi = emit(one[0].opc, loc);
    mi.def = one[0].def;
    mi.f = one[0].f;
    return r;
  }

  int reg(Value v, Operation *user) {
    if (std::optional<int64_t> c = constantOf(v))
      return constReg(*c, user->getLoc());
    auto it = regs.find(v);
    if (it != regs.end())
      return it->second;
    error(user) << "uses a value the scalar unit cannot compute (from '"
                << (v.getDefiningOp()
                        ? v.getDefiningOp()->getName().getStringRef()
                        : StringRef("a block argument"))
                << "')";
    return kZero;
  }

  int define(Value v) {
    int r = p.newReg();
    regs[v] = r;
    return r;
  }

  /// d = a OP b, with an immediate form for a 32-bit constant b.
  void binary(Operation *op, Opcode rr, std::optional<Opcode> ri, Value a,
              Value b) {
    std::optional<int64_t> cb = constantOf(b);
    if (ri && cb && fitsSImm32(*cb)) {
      int ra = reg(a, op);
      MInst &mi = emit(*ri, op->getLoc());
      mi.f[0] = {Field::Reg, mi.def = define(op->getResult(0))};
      mi.f[1] = {Field::Reg, ra};
      mi.f[2] = {Field::Imm, 0, *cb};
      return;
    }
    int ra = reg(a, op), rb = reg(b, op);
    MInst &mi = emit(rr, op->getLoc());
    mi.f[0] = {Field::Reg, mi.def = define(op->getResult(0))};
    mi.f[1] = {Field::Reg, ra};
    mi.f[2] = {Field::Reg, rb};
  }

  void move(int dst, int src, Location loc) {
    MInst &mi = emit(Opcode::MOV, loc);
    mi.f[0] = {Field::Reg, mi.def = dst};
    mi.f[1] = {Field::Reg, src};
  }

  bool nonNegative(Value v) {
    std::optional<IndexRange> r = getIndexRange(v);
    return r && r->lo >= 0;
  }

  void arith(Operation *op);
  void branchTo(Operation *op, Value cond, bool negate, unsigned label);
  void copies(Operation *op, Block *dest, ValueRange args);
  Field address(Operation *op, Value base, Value off);
  void inst(VirtInstOpInterface op);
  void terminator(Operation *op, Block *next);
};
} // namespace

void Lowering::arith(Operation *op) {
  Value a = op->getNumOperands() > 0 ? op->getOperand(0) : Value();
  Value b = op->getNumOperands() > 1 ? op->getOperand(1) : Value();
  std::optional<int64_t> cb = b ? constantOf(b) : std::nullopt;
  if (auto add = dyn_cast<arith::AddIOp>(op)) {
    if (constantOf(a) && !cb)
      std::swap(a, b);
    return binary(op, Opcode::ADD, Opcode::ADDI, a, b);
  }
  if (llvm::isa<arith::SubIOp>(op)) {
    if (cb && fitsSImm32(-*cb)) {
      int ra = reg(a, op);
      MInst &mi = emit(Opcode::ADDI, op->getLoc());
      mi.f[0] = {Field::Reg, mi.def = define(op->getResult(0))};
      mi.f[1] = {Field::Reg, ra};
      mi.f[2] = {Field::Imm, 0, -*cb};
      return;
    }
    return binary(op, Opcode::SUB, std::nullopt, a, b);
  }
  if (llvm::isa<arith::MulIOp>(op)) {
    if (constantOf(a) && !cb)
      std::swap(a, b);
    return binary(op, Opcode::MUL, Opcode::MULI, a, b);
  }
  if (llvm::isa<arith::AndIOp>(op))
    return binary(op, Opcode::AND, Opcode::ANDI, a, b);
  if (llvm::isa<arith::OrIOp>(op))
    return binary(op, Opcode::OR, std::nullopt, a, b);
  if (llvm::isa<arith::ShLIOp, arith::ShRUIOp>(op)) {
    if (!cb || *cb < 0 || *cb > 63)
      return (void)(error(op) << "needs a constant shift in 0..63 (the "
                                 "scalar unit shifts by immediates only)");
    return binary(
        op, llvm::isa<arith::ShLIOp>(op) ? Opcode::SHLI : Opcode::SHRI,
        llvm::isa<arith::ShLIOp>(op) ? Opcode::SHLI : Opcode::SHRI, a, b);
  }
  bool div = llvm::isa<arith::DivUIOp, arith::DivSIOp>(op);
  if (div || llvm::isa<arith::RemUIOp, arith::RemSIOp>(op)) {
    // The scalar unit divides unsigned; signed forms need operands that are
    // provably non-negative.
    if (llvm::isa<arith::DivSIOp, arith::RemSIOp>(op) &&
        !(nonNegative(a) && nonNegative(b)))
      return (void)(error(op) << "has operands not provably non-negative; "
                                 "the scalar unit only divides unsigned "
                                 "(use divui/remui)");
    if (cb && *cb > 0 && llvm::isPowerOf2_64(uint64_t(*cb))) {
      int ra = reg(a, op);
      MInst &mi = emit(div ? Opcode::SHRI : Opcode::ANDI, op->getLoc());
      mi.f[0] = {Field::Reg, mi.def = define(op->getResult(0))};
      mi.f[1] = {Field::Reg, ra};
      mi.f[2] = {Field::Imm, 0,
                 div ? int64_t(llvm::Log2_64(uint64_t(*cb))) : *cb - 1};
      return;
    }
    return binary(op, div ? Opcode::DIVU : Opcode::REMU, std::nullopt, a, b);
  }
  if (llvm::isa<arith::SelectOp, arith::MaxSIOp, arith::MinSIOp>(op)) {
    // d = first; if (cond) skip; d = second.
    Value first = a, second = b, cond;
    int d = define(op->getResult(0));
    unsigned skip = newLabel();
    if (auto sel = dyn_cast<arith::SelectOp>(op)) {
      first = sel.getTrueValue();
      second = sel.getFalseValue();
      move(d, reg(first, op), op->getLoc());
      branchTo(op, sel.getCondition(), false, skip);
    } else {
      move(d, reg(a, op), op->getLoc());
      // max: a >= b keeps a; min: b >= a keeps a.
      bool max = llvm::isa<arith::MaxSIOp>(op);
      MInst &br = emit(Opcode::BGE, op->getLoc());
      br.f[0] = {Field::Reg, reg(max ? a : b, op)};
      br.f[1] = {Field::Reg, reg(max ? b : a, op)};
      br.f[2] = {Field::Target, 0, 0, skip};
    }
    move(d, reg(second, op), op->getLoc());
    place(skip);
    return;
  }
  if (llvm::isa<arith::IndexCastOp, arith::IndexCastUIOp>(op)) {
    regs[op->getResult(0)] = reg(a, op);
    return;
  }
  error(op) << "cannot be lowered to NPU scalar instructions";
}

/// Branches to `label` if `cond` (or its negation) holds.
void Lowering::branchTo(Operation *op, Value cond, bool negate,
                        unsigned label) {
  if (std::optional<int64_t> c = constantOf(cond)) {
    if (bool(*c) != negate) {
      MInst &j = emit(Opcode::J, op->getLoc());
      j.f[0] = {Field::Target, 0, 0, label};
    }
    return;
  }
  auto cmp = cond.getDefiningOp<arith::CmpIOp>();
  if (!cmp)
    return (void)(error(op) << "branches on a condition that is not an "
                               "arith.cmpi");
  Value a = cmp.getLhs(), b = cmp.getRhs();
  using P = arith::CmpIPredicate;
  P pred =
      negate ? arith::invertPredicate(cmp.getPredicate()) : cmp.getPredicate();
  bool unsignedPred =
      pred == P::ult || pred == P::ule || pred == P::ugt || pred == P::uge;
  if (unsignedPred && !(nonNegative(a) && nonNegative(b)))
    return (void)(error(cmp) << "compares values not provably non-negative "
                                "without sign; the scalar unit branches on "
                                "signed comparisons");
  Opcode opc;
  switch (pred) {
  case P::eq:
    opc = Opcode::BEQ;
    break;
  case P::ne:
    opc = Opcode::BNE;
    break;
  case P::slt:
  case P::ult:
    opc = Opcode::BLT;
    break;
  case P::sge:
  case P::uge:
    opc = Opcode::BGE;
    break;
  case P::sgt:
  case P::ugt:
    opc = Opcode::BLT;
    std::swap(a, b);
    break;
  default: // sle, ule
    opc = Opcode::BGE;
    std::swap(a, b);
    break;
  }
  int ra = reg(a, op), rb = reg(b, op);
  MInst &br = emit(opc, op->getLoc());
  br.f[0] = {Field::Reg, ra};
  br.f[1] = {Field::Reg, rb};
  br.f[2] = {Field::Target, 0, 0, label};
}

/// The parallel copy of `args` into the arguments of `dest`, sequentialized
/// (a cycle goes through a temporary).
void Lowering::copies(Operation *op, Block *dest, ValueRange args) {
  SmallVector<std::pair<int, int>> pending; // (dst, src)
  for (auto [arg, v] : llvm::zip_equal(dest->getArguments(), args)) {
    int d = regs.lookup(arg), s = reg(v, op);
    if (d != s)
      pending.push_back({d, s});
  }
  while (!pending.empty()) {
    auto ready = llvm::find_if(pending, [&](auto &c) {
      return llvm::none_of(pending,
                           [&](auto &o) { return o.second == c.first; });
    });
    if (ready != pending.end()) {
      move(ready->first, ready->second, op->getLoc());
      pending.erase(ready);
      continue;
    }
    int t = p.newReg(), d = pending.front().first;
    move(t, d, op->getLoc());
    for (auto &c : pending)
      if (c.second == d)
        c.second = t;
  }
}

/// base[off] as a register plus an immediate below 1 MiB, 32 B aligned.
Field Lowering::address(Operation *op, Value base, Value off) {
  int64_t c = 0;
  Value dyn = off;
  // Peel constant addends into the immediate.
  while (dyn) {
    if (std::optional<int64_t> k = constantOf(dyn)) {
      c += *k;
      dyn = Value();
    } else if (auto add = dyn.getDefiningOp<arith::AddIOp>()) {
      if (std::optional<int64_t> k = constantOf(add.getRhs()))
        c += *k, dyn = add.getLhs();
      else if (std::optional<int64_t> k = constantOf(add.getLhs()))
        c += *k, dyn = add.getRhs();
      else
        break;
    } else {
      break;
    }
  }
  int64_t start;
  if (auto at = base.getDefiningOp<SlotAtOp>())
    start = at.getOffset();
  else if (auto gm = base.getDefiningOp<GMOp>())
    start = gm.getAddr();
  else {
    error(op) << "has an address whose base is not an allocated slot or a GM "
                 "region; run npuk-alloc-onchip first";
    return {};
  }
  int64_t total = start + c;
  auto encodable = [](int64_t imm) {
    return imm >= 0 && imm < kMaxImm && imm % isa::kAddrUnit == 0;
  };
  if (!dyn) {
    if (encodable(total))
      return {Field::Addr, kZero, total};
    // GM bases and far offsets: the aligned high part in a register.
    int64_t lo = total >= 0 ? total % kMaxImm : 0;
    if (!encodable(lo))
      lo = 0;
    return {Field::Addr, constReg(total - lo, op->getLoc()), lo};
  }
  int r = reg(dyn, op);
  if (encodable(total))
    return {Field::Addr, r, total};
  int64_t imm = encodable(c) ? c : 0, add = total - imm;
  int t = p.newReg();
  if (fitsSImm32(add)) {
    MInst &mi = emit(Opcode::ADDI, op->getLoc());
    mi.f[0] = {Field::Reg, mi.def = t};
    mi.f[1] = {Field::Reg, r};
    mi.f[2] = {Field::Imm, 0, add};
  } else {
    int k = constReg(add, op->getLoc());
    MInst &mi = emit(Opcode::ADD, op->getLoc());
    mi.f[0] = {Field::Reg, mi.def = t};
    mi.f[1] = {Field::Reg, r};
    mi.f[2] = {Field::Reg, k};
  }
  return {Field::Addr, t, imm};
}

void Lowering::inst(VirtInstOpInterface op) {
  const isa::OperandSpec *specs =
      isa::formatOperands(isa::opcodeInfo(op.getOpcode()).format);
  std::array<Field, isa::kMaxOperands> fields{};
  unsigned operand = 0;
  int def = -1;
  // Operands first: address and constant loads go before the instruction.
  for (unsigned i = 0; specs[i].kind != isa::OperandKind::End; ++i) {
    if (isa::isAddress(specs[i].kind)) {
      fields[i] =
          address(op, op->getOperand(operand), op->getOperand(operand + 1));
      operand += 2;
    } else if (specs[i].kind == isa::OperandKind::Reg) {
      if (std::strcmp(specs[i].name, "d") == 0)
        continue;
      fields[i] = {Field::Reg, reg(op->getOperand(operand++), op)};
    }
  }
  if (op->getNumResults())
    def = define(op->getResult(0));
  MInst &mi = emit(op.getOpcode(), op->getLoc());
  mi.src = op;
  mi.f = fields;
  if (def >= 0) {
    mi.def = def;
    mi.f[0] = {Field::Reg, def};
  }
}

void Lowering::terminator(Operation *op, Block *next) {
  if (auto br = dyn_cast<cf::BranchOp>(op)) {
    copies(op, br.getDest(), br.getDestOperands());
    if (br.getDest() != next) {
      MInst &j = emit(Opcode::J, op->getLoc());
      j.f[0] = {Field::Target, 0, 0, blockLabel[br.getDest()]};
    }
    return;
  }
  if (auto cbr = dyn_cast<cf::CondBranchOp>(op)) {
    Block *t = cbr.getTrueDest(), *e = cbr.getFalseDest();
    if (cbr.getTrueDestOperands().empty() && t == next &&
        cbr.getFalseDestOperands().empty()) {
      branchTo(op, cbr.getCondition(), /*negate=*/true, blockLabel[e]);
      return;
    }
    // Edges with block arguments get their copies in a trampoline.
    unsigned trueEdge =
        cbr.getTrueDestOperands().empty() ? blockLabel[t] : newLabel();
    branchTo(op, cbr.getCondition(), false, trueEdge);
    copies(op, e, cbr.getFalseDestOperands());
    if (e != next || !cbr.getTrueDestOperands().empty()) {
      MInst &j = emit(Opcode::J, op->getLoc());
      j.f[0] = {Field::Target, 0, 0, blockLabel[e]};
    }
    if (!cbr.getTrueDestOperands().empty()) {
      place(trueEdge);
      copies(op, t, cbr.getTrueDestOperands());
      MInst &j = emit(Opcode::J, op->getLoc());
      j.f[0] = {Field::Target, 0, 0, blockLabel[t]};
    }
    return;
  }
  if (llvm::isa<func::ReturnOp>(op)) {
    emit(Opcode::END, op->getLoc());
    return;
  }
  error(op) << "is not a supported terminator in a tile kernel";
}

FailureOr<Program> Lowering::run() {
  p.constValue.push_back(std::nullopt); // x0
  for (Block &b : f.getBody()) {
    blockLabel[&b] = newLabel();
    for (BlockArgument arg : b.getArguments())
      define(arg);
  }
  for (auto it = f.getBody().begin(); it != f.getBody().end() && !failed;
       ++it) {
    Block &b = *it;
    Block *next =
        std::next(it) == f.getBody().end() ? nullptr : &*std::next(it);
    place(blockLabel[&b]);
    for (Operation &op : b) {
      if (failed)
        break;
      if (op.hasTrait<OpTrait::IsTerminator>())
        terminator(&op, next);
      else if (auto v = dyn_cast<VirtInstOpInterface>(op))
        inst(v);
      else if (llvm::isa<CoreIdOp, CoreNumOp>(op)) {
        MInst &mi =
            emit(llvm::isa<CoreIdOp>(op) ? Opcode::COREID : Opcode::CORENUM,
                 op.getLoc());
        mi.f[0] = {Field::Reg, mi.def = define(op.getResult(0))};
      } else if (llvm::isa<SlotOp>(op)) {
        error(&op) << "is not allocated; run npuk-alloc-onchip first";
      } else if (llvm::isa<arith::ConstantOp, arith::CmpIOp, SlotAtOp, GMOp,
                           OutputOp>(op)) {
        continue; // Folded into their users.
      } else if (op.getDialect() &&
                 op.getDialect()->getNamespace() == "arith") {
        arith(&op);
      } else {
        error(&op) << "cannot be lowered to NPU instructions";
      }
    }
  }
  if (failed)
    return failure();
  p.code.insert(p.code.begin(), prologue.begin(), prologue.end());
  return std::move(p);
}

FailureOr<Program> npu::npuk::mc::lowerKernel(func::FuncOp f,
                                              bool rematerialize) {
  return Lowering(f, rematerialize).run();
}
