// Synthetic clusters with random labels, ports and policies, for the property test (the
// class-compressed engine against the pair-by-pair one) and the scale benchmark. Deterministic:
// one seed gives one scenario. Objects are built directly (no YAML) so 10,000 pods build quickly.
#pragma once

#include <cstdint>

#include "sim/core/scenario.h"

namespace knetsim::models::policy {

struct SyntheticSpec {
  int namespaces = 4;
  int pods = 40;
  int network_policies = 10;
  int cluster_policies = 4;  // ClusterNetworkPolicy (both tiers) and ANP/BANP mixed
  int apps = 6;              // distinct `app` label values
  int teams = 3;             // distinct namespace `team` label values
  double host_network_fraction = 0.05;
  double ip_block_probability = 0.15;  // per peer
  bool flannel = false;
  // Pods come in workloads of this many replicas sharing labels and ports (a Deployment).
  int pods_per_workload = 1;
  // true: ipBlocks/networks name external ranges as operators write them (0.0.0.0/0 except the
  // cluster ranges, metadata endpoints, documentation ranges); false: also cut through the pod
  // CIDR at random prefixes, which splits classes (adversarial, for the property test).
  bool realistic_ip_blocks = false;
};

core::Scenario synthetic_scenario(const SyntheticSpec& spec, uint64_t seed);

}  // namespace knetsim::models::policy
