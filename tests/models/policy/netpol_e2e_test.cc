// Test cases of the Kubernetes e2e network-policy suite (test/e2e/network/netpol), rewritten as
// knetsim inputs on the full 9-pod model, each asserting whole truth tables.
#include <gtest/gtest.h>

#include "e2e_model.h"

namespace knetsim::models::policy::e2e {
namespace {

using core::Protocol;
const PortProto kTcp80{80, Protocol::TCP};
const PortProto kTcp81{81, Protocol::TCP};
const PortProto kUdp80{80, Protocol::UDP};

std::string np(const std::string& ns, const std::string& name, const std::string& spec) {
  return "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: " + name +
         ", namespace: " + ns + "}\nspec:\n" + spec + "\n---\n";
}

const Peer kAny{};
Peer ns(const char* n) { return Peer{n, ""}; }

TEST(NetpolE2E, DefaultDenyIngress) {
  auto c = build(np("x", "deny-ingress", "  podSelector: {}\n  ingress: []"));
  expect_table(c, kTcp80, Expected().peer(kAny, ns("x"), false));
}

TEST(NetpolE2E, DefaultDenyAll) {
  auto c = build(np("x", "deny-all", "  podSelector: {}\n  policyTypes: [Ingress, Egress]"));
  expect_table(c, kTcp80, Expected().peer(kAny, ns("x"), false).peer(ns("x"), kAny, false));
}

TEST(NetpolE2E, AllowFromPodsWithinServerNamespaceByPodSelector) {
  auto c = build(np("x", "x-a-allows-x-b", R"(  podSelector: {matchLabels: {pod: a}}
  ingress: [{from: [{podSelector: {matchLabels: {pod: b}}}]}])"));
  expect_table(c, kTcp80, Expected().all_ingress("x/a", false).one("x/b", "x/a", true));
}

TEST(NetpolE2E, AllowIngressForATarget) {
  auto c = build(np("x", "deny-all", "  podSelector: {}\n  ingress: []") +
                 np("x", "allow-all-to-a", R"(  podSelector: {matchLabels: {pod: a}}
  ingress: [{from: [{podSelector: {}, namespaceSelector: {}}]}])"));
  expect_table(c, kTcp80,
               Expected().all_ingress("x/a", true).all_ingress("x/b", false).all_ingress("x/c", false));
}

TEST(NetpolE2E, AllowIngressFromPodsInAllNamespaces) {
  auto c = build(np("x", "allow-from-another-ns", R"(  podSelector: {matchLabels: {pod: a}}
  ingress: [{from: [{namespaceSelector: {}}]}])"));
  expect_table(c, kTcp80, Expected());
}

TEST(NetpolE2E, AllowOnlyFromDifferentNamespaceByNamespaceSelector) {
  auto c = build(np("x", "allow-client-a-via-ns-selector", R"(  podSelector: {matchLabels: {pod: a}}
  ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}}]}])"));
  expect_table(c, kTcp80, Expected().peer(ns("x"), Expected::pod_peer("x/a"), false)
                              .peer(ns("z"), Expected::pod_peer("x/a"), false));
}

TEST(NetpolE2E, PodSelectorWithMatchExpressions) {
  auto c = build(np("x", "x-a-allows-x-b", R"(  podSelector: {matchLabels: {pod: a}}
  ingress: [{from: [{podSelector: {matchExpressions: [{key: pod, operator: In, values: [b]}]}}]}])"));
  expect_table(c, kTcp80, Expected().all_ingress("x/a", false).one("x/b", "x/a", true));
}

TEST(NetpolE2E, NamespaceSelectorWithMatchExpressions) {
  auto c = build(np("x", "allow-ns-y-match-selector", R"(  podSelector: {matchLabels: {pod: a}}
  ingress:
    - from: [{namespaceSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: In, values: [y]}]}}])"));
  expect_table(c, kTcp80, Expected().peer(ns("x"), Expected::pod_peer("x/a"), false)
                              .peer(ns("z"), Expected::pod_peer("x/a"), false));
}

TEST(NetpolE2E, PodSelectorOrNamespaceSelector) {
  auto c = build(np("x", "allow-ns-y-match-selector", R"(  podSelector: {matchLabels: {pod: a}}
  ingress:
    - from:
        - namespaceSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: NotIn, values: [x]}]}
        - podSelector: {matchLabels: {pod: b}})"));
  expect_table(c, kTcp80, Expected().one("x/a", "x/a", false).one("x/c", "x/a", false));
}

TEST(NetpolE2E, PodSelectorAndNamespaceSelector) {
  auto c = build(np("x", "allow-ns-y-podselector-and-nsselector", R"(  podSelector: {matchLabels: {pod: a}}
  ingress:
    - from:
        - namespaceSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: NotIn, values: [x]}]}
          podSelector: {matchLabels: {pod: b}})"));
  expect_table(c, kTcp80, Expected().all_ingress("x/a", false).one("y/b", "x/a", true).one("z/b", "x/a", true));
}

TEST(NetpolE2E, MultiplePodSelectorsAndNamespaceSelectors) {
  auto c = build(np("x", "allow-ns-y-z-pod-b-c", R"(  podSelector: {matchLabels: {pod: a}}
  ingress:
    - from:
        - namespaceSelector: {matchExpressions: [{key: kubernetes.io/metadata.name, operator: NotIn, values: [x]}]}
          podSelector: {matchExpressions: [{key: pod, operator: In, values: [b, c]}]})"));
  expect_table(c, kTcp80, Expected().peer(ns("x"), Expected::pod_peer("x/a"), false)
                              .one("y/a", "x/a", false).one("z/a", "x/a", false));
}

TEST(NetpolE2E, AnyPodSelectors) {
  auto c = build(np("x", "allow-ns-x-pod-b-c", R"(  podSelector: {matchLabels: {pod: a}}
  ingress: [{from: [{podSelector: {matchLabels: {pod: b}}}, {podSelector: {matchLabels: {pod: c}}}]}])"));
  expect_table(c, kTcp80, Expected().all_ingress("x/a", false).one("x/b", "x/a", true).one("x/c", "x/a", true));
}

TEST(NetpolE2E, OnlyFromAPodInADifferentNamespace) {
  auto c = build(np("x", "allow-ns-y-pod-a-via-namespace-pod-selector", R"(  podSelector: {matchLabels: {pod: a}}
  ingress:
    - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}, podSelector: {matchLabels: {pod: a}}}])"));
  expect_table(c, kTcp80, Expected().all_ingress("x/a", false).one("y/a", "x/a", true));
}

const char* kAllow81FromY = R"(  podSelector: {matchLabels: {pod: a}}
  ingress:
    - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}}]
      ports: [{port: 81, protocol: TCP}])";

TEST(NetpolE2E, Ports) {
  auto c = build(np("x", "allow-client-a-via-ns-selector", kAllow81FromY));
  Expected allow81;
  allow81.peer(ns("x"), Expected::pod_peer("x/a"), false).peer(ns("z"), Expected::pod_peer("x/a"), false);
  expect_table(c, kTcp81, allow81);
  expect_table(c, kTcp80, Expected().all_ingress("x/a", false));
}

TEST(NetpolE2E, StackedPoliciesWithOverlappingPodSelectors) {
  std::string allow80 = kAllow81FromY;
  allow80.replace(allow80.find("port: 81"), 8, "port: 80");
  auto c = build(np("x", "allow-client-a-via-ns-selector", kAllow81FromY) +
                 np("x", "allow-client-a-via-ns-selector-80", allow80));
  Expected allow;
  allow.peer(ns("x"), Expected::pod_peer("x/a"), false).peer(ns("z"), Expected::pod_peer("x/a"), false);
  expect_table(c, kTcp81, allow);
  expect_table(c, kTcp80, allow);
  expect_table(c, kUdp80, Expected().all_ingress("x/a", false));
}

TEST(NetpolE2E, AllowAllPolicy) {
  auto c = build(np("x", "allow-all", "  podSelector: {}\n  ingress: [{}]"));
  expect_table(c, kTcp80, Expected());
  expect_table(c, kTcp81, Expected());
}

TEST(NetpolE2E, IngressOnOneNamedPort) {
  auto c = build(np("x", "allow-all", "  podSelector: {}\n  ingress: [{ports: [{port: serve-81-tcp}]}]"));
  expect_table(c, kTcp81, Expected());
  expect_table(c, kTcp80, Expected().peer(kAny, ns("x"), false));
}

TEST(NetpolE2E, IngressFromNamespaceOnOneNamedPort) {
  auto c = build(np("x", "allow-client-a-via-ns-selector-80", R"(  podSelector: {matchLabels: {pod: a}}
  ingress:
    - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}}]
      ports: [{port: serve-80-tcp, protocol: TCP}])"));
  expect_table(c, kTcp80, Expected().peer(ns("x"), Expected::pod_peer("x/a"), false)
                              .peer(ns("z"), Expected::pod_peer("x/a"), false));
  expect_table(c, kTcp81, Expected().all_ingress("x/a", false));
}

TEST(NetpolE2E, EgressOnOneNamedPort) {
  auto c = build(np("x", "allow-egress", "  podSelector: {}\n  policyTypes: [Egress]\n  egress: [{ports: [{port: serve-80-tcp}]}]"));
  expect_table(c, kTcp80, Expected());
  expect_table(c, kTcp81, Expected().peer(ns("x"), kAny, false));
}

TEST(NetpolE2E, UpdatedPolicyAllowAllToDenyAll) {
  auto before = build(np("x", "allow-all-mutate-to-deny-all", "  podSelector: {}\n  ingress: [{}]"));
  expect_table(before, kTcp81, Expected());
  auto after = build(np("x", "allow-all-mutate-to-deny-all", "  podSelector: {}\n  ingress: []"));
  expect_table(after, kTcp81, Expected().peer(kAny, ns("x"), false));
}

TEST(NetpolE2E, IngressFromUpdatedNamespace) {
  std::string policy = np("x", "allow-client-a-via-ns-selector", R"(  podSelector: {matchLabels: {pod: a}}
  ingress: [{from: [{namespaceSelector: {matchLabels: {ns2: updated}}}]}])");
  expect_table(build(policy), kTcp80, Expected().all_ingress("x/a", false));
  ModelOptions labelled;
  labelled.namespace_labels["y"] = {{"ns2", "updated"}};
  expect_table(build(policy, labelled), kTcp80,
               Expected().all_ingress("x/a", false).peer(ns("y"), kAny, true));
}

TEST(NetpolE2E, IngressFromUpdatedPod) {
  std::string policy = np("x", "allow-client-a-via-pod-selector", R"(  podSelector: {matchLabels: {pod: a}}
  ingress: [{from: [{podSelector: {matchLabels: {pod: b, pod2: updated}}}]}])");
  expect_table(build(policy), kTcp80, Expected().all_ingress("x/a", false));
  ModelOptions labelled;
  labelled.pod_labels["x/b"] = {{"pod2", "updated"}};
  expect_table(build(policy, labelled), kTcp80,
               Expected().all_ingress("x/a", false).one("x/b", "x/a", true));
}

TEST(NetpolE2E, DenyIngressFromPodsOnOtherNamespaces) {
  auto c = build(np("x", "deny-empty-policy", "  podSelector: {}\n  ingress: [{from: [{podSelector: {}}]}]"));
  expect_table(c, kTcp80, Expected().peer(ns("y"), ns("x"), false).peer(ns("z"), ns("x"), false));
}

TEST(NetpolE2E, DenyIngressAccessToUpdatedPod) {
  std::string policy = np("x", "deny-ingress-via-label-selector",
                          "  podSelector: {matchLabels: {target: isolated}}\n  ingress: []");
  expect_table(build(policy), kTcp80, Expected());
  ModelOptions labelled;
  labelled.pod_labels["x/a"] = {{"target", "isolated"}};
  expect_table(build(policy, labelled), kTcp80, Expected().all_ingress("x/a", false));
}

TEST(NetpolE2E, DenyEgressFromPodsByPodSelector) {
  auto c = build(np("x", "deny-egress-pod-a", "  podSelector: {matchLabels: {pod: a}}\n  policyTypes: [Egress]"));
  expect_table(c, kTcp80, Expected().all_egress("x/a", false));
}

TEST(NetpolE2E, DenyEgressFromAllPodsInANamespace) {
  auto c = build(np("x", "deny-egress-ns-x", "  podSelector: {}\n  policyTypes: [Egress]"));
  expect_table(c, kTcp80, Expected().peer(ns("x"), kAny, false));
}

TEST(NetpolE2E, IngressAndEgressSpecifiedTogether) {
  auto c = build(np("x", "allow-client-a-via-pod-selector", R"(  podSelector: {matchLabels: {pod: a}}
  policyTypes: [Egress, Ingress]
  ingress: [{from: [{podSelector: {matchLabels: {pod: b}}}]}]
  egress: [{ports: [{port: 80}]}])"));
  expect_table(c, kTcp80, Expected().all_ingress("x/a", false).one("x/b", "x/a", true));
  expect_table(c, kTcp81, Expected().all_ingress("x/a", false).all_egress("x/a", false).one("x/b", "x/a", true));
}

TEST(NetpolE2E, EgressDeniedOnClientEvenIfServerAllows) {
  std::string from_xa = R"(  ingress:
    - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: x}}, podSelector: {matchLabels: {pod: a}}}])";
  auto c = build(np("x", "allow-to-ns-y-pod-a", R"(  podSelector: {matchLabels: {pod: a}}
  policyTypes: [Egress]
  egress:
    - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}, podSelector: {matchLabels: {pod: a}}}])") +
                 np("y", "allow-from-xa-on-ya-match-selector", "  podSelector: {matchLabels: {pod: a}}\n" + from_xa) +
                 np("y", "allow-from-xa-on-yb-match-selector", "  podSelector: {matchLabels: {pod: b}}\n" + from_xa));
  expect_table(c, kTcp80, Expected()
                              .peer(Expected::pod_peer("x/a"), kAny, false)
                              .peer(kAny, Expected::pod_peer("y/a"), false)
                              .one("x/a", "y/a", true)
                              .peer(kAny, Expected::pod_peer("y/b"), false));
}

TEST(NetpolE2E, EgressToServerInDifferentNamespaceByPodAndNamespaceSelector) {
  auto c = build(np("x", "allow-to-ns-y-pod-a", R"(  podSelector: {matchLabels: {pod: a}}
  policyTypes: [Egress]
  egress:
    - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}, podSelector: {matchLabels: {pod: a}}}])"));
  expect_table(c, kTcp80, Expected().all_egress("x/a", false).one("x/a", "y/a", true));
}

TEST(NetpolE2E, IngressAllowingAnyPortOnOneProtocol) {
  auto c = build(np("x", "allow-ingress-by-proto", "  podSelector: {matchLabels: {pod: a}}\n  ingress: [{ports: [{protocol: TCP}]}]"));
  expect_table(c, kTcp80, Expected());
  expect_table(c, kUdp80, Expected().all_ingress("x/a", false));
}

TEST(NetpolE2E, IngressAllowAllTakesPrecedence) {
  std::string only80 = np("x", "allow-ingress-port-80", "  podSelector: {}\n  ingress: [{ports: [{port: 80}]}]");
  expect_table(build(only80), kTcp81, Expected().peer(kAny, ns("x"), false));
  expect_table(build(only80 + np("x", "allow-ingress", "  podSelector: {}\n  ingress: [{}]")), kTcp81, Expected());
}

TEST(NetpolE2E, EgressAllowAllTakesPrecedence) {
  std::string only80 = np("x", "allow-egress-port-80", "  podSelector: {}\n  policyTypes: [Egress]\n  egress: [{ports: [{port: 80}]}]");
  expect_table(build(only80), kTcp81, Expected().peer(ns("x"), kAny, false));
  expect_table(build(only80 + np("x", "allow-egress", "  podSelector: {}\n  policyTypes: [Egress]\n  egress: [{}]")), kTcp81, Expected());
}

TEST(NetpolE2E, StopEnforcingAfterDeletion) {
  expect_table(build(np("x", "deny-all", "  podSelector: {}\n  policyTypes: [Ingress, Egress]")), kTcp80,
               Expected().peer(ns("x"), kAny, false).peer(kAny, ns("x"), false));
  expect_table(build(""), kTcp80, Expected());
}

std::string pod_ip(const std::string& key) {
  auto c = build("");
  return c.pods[*c.find_pod(key)].ip.str();
}

TEST(NetpolE2E, EgressToServerInCidrBlock) {
  auto c = build(np("x", "allow-client-a-via-cidr-egress-rule", "  podSelector: {matchLabels: {pod: a}}\n  policyTypes: [Egress]\n"
                    "  egress: [{to: [{ipBlock: {cidr: " + pod_ip("y/b") + "/32}}]}]"));
  expect_table(c, kTcp80, Expected().all_egress("x/a", false).one("x/a", "y/b", true));
}

// makeLargeCIDRForIP in the suite: the address's /4 for IPv4.
std::string large_cidr(const std::string& ip) {
  auto v = core::Ipv4::parse(ip)->value & 0xF0000000u;
  return core::Ipv4{v}.str() + "/4";
}

TEST(NetpolE2E, ExceptClauseInCidrEgress) {
  std::string ip = pod_ip("x/b");
  auto c = build(np("x", "allow-client-a-via-cidr-egress-rule", "  podSelector: {matchLabels: {pod: a}}\n  policyTypes: [Egress]\n"
                    "  egress: [{to: [{ipBlock: {cidr: " + large_cidr(ip) + ", except: [" + ip + "/32]}}]}]"));
  expect_table(c, kTcp80, Expected().one("x/a", "x/b", false));
}

TEST(NetpolE2E, IpInBothCidrAndExceptIsAllowedByAnotherPolicy) {
  std::string ip = pod_ip("x/b");
  std::string with_except = np("x", "allow-client-a-via-cidr-egress-rule", "  podSelector: {matchLabels: {pod: a}}\n  policyTypes: [Egress]\n"
                    "  egress: [{to: [{ipBlock: {cidr: " + large_cidr(ip) + ", except: [" + ip + "/32]}}]}]");
  expect_table(build(with_except), kTcp80, Expected().one("x/a", "x/b", false));
  // The suite then replaces the policy with one allowing only x/b's address.
  auto c = build(np("x", "allow-client-a-via-cidr-egress-rule", "  podSelector: {matchLabels: {pod: a}}\n  policyTypes: [Egress]\n"
                    "  egress: [{to: [{ipBlock: {cidr: " + ip + "/32}}]}]"));
  expect_table(c, kTcp80, Expected().all_egress("x/a", false).one("x/a", "x/b", true));
}

TEST(NetpolE2E, IngressAndEgressControlledIndependently) {
  std::string egress = np("x", "allow-egress-for-target", "  podSelector: {matchLabels: {pod: a}}\n  policyTypes: [Egress]\n  egress: [{}]");
  expect_table(build(egress), kTcp80, Expected());
  auto c = build(egress + np("x", "deny-ingress-via-label-selector", "  podSelector: {matchLabels: {pod: a}}\n  ingress: []"));
  expect_table(c, kTcp80, Expected().all_ingress("x/a", false));
}

TEST(NetpolE2E, SctpIsNotTreatedAsTcp) {
  auto c = build(np("x", "deny-ingress", "  podSelector: {}\n  ingress: []") +
                 np("x", "allow-only-sctp-ingress-on-port-81", "  podSelector: {matchLabels: {pod: a}}\n"
                    "  ingress: [{ports: [{port: 81, protocol: SCTP}]}]"));
  expect_table(c, kTcp81, Expected().peer(kAny, ns("x"), false));
  expect_table(c, PortProto{81, Protocol::SCTP}, Expected().all_ingress("x/b", false).all_ingress("x/c", false));
}

TEST(NetpolE2E, EndPortRange) {
  auto c = build(np("x", "allow-80-81", "  podSelector: {}\n"
                    "  ingress: [{ports: [{port: 80, endPort: 81, protocol: TCP}]}]"));
  expect_table(c, kTcp80, Expected());
  expect_table(c, kTcp81, Expected());
  expect_table(c, kUdp80, Expected().peer(kAny, ns("x"), false));
}

TEST(NetpolE2E, FlannelEnforcesNothing) {
  ModelOptions flannel;
  flannel.cni = "flannel";
  auto c = build(np("x", "deny-ingress", "  podSelector: {}\n  ingress: []"), flannel);
  expect_table(c, kTcp80, Expected());
}

}  // namespace
}  // namespace knetsim::models::policy::e2e
