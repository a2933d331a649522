#include "sim/models/kubeproxy/node_rules.h"

#include "sim/models/kubeproxy/ebpf_compiler.h"
#include "sim/models/kubeproxy/iptables_compiler.h"
#include "sim/models/kubeproxy/ipvs_compiler.h"
#include "sim/models/kubeproxy/nftables_compiler.h"
#include "sim/models/kubeproxy/sync_model.h"
#include "sim/models/kubeproxy/userspace_compiler.h"

namespace knetsim::models::kubeproxy {

namespace {

TableCounts counts(const IptablesTable& t) {
  TableCounts c;
  c.chains = t.chain_count();
  c.rules = t.rule_count();
  c.by_chain = t.rules_by_chain();
  return c;
}

}  // namespace

size_t NodeRules::total_rules() const {
  size_t n = 0;
  for (const auto& [name, t] : tables) n += t.rules;
  return n;
}

size_t NodeRules::total_set_entries() const {
  size_t n = 0;
  for (const auto& [name, e] : sets) n += e;
  return n;
}

std::string chain_family(const std::string& chain) {
  for (const char* p : {"KUBE-SVC-", "KUBE-SVL-", "KUBE-SEP-", "KUBE-EXT-", "KUBE-FW-", "service-",
                        "local-", "external-", "endpoint-", "firewall-"}) {
    std::string prefix(p);
    // nftables per-service chains contain a '/', its base chains (e.g. firewall-check) do not.
    bool nft = prefix.back() == '-' && prefix[0] >= 'a' && prefix[0] <= 'z';
    if (chain.rfind(prefix, 0) == 0 && (!nft || chain.find('/') != std::string::npos)) {
      return prefix + "*";
    }
  }
  return chain;
}

NodeRules summarize_node(const core::Cluster& cluster, core::NodeId node, core::KubeProxyMode mode,
                         const ProxyOptions& opt, const core::Profile* profile,
                         SyncEstimate* sync) {
  NodeRules r;
  r.node = node < cluster.nodes.size() ? cluster.nodes[node].name : "";
  r.mode = mode;
  NodeView view = build_node_view(cluster, node);
  const size_t ports = view.ports.size();
  const bool est = profile != nullptr && sync != nullptr;
  switch (mode) {
    case core::KubeProxyMode::Iptables: {
      IptablesRuleSet rs = compile_iptables(view, opt);
      r.tables["filter"] = counts(rs.filter);
      r.tables["nat"] = counts(rs.nat);
      if (est) *sync = estimate_iptables_sync(rs, ports, *profile);
      break;
    }
    case core::KubeProxyMode::Nftables: {
      NftRuleSet rs = compile_nftables(view, opt);
      TableCounts t;
      t.chains = rs.chains().size();
      t.rules = rs.rule_count();
      t.by_chain = rs.rules_by_chain();
      r.tables["kube-proxy"] = std::move(t);
      for (const auto& s : rs.sets()) r.sets[s.name] = s.elements.size();
      if (est) *sync = estimate_nftables_sync(rs, ports, *profile);
      break;
    }
    case core::KubeProxyMode::Ipvs: {
      IpvsState st = compile_ipvs(view, opt);
      r.tables["filter"] = counts(st.iptables.filter);
      r.tables["nat"] = counts(st.iptables.nat);
      r.has_ipvs = true;
      r.virtual_servers = st.virtual_servers.size();
      r.real_servers = st.real_server_count();
      for (const auto& s : st.ipsets) r.sets[s.name] = s.entries.size();
      r.sets["kube-ipvs0 addresses"] = st.bound_addresses.size();
      if (est) *sync = estimate_ipvs_sync(st, ports, *profile);
      break;
    }
    case core::KubeProxyMode::Ebpf: {
      BpfState st = compile_ebpf(view, opt);
      r.sets["cilium_lb4_services_v2"] = st.service_map_entries();
      r.sets["cilium_lb4_backends_v3"] = st.backend_map_entries();
      r.sets["cilium_lb4_reverse_nat"] = st.rev_nat_entries();
      r.sets["cilium_lb4_affinity_match"] = st.affinity_match_entries();
      if (est) *sync = estimate_ebpf_sync(st, ports, *profile);
      break;
    }
    case core::KubeProxyMode::Userspace: {
      UserspaceState st = compile_userspace(view, opt);
      r.tables["filter"] = counts(st.iptables.filter);
      r.tables["nat"] = counts(st.iptables.nat);
      r.proxy_sockets = st.sockets.size();
      if (est) *sync = estimate_userspace_sync(st, ports, *profile);
      break;
    }
  }
  return r;
}

std::optional<DumpKind> parse_dump_kind(const std::string& s) {
  if (s == "iptables") return DumpKind::Iptables;
  if (s == "nft" || s == "nftables") return DumpKind::Nft;
  if (s == "ipvs") return DumpKind::Ipvs;
  if (s == "ipvsadm") return DumpKind::Ipvsadm;
  if (s == "ipset") return DumpKind::Ipset;
  if (s == "ebpf" || s == "bpf") return DumpKind::Ebpf;
  if (s == "userspace") return DumpKind::Userspace;
  return std::nullopt;
}

std::string dump_node(const core::Cluster& cluster, core::NodeId node, DumpKind kind,
                      const ProxyOptions& opt) {
  NodeView view = build_node_view(cluster, node);
  switch (kind) {
    case DumpKind::Iptables:
      return compile_iptables(view, opt).dump();
    case DumpKind::Nft:
      return compile_nftables(view, opt).dump();
    case DumpKind::Ipvs: {
      IpvsState st = compile_ipvs(view, opt);
      return "# ipset restore input\n" + st.ipset_dump() + "# ipvsadm-restore input\n" +
             st.ipvsadm_dump() + "# kube-ipvs0 addresses\n" + st.dummy_interface_dump() +
             "# iptables-restore input (fixed IPVS-mode rules)\n" + st.iptables.dump();
    }
    case DumpKind::Ipvsadm:
      return compile_ipvs(view, opt).ipvsadm_dump();
    case DumpKind::Ipset:
      return compile_ipvs(view, opt).ipset_dump();
    case DumpKind::Ebpf:
      return compile_ebpf(view, opt).dump();
    case DumpKind::Userspace:
      return compile_userspace(view, opt).iptables.dump();
  }
  return "";
}

}  // namespace knetsim::models::kubeproxy
