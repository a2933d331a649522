// PolicyEngine verdicts on small clusters written inline: NetworkPolicy semantics one by one.
#include "sim/models/policy/policy_engine.h"

#include <gtest/gtest.h>

#include "sim/core/scenario_loader.h"

namespace knetsim::models::policy {
namespace {

core::Cluster load(const std::string& yaml) {
  core::Diagnostics diags;
  core::Scenario s = core::load_scenario_text(yaml, "test.yaml", ".", diags);
  return core::build_cluster(s, diags);
}

const char* kPods = R"(
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: x, labels: {pod: a}}
spec:
  containers:
    - name: c
      ports: [{containerPort: 80, name: serve-80-tcp}, {containerPort: 81, protocol: UDP, name: serve-81-udp}]
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: x, labels: {pod: b}}
spec:
  containers:
    - name: c
      ports: [{containerPort: 80, name: serve-80-tcp}, {containerPort: 81, protocol: UDP, name: serve-81-udp}]
---
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: y, labels: {pod: a}}
spec:
  containers:
    - name: c
      ports: [{containerPort: 80, name: serve-80-tcp}]
)";

struct Fixture : ::testing::Test {
  core::Cluster cluster;
  void make(const std::string& policies) { cluster = load(std::string(kPods) + "---\n" + policies); }
  core::PodId pod(const char* key) { return *cluster.find_pod(key); }
  bool allowed(const char* src, const char* dst, int port = 80,
               core::Protocol proto = core::Protocol::TCP) {
    PolicyEngine e(cluster);
    return e.check(pod(src), pod(dst), port, proto).allowed;
  }
};

TEST_F(Fixture, NoPolicyAllowsEverything) {
  cluster = load(kPods);
  EXPECT_TRUE(allowed("x/a", "x/b"));
  EXPECT_TRUE(allowed("y/a", "x/b", 81, core::Protocol::UDP));
  PolicyEngine e(cluster);
  EXPECT_NE(e.check(pod("x/a"), pod("x/b"), 80, core::Protocol::TCP).reason.find("no policy decides"),
            std::string::npos);
}

TEST_F(Fixture, DenyAllIngressIsolatesOnlySelectedPods) {
  make(R"(
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-b, namespace: x}
spec: {podSelector: {matchLabels: {pod: b}}}
)");
  EXPECT_FALSE(allowed("x/a", "x/b"));
  EXPECT_FALSE(allowed("y/a", "x/b"));
  EXPECT_TRUE(allowed("x/b", "x/a"));
  EXPECT_TRUE(allowed("x/b", "x/b"));  // self traffic is not subject to policy by default
  PolicyEngine strict(cluster, PolicyEngine::Options{true});
  EXPECT_FALSE(strict.check(pod("x/b"), pod("x/b"), 80, core::Protocol::TCP).allowed);
}

TEST_F(Fixture, PeerWithoutNamespaceSelectorMeansPolicyNamespace) {
  make(R"(
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: from-a, namespace: x}
spec:
  podSelector: {matchLabels: {pod: b}}
  ingress: [{from: [{podSelector: {matchLabels: {pod: a}}}]}]
)");
  EXPECT_TRUE(allowed("x/a", "x/b"));
  EXPECT_FALSE(allowed("y/a", "x/b"));
}

TEST_F(Fixture, NamespaceAndPodSelectorInOnePeerAreAnded) {
  make(R"(
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: from-y-a, namespace: x}
spec:
  podSelector: {}
  ingress:
    - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}, podSelector: {matchLabels: {pod: a}}}]
)");
  EXPECT_TRUE(allowed("y/a", "x/b"));
  EXPECT_FALSE(allowed("x/a", "x/b"));
}

TEST_F(Fixture, NamedPortNeedsNameAndProtocol) {
  make(R"(
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: named, namespace: x}
spec:
  podSelector: {}
  ingress:
    - ports: [{port: serve-80-tcp}, {port: serve-81-udp, protocol: TCP}]
)");
  EXPECT_TRUE(allowed("y/a", "x/b", 80));
  // serve-81-udp is declared as UDP; a TCP rule with that name resolves to nothing.
  EXPECT_FALSE(allowed("y/a", "x/b", 81, core::Protocol::UDP));
}

TEST_F(Fixture, EgressAndIngressMustBothAllow) {
  make(R"(
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: egress-none, namespace: y}
spec:
  podSelector: {}
  policyTypes: [Egress]
)");
  EXPECT_FALSE(allowed("y/a", "x/b"));
  EXPECT_TRUE(allowed("x/b", "y/a"));
  PolicyEngine e(cluster);
  auto v = e.check(pod("y/a"), pod("x/b"), 80, core::Protocol::TCP);
  EXPECT_NE(v.reason.find("egress of y/a"), std::string::npos) << v.reason;
}

TEST_F(Fixture, IpBlockExceptAppliesToPodIpsAndExternalAddresses) {
  make(R"(
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: cidr, namespace: x}
spec:
  podSelector: {matchLabels: {pod: b}}
  ingress:
    - from: [{ipBlock: {cidr: 0.0.0.0/0, except: [203.0.113.0/24]}}]
)");
  PolicyEngine e(cluster);
  EXPECT_TRUE(e.check_from_ip(*core::Ipv4::parse("198.51.100.7"), pod("x/b"), 80, core::Protocol::TCP).allowed);
  EXPECT_FALSE(e.check_from_ip(*core::Ipv4::parse("203.0.113.9"), pod("x/b"), 80, core::Protocol::TCP).allowed);
  EXPECT_TRUE(allowed("y/a", "x/b"));
}

TEST_F(Fixture, FlannelDoesNotEnforce) {
  cluster = load(std::string(R"(apiVersion: knetsim/v1
kind: Scenario
metadata: {name: t}
cni: {plugin: flannel, mode: vxlan}
---
)") + kPods + R"(---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: x}
spec: {podSelector: {}}
)");
  PolicyEngine e(cluster);
  auto v = e.check(pod("y/a"), pod("x/b"), 80, core::Protocol::TCP);
  EXPECT_TRUE(v.allowed);
  EXPECT_FALSE(v.allowed_as_written);
  EXPECT_FALSE(e.enforcement().warning.empty());
}

TEST_F(Fixture, HostNetworkPodsAreNotSelectedAndAreSeenAsTheirNode) {
  cluster = load(std::string(kPods) + R"(---
apiVersion: v1
kind: Pod
metadata: {name: agent, namespace: x, labels: {pod: agent}}
spec:
  hostNetwork: true
  containers: [{name: c, ports: [{containerPort: 9100, name: metrics}]}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all, namespace: x}
spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
)");
  PolicyEngine e(cluster);
  // The host-network pod is not isolated by the namespace-wide deny...
  EXPECT_TRUE(e.check(pod("x/agent"), pod("y/a"), 80, core::Protocol::TCP).allowed);
  EXPECT_TRUE(e.check(pod("y/a"), pod("x/agent"), 9100, core::Protocol::TCP).allowed);
  // ...but x/a's egress to it is denied: it is a node address, matched by no peer.
  EXPECT_FALSE(e.check(pod("x/a"), pod("x/agent"), 9100, core::Protocol::TCP).allowed);
  // A podSelector peer never matches it (only an ipBlock with the node's address would).
  EXPECT_FALSE(e.check(pod("x/agent"), pod("x/b"), 80, core::Protocol::TCP).allowed);
}

TEST_F(Fixture, CiliumIgnoresClusterScopedPoliciesAsEnforced) {
  cluster = load(std::string(R"(apiVersion: knetsim/v1
kind: Scenario
metadata: {name: t}
cni: {plugin: cilium, mode: vxlan}
---
)") + kPods + R"(---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: deny-y}
spec:
  priority: 1
  subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: x}}}
  ingress: [{action: Deny, from: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: y}}}]}]
)");
  PolicyEngine e(cluster);
  auto v = e.check(pod("y/a"), pod("x/b"), 80, core::Protocol::TCP);
  EXPECT_FALSE(v.allowed_as_written);
  EXPECT_TRUE(v.allowed) << v.reason;
  EXPECT_NE(e.enforcement().warning.find("cluster-scoped"), std::string::npos);
}

TEST_F(Fixture, EndPortRangeAndProtocolOnlyRules) {
  make(R"(
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ranges, namespace: x}
spec:
  podSelector: {}
  ingress:
    - ports: [{port: 70, endPort: 80}]
    - ports: [{protocol: UDP}]
)");
  EXPECT_TRUE(allowed("y/a", "x/b", 80));
  EXPECT_FALSE(allowed("y/a", "x/b", 81));
  EXPECT_TRUE(allowed("y/a", "x/b", 81, core::Protocol::UDP));
  EXPECT_TRUE(allowed("y/a", "x/b", 5000, core::Protocol::UDP));
  EXPECT_FALSE(allowed("y/a", "x/b", 80, core::Protocol::SCTP));
}

}  // namespace
}  // namespace knetsim::models::policy
