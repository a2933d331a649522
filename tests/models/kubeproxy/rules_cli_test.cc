// `knetsim rules` end to end: the -o json schema of docs/CLI.md, --dump, --scaling, bad input.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/models/kubeproxy/netns.h"

namespace knetsim::models::kubeproxy {
namespace {

using testing::run_command;

std::string knetsim() { return std::string(KNETSIM_BINARY_DIR) + "/sim/cli/knetsim"; }
std::string scenario(const char* name) {
  return std::string(KNETSIM_SOURCE_DIR) + "/scenarios/" + name;
}

nlohmann::json run_json(const std::string& args) {
  auto r = run_command(knetsim() + " rules " + args + " 2>/dev/null");
  EXPECT_EQ(r.status, 0) << r.output;
  return nlohmann::json::parse(r.output);
}

TEST(RulesCli, JsonSchemaPerMode) {
  auto j = run_json(scenario("quickstart.yaml") + " -o json --node node-1");
  EXPECT_EQ(j["mode"], "iptables");
  ASSERT_EQ(j["nodes"].size(), 1u);
  const auto& n = j["nodes"][0];
  EXPECT_EQ(n["node"], "node-1");
  EXPECT_GT(n["tables"]["nat"]["rules"].get<int>(), 0);
  EXPECT_EQ(n["tables"]["nat"]["by_chain"]["KUBE-POSTROUTING"], 3);
  EXPECT_FALSE(n.contains("ipvs"));
  EXPECT_EQ(n["sync"]["min_sync_period_ns"], 1000000000);  // quickstart: minSyncPeriod 1s
  int sum = 0;
  for (auto& [k, v] : n["tables"]["nat"]["by_chain"].items()) sum += v.get<int>();
  EXPECT_EQ(sum, n["tables"]["nat"]["rules"].get<int>());

  auto v = run_json(scenario("quickstart.yaml") + " -o json --mode ipvs");
  EXPECT_EQ(v["mode"], "ipvs");
  EXPECT_EQ(v["nodes"].size(), 3u);
  EXPECT_GT(v["nodes"][0]["ipvs"]["virtual_servers"].get<int>(), 0);
  EXPECT_GT(v["nodes"][0]["sets"]["KUBE-CLUSTER-IP"].get<int>(), 0);

  auto nft = run_json(scenario("quickstart.yaml") + " -o json --mode nftables --node node-2");
  EXPECT_EQ(nft["nodes"][0]["tables"]["kube-proxy"]["by_chain"]["services"], 2);
  EXPECT_GT(nft["nodes"][0]["sets"]["service-ips"].get<int>(), 0);
}

TEST(RulesCli, DumpAndScaling) {
  auto d = run_command(knetsim() + " rules " + scenario("quickstart.yaml") + " --dump iptables");
  ASSERT_EQ(d.status, 0);
  EXPECT_NE(d.output.find("*nat\n"), std::string::npos);
  EXPECT_NE(d.output.find("COMMIT\n"), std::string::npos);
  auto s = run_command(knetsim() + " rules " + scenario("kube-proxy-scaling.yaml") +
                       " --scaling --services 50,200");
  ASSERT_EQ(s.status, 0) << s.output;
  EXPECT_NE(s.output.find("nftables"), std::string::npos);
  EXPECT_NE(s.output.find("ipvs"), std::string::npos);
  EXPECT_NE(s.output.find("     200 iptables"), std::string::npos);
}

TEST(RulesCli, BadInputExitsTwo) {
  auto r = run_command(knetsim() + " rules " + scenario("quickstart.yaml") + " --node nope");
  EXPECT_EQ(WEXITSTATUS(r.status), 2);
  auto s = run_command(knetsim() + " rules " + scenario("quickstart.yaml") + " --scaling");
  EXPECT_EQ(WEXITSTATUS(s.status), 2);  // no generate: services to resize
  EXPECT_NE(s.output.find("generate"), std::string::npos);
}

}  // namespace
}  // namespace knetsim::models::kubeproxy
