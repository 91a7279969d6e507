//===- TraceTest.cpp - Structure of the trace and stats JSON --------------===//
#include "SimTestUtil.h"
#include "llvm/Support/JSON.h"
#include <map>
#include <set>

using namespace npu;
using namespace npu::sim;
using namespace npu::sim::test;
namespace json = llvm::json;

TEST(Trace, ChromeTraceJsonHasOneLanePerPipePerCore) {
  SimOptions o;
  o.recordTrace = true;
  o.cores = 2;
  isa::AsmOptions asmOpts;
  asmOpts.defines = {{"M", 256}, {"N", 256}, {"K", 128}};
  auto sim = makeSim(readKernel("gemm_f16.s"), o, dv910(), asmOpts);
  ASSERT_TRUE(sim);
  auto res = sim->run();
  ASSERT_TRUE(bool(res)) << toString(res.takeError());
  std::string text;
  llvm::raw_string_ostream os(text);
  writeTraceJSON(os, *res, sim->trace(), sim->program(), sim->config());
  llvm::Expected<json::Value> v = json::parse(text);
  ASSERT_TRUE(bool(v)) << toString(v.takeError());
  const json::Object *root = v->getAsObject();
  ASSERT_TRUE(root);
  const json::Array *events = root->getArray("traceEvents");
  ASSERT_TRUE(events);
  std::set<int64_t> processes;
  std::map<std::pair<int64_t, int64_t>, std::string> lanes;
  std::map<std::pair<int64_t, int64_t>, std::vector<std::pair<double, double>>>
      spans;
  size_t complete = 0;
  for (const json::Value &ev : *events) {
    const json::Object *e = ev.getAsObject();
    ASSERT_TRUE(e);
    std::optional<llvm::StringRef> ph = e->getString("ph");
    ASSERT_TRUE(ph);
    std::optional<int64_t> pid = e->getInteger("pid");
    ASSERT_TRUE(pid);
    if (*ph == "M") {
      const json::Object *args = e->getObject("args");
      ASSERT_TRUE(args && args->getString("name"));
      if (e->getString("name") == llvm::StringRef("process_name"))
        processes.insert(*pid);
      else
        lanes[{*pid, *e->getInteger("tid")}] = args->getString("name")->str();
      continue;
    }
    ASSERT_EQ(*ph, "X");
    ++complete;
    ASSERT_TRUE(e->getString("name"));
    std::optional<int64_t> tid = e->getInteger("tid");
    std::optional<double> ts = e->getNumber("ts"), dur = e->getNumber("dur");
    ASSERT_TRUE(tid && ts && dur);
    EXPECT_GE(*ts, 0);
    EXPECT_GE(*dur, 0);
    EXPECT_TRUE(lanes.count({*pid, *tid})) << "event on an unnamed lane";
    spans[{*pid, *tid}].push_back({*ts, *ts + *dur});
    const json::Object *args = e->getObject("args");
    ASSERT_TRUE(args && args->getString("asm") && args->getInteger("pc"));
  }
  EXPECT_EQ(processes, (std::set<int64_t>{0, 1}));
  EXPECT_EQ(lanes.size(), 2u * 6u);
  EXPECT_EQ(lanes[std::make_pair(int64_t(1), int64_t(isa::Pipe::M))], "M");
  EXPECT_EQ(complete, sim->trace().size());
  EXPECT_GT(complete, 20u);
  // A pipe runs one instruction at a time: spans in a lane never overlap.
  for (auto &[lane, s] : spans) {
    std::sort(s.begin(), s.end());
    for (size_t i = 1; i < s.size(); ++i)
      EXPECT_LE(s[i - 1].second, s[i].first + 1e-9);
  }
  EXPECT_EQ(*root->getObject("otherData")->getInteger("total_cycles"),
            int64_t(res->totalCycles));
}

TEST(Trace, StatsJsonHasPerCorePerPipeUtilization) {
  auto sim = makeSim(readKernel("elementwise_f16.s"));
  ASSERT_TRUE(sim);
  auto res = sim->run();
  ASSERT_TRUE(bool(res));
  std::string text;
  llvm::raw_string_ostream os(text);
  writeStatsJSON(os, *res, sim->config(), SimOptions());
  llvm::Expected<json::Value> v = json::parse(text);
  ASSERT_TRUE(bool(v)) << toString(v.takeError());
  const json::Object *root = v->getAsObject();
  EXPECT_EQ(*root->getInteger("total_cycles"), int64_t(res->totalCycles));
  const json::Array *cores = root->getArray("cores");
  ASSERT_TRUE(cores && cores->size() == 1);
  const json::Object *pipes = (*cores)[0].getAsObject()->getObject("pipes");
  ASSERT_TRUE(pipes);
  for (const char *p : {"S", "MTE1", "MTE2", "MTE3", "M", "V", "FIX"}) {
    const json::Object *po = pipes->getObject(p);
    ASSERT_TRUE(po) << p;
    std::optional<double> u = po->getNumber("utilization");
    ASSERT_TRUE(u && *u >= 0 && *u <= 1) << p;
  }
  EXPECT_GT(*pipes->getObject("V")->getNumber("utilization"), 0.0);
}
