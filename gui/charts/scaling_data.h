// The kube-proxy scaling charts computed from the models, no simulation run needed: how many
// rules a node holds and what the first packet of a connection costs as the number of services
// grows, per kube-proxy mode (iptables grows linearly, IPVS/nftables/eBPF stay flat). Each point
// compiles a synthetic cluster (the scenario `generate:` section) and asks
// models::kubeproxy::DatapathCost; nothing here models anything itself.
#pragma once

#include <vector>

#include "gui/charts/chart_spec.h"
#include "sim/core/cluster.h"
#include "sim/core/profile.h"
#include "sim/core/scenario.h"

namespace knetsim::gui {

struct ScalingPoint {
  core::KubeProxyMode mode = core::KubeProxyMode::Iptables;
  int services = 0;
  size_t rules = 0;                 // rules on one node (all tables)
  double first_packet_rules = 0;    // mean over services of rules evaluated by a first packet
  double first_packet_lookups = 0;  // mean hash lookups
  double first_packet_ns = 0;       // mean CPU ns (calibration profile)
};

// The mean first-packet cost over every service (first port, first endpoint) of `cluster` on
// node 0, for cluster.kube_proxy.mode.
ScalingPoint measure_cluster(const core::Cluster& cluster, const core::Profile& profile);

// One synthetic 3-node cluster per service count, each measured in every mode.
std::vector<ScalingPoint> compute_rule_scaling(const std::vector<int>& service_counts,
                                               const std::vector<core::KubeProxyMode>& modes,
                                               int endpoints_per_service = 10);

// "rules_vs_services" and "first_packet_vs_services" (rules evaluated and CPU ns).
std::vector<ChartSpec> scaling_charts(const std::vector<ScalingPoint>& points);

// For an open scenario: rules per node and mean first-packet cost in every mode (bar charts).
std::vector<ChartSpec> cluster_mode_charts(const core::Cluster& cluster,
                                           const core::Profile& profile,
                                           const std::vector<core::KubeProxyMode>& modes);

// The modes DatapathCost models, in display order.
std::vector<core::KubeProxyMode> all_modes();

}  // namespace knetsim::gui
