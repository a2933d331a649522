#include "sim/core/cluster_network_policy.h"

namespace knetsim::core {

const char* policy_tier_name(PolicyTier t) { return t == PolicyTier::Admin ? "Admin" : "Baseline"; }

const char* cluster_policy_kind_name(ClusterPolicyKind k) {
  switch (k) {
    case ClusterPolicyKind::ClusterNetworkPolicy:
      return "ClusterNetworkPolicy";
    case ClusterPolicyKind::AdminNetworkPolicy:
      return "AdminNetworkPolicy";
    case ClusterPolicyKind::BaselineAdminNetworkPolicy:
      return "BaselineAdminNetworkPolicy";
  }
  return "?";
}

const char* policy_action_name(PolicyAction a, ClusterPolicyKind k) {
  switch (a) {
    case PolicyAction::Accept:
      return k == ClusterPolicyKind::ClusterNetworkPolicy ? "Accept" : "Allow";
    case PolicyAction::Deny:
      return "Deny";
    case PolicyAction::Pass:
      return "Pass";
  }
  return "?";
}

std::string NamespacedPodSelector::str() const {
  std::string s = "namespaces " + namespace_selector.str();
  if (pod_selector) s += ", pods " + pod_selector->str();
  return s;
}

std::string ClusterPolicyPort::str() const {
  if (!named.empty()) return named;
  std::string p = protocol_name(protocol);
  if (start == 0) return p;
  if (end == start) return std::to_string(start) + "/" + p;
  return std::to_string(start) + "-" + std::to_string(end) + "/" + p;
}

}  // namespace knetsim::core
