// How kube-proxy's cost grows with the number of services: for each service count and mode, the
// node's rule/entry counts, the first-packet cost at p50/p99 over service positions (each
// service's cost averaged over its endpoints, as the random pick averages it), the established
// packet, and full and one-service-change sync times. The cluster is the scenario's, with its
// first `generate: services` entry resized.
#pragma once

#include <string>
#include <vector>

#include "sim/core/profile.h"
#include "sim/core/scenario.h"

namespace knetsim::models::kubeproxy {

struct ScalingRow {
  int services = 0;
  core::KubeProxyMode mode = core::KubeProxyMode::Iptables;
  size_t rules = 0;        // rules in the node's ruleset (iptables/nft rules; IPVS: its iptables)
  size_t entries = 0;      // set/map elements, IPVS virtual+real servers, BPF map entries
  int first_rules_p50 = 0;
  int first_rules_p99 = 0;
  double first_ns_p50 = 0;
  double first_ns_p99 = 0;
  double first_ns_p01 = 0;
  double established_ns = 0;
  double full_sync_ns = 0;
  double partial_sync_ns = 0;
};

// Throws core::ScenarioError when the scenario has no `generate: services` entry to resize.
std::vector<ScalingRow> scaling_table(const core::Scenario& scenario,
                                      const std::vector<int>& service_counts,
                                      const std::vector<core::KubeProxyMode>& modes,
                                      const core::Profile& profile);

// The service counts used when none are given: a ladder up to the scenario's own count.
std::vector<int> default_service_counts(const core::Scenario& scenario);

}  // namespace knetsim::models::kubeproxy
