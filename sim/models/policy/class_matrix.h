// The class-compressed engine: for every port and every class, the set of classes its egress
// admits and the set of classes its ingress admits, computed with whole-bitset operations over
// classes (one OR per policy rule) rather than per pod pair. Tier semantics are those of
// direct_evaluator.h; the property test checks the two agree on random clusters.
#pragma once

#include <compare>
#include <string>
#include <vector>

#include "sim/core/cluster.h"
#include "sim/models/policy/bitset.h"
#include "sim/models/policy/pod_classes.h"

namespace knetsim::models::policy {

struct PortProto {
  int port = 0;
  core::Protocol protocol = core::Protocol::TCP;
  // "TCP/80": the key of the JSON matrix and the column header of tables.
  std::string key() const { return std::string(core::protocol_name(protocol)) + "/" + std::to_string(port); }
  auto operator<=>(const PortProto&) const = default;
};

struct ClassMatrix {
  std::vector<Bits> egress_to;     // [src class] -> destination classes its egress admits
  std::vector<Bits> ingress_from;  // [dst class] -> source classes its ingress admits
  bool allowed(uint32_t src, uint32_t dst) const {
    return egress_to[src].test(dst) && ingress_from[dst].test(src);
  }
};

// One ClassMatrix per entry of `ports`.
std::vector<ClassMatrix> compute_class_matrices(const core::Cluster& cluster,
                                                const PodClasses& classes,
                                                const std::vector<PortProto>& ports,
                                                bool include_cluster_policies);

}  // namespace knetsim::models::policy
