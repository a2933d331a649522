// Resolution of a scenario into a cluster: workload expansion and naming, placement, IPAM and
// EndpointSlices, all deterministic for a seed.
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>

#include "sim/core/cluster_json.h"
#include "tests/core/test_util.h"

namespace knetsim::core {
namespace {

using testing::build_from_text;

const char* kWorkloads = R"(
apiVersion: knetsim/v1
kind: Scenario
seed: 7
cluster: {nodes: {count: 4, zones: [a, b]}}
objects:
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web}
    spec:
      replicas: 8
      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web}}
        spec: {containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}
  - apiVersion: apps/v1
    kind: StatefulSet
    metadata: {name: db}
    spec:
      serviceName: db
      replicas: 2
      selector: {matchLabels: {app: db}}
      template:
        metadata: {labels: {app: db}}
        spec: {containers: [{name: c}]}
  - apiVersion: apps/v1
    kind: DaemonSet
    metadata: {name: agent, namespace: kube-system}
    spec:
      selector: {matchLabels: {app: agent}}
      template:
        metadata: {labels: {app: agent}}
        spec: {hostNetwork: true, nodeSelector: {topology.kubernetes.io/zone: a}, containers: [{name: c}]}
  - apiVersion: v1
    kind: Service
    metadata: {name: web}
    spec: {type: NodePort, selector: {app: web}, ports: [{name: http, port: 80, targetPort: http}]}
)";

TEST(ClusterBuilder, PodsAreNamedAsTheControllersNameThem) {
  auto b = build_from_text(kWorkloads);
  std::regex deploy("web-[bcdfghjklmnpqrstvwxz2456789]{6,10}-[bcdfghjklmnpqrstvwxz2456789]{5}");
  std::regex daemon("agent-[bcdfghjklmnpqrstvwxz2456789]{5}");
  int web = 0, agents = 0;
  std::set<std::string> sts;
  for (const Pod& p : b.cluster.pods) {
    if (p.labels.count("app") && p.labels.at("app") == "web") {
      ++web;
      EXPECT_TRUE(std::regex_match(p.name, deploy)) << p.name;
      EXPECT_EQ(p.name.substr(4, p.name.size() - 10), p.labels.at("pod-template-hash"));
    } else if (p.name.rfind("agent-", 0) == 0) {
      ++agents;
      EXPECT_TRUE(std::regex_match(p.name, daemon)) << p.name;
    } else {
      sts.insert(p.name);
    }
  }
  EXPECT_EQ(web, 8);
  EXPECT_EQ(agents, 2);  // one per node in zone a (node-1, node-3)
  EXPECT_EQ(sts, (std::set<std::string>{"db-0", "db-1"}));
}

TEST(ClusterBuilder, PlacementSpreadsEvenlyAndHonoursNodeSelectors) {
  auto b = build_from_text(kWorkloads);
  std::map<std::string, int> per_node;
  for (const Pod& p : b.cluster.pods) {
    ASSERT_NE(p.node, kNoNode);
    if (p.owner_kind == "DaemonSet") {
      EXPECT_EQ(b.cluster.nodes[p.node].zone, "a");
      EXPECT_EQ(p.ip, b.cluster.nodes[p.node].ip);  // hostNetwork
      continue;
    }
    ++per_node[b.cluster.nodes[p.node].name];
    EXPECT_TRUE(b.cluster.nodes[p.node].pod_cidr.contains(p.ip)) << p.key();
  }
  // 10 spread pods on 4 nodes: 2 or 3 each.
  for (const auto& [node, n] : per_node) EXPECT_TRUE(n == 2 || n == 3) << node << " " << n;
}

TEST(ClusterBuilder, EndpointsResolveNamedTargetPortsPerPod) {
  auto b = build_from_text(kWorkloads);
  auto id = b.cluster.find_service("default", "web");
  ASSERT_TRUE(id);
  const Service& s = b.cluster.services[*id];
  EXPECT_GE(s.ports[0].node_port, 30000);
  EXPECT_LE(s.ports[0].node_port, 32767);
  EXPECT_TRUE(b.cluster.spec.service_cidr.contains(*s.cluster_ip));
  auto backends = b.cluster.backends_of(*id, s.ports[0]);
  ASSERT_EQ(backends.size(), 8u);
  for (const auto& be : backends) {
    EXPECT_EQ(be.port, 8080);
    ASSERT_TRUE(be.endpoint->pod);
    EXPECT_EQ(b.cluster.pods[*be.endpoint->pod].ip, be.ip);
    EXPECT_FALSE(be.endpoint->node_name.empty());
  }
}

TEST(ClusterBuilder, PodsWithDifferentNamedPortNumbersLandInSeparateSlices) {
  auto b = build_from_text(R"(
apiVersion: v1
kind: Pod
metadata: {name: old, labels: {app: api}}
spec: {containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: new, labels: {app: api}}
spec: {containers: [{name: c, ports: [{name: http, containerPort: 9090}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: none, labels: {app: api}}
spec: {containers: [{name: c}]}
---
apiVersion: v1
kind: Service
metadata: {name: api}
spec: {selector: {app: api}, ports: [{name: http, port: 80, targetPort: http}]}
)");
  auto id = b.cluster.find_service("default", "api");
  ASSERT_TRUE(id);
  const auto& slices = b.cluster.slices_of(*id);
  ASSERT_EQ(slices.size(), 3u);  // 8080, 9090, and the pod without the port (no ports)
  std::set<int> ports;
  for (uint32_t si : slices) {
    for (const auto& p : b.cluster.endpoint_slices[si].ports) ports.insert(p.port);
  }
  EXPECT_EQ(ports, (std::set<int>{8080, 9090}));
  EXPECT_EQ(b.cluster.backends_of(*id, b.cluster.services[*id].ports[0]).size(), 2u);
}

TEST(ClusterBuilder, TheKubernetesApiServiceExistsUnlessTurnedOff) {
  auto with = build_from_text("apiVersion: knetsim/v1\nkind: Scenario\n");
  auto id = with.cluster.find_service("default", "kubernetes");
  ASSERT_TRUE(id);
  EXPECT_EQ(with.cluster.services[*id].cluster_ip->str(), "10.96.0.1");
  auto without = build_from_text(
      "apiVersion: knetsim/v1\nkind: Scenario\ncluster: {apiServerService: false}\n");
  EXPECT_FALSE(without.cluster.find_service("default", "kubernetes"));
}

TEST(ClusterBuilder, LoadBalancersGetIngressAddressesFromThePool) {
  auto b = build_from_text(R"(
apiVersion: v1
kind: Service
metadata: {name: lb}
spec: {type: LoadBalancer, externalTrafficPolicy: Local, selector: {app: x}, ports: [{port: 443}]}
)");
  const Service& s = b.cluster.services[*b.cluster.find_service("default", "lb")];
  ASSERT_EQ(s.load_balancer_ingress.size(), 1u);
  EXPECT_EQ(s.load_balancer_ingress[0].str(), "203.0.113.1");
  EXPECT_NE(s.health_check_node_port, 0);
  EXPECT_NE(s.ports[0].node_port, 0);
}

TEST(ClusterBuilder, GeneratedServicesHaveSyntheticEndpointsSpreadOverNodes) {
  auto b = build_from_text(R"(
apiVersion: knetsim/v1
kind: Scenario
cluster: {nodes: {count: 3}, apiServerService: false}
generate:
  - services: {count: 50, endpointsPerService: 4}
)");
  ASSERT_EQ(b.cluster.services.size(), 50u);
  std::set<uint32_t> ips;
  std::map<std::string, int> per_node;
  for (ServiceId id = 0; id < 50; ++id) {
    auto be = b.cluster.backends_of(id, b.cluster.services[id].ports[0]);
    ASSERT_EQ(be.size(), 4u);
    for (const auto& x : be) {
      ips.insert(x.ip.value);
      ++per_node[x.endpoint->node_name];
      auto node = b.cluster.find_node(x.endpoint->node_name);
      ASSERT_TRUE(node);
      EXPECT_TRUE(b.cluster.nodes[*node].pod_cidr.contains(x.ip));
    }
  }
  EXPECT_EQ(ips.size(), 200u);
  EXPECT_EQ(per_node.size(), 3u);
}

TEST(ClusterBuilder, SameSeedSameClusterOtherSeedOtherNames) {
  auto a = build_from_text(kWorkloads);
  auto b = build_from_text(kWorkloads);
  EXPECT_EQ(cluster_to_json(a.cluster, a.diags).dump(), cluster_to_json(b.cluster, b.diags).dump());
  std::string other = kWorkloads;
  other.replace(other.find("seed: 7"), 7, "seed: 8");
  auto c = build_from_text(other);
  EXPECT_NE(a.cluster.pods[0].name, c.cluster.pods[0].name);
}

TEST(ClusterBuilder, PodsThatFitNowhereStayPendingWithAWarning) {
  auto b = build_from_text(R"(
apiVersion: v1
kind: Pod
metadata: {name: gpu}
spec: {nodeSelector: {gpu: "true"}, containers: [{name: c}]}
)");
  const Pod& p = b.cluster.pods.at(0);
  EXPECT_EQ(p.node, kNoNode);
  EXPECT_EQ(p.phase, "Pending");
  EXPECT_EQ(p.ip.value, 0u);
  EXPECT_TRUE(testing::has_warning(b.diags, "stays Pending"));
}

}  // namespace
}  // namespace knetsim::core

namespace knetsim::core {
namespace {

TEST(ClusterBuilder, ManyReplicasNeverShareAPodName) {
  // 27^5 random suffixes: 3,000 replicas of one Deployment collide often without a retry.
  auto b = testing::build_from_text(R"(
apiVersion: knetsim/v1
kind: Scenario
cluster: {nodes: {count: 40}}
generate:
  - deployments: {count: 1, replicas: 3000}
)");
  std::set<std::string> names;
  for (const Pod& p : b.cluster.pods) EXPECT_TRUE(names.insert(p.key()).second) << p.key();
  EXPECT_EQ(names.size(), 3000u);
}

}  // namespace
}  // namespace knetsim::core
