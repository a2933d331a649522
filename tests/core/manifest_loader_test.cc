// Plain Kubernetes manifests as users write them (and as `kubectl get -o yaml` prints them).
#include <gtest/gtest.h>

#include "tests/core/test_util.h"

namespace knetsim::core {
namespace {

using testing::build_from_text;
using testing::has_warning;

TEST(ManifestLoader, PlainManifestsGetTheDocumentedClusterDefaults) {
  auto b = build_from_text(R"(
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: x, labels: {pod: a}}
spec: {containers: [{name: c, ports: [{containerPort: 80}]}]}
)");
  EXPECT_TRUE(b.scenario.plain_manifests);
  EXPECT_EQ(b.cluster.nodes.size(), 3u);
  EXPECT_EQ(b.cluster.cni.plugin, CniPlugin::Calico);
  EXPECT_EQ(b.cluster.kube_proxy.mode, KubeProxyMode::Iptables);
  EXPECT_EQ(b.cluster.spec.pod_cidr.str(), "10.244.0.0/16");
  EXPECT_EQ(b.cluster.spec.service_cidr.str(), "10.96.0.0/12");
  // Pods written without status are taken as scheduled, running and ready.
  const Pod& p = b.cluster.pods.at(0);
  EXPECT_EQ(p.phase, "Running");
  EXPECT_TRUE(p.ready);
  EXPECT_TRUE(b.cluster.spec.pod_cidr.contains(p.ip));
  // Namespaces used by objects exist, labelled with their name.
  const Namespace* x = b.cluster.find_namespace("x");
  ASSERT_NE(x, nullptr);
  EXPECT_EQ(x->labels.at("kubernetes.io/metadata.name"), "x");
}

TEST(ManifestLoader, KindListItemsAreLoaded) {
  auto b = build_from_text(R"(
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Service
    metadata: {name: web}
    spec: {selector: {app: web}, ports: [{port: 80}]}
  - apiVersion: v1
    kind: Namespace
    metadata: {name: shop, labels: {team: a}}
)");
  EXPECT_TRUE(b.cluster.find_service("default", "web"));
  ASSERT_NE(b.cluster.find_namespace("shop"), nullptr);
  EXPECT_EQ(b.cluster.find_namespace("shop")->labels.at("team"), "a");
}

TEST(ManifestLoader, UnmodelledKindsAndUnknownFieldsAreWarnedNotFatal) {
  auto b = build_from_text(R"(
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
data: {a: b}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  ports: [{port: 80, bogus: 1}]
)");
  EXPECT_TRUE(has_warning(b.diags, "test.yaml:2:1: kind ConfigMap (v1) is not modelled"));
  EXPECT_TRUE(has_warning(b.diags, "spec.ports[0].bogus: unknown field \"bogus\" is ignored"));
}

TEST(ManifestLoader, ExportedPodStatusIsHonoured) {
  auto b = build_from_text(R"(
apiVersion: v1
kind: Pod
metadata: {name: a}
spec: {nodeName: node-2, containers: [{name: c}]}
status:
  phase: Running
  podIP: 172.16.5.9
  conditions: [{type: Ready, status: "False"}]
)");
  const Pod& p = b.cluster.pods.at(0);
  EXPECT_EQ(p.ip.str(), "172.16.5.9");
  EXPECT_FALSE(p.ready);
  EXPECT_EQ(b.cluster.nodes[p.node].name, "node-2");
  EXPECT_TRUE(has_warning(b.diags, "lies outside the cluster pod CIDR"));
}

TEST(ManifestLoader, LegacyEndpointsBecomeSlicesForSelectorlessServices) {
  auto b = build_from_text(R"(
apiVersion: v1
kind: Service
metadata: {name: db}
spec: {ports: [{name: pg, port: 5432}]}
---
apiVersion: v1
kind: Endpoints
metadata: {name: db}
subsets:
  - addresses: [{ip: 192.0.2.10}, {ip: 192.0.2.11}]
    notReadyAddresses: [{ip: 192.0.2.12}]
    ports: [{name: pg, port: 5432}]
)");
  auto id = b.cluster.find_service("default", "db");
  ASSERT_TRUE(id);
  auto backends = b.cluster.backends_of(*id, b.cluster.services[*id].ports[0]);
  ASSERT_EQ(backends.size(), 3u);
  EXPECT_EQ(backends[0].ip.str(), "192.0.2.10");
  EXPECT_TRUE(backends[0].endpoint->ready);
  EXPECT_FALSE(backends[2].endpoint->ready);
}

TEST(ManifestLoader, NetworkPolicyTypesAreDefaultedAsTheApiServerDoes) {
  auto b = build_from_text(R"(
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ingress-only}
spec: {podSelector: {}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: with-egress}
spec:
  podSelector: {matchLabels: {app: web}}
  egress: [{to: [{namespaceSelector: {}, podSelector: {matchLabels: {k8s-app: kube-dns}}}], ports: [{protocol: UDP, port: 53}]}]
)");
  ASSERT_EQ(b.cluster.network_policies.size(), 2u);
  const auto& a = b.cluster.network_policies[0];
  EXPECT_TRUE(a.affects_ingress);
  EXPECT_FALSE(a.affects_egress);
  EXPECT_TRUE(a.ingress.empty());
  const auto& e = b.cluster.network_policies[1];
  EXPECT_TRUE(e.affects_ingress);
  EXPECT_TRUE(e.affects_egress);
  ASSERT_EQ(e.egress.size(), 1u);
  const auto& peer = e.egress[0].peers.at(0);
  ASSERT_TRUE(peer.namespace_selector);
  EXPECT_TRUE(peer.namespace_selector->empty());
  ASSERT_TRUE(peer.pod_selector);
  EXPECT_EQ(peer.pod_selector->match_labels.at("k8s-app"), "kube-dns");
  EXPECT_EQ(e.egress[0].ports.at(0).protocol, Protocol::UDP);
  EXPECT_EQ(e.egress[0].ports.at(0).port->number, 53);
}

}  // namespace
}  // namespace knetsim::core
