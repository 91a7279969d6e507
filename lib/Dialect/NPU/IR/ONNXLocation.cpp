//===- ONNXLocation.cpp - ONNX node names in op locations -----------------===//
#include "npu/Dialect/NPU/IR/ONNXLocation.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;

StringRef npu::onnxNodeName(Location loc) {
  if (auto name = dyn_cast<NameLoc>(loc))
    return name.getName().getValue();
  if (auto fused = dyn_cast<FusedLoc>(loc)) {
    for (Location l : fused.getLocations()) {
      StringRef n = onnxNodeName(l);
      if (!n.empty())
        return n;
    }
  }
  if (auto cs = dyn_cast<CallSiteLoc>(loc))
    return onnxNodeName(cs.getCallee());
  return "";
}

StringRef npu::onnxOpType(Location loc) {
  if (auto fused = dyn_cast<FusedLoc>(loc))
    if (auto type = dyn_cast_or_null<StringAttr>(fused.getMetadata()))
      return type.getValue();
  if (auto cs = dyn_cast<CallSiteLoc>(loc))
    return onnxOpType(cs.getCallee());
  return "";
}

void npu::collectONNXNodeNames(Location loc, SmallVectorImpl<StringRef> &names) {
  if (auto fused = dyn_cast<FusedLoc>(loc)) {
    for (Location l : fused.getLocations())
      collectONNXNodeNames(l, names);
    return;
  }
  StringRef name = onnxNodeName(loc);
  if (!name.empty() && !llvm::is_contained(names, name))
    names.push_back(name);
}
