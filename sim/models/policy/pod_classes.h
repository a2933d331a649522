// Equivalence classes of pods for policy evaluation. Two pods are equivalent when no policy can
// tell them apart: same namespace (and so namespace labels), same pod labels, same host-network
// status (and node, for host-network pods, which `nodes` peers see), the same membership in every
// CIDR any policy mentions (ipBlock cidr/except, networks), and the same declared container ports
// (which resolve named ports). The matrix is then computed per class pair instead of per pod pair.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/core/cluster.h"

namespace knetsim::models::policy {

struct PodClasses {
  std::vector<uint32_t> class_of;          // indexed by PodId; kNoClass when not in the set
  std::vector<core::PodId> representative;  // indexed by class: the first pod of the class
  std::vector<uint32_t> members;            // pods per class
  size_t count() const { return representative.size(); }
  static constexpr uint32_t kNoClass = UINT32_MAX;
};

// Classes over `pods` (a subset of the cluster's pods; ids in ascending order give class ids in
// order of first appearance, so results are deterministic).
PodClasses compute_pod_classes(const core::Cluster& cluster, const std::vector<core::PodId>& pods);

// Every CIDR a policy of the cluster mentions, sorted and deduplicated.
std::vector<core::Cidr> policy_cidrs(const core::Cluster& cluster);

}  // namespace knetsim::models::policy
