//===- NPUKTileOps.cpp - tile-level npuk ops
//--------------------------------===//
#include "npu/Dialect/NPUK/IR/NPUKOps.h"

using namespace mlir;
using namespace npu::npuk;
