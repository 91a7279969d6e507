//===- TileBuilder.cpp - emitting tile IR ---------------------------------===//
#include "npu/Codegen/NPU/TileBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "npu/Codegen/NPU/Passes.h"
#include <cstring>

using namespace mlir;
using namespace npu;
using namespace npu::npuk;

Value TileBuilder::index(int64_t v) {
  return b.create<arith::ConstantIndexOp>(loc, v);
}

Value TileBuilder::add(Value x, Value y) {
  return b.create<arith::AddIOp>(loc, x, y);
}
Value TileBuilder::add(Value x, int64_t c) { return c ? add(x, index(c)) : x; }
Value TileBuilder::mul(Value x, int64_t c) {
  return c == 1 ? x : b.create<arith::MulIOp>(loc, x, index(c)).getResult();
}
Value TileBuilder::divu(Value x, int64_t c) {
  return c == 1 ? x : b.create<arith::DivUIOp>(loc, x, index(c)).getResult();
}
Value TileBuilder::remu(Value x, int64_t c) {
  return b.create<arith::RemUIOp>(loc, x, index(c));
}
Value TileBuilder::lt(Value x, Value y) {
  return b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt, x, y);
}
Value TileBuilder::eq(Value x, int64_t c) {
  return b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, x, index(c));
}

static MemRefType bufferType(MLIRContext *ctx, isa::Buffer buf) {
  auto space = aicore::BufferAttr::get(ctx, aicore::Buffer(unsigned(buf)));
  return MemRefType::get({ShapedType::kDynamic}, IntegerType::get(ctx, 8),
                         MemRefLayoutAttrInterface(), space);
}

SmallVector<Value> TileBuilder::slot(StringRef name, isa::Buffer buf,
                                     int64_t bytes, unsigned copies) {
  MLIRContext *ctx = b.getContext();
  SmallVector<Type> types(copies, bufferType(ctx, buf));
  auto op = b.create<SlotOp>(
      loc, types, b.getStringAttr(name), b.getI64IntegerAttr(bytes),
      b.getI64IntegerAttr(aicore::getBufferAlignment(buf)));
  return SmallVector<Value>(op.getResults());
}

Value TileBuilder::gm(StringRef name, int64_t addr, int64_t size) {
  MLIRContext *ctx = b.getContext();
  return b.create<GMOp>(loc, bufferType(ctx, isa::Buffer::GM),
                        b.getStringAttr(name), b.getI64IntegerAttr(size),
                        b.getI64IntegerAttr(addr),
                        aicore::GMInitAttr::get(ctx, aicore::GMInit::Zero),
                        aicore::DTypeAttr(), FloatAttr(), StringAttr());
}

Value TileBuilder::coreId() {
  return b.create<CoreIdOp>(loc, b.getIndexType());
}
Value TileBuilder::coreNum() {
  return b.create<CoreNumOp>(loc, b.getIndexType());
}

/// The attribute of field `s` holding `f`.
static Attribute fieldAttr(OpBuilder &b, const isa::OperandSpec &s,
                           const TileBuilder::Field &f) {
  MLIRContext *ctx = b.getContext();
  switch (s.kind) {
  case isa::OperandKind::Event:
    return b.getI32IntegerAttr(int32_t(f.value));
  case isa::OperandKind::F32:
    return b.getF32FloatAttr(float(f.f));
  case isa::OperandKind::Pipe:
    return aicore::PipeAttr::get(ctx, aicore::Pipe(f.value));
  case isa::OperandKind::SfxType:
    return aicore::DTypeAttr::get(ctx, aicore::DType(f.value));
  case isa::OperandKind::SfxCmp:
    return aicore::CmpModeAttr::get(ctx, aicore::CmpMode(f.value));
  case isa::OperandKind::SfxInit:
    return aicore::InitModeAttr::get(ctx, aicore::InitMode(f.value));
  case isa::OperandKind::SfxRound:
    return aicore::RoundModeAttr::get(ctx, aicore::RoundMode(f.value));
  default:
    return b.getI64IntegerAttr(f.value);
  }
}

Operation *TileBuilder::inst(isa::Opcode opc, ArrayRef<Addr> addrs,
                             ArrayRef<Value> regs, ArrayRef<Field> fields) {
  std::string name = ("npuk.i." + aicore::getOpName(opc).drop_front(7)).str();
  OperationState st(loc, name);
  const isa::OperandSpec *specs =
      isa::formatOperands(isa::opcodeInfo(opc).format);
  unsigned addr = 0, reg = 0, used = 0;
  for (unsigned i = 0; specs[i].kind != isa::OperandKind::End; ++i) {
    const isa::OperandSpec &s = specs[i];
    if (isa::isAddress(s.kind)) {
      assert(addr < addrs.size() && "missing address operand");
      st.addOperands({addrs[addr].base, addrs[addr].offset});
      ++addr;
    } else if (s.kind == isa::OperandKind::Reg) {
      if (std::strcmp(s.name, "d") == 0) {
        st.addTypes(b.getIndexType());
        continue;
      }
      assert(reg < regs.size() && "missing register operand");
      st.addOperands(regs[reg++]);
    } else {
      const Field *f = llvm::find_if(
          fields, [&](const Field &x) { return x.name == s.name; });
      assert(f != fields.end() && "missing instruction field");
      st.addAttribute(s.name, fieldAttr(b, s, *f));
      ++used;
    }
  }
  assert(addr == addrs.size() && reg == regs.size() && used == fields.size() &&
         "operands the instruction does not have");
  (void)used;
  return b.create(st);
}

void TileBuilder::forLoop(Value lb, Value ub, Value step,
                          function_ref<void(Value)> body) {
  auto loop = b.create<scf::ForOp>(loc, lb, ub, step);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(loop.getBody()->getTerminator());
  body(loop.getInductionVar());
}

void TileBuilder::mmad(Addr dst, Addr a, Addr b, std::optional<Addr> bias,
                       isa::DType type, int64_t m, int64_t n, int64_t k,
                       bool first) {
  Field t{"type", int64_t(type)}, fm{"m", m}, fn{"n", n}, fk{"k", k};
  if (first && bias)
    inst(isa::Opcode::MMAD_BIAS, {dst, a, b, *bias}, {}, {t, fm, fn, fk});
  else
    inst(isa::Opcode::MMAD, {dst, a, b}, {},
         {t, Field{"init", first ? 0 : 1}, fm, fn, fk});
}

void TileBuilder::mmadAs(Init init, Value iter, function_ref<void(bool)> mmad) {
  if (init != Init::FirstOfLoop)
    return mmad(init == Init::Zero);
  ifThen(
      eq(iter, 0), [&] { mmad(true); }, [&] { mmad(false); });
}

void TileBuilder::copyFzSlice(Addr dst, Addr src, int64_t kf, int64_t nf,
                              int64_t nfAll) {
  inst(isa::Opcode::COPY_GM_L1, {dst, src}, {},
       {Field{"nburst", kf}, Field{"burstlen", nf * 16},
        Field{"srcstride", nfAll * 16}, Field{"dststride", nf * 16}});
}

void TileBuilder::loadFractalsB(Addr dst, Addr src, int64_t count) {
  for (int64_t f = 0; f < count; f += 255)
    inst(isa::Opcode::LOAD2D_B,
         {{dst.base, add(dst.offset, f * 512)},
          {src.base, add(src.offset, f * 512)}},
         {},
         {Field{"repeat", std::min<int64_t>(255, count - f)},
          Field{"srcstride", 1}, Field{"dststride", 1}, Field{"transpose", 0}});
}

void TileBuilder::ifThen(Value cond, function_ref<void()> then,
                         function_ref<void()> otherwise) {
  auto op = b.create<scf::IfOp>(loc, cond, /*withElseRegion=*/bool(otherwise));
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(op.thenBlock()->getTerminator());
  then();
  if (otherwise) {
    b.setInsertionPoint(op.elseBlock()->getTerminator());
    otherwise();
  }
}

void TileBuilder::forEachBlock(Value blocks, unsigned copies,
                               function_ref<void(Value, unsigned)> body) {
  Value id = coreId(), num = coreNum();
  forLoop(id, blocks, mul(num, copies), [&](Value blk) {
    body(blk, 0);
    for (unsigned i = 1; i < copies; ++i) {
      Value next = add(blk, i == 1 ? num : mul(num, i));
      ifThen(lt(next, blocks), [&] { body(next, i); });
    }
  });
}

void npu::npuk::buildTileLoweringPipeline(OpPassManager &pm, StringRef config) {
  AllocOnChipOptions alloc;
  alloc.config = config.str();
  InsertSyncOptions sync;
  sync.config = config.str();
  VerifySyncOptions verify;
  verify.config = config.str();
  OpPassManager &fn = pm.nest<func::FuncOp>();
  fn.addPass(createAllocOnChip(alloc));
  fn.addPass(createInsertSync(sync));
  fn.addPass(createVerifySync(verify));
  pm.addPass(createToAICore());
}

std::string npu::npuk::gmRegionError(const GMRegion &r, int64_t need) {
  if (r.addr <= 0 || r.addr % 4096)
    return "GM region '" + r.name + "' needs a positive 4 KiB aligned address";
  if (r.size < need)
    return "GM region '" + r.name + "' has " + std::to_string(r.size) +
           " bytes, the kernel touches " + std::to_string(need);
  return "";
}

std::string npu::npuk::gmOverlapError(const GMRegion &a, const GMRegion &b) {
  if (a.addr < b.addr + b.size && b.addr < a.addr + a.size)
    return "GM regions '" + a.name + "' and '" + b.name + "' overlap";
  return "";
}

void npu::npuk::emitPrefetch(TileBuilder &tb, ArrayRef<GMRegion> regions,
                             unsigned cores) {
  using isa::Opcode;
  constexpr int64_t kMaxBurst = 65535; // burstlen field: 32 B blocks.
  for (auto [i, r] : llvm::enumerate(regions)) {
    int64_t blocks = llvm::divideCeil(r.size, 32);
    if (blocks == 0)
      continue;
    Value g = tb.gm("pf" + std::to_string(i), r.addr, blocks * 32);
    int64_t per = llvm::divideCeil(blocks, int64_t(std::max(1u, cores)));
    int64_t full = blocks / per, tail = blocks - full * per;
    // `n` blocks from byte offset `off`: whole bursts, then the rest.
    auto issue = [&](Value off, int64_t n) {
      auto one = [&](Value at, int64_t nburst, int64_t len) {
        tb.inst(Opcode::PREFETCH, {{g, at}}, {},
                {TileBuilder::Field{"nburst", nburst},
                 TileBuilder::Field{"burstlen", len},
                 TileBuilder::Field{"srcstride", len}});
      };
      int64_t whole = n / kMaxBurst, rest = n % kMaxBurst;
      for (int64_t b = 0; b < whole; b += 4095)
        one(tb.add(off, b * kMaxBurst * 32), std::min<int64_t>(4095, whole - b),
            kMaxBurst);
      if (rest)
        one(tb.add(off, whole * kMaxBurst * 32), 1, rest);
    };
    Value core = tb.coreId();
    tb.ifThen(tb.lt(core, tb.index(full)),
              [&] { issue(tb.mul(core, per * 32), per); });
    if (tail)
      tb.ifThen(tb.eq(core, full),
                [&] { issue(tb.index(full * per * 32), tail); });
  }
}
