// End-to-end tests of the foundation commands: validate, describe, --version, --help.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/cli/run_cli.h"

namespace knetsim {
namespace {

using testing::run_knetsim;

TEST(CliValidate, AcceptsTheBundledScenarios) {
  auto r = run_knetsim("validate scenarios/quickstart.yaml scenarios/plain-manifests.yaml");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("scenarios/quickstart.yaml: ok (3 nodes, 5 pods, 2 services"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("scenarios/plain-manifests.yaml: ok"), std::string::npos);
}

TEST(CliValidate, BadInputExitsTwoWithTheLocatedMessage) {
  auto r = run_knetsim("validate tests/core/bad_inputs/port_out_of_range.yaml");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err,
            "error: tests/core/bad_inputs/port_out_of_range.yaml:8:26: "
            "spec.containers[0].ports[0].containerPort: expected an integer from 1 to 65535, got "
            "70000\n");
}

TEST(CliValidate, AMissingFileIsAnInputError) {
  auto r = run_knetsim("validate does/not/exist.yaml");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("does/not/exist.yaml: cannot open file"), std::string::npos) << r.err;
}

TEST(CliDescribe, JsonListsEveryPodWithNodeAndIpAndEveryServiceWithEndpoints) {
  auto r = run_knetsim("describe scenarios/plain-manifests.yaml -o json");
  ASSERT_EQ(r.status, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["schema"], "knetsim.describe/v1");
  ASSERT_EQ(j["pods"].size(), 5u);
  for (const auto& p : j["pods"]) {
    EXPECT_FALSE(p["node"].get<std::string>().empty());
    EXPECT_EQ(p["ip"].get<std::string>().rfind("10.244.", 0), 0u);
  }
  bool found = false;
  for (const auto& s : j["services"]) {
    if (s["name"] != "frontend") continue;
    found = true;
    EXPECT_EQ(s["type"], "NodePort");
    EXPECT_EQ(s["ports"][0]["nodePort"], 30080);
    EXPECT_EQ(s["ports"][0]["endpoints"].size(), 3u);
    EXPECT_EQ(s["ports"][0]["endpoints"][0]["port"], 80);
  }
  EXPECT_TRUE(found);
}

TEST(CliDescribe, YamlAndTableOutputsNameThePods) {
  auto y = run_knetsim("describe scenarios/quickstart.yaml -o yaml");
  ASSERT_EQ(y.status, 0);
  EXPECT_NE(y.out.find("schema: \"knetsim.describe/v1\""), std::string::npos);
  auto t = run_knetsim("describe scenarios/quickstart.yaml");
  ASSERT_EQ(t.status, 0);
  EXPECT_NE(t.out.find("NODES"), std::string::npos);
  EXPECT_NE(t.out.find("web-"), std::string::npos);
}

TEST(CliDescribe, SameInputGivesByteIdenticalOutput) {
  auto a = run_knetsim("describe scenarios/quickstart.yaml -o json");
  auto b = run_knetsim("describe scenarios/quickstart.yaml -o json");
  EXPECT_EQ(a.out, b.out);
}

TEST(Cli, VersionAndHelp) {
  auto v = run_knetsim("--version");
  EXPECT_EQ(v.status, 0);
  EXPECT_EQ(v.out.rfind("knetsim ", 0), 0u) << v.out;
  auto h = run_knetsim("describe --help");
  EXPECT_EQ(h.status, 0);
  EXPECT_NE(h.out.find("--output"), std::string::npos);
  auto bad = run_knetsim("frobnicate");
  EXPECT_EQ(bad.status, 2);
}

}  // namespace
}  // namespace knetsim
