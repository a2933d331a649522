#include "sim/models/kubeproxy/mode_rules.h"

#include "sim/models/kubeproxy/ebpf_compiler.h"
#include "sim/models/kubeproxy/ipvs_compiler.h"
#include "sim/models/kubeproxy/nftables_compiler.h"
#include "sim/models/kubeproxy/userspace_compiler.h"

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

// Rules in `chain` and how many of them test an ipset, up to and including the first rule
// whose text contains `stop` (all of them when `stop` is empty or absent).
struct Walked {
  int rules = 0;
  int set_lookups = 0;
};
Walked walk_chain(const IptablesTable& t, const std::string& chain, std::string_view stop = {}) {
  Walked w;
  for (size_t i = 0; i < t.rule_count(); ++i) {
    if (t.chain_name(t.rule_chain(i)) != chain) continue;
    std::string_view r = t.rule_args(i);
    ++w.rules;
    if (r.find("--match-set") != std::string_view::npos) ++w.set_lookups;
    if (!stop.empty() && r.find(stop) != std::string_view::npos) break;
  }
  return w;
}

FixedWalk ipvs_fixed(const NodeView& view, const ProxyOptions& opt) {
  // A pod's new connection to a cluster IP (bound to kube-ipvs0, so it is delivered locally
  // and IPVS takes it at LOCAL_IN):
  //   nat PREROUTING -> KUBE-SERVICES up to "--match-set KUBE-CLUSTER-IP dst,dst -j ACCEPT"
  //   filter INPUT: KUBE-IPVS-FILTER (to its KUBE-CLUSTER-IP RETURN), KUBE-PROXY-FIREWALL,
  //     KUBE-NODE-PORT (health-check set) — kube-proxy prepends them, so this is their order
  //   IPVS: virtual-service lookup + scheduling (one lookup, priced as ipvs_lookup_ns)
  //   nat POSTROUTING -> KUBE-POSTROUTING (KUBE-LOOP-BACK test, mark test)
  // Established packets skip nat but still walk the filter INPUT chains and hit the IPVS
  // connection table as well as conntrack.
  IpvsState st = compile_ipvs(view, opt);
  const auto& nat = st.iptables.nat;
  const auto& filter = st.iptables.filter;
  Walked svc = walk_chain(nat, "KUBE-SERVICES", "KUBE-CLUSTER-IP dst,dst -j ACCEPT");
  Walked ipvs_filter = walk_chain(filter, "KUBE-IPVS-FILTER", "KUBE-CLUSTER-IP dst,dst -j RETURN");
  Walked fw = walk_chain(filter, "KUBE-PROXY-FIREWALL");
  Walked np = walk_chain(filter, "KUBE-NODE-PORT");
  Walked post = walk_chain(nat, "KUBE-POSTROUTING", "-j RETURN");
  int input = 3 + ipvs_filter.rules + fw.rules + np.rules;
  int input_lookups = ipvs_filter.set_lookups + fw.set_lookups + np.set_lookups;
  FixedWalk w;
  w.new_rules = 1 + svc.rules + input + 1 + post.rules + (opt.masquerade_all ? 3 : 0);
  w.new_lookups = 1 + svc.set_lookups + input_lookups + 1 + post.set_lookups;
  w.affinity_lookups = 1;  // persistence template lookup
  w.established_rules = input;
  w.established_lookups = 2 + input_lookups;  // conntrack + IPVS connection entry
  w.unmatched_rules = 1 + walk_chain(nat, "KUBE-SERVICES").rules + input;
  w.total_rules = nat.rule_count() + filter.rule_count();
  return w;
}

FixedWalk ebpf_fixed(const NodeView& view, const ProxyOptions& opt) {
  // Socket-level LB: at connect() the program looks up the service map (master entry), then the
  // chosen backend slot, then the backend map; every packet then meets the BPF conntrack lookup.
  BpfState st = compile_ebpf(view, opt);
  FixedWalk w;
  w.new_rules = 0;
  w.new_lookups = 1 + 3;
  w.affinity_lookups = 1;  // affinity map
  w.established_rules = 0;
  w.established_lookups = 1;
  w.total_rules = st.service_map_entries();
  return w;
}

FixedWalk userspace_fixed(const NodeView& view, const ProxyOptions& opt) {
  // nat PREROUTING -> KUBE-PORTALS-CONTAINER up to the service's REDIRECT; the proxy process
  // then opens its own connection, which walks nat OUTPUT -> KUBE-PORTALS-HOST (no match) and
  // KUBE-NODEPORT-HOST; two conntrack entries, two sockets.
  UserspaceState st = compile_userspace(view, opt);
  auto nat = st.iptables.nat.rules_by_chain();
  int host = static_cast<int>(nat["KUBE-PORTALS-HOST"] + nat["KUBE-NODEPORT-HOST"]);
  FixedWalk w;
  w.userspace_position = st.portal_position;
  w.new_rules = 1 + 2 + host;
  w.new_lookups = 2;
  w.established_lookups = 2;
  w.unmatched_rules = 1 + static_cast<int>(nat["KUBE-PORTALS-CONTAINER"] +
                                           nat["KUBE-NODEPORT-CONTAINER"]);
  w.total_rules = st.iptables.nat.rule_count() + st.iptables.filter.rule_count();
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
      return ebpf_fixed(view, opt);
    case core::KubeProxyMode::Userspace:
      return userspace_fixed(view, opt);
    case core::KubeProxyMode::Iptables:
      break;
  }
  return FixedWalk{};
}

}  // namespace knetsim::models::kubeproxy
