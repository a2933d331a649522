// Which policies the cluster's CNI actually enforces. A policy object is only text until a
// dataplane implements it: Flannel alone implements none, so every connection is allowed in fact
// whatever the policies say; Cilium and Weave Net implement NetworkPolicy but not the
// network-policy-api kinds; Calico implements both (its adminnetworkpolicy / kube-admin tiers).
// Reachability reports "as written" and "as enforced" and warns whenever they can differ.
#pragma once

#include <string>

#include "sim/core/scenario.h"

namespace knetsim::models::policy {

struct Enforcement {
  bool network_policies = true;
  bool cluster_policies = true;
  // Empty when everything written is enforced; otherwise the warning every output carries.
  std::string warning;
};

// `has_network_policies` / `has_cluster_policies`: whether the cluster defines any, so the
// warning is only raised when something written goes unenforced.
Enforcement enforcement_of(const core::CniSpec& cni, bool has_network_policies,
                           bool has_cluster_policies);

}  // namespace knetsim::models::policy
