#include "sim/models/kubeproxy/datapath_cost.h"

#include <algorithm>

#include "sim/models/kubeproxy/iptables_compiler.h"
#include "sim/models/kubeproxy/service_ports.h"
#include "sim/models/kubeproxy/walks.h"

namespace knetsim::models::kubeproxy {

DatapathConstants DatapathConstants::from(const core::Profile& p) {
  DatapathConstants k;
  k.iptables_rule_ns = p.get("iptables_rule_eval_ns");
  k.nft_rule_ns = p.get("nft_rule_eval_ns");
  k.nft_lookup_ns = p.get("nft_map_lookup_ns");
  k.ipset_lookup_ns = p.get("ipset_lookup_ns");
  k.ipvs_lookup_ns = p.get("ipvs_lookup_ns");
  k.bpf_lookup_ns = p.get("bpf_map_lookup_ns");
  k.conntrack_lookup_ns = p.get("conntrack_lookup_ns");
  k.conntrack_create_ns = p.get("conntrack_create_ns");
  k.userspace_proxy_ns = p.get("userspace_proxy_connection_ns");
  k.userspace_copy_ns = p.get("userspace_proxy_copy_ns");
  return k;
}

DatapathCost::DatapathCost(const core::Cluster& cluster, core::NodeId node,
                           const core::Profile& profile)
    : mode_(cluster.kube_proxy.mode), k_(DatapathConstants::from(profile)) {
  NodeView view = build_node_view(cluster, node);
  ProxyOptions opt = ProxyOptions::for_cluster(cluster);
  ModeWalk walk = mode_walk(mode_, view, opt);
  total_rules_ = walk.total_rules;
  first_port_ = view.first_port_of_service;
  ports_.resize(view.ports.size());
  for (size_t i = 0; i < view.ports.size(); ++i) {
    const ServicePortInfo& sp = view.ports[i];
    const PortWalk& pw = walk.ports[i];
    PortCost& pc = ports_[i];
    pc.rules = pw.rules_before_endpoint;
    pc.lookups = pw.lookups;
    size_t n_backends = 0;
    for (const auto& e : sp.endpoints) n_backends = std::max<size_t>(n_backends, e.backend_index + 1);
    pc.per_backend.assign(n_backends, -1);
    for (size_t k = 0; k < pw.chain_eps.size(); ++k) {
      const EndpointInfo& e = sp.endpoints[pw.chain_eps[k]];
      pc.per_backend[e.backend_index] = pw.endpoint_rules(k);
    }
  }
  established_rules_ = walk.established_rules;
  established_lookups_ = walk.established_lookups;
  unknown_service_rules_ = walk.unmatched_rules;
}

PacketCost DatapathCost::finish(int rules, int lookups, bool new_connection) const {
  PacketCost c;
  c.rules_evaluated = rules;
  c.lookups = lookups;
  double rule_ns = mode_ == core::KubeProxyMode::Nftables ? k_.nft_rule_ns : k_.iptables_rule_ns;
  double lookup_ns = 0;
  switch (mode_) {
    case core::KubeProxyMode::Nftables:
      lookup_ns = k_.nft_lookup_ns;
      break;
    case core::KubeProxyMode::Ipvs:
      lookup_ns = k_.ipset_lookup_ns;
      break;
    case core::KubeProxyMode::Ebpf:
      lookup_ns = k_.bpf_lookup_ns;
      rule_ns = 0;
      break;
    default:
      lookup_ns = 0;
  }
  // Every mode's lookups include one conntrack lookup (counted in `lookups`); it is priced as a
  // conntrack lookup, the rest at the mode's own lookup price.
  int mode_lookups = std::max(0, lookups - 1);
  c.cpu_ns = rules * rule_ns + mode_lookups * lookup_ns + k_.conntrack_lookup_ns;
  if (mode_ == core::KubeProxyMode::Ipvs) {
    // One of the IPVS lookups is IPVS's own (virtual service + scheduling for a new connection,
    // its connection table for an established one), priced on its own.
    c.cpu_ns += k_.ipvs_lookup_ns - k_.ipset_lookup_ns;
  }
  if (new_connection) c.cpu_ns += k_.conntrack_create_ns;
  if (mode_ == core::KubeProxyMode::Userspace) {
    c.cpu_ns += new_connection ? k_.userspace_proxy_ns : k_.userspace_copy_ns;
  }
  return c;
}

PacketCost DatapathCost::first_packet(core::ServiceId svc, size_t port_index,
                                      size_t endpoint_index) const {
  int32_t idx = -1;
  if (svc < first_port_.size() && first_port_[svc] >= 0) {
    size_t i = static_cast<size_t>(first_port_[svc]) + port_index;
    if (i < ports_.size()) idx = static_cast<int32_t>(i);
  }
  if (idx < 0 || ports_[idx].rules < 0) {
    // Nothing programmed for it (or no usable endpoint): the packet walks every rule it can
    // meet and is rejected or dropped.
    return finish(unknown_service_rules_, 1, true);
  }
  const PortCost& pc = ports_[idx];
  int extra = 0;
  if (endpoint_index < pc.per_backend.size() && pc.per_backend[endpoint_index] >= 0) {
    extra = pc.per_backend[endpoint_index];
  } else {
    // Not a programmed endpoint on this node: price the longest walk through the chain.
    for (int r : pc.per_backend) extra = std::max(extra, r);
  }
  return finish(pc.rules + extra, pc.lookups, true);
}

PacketCost DatapathCost::established_packet() const {
  return finish(established_rules_, established_lookups_, false);
}

}  // namespace knetsim::models::kubeproxy
