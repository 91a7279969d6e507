//===- Report.cpp - the NPU backend's compile report ----------------------===//
#include "npu/Codegen/NPU/Report.h"

#include "npu/Codegen/NPU/Placement.h"
#include "npu/Dialect/NPU/IR/ONNXLocation.h"
#include "npu/Dialect/NPUK/IR/NPUKOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/MapVector.h"

using namespace mlir;
using namespace npu;
namespace json = llvm::json;

namespace {
/// What the report says about one ONNX node.
struct NodeInfo {
  SmallVector<std::string> kernels;
  std::string placement, code, text;
};
} // namespace

static std::string typeString(Type t) {
  std::string s;
  llvm::raw_string_ostream os(s);
  t.print(os);
  return s;
}

/// The [offset, bytes] npuk-plan-gm gave `v`, if any.
static ArrayAttr regionOf(Value v) {
  if (auto arg = dyn_cast<BlockArgument>(v)) {
    auto fn = dyn_cast<func::FuncOp>(arg.getOwner()->getParentOp());
    return fn ? fn.getArgAttrOfType<ArrayAttr>(arg.getArgNumber(), kGMAttr)
              : nullptr;
  }
  auto all = v.getDefiningOp()->getAttrOfType<ArrayAttr>(kGMAttr);
  if (!all)
    return nullptr;
  if (v.getDefiningOp()->hasTrait<OpTrait::ConstantLike>())
    return all;
  unsigned i = cast<OpResult>(v).getResultNumber();
  return i < all.size() ? dyn_cast<ArrayAttr>(all[i]) : nullptr;
}

static json::Array tensorList(ValueRange values) {
  json::Array list;
  for (Value v : values) {
    json::Object o{{"type", typeString(v.getType())}};
    if (ArrayAttr region = regionOf(v); region && region.size() == 2)
      o["gm"] = json::Array{cast<IntegerAttr>(region[0]).getInt(),
                            cast<IntegerAttr>(region[1]).getInt()};
    list.push_back(std::move(o));
  }
  return list;
}

json::Object npu::buildReport(ModuleOp module, StringRef entry) {
  auto mainFn = module.lookupSymbol<func::FuncOp>(entry);
  llvm::StringMap<NodeInfo> info;
  json::Array kernels;
  unsigned cpuParts = 0, npuKernels = 0;
  if (mainFn) {
    for (Operation &op : mainFn.getBody().front()) {
      auto callee = op.getAttrOfType<FlatSymbolRefAttr>("callee");
      Operation *fn = callee ? module.lookupSymbol(callee) : nullptr;
      if (!fn || !llvm::isa<npuk::CallCPUOp, npuk::LaunchOp>(op))
        continue;
      StringRef kind = "cpu";
      ArrayAttr nodeList;
      if (auto dk = dyn_cast<npuk::DeviceKernelOp>(fn)) {
        kind = npuk::stringifyKernelKind(dk.getKind());
        nodeList = dk.getNodes();
      } else {
        if (auto k = fn->getAttrOfType<StringAttr>(kKindAttr))
          kind = k.getValue();
        nodeList = fn->getAttrOfType<ArrayAttr>(kNodesAttr);
      }
      StringRef fnName = SymbolTable::getSymbolName(fn).getValue();
      (kind == "cpu" ? cpuParts : npuKernels)++;
      json::Array nodes;
      if (nodeList)
        for (Attribute n : nodeList)
          nodes.push_back(cast<StringAttr>(n).getValue());
      json::Object k{{"name", fnName},
                     {"kind", kind},
                     {"nodes", std::move(nodes)},
                     {"inputs", tensorList(op.getOperands())},
                     {"outputs", tensorList(op.getResults())}};
      if (auto launch = dyn_cast<npuk::LaunchOp>(op))
        k["cores"] = (int64_t)launch.getCores();
      if (auto log = fn->getAttrOfType<ArrayAttr>(kFusionLogAttr)) {
        json::Array entries;
        for (Attribute a : log) {
          json::Object e;
          for (NamedAttribute f : cast<DictionaryAttr>(a))
            if (auto str = dyn_cast<StringAttr>(f.getValue()))
              e[f.getName().getValue()] = str.getValue();
          entries.push_back(std::move(e));
        }
        k["fusion_log"] = std::move(entries);
      }
      // The tile plan npuk-lower-kernels chose (sizes, estimate, timing).
      if (auto plan = fn->getAttrOfType<DictionaryAttr>(kPlanAttr)) {
        json::Object p;
        for (NamedAttribute a : plan) {
          StringRef key = a.getName().getValue();
          if (auto b = dyn_cast<BoolAttr>(a.getValue()))
            p[key] = b.getValue();
          else if (auto i = dyn_cast<IntegerAttr>(a.getValue()))
            p[key] = i.getInt();
          else if (auto str = dyn_cast<StringAttr>(a.getValue()))
            p[key] = str.getValue();
        }
        k["plan"] = std::move(p);
      }
      kernels.push_back(std::move(k));
      // Device kernels keep their node list only; their ops are machine
      // code by now.
      if (auto dk = dyn_cast<npuk::DeviceKernelOp>(fn)) {
        auto reasons = dk->getAttrOfType<ArrayAttr>(kReasonsAttr);
        for (Attribute n : dk.getNodes()) {
          StringRef name = cast<StringAttr>(n).getValue();
          NodeInfo &entry = info[name];
          if (!llvm::is_contained(entry.kernels, fnName))
            entry.kernels.push_back(fnName.str());
          if (!entry.code.empty())
            continue;
          entry.placement = "npu";
          entry.code = "npu.kernel";
          entry.text = "runs in this NPU kernel";
          if (!reasons)
            continue;
          for (Attribute r : reasons) {
            auto d = cast<DictionaryAttr>(r);
            if (d.getAs<StringAttr>("node").getValue() != name)
              continue;
            entry.code = d.getAs<StringAttr>("code").getValue().str();
            entry.text = d.getAs<StringAttr>("text").getValue().str();
          }
        }
        continue;
      }
      fn->walk([&](Operation *inner) {
        // Nodes fused into an anchor keep their own reasons.
        if (auto fusedNodes = inner->getAttrOfType<ArrayAttr>(kFusedAttr))
          for (Attribute a : fusedNodes) {
            auto d = cast<DictionaryAttr>(a);
            NodeInfo &n = info[d.getAs<StringAttr>("node").getValue()];
            if (!llvm::is_contained(n.kernels, fnName))
              n.kernels.push_back(fnName.str());
            if (n.code.empty()) {
              n.placement = "npu";
              n.code = d.getAs<StringAttr>("code").getValue().str();
              n.text = d.getAs<StringAttr>("text").getValue().str();
            }
          }
        StringRef node = onnxNodeName(inner->getLoc());
        if (node.empty())
          return;
        NodeInfo &n = info[node];
        if (!llvm::is_contained(n.kernels, fnName))
          n.kernels.push_back(fnName.str());
        if (!n.code.empty())
          return;
        if (std::optional<Placement> p = getPlacement(inner)) {
          n.placement = p->onNPU ? "npu" : "cpu";
          n.code = p->code.str();
          n.text = p->text.str();
        }
      });
    }
  }

  json::Array nodes;
  unsigned folded = 0;
  if (auto list = module->getAttrOfType<ArrayAttr>(kONNXNodesAttrName)) {
    for (Attribute a : list) {
      auto pair = dyn_cast<ArrayAttr>(a);
      if (!pair || pair.size() != 2)
        continue;
      StringRef name = cast<StringAttr>(pair[0]).getValue();
      json::Object o{{"name", name},
                     {"op", cast<StringAttr>(pair[1]).getValue()}};
      auto it = info.find(name);
      if (it == info.end()) {
        ++folded;
        o["placement"] = "none";
        o["reason"] = json::Object{
            {"code", "folded.import"},
            {"text", "computed or removed at import time (constants, "
                     "shapes, identities)"}};
      } else {
        NodeInfo &n = it->second;
        if (n.code.empty()) {
          n.placement = "cpu";
          n.code = "constant.inlined";
          n.text = "a constant compiled into the CPU part that uses it";
        }
        o["placement"] = n.placement;
        o["kernel"] = n.kernels.front();
        if (n.kernels.size() > 1)
          o["also_in"] = json::Array(llvm::ArrayRef(n.kernels).drop_front());
        o["reason"] = json::Object{{"code", n.code}, {"text", n.text}};
      }
      nodes.push_back(std::move(o));
    }
  }
  json::Object report{{"schema", "npu-report/1"},
                      {"nodes", std::move(nodes)},
                      {"kernels", std::move(kernels)},
                      {"summary", json::Object{{"npu_kernels", npuKernels},
                                               {"cpu_parts", cpuParts},
                                               {"folded_nodes", folded}}}};
  if (auto bytes = module->getAttrOfType<IntegerAttr>(kGMBytesAttr))
    report["gm_plan"] = json::Object{{"bytes", bytes.getInt()}};
  return report;
}
