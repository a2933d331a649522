// kube-proxy's iptables mode: the filter and nat tables one node's kube-proxy writes with
// iptables-restore in a full sync, rule for rule as pkg/proxy/iptables/proxier.go
// (syncProxyRules, kube-proxy 1.33) writes them. Differences are listed in docs/MODELS.md
// (service order is the cluster's order, not Go map order; no topology hints).
#pragma once

#include <cstdint>
#include <vector>

#include "sim/core/cluster.h"
#include "sim/models/kubeproxy/iptables_ruleset.h"
#include "sim/models/kubeproxy/proxy_options.h"
#include "sim/models/kubeproxy/service_ports.h"

namespace knetsim::models::kubeproxy {

// kube-proxy drops per-endpoint comments above this many endpoints ("large cluster mode").
inline constexpr size_t kLargeClusterEndpointsThreshold = 1000;

struct IptablesIndex {
  // Per view.ports entry: 1-based position of its cluster-IP rule in nat KUBE-SERVICES, or 0 when
  // the cluster IP is rejected/dropped in filter KUBE-SERVICES instead.
  std::vector<uint32_t> services_position;
  bool large_cluster = false;
};

IptablesRuleSet compile_iptables(const NodeView& view, const ProxyOptions& opt,
                                 IptablesIndex* index = nullptr);
IptablesRuleSet compile_iptables(const core::Cluster& cluster, core::NodeId node);

// "%0.10f" of 1/n, as kube-proxy prints a statistic probability.
std::string iptables_probability(int n);

}  // namespace knetsim::models::kubeproxy
