// Cluster-scoped policies of the network-policy-api project (policy.networking.k8s.io):
// ClusterNetworkPolicy (v1alpha2, tiers Admin/Baseline, Accept/Deny/Pass) and the older
// AdminNetworkPolicy / BaselineAdminNetworkPolicy (v1alpha1, Allow/Deny/Pass), held in one shape
// because they share their semantics: rules are evaluated in order inside a policy, policies by
// priority inside a tier, and the first matching rule decides. ANP "Allow" is stored as Accept.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/core/ip.h"
#include "sim/core/labels.h"
#include "sim/core/protocol.h"
#include "sim/core/source_ref.h"

namespace knetsim::core {

enum class PolicyTier { Admin, Baseline };
enum class PolicyAction { Accept, Deny, Pass };
enum class ClusterPolicyKind {
  ClusterNetworkPolicy,
  AdminNetworkPolicy,
  BaselineAdminNetworkPolicy
};

const char* policy_tier_name(PolicyTier t);
const char* cluster_policy_kind_name(ClusterPolicyKind k);
// The action as the policy's own API spells it (ANP/BANP: Allow; CNP: Accept).
const char* policy_action_name(PolicyAction a, ClusterPolicyKind k);

// A subject or a pod/namespace peer: pods in namespaces matching namespace_selector and, when
// pod_selector is set (the `pods` form), whose labels match it. The `namespaces` form leaves
// pod_selector empty (every pod). Host-network pods are never selected.
struct NamespacedPodSelector {
  LabelSelector namespace_selector;
  std::optional<LabelSelector> pod_selector;
  std::string str() const;
};

// One peer: exactly one of pods (namespaces/pods forms), nodes, networks or domain names.
struct ClusterPolicyPeer {
  std::optional<NamespacedPodSelector> pods;
  std::optional<LabelSelector> nodes;     // egress only: the node IPs of matching nodes
  std::vector<Cidr> networks;             // egress only
  std::vector<std::string> domain_names;  // egress only; not resolvable offline (matches nothing)
};

// One port match. named: a destination container port name (any protocol the pod declares it
// with); otherwise protocol with a port range [start, end]; start == 0 means every port.
struct ClusterPolicyPort {
  Protocol protocol = Protocol::TCP;
  int start = 0;
  int end = 0;
  std::string named;
  std::string str() const;
};

struct ClusterPolicyRule {
  std::string name;
  PolicyAction action = PolicyAction::Accept;
  std::vector<ClusterPolicyPeer> peers;  // never empty (the API requires at least one)
  std::vector<ClusterPolicyPort> ports;  // empty: every port and protocol
  SourceRef source;
};

struct ClusterNetworkPolicy {
  ClusterPolicyKind kind = ClusterPolicyKind::ClusterNetworkPolicy;
  std::string name;
  PolicyTier tier = PolicyTier::Admin;
  int priority = 0;  // 0..1000, lower first; BANP has none (0)
  NamespacedPodSelector subject;
  std::vector<ClusterPolicyRule> ingress;
  std::vector<ClusterPolicyRule> egress;
  SourceRef source;

  // "ClusterNetworkPolicy/name", "AdminNetworkPolicy/name", ...
  std::string key() const { return std::string(cluster_policy_kind_name(kind)) + "/" + name; }
};

}  // namespace knetsim::core
