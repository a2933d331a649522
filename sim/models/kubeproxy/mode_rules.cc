#include "sim/models/kubeproxy/mode_rules.h"

namespace knetsim::models::kubeproxy {

namespace {

FixedWalk nftables_fixed(const NodeView& view, const ProxyOptions& opt) {
  FixedWalk w;
  // filter-prerouting: ct state new -> firewall-check (vmap @firewall-ips)
  // nat-prerouting: jump services -> vmap @service-ips -> service chain: masquerade test,
  //   numgen vmap -> endpoint chain: loop-back masquerade test, dnat
  // filter-forward: ct state new -> service-endpoints-check (vmap @no-endpoint-services),
  //   ct state new -> cluster-ips-check (@cluster-ips)
  // nat-postrouting: jump masquerading -> mark test
  w.new_rules = 2 + 2 + (opt.masquerade_all || opt.cluster_cidr ? 1 : 0) + 1 + 4 + 2;
  w.new_lookups = 1 + 1 + 1 + 1 + 1 + 1;
  w.affinity_rules = 1;
  w.affinity_lookups = 1;
  w.endpoint_tail = 2;
  w.established_rules = 3;
  w.established_lookups = 1;
  w.unmatched_rules = 2 + 2 + 4 + 2;
  for (const auto& sp : view.ports) w.total_rules += 2 + sp.reachable_eps.size() * 2;
  return w;
}

FixedWalk ipvs_fixed(const NodeView& view, const ProxyOptions& opt) {
  FixedWalk w;
  // nat PREROUTING -> KUBE-SERVICES: masquerade test (@KUBE-CLUSTER-IP), node-port test,
  // accept (@KUBE-CLUSTER-IP); IPVS virtual-service lookup + scheduling; filter FORWARD ->
  // KUBE-FORWARD (3); nat POSTROUTING -> KUBE-POSTROUTING (@KUBE-LOOP-BACK, mark test).
  w.new_rules = 1 + 3 + 1 + 3 + 1 + 2;
  w.new_lookups = 1 + 2 + 1 + 1;
  w.affinity_rules = 0;
  w.affinity_lookups = 1;  // IPVS persistence template lookup
  w.endpoint_tail = 0;
  w.established_rules = 5;
  w.established_lookups = 2;  // conntrack + IPVS connection entry
  w.unmatched_rules = w.new_rules;
  w.total_rules = 20;
  (void)view;
  (void)opt;
  return w;
}

FixedWalk ebpf_fixed(const NodeView& view) {
  FixedWalk w;
  // Socket-level LB at connect(): service map, backend map; per packet: BPF conntrack.
  w.new_rules = 0;
  w.new_lookups = 1 + 2;
  w.affinity_lookups = 1;
  w.established_rules = 0;
  w.established_lookups = 1;
  for (const auto& sp : view.ports) w.total_rules += 1 + sp.reachable_eps.size();
  return w;
}

FixedWalk userspace_fixed(const NodeView& view) {
  FixedWalk w;
  // nat PREROUTING -> KUBE-PORTALS-CONTAINER up to the service's REDIRECT; the proxy's own
  // connection to the endpoint walks KUBE-PORTALS-HOST (no match) in nat OUTPUT.
  int position = 0;
  w.userspace_position.assign(view.ports.size(), 0);
  for (size_t i = 0; i < view.ports.size(); ++i) {
    position += 1 + static_cast<int>(view.ports[i].external_ips.size() + view.ports[i].lb_vips.size());
    w.userspace_position[i] = position - static_cast<int>(view.ports[i].external_ips.size() +
                                                         view.ports[i].lb_vips.size());
  }
  w.new_rules = 1 + 1 + position;
  w.new_lookups = 2;  // client -> proxy and proxy -> endpoint conntrack entries
  w.established_lookups = 2;
  w.unmatched_rules = 1 + position;
  w.total_rules = static_cast<size_t>(position) * 2;
  return w;
}

}  // namespace

FixedWalk fixed_walk(core::KubeProxyMode mode, const NodeView& view, const ProxyOptions& opt) {
  switch (mode) {
    case core::KubeProxyMode::Nftables:
      return nftables_fixed(view, opt);
    case core::KubeProxyMode::Ipvs:
      return ipvs_fixed(view, opt);
    case core::KubeProxyMode::Ebpf:
      return ebpf_fixed(view);
    case core::KubeProxyMode::Userspace:
      return userspace_fixed(view);
    case core::KubeProxyMode::Iptables:
      break;
  }
  return FixedWalk{};
}

}  // namespace knetsim::models::kubeproxy
