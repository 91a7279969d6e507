//===- KernelTestUtil.h - shared harness of the tile kernel tests ---------===//
#ifndef NPU_UNITTESTS_CODEGEN_NPU_KERNELTESTUTIL_H
#define NPU_UNITTESTS_CODEGEN_NPU_KERNELTESTUTIL_H

#include "npu/Codegen/NPU/TileBuilder.h"
#include "npu/InitAll.h"
#include "npu/Simulator/Device.h"
#include "npu/Simulator/Float.h"
#include "npu/Target/Translations.h"

#include "mlir/Pass/PassManager.h"
#include "llvm/Support/MathExtras.h"
#include "gtest/gtest.h"

#include <cstring>
#include <optional>
#include <vector>

namespace npu::npuk::testing {

inline uint16_t toIn(float f, isa::DType t) {
  return t == isa::DType::F16 ? sim::floatToHalf(f) : sim::floatToBf16(f);
}
inline float fromIn(uint16_t v, isa::DType t) {
  return t == isa::DType::F16 ? sim::halfToFloat(v) : sim::bf16ToFloat(v);
}

template <typename T> void put(std::vector<uint8_t> &bytes, size_t i, T v) {
  std::memcpy(bytes.data() + i * sizeof(T), &v, sizeof(T));
}

/// GM regions at consecutive 4 KiB aligned addresses from 4096 on.
struct GMPlanner {
  int64_t at = 4096;
  GMRegion operator()(const char *name, int64_t size) {
    GMRegion r{name, at, size};
    at += int64_t(llvm::alignTo(size, 4096));
    return r;
  }
};

/// A context with every dialect the kernels and the tile passes use.
inline std::unique_ptr<mlir::MLIRContext> makeKernelContext() {
  mlir::DialectRegistry registry;
  npu::registerAllDialects(registry);
  auto ctx = std::make_unique<mlir::MLIRContext>(registry);
  ctx->loadAllAvailableDialects();
  return ctx;
}

/// Runs `build` on a fresh module, the tile passes and the export; a
/// failure is a test failure and nullopt.
inline std::optional<isa::Program>
lowerKernel(mlir::MLIRContext &ctx,
            llvm::function_ref<mlir::LogicalResult(mlir::ModuleOp,
                                                   mlir::Location)>
                build) {
  mlir::Location loc = mlir::UnknownLoc::get(&ctx);
  mlir::OwningOpRef<mlir::ModuleOp> module = mlir::ModuleOp::create(loc);
  mlir::PassManager pm(&ctx);
  buildTileLoweringPipeline(pm);
  if (mlir::failed(build(*module, loc)) || mlir::failed(pm.run(*module))) {
    ADD_FAILURE() << "building or lowering the kernel failed";
    return std::nullopt;
  }
  mlir::FailureOr<isa::Program> prog = aicore::exportProgram(*module);
  if (mlir::failed(prog)) {
    ADD_FAILURE() << "the program does not export";
    return std::nullopt;
  }
  return std::move(*prog);
}

/// A dv-910 device with `gmBytes` of GM; null (and a test failure) if it
/// cannot be made.
inline std::unique_ptr<sim::Device> makeDevice(uint64_t gmBytes,
                                               bool functional) {
  auto cfg = llvm::cantFail(sim::presetConfig("dv-910"));
  sim::SimOptions opts;
  opts.functional = functional;
  auto dev = sim::Device::create(cfg, gmBytes, opts);
  if (!dev) {
    ADD_FAILURE() << llvm::toString(dev.takeError());
    return nullptr;
  }
  return std::move(*dev);
}

inline void writeGM(sim::Device &dev, const GMRegion &r,
                    const std::vector<uint8_t> &bytes) {
  auto gm = llvm::cantFail(dev.gm(r.addr, bytes.size()));
  std::copy(bytes.begin(), bytes.end(), gm.begin());
}

} // namespace npu::npuk::testing

#endif // NPU_UNITTESTS_CODEGEN_NPU_KERNELTESTUTIL_H
