// `knetsim reach` end to end on the bundled scenarios: the JSON schema, the truth table, explain,
// diff, the Flannel warning on every output, and exit status 2 on bad input.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/cli/run_cli.h"

namespace knetsim {
namespace {

using knetsim::testing::run_knetsim;

std::string scenario(const char* name) {
  return std::string(KNETSIM_SOURCE_DIR) + "/scenarios/" + name;
}

TEST(CliReach, JsonHasTheDocumentedSchemaWithEveryOrderedPair) {
  auto r = run_knetsim("reach " + scenario("policy-e2e-model.yaml") + " -o json");
  ASSERT_EQ(r.status, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  std::vector<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"matrix", "pods", "ports"}));  // nlohmann sorts keys
  ASSERT_EQ(j["ports"].size(), 6u);  // 80 and 81 over TCP, UDP, SCTP
  EXPECT_EQ(j["ports"][0], (nlohmann::json{{"port", 80}, {"protocol", "TCP"}}));
  ASSERT_EQ(j["pods"].size(), 9u);
  for (const auto& port : j["ports"]) {
    std::string key =
        port["protocol"].get<std::string>() + "/" + std::to_string(port["port"].get<int>());
    const auto& m = j["matrix"][key];
    ASSERT_EQ(m.size(), 9u) << key;
    for (const auto& src : j["pods"]) {
      ASSERT_EQ(m[src.get<std::string>()].size(), 9u);
    }
    EXPECT_FALSE(m["z/b"]["x/a"].get<bool>());
    EXPECT_TRUE(m["y/b"]["x/a"].get<bool>());
  }
}

TEST(CliReach, TableIsTheE2eTruthTable) {
  auto r = run_knetsim("reach " + scenario("policy-e2e-model.yaml") +
                       " --port 80/TCP --from 'z/*' --to 'x/*'");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out,
            "TCP/80: 6/9 allowed\n-\tx/a\tx/b\tx/c\nz/a\tX\t.\t.\nz/b\tX\t.\t.\nz/c\tX\t.\t.\n\n");
}

TEST(CliReach, ExplainNamesTheDecidingRulesPerDirection) {
  auto r = run_knetsim("reach " + scenario("policy-admin-tiers.yaml") +
                       " --explain platform/ingress-0 tenant-a/web-0 80/TCP");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("ALLOWED"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("egress of platform/ingress-0: allowed"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Pass -> hand-off to the NetworkPolicy tier"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("=> NetworkPolicy tenant-a/from-ingress-controller ingress rule 0 allows"),
            std::string::npos)
      << r.out;
}

TEST(CliReach, DiffListsGainedAndLost) {
  auto r = run_knetsim("reach --diff " + scenario("policy-shop-v1.yaml") + " " +
                       scenario("policy-shop-v2.yaml") + " -o json");
  ASSERT_EQ(r.status, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["gained"].size(), 2u);
  EXPECT_EQ(j["lost"].size(), 5u);
}

TEST(CliReach, FlannelWarnsOnEveryOutput) {
  for (const char* fmt : {"table", "json", "md", "dot"}) {
    auto r = run_knetsim("reach " + scenario("policy-flannel.yaml") + " --port 80/TCP -o " + fmt);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("does not enforce network policies"), std::string::npos) << fmt;
  }
  auto csv = run_knetsim("reach " + scenario("policy-flannel.yaml") + " --port 80/TCP -o csv");
  EXPECT_NE(csv.err.find("does not enforce network policies"), std::string::npos);
  auto ex = run_knetsim("reach " + scenario("policy-flannel.yaml") + " --explain z/b x/a 80/TCP");
  EXPECT_NE(ex.out.find("ALLOWED (as written: DENIED)"), std::string::npos) << ex.out;
}

TEST(CliReach, BadInputExitsTwo) {
  EXPECT_EQ(run_knetsim("reach " + scenario("policy-e2e-model.yaml") + " --port 80/XTP").status, 2);
  EXPECT_EQ(run_knetsim("reach " + scenario("policy-e2e-model.yaml") + " --from 'nope/*'").status,
            2);
  EXPECT_EQ(run_knetsim("reach " + scenario("policy-e2e-model.yaml") + " --explain x/a nope 80/TCP")
                .status,
            2);
  EXPECT_EQ(run_knetsim("reach /nonexistent.yaml").status, 2);
}

}  // namespace
}  // namespace knetsim
