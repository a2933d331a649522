#include "sim/models/policy/cni_enforcement.h"

namespace knetsim::models::policy {

Enforcement enforcement_of(const core::CniSpec& cni, bool has_network_policies,
                           bool has_cluster_policies) {
  Enforcement e;
  switch (cni.plugin) {
    case core::CniPlugin::Flannel:
      // Flannel is an overlay only; NetworkPolicy needs a policy agent (e.g. Calico as "Canal").
      e.network_policies = false;
      e.cluster_policies = false;
      break;
    case core::CniPlugin::Calico:
      break;  // NetworkPolicy; ANP/BANP/ClusterNetworkPolicy through Calico's tiers
    case core::CniPlugin::Cilium:
    case core::CniPlugin::Weave:
      e.cluster_policies = false;
      break;
  }
  std::string plugin = core::cni_plugin_name(cni.plugin);
  if (!e.network_policies && (has_network_policies || has_cluster_policies)) {
    e.warning = "WARNING: CNI plugin " + plugin +
                " does not enforce network policies: every connection is allowed in fact; the "
                "\"as written\" result shows what the policies say";
  } else if (!e.cluster_policies && has_cluster_policies) {
    e.warning = "WARNING: CNI plugin " + plugin +
                " does not implement the policy.networking.k8s.io cluster-scoped policies: "
                "they are ignored in the \"as enforced\" result";
  }
  return e;
}

}  // namespace knetsim::models::policy
