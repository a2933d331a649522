#include "sim/models/kubeproxy/datapath_cost.h"

#include <gtest/gtest.h>

#include <map>

#include "sim/models/kubeproxy/chain_names.h"
#include "tests/models/kubeproxy/kube_proxy_fixtures.h"
#include "tests/models/kubeproxy/test_clusters.h"

namespace knetsim::models::kubeproxy {
namespace {

using testing::default_profile;
using testing::generated_cluster;

TEST(ChainNames, HashLikeKubeProxy) {
  // Names taken from kube-proxy's TestOverallIPTablesRules expectations.
  EXPECT_EQ(svc_chain("ns1/svc1:p80", "tcp"), "KUBE-SVC-XPGD46QRK7WJZT7O");
  EXPECT_EQ(ext_chain("ns2/svc2:p80", "tcp"), "KUBE-EXT-GNZBNJ2PO5MGZ6GT");
  EXPECT_EQ(fw_chain("ns5/svc5:p80", "tcp"), "KUBE-FW-NUKIZ6OKUXPJNT4C");
  EXPECT_EQ(sep_chain("ns1/svc1:p80", "tcp", "10.180.0.1:80"), "KUBE-SEP-SXIVWICOYRO3J4NJ");
}

TEST(DatapathCost, IptablesFirstPacketGrowsWithServicePosition) {
  auto c = generated_cluster(200, 3, "iptables");
  auto profile = default_profile();
  DatapathCost cost(c, 0, profile);
  PacketCost first = cost.first_packet(0, 0, 0);
  PacketCost last = cost.first_packet(199, 0, 0);
  // One KUBE-SERVICES rule per ClusterIP service: the last service's rule is 199 rules later.
  EXPECT_EQ(last.rules_evaluated - first.rules_evaluated, 199);
  EXPECT_GT(last.cpu_ns, first.cpu_ns);
  // The endpoint choice adds one statistic rule per earlier endpoint.
  EXPECT_EQ(cost.first_packet(0, 0, 2).rules_evaluated - first.rules_evaluated, 2);
  PacketCost est = cost.established_packet();
  EXPECT_LT(est.cpu_ns, first.cpu_ns);
  EXPECT_EQ(est.lookups, 1);
}

TEST(DatapathCost, IptablesPositionMatchesTheDump) {
  // LoadBalancer services: cluster IP, external IP and LB IP rules each in KUBE-SERVICES, so
  // service i's cluster-IP rule is 3*i rules further down.
  core::Cluster c = testing::generated_rules_cluster(10, 2, true);
  auto profile = default_profile();
  DatapathCost cost(c, 0, profile);
  for (core::ServiceId i = 1; i < 10; ++i) {
    EXPECT_EQ(cost.first_packet(i, 0, 0).rules_evaluated - cost.first_packet(0, 0, 0).rules_evaluated,
              static_cast<int>(3 * i));
  }
}

TEST(BackendSelector, InternalTrafficPolicyLocalPicksTheClientsNode) {
  auto c = testing::cluster_from_text(R"(apiVersion: knetsim/v1
kind: Scenario
metadata: {name: itp}
cluster: {nodes: {count: 3}, apiServerService: false}
objects:
  - apiVersion: v1
    kind: Service
    metadata: {name: s, namespace: default}
    spec:
      selector: {app: a}
      internalTrafficPolicy: Local
      ports: [{port: 80, targetPort: 8080}]
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: a, namespace: default}
    spec:
      replicas: 6
      selector: {matchLabels: {app: a}}
      template:
        metadata: {labels: {app: a}}
        spec: {containers: [{name: c, image: x, ports: [{containerPort: 8080}]}]}
)");
  auto svc = *c.find_service("default/s");
  BackendSelector sel(c, core::KubeProxyMode::Iptables, 5);
  const core::Pod& client = c.pods[0];
  auto backends = c.backends_of(svc, c.services[svc].ports[0]);
  for (int i = 0; i < 100; ++i) {
    size_t b = *sel.choose(svc, 0, client.ip, i);
    EXPECT_EQ(backends[b].endpoint->node_name, c.nodes[client.node].name);
  }
}

TEST(DatapathCost, NftablesFirstPacketIsConstant) {
  auto c = generated_cluster(200, 3, "nftables");
  auto profile = default_profile();
  DatapathCost cost(c, 0, profile);
  PacketCost a = cost.first_packet(0, 0, 0);
  PacketCost b = cost.first_packet(199, 0, 2);
  EXPECT_EQ(a.rules_evaluated, b.rules_evaluated);
  EXPECT_EQ(a.lookups, b.lookups);
  EXPECT_DOUBLE_EQ(a.cpu_ns, b.cpu_ns);
  EXPECT_GT(a.lookups, 1);
}

TEST(DatapathCost, ConstantModesBeatIptablesAtScale) {
  auto profile = default_profile();
  auto ipt = generated_cluster(5000, 2, "iptables", 2);
  auto nft = generated_cluster(5000, 2, "nftables", 2);
  auto ebpf = generated_cluster(5000, 2, "ebpf", 2);
  DatapathCost ci(ipt, 0, profile), cn(nft, 0, profile), ce(ebpf, 0, profile);
  EXPECT_GT(ci.first_packet(4000, 0, 0).cpu_ns, cn.first_packet(4000, 0, 0).cpu_ns);
  EXPECT_GT(cn.first_packet(4000, 0, 0).cpu_ns, ce.first_packet(4000, 0, 0).cpu_ns);
  EXPECT_EQ(ce.first_packet(4000, 0, 0).rules_evaluated, 0);
}

TEST(BackendSelector, IptablesPicksEveryEndpointEvenly) {
  auto c = generated_cluster(1, 4, "iptables");
  BackendSelector sel(c, core::KubeProxyMode::Iptables, 7);
  std::map<size_t, int> hits;
  const int n = 40000;
  for (int i = 0; i < n; ++i) ++hits[*sel.choose(0, 0, core::Ipv4{0x0AF40105}, i)];
  ASSERT_EQ(hits.size(), 4u);
  for (auto& [b, h] : hits) EXPECT_NEAR(h, n / 4, n / 4 * 0.05) << "backend " << b;
}

TEST(BackendSelector, IpvsRoundRobinCycles) {
  auto c = generated_cluster(1, 3, "ipvs");
  BackendSelector sel(c, core::KubeProxyMode::Ipvs, 1);
  std::vector<size_t> seq;
  for (int i = 0; i < 6; ++i) seq.push_back(*sel.choose(0, 0, core::Ipv4{1}, i));
  EXPECT_EQ(seq[0], seq[3]);
  EXPECT_EQ(seq[1], seq[4]);
  EXPECT_NE(seq[0], seq[1]);
  EXPECT_NE(seq[1], seq[2]);
}

TEST(BackendSelector, ClientIpAffinitySticksUntilTimeout) {
  auto c = testing::cluster_from_text(R"(apiVersion: knetsim/v1
kind: Scenario
metadata: {name: aff}
cluster: {nodes: {count: 2}, apiServerService: false}
objects:
  - apiVersion: v1
    kind: Service
    metadata: {name: s, namespace: default}
    spec:
      selector: {app: a}
      sessionAffinity: ClientIP
      sessionAffinityConfig: {clientIP: {timeoutSeconds: 10}}
      ports: [{port: 80, targetPort: 8080}]
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: a, namespace: default}
    spec:
      replicas: 5
      selector: {matchLabels: {app: a}}
      template:
        metadata: {labels: {app: a}}
        spec: {containers: [{name: c, image: x, ports: [{containerPort: 8080}]}]}
)");
  auto svc = *c.find_service("default/s");
  BackendSelector sel(c, core::KubeProxyMode::Iptables, 3);
  core::Ipv4 client{0x0A000001};
  size_t first = *sel.choose(svc, 0, client, 0);
  for (int i = 1; i < 50; ++i) EXPECT_EQ(*sel.choose(svc, 0, client, i * 100'000'000LL), first);
  // After the timeout the client is load-balanced again: over many clients, all endpoints.
  std::map<size_t, int> hits;
  for (uint32_t cl = 0; cl < 500; ++cl) ++hits[*sel.choose(svc, 0, core::Ipv4{0x0B000000 + cl}, 0)];
  EXPECT_EQ(hits.size(), 5u);
}

TEST(BackendSelector, NoEndpointsGivesNothing) {
  auto c = generated_cluster(1, 0, "iptables");
  BackendSelector sel(c, core::KubeProxyMode::Iptables, 1);
  EXPECT_FALSE(sel.choose(0, 0, core::Ipv4{1}, 0).has_value());
}

}  // namespace
}  // namespace knetsim::models::kubeproxy
