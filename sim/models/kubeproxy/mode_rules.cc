#include "sim/models/kubeproxy/mode_rules.h"

#include "sim/models/kubeproxy/nftables_compiler.h"

namespace knetsim::models::kubeproxy {

namespace {

FixedWalk nftables_fixed(const NodeView& view, const ProxyOptions& opt) {
  // A pod's new connection to a cluster IP, walked through the compiled table:
  //   filter-prerouting: ct state new -> firewall-check (vmap @firewall-ips, miss)
  //   nat-prerouting: jump services -> vmap @service-ips -> service chain: masquerade test,
  //     [affinity set tests], numgen vmap -> endpoint chain: loop-back test, [affinity update], dnat
  //   filter-forward: ct state new -> service-endpoints-check (vmap @no-endpoint-services, miss),
  //     ct state new -> cluster-ips-check (@cluster-ips, service CIDR drop: both miss after DNAT)
  //   nat-postrouting: jump masquerading -> mark test (3 rules when marked)
  NftRuleSet rs = compile_nftables(view, opt);
  auto n = rs.rules_by_chain();
  auto in = [&](const char* c) { return static_cast<int>(n[c]); };
  FixedWalk w;
  bool marked = opt.masquerade_all;
  int prerouting = 1 + in("firewall-check");
  int nat = 1 + 1 + (opt.masquerade_all || opt.cluster_cidr ? 1 : 0) + 1 + (marked ? 1 : 0);
  int forward = 1 + in("service-endpoints-check") + 1 + in("cluster-ips-check");
  int post = 1 + (marked ? in("masquerading") : 1);
  w.new_rules = prerouting + nat + forward + post;
  // conntrack, @firewall-ips, @service-ips, numgen vmap, @no-endpoint-services, @cluster-ips and
  // the service-CIDR set.
  w.new_lookups = 1 + 1 + 1 + 1 + 1 + in("cluster-ips-check");
  w.affinity_rules = 1;  // the endpoint's `update @affinity` (set tests are added per endpoint)
  w.affinity_lookups = 1;
  w.affinity_rules_per_endpoint = 1;
  w.affinity_lookups_per_endpoint = 1;
  w.endpoint_tail = 2;
  // Established: the three `ct state new` jumps are tested and miss; nat is not consulted.
  w.established_rules = 3;
  w.established_lookups = 1;
  w.unmatched_rules = prerouting + 2 + forward;
  w.total_rules = rs.rule_count();
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
