// knetsim/v1 Scenario files: sections, includes, defaults.
#include <gtest/gtest.h>

#include "sim/core/scenario_loader.h"
#include "tests/core/test_util.h"

namespace knetsim::core {
namespace {

TEST(ScenarioLoader, QuickstartLoadsEverySection) {
  Diagnostics diags;
  Scenario sc = load_scenario("scenarios/quickstart.yaml", diags);
  EXPECT_EQ(sc.name, "quickstart");
  EXPECT_EQ(sc.seed, 42u);
  EXPECT_EQ(sc.duration_ns, 30'000'000'000);
  EXPECT_EQ(sc.cluster.nodes.count, 3);
  EXPECT_EQ(sc.cluster.network.latency_ns, 50'000);
  EXPECT_DOUBLE_EQ(sc.cluster.network.bandwidth_bps, 25e9);
  EXPECT_EQ(sc.cni.plugin, CniPlugin::Calico);
  EXPECT_EQ(sc.cni.mode, "vxlan");
  EXPECT_EQ(sc.kube_proxy.mode, KubeProxyMode::Iptables);
  ASSERT_EQ(sc.manifest_files.size(), 1u);
  EXPECT_EQ(sc.objects.workloads.size(), 2u);  // web (from apps/web.yaml) and client (inline)
  ASSERT_EQ(sc.traffic.size(), 1u);
  const TrafficSpec& t = sc.traffic[0];
  EXPECT_EQ(t.to.name, "default/web");
  EXPECT_EQ(t.to.port, 80);
  EXPECT_DOUBLE_EQ(t.rate_per_s, 500);
  EXPECT_EQ(t.response_bytes, 2048);
  EXPECT_EQ(t.service_time.dist, Distribution::Lognormal);
  EXPECT_EQ(t.service_time.value_ns, 2'000'000);
  EXPECT_EQ(t.service_time.p99_ns, 20'000'000);
  ASSERT_EQ(sc.events.size(), 2u);
  EXPECT_EQ(sc.events[0].kind, EventKind::Scale);
  EXPECT_EQ(sc.events[0].count, 6);
  EXPECT_EQ(sc.events[1].kind, EventKind::FailNode);
  EXPECT_EQ(sc.events[1].target, "node-2");
  EXPECT_TRUE(diags.warnings().empty());
}

TEST(ScenarioLoader, ExplicitNodeListsKeepGivenAddresses) {
  auto b = testing::build_from_text(R"(
apiVersion: knetsim/v1
kind: Scenario
cluster:
  nodes:
    - {name: cp, ip: 192.168.10.1, podCIDR: 10.244.100.0/24, zone: a, labels: {role: cp}}
    - {name: worker, zone: b}
)");
  ASSERT_EQ(b.cluster.nodes.size(), 2u);
  EXPECT_EQ(b.cluster.nodes[0].ip.str(), "192.168.10.1");
  EXPECT_EQ(b.cluster.nodes[0].pod_cidr.str(), "10.244.100.0/24");
  EXPECT_EQ(b.cluster.nodes[0].labels.at("role"), "cp");
  EXPECT_EQ(b.cluster.nodes[1].ip.str(), "192.168.0.10");
  EXPECT_EQ(b.cluster.nodes[1].pod_cidr.str(), "10.244.0.0/24");
  EXPECT_EQ(b.cluster.nodes[1].labels.at("topology.kubernetes.io/zone"), "b");
}

TEST(ScenarioLoader, PerPluginDefaultModes) {
  for (auto [plugin, mode] : {std::pair{"calico", "ipip"}, std::pair{"flannel", "vxlan"},
                              std::pair{"weave", "fastdp"}, std::pair{"cilium", "vxlan"}}) {
    Diagnostics d;
    Scenario sc = load_scenario_text(
        std::string("apiVersion: knetsim/v1\nkind: Scenario\ncni: {plugin: ") + plugin + "}\n",
        "t.yaml", ".", d);
    EXPECT_EQ(sc.cni.mode, mode) << plugin;
  }
}

TEST(ScenarioLoader, UnknownScenarioFieldsAreWarnedWithTheirLocation) {
  Diagnostics d;
  load_scenario_text("apiVersion: knetsim/v1\nkind: Scenario\nclustr: {}\n", "t.yaml", ".", d);
  ASSERT_EQ(d.warnings().size(), 1u);
  EXPECT_EQ(d.warnings()[0].str(), "t.yaml:3:1: clustr: unknown field \"clustr\" is ignored");
}

}  // namespace
}  // namespace knetsim::core
