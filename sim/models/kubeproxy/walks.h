// The path a packet to a Service takes through one node's kube-proxy state, per mode, as counts:
// which rules it is tested against and which hash lookups it makes, for the first packet of a
// connection and for an established one. DatapathCost prices these with the profile; the
// counts come from the same compiled rulesets `knetsim rules` prints.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/core/scenario.h"
#include "sim/models/kubeproxy/proxy_options.h"
#include "sim/models/kubeproxy/service_ports.h"

namespace knetsim::models::kubeproxy {

struct PortWalk {
  // Rules tested before the endpoint choice, plus the fixed rules after it (filter, postrouting);
  // -1 when the port's traffic is rejected/dropped here (no usable endpoint).
  int rules_before_endpoint = -1;
  int lookups = 0;                  // hash lookups, including the conntrack lookup
  std::vector<uint32_t> chain_eps;  // endpoints in the order the dispatch tries them
  int per_endpoint_step = 0;        // rules per endpoint tried (iptables: one statistic rule)
  int endpoint_tail = 0;            // rules in the endpoint's own chain (SEP: 2)
  int endpoint_rules(size_t k) const {
    return per_endpoint_step * static_cast<int>(k + 1) + endpoint_tail;
  }
};

struct ModeWalk {
  std::vector<PortWalk> ports;  // parallel to NodeView::ports
  int established_rules = 0;
  int established_lookups = 1;
  int unmatched_rules = 0;  // a new connection no service rule accepts
  size_t total_rules = 0;   // rules in the node's ruleset (all tables)
};

ModeWalk mode_walk(core::KubeProxyMode mode, const NodeView& view, const ProxyOptions& opt);

}  // namespace knetsim::models::kubeproxy
