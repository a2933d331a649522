// Fixed parts of the packet walk for the modes whose service dispatch is a hash lookup (nftables,
// IPVS, eBPF) or a redirect to a proxy process (userspace): how many rules and lookups a new and
// an established connection meet, derived from the rules each compiler writes.
#pragma once

#include <cstddef>
#include <vector>

#include "sim/core/scenario.h"
#include "sim/models/kubeproxy/proxy_options.h"
#include "sim/models/kubeproxy/service_ports.h"

namespace knetsim::models::kubeproxy {

struct FixedWalk {
  int new_rules = 0;        // rules a new connection is tested against, outside the endpoint pick
  int new_lookups = 1;      // hash lookups of a new connection, conntrack included
  int affinity_rules = 0;   // extra for ClientIP affinity
  int affinity_lookups = 0;
  int affinity_rules_per_endpoint = 0;    // nftables: one `ip saddr @affinity-…` test each
  int affinity_lookups_per_endpoint = 0;
  int per_endpoint_step = 0;
  int endpoint_tail = 0;    // rules in the chosen endpoint's chain
  int established_rules = 0;
  int established_lookups = 1;
  int unmatched_rules = 0;
  size_t total_rules = 0;
  std::vector<int> userspace_position;  // userspace: 1-based rule position per view.ports entry
};

FixedWalk fixed_walk(core::KubeProxyMode mode, const NodeView& view, const ProxyOptions& opt);

}  // namespace knetsim::models::kubeproxy
