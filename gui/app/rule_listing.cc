#include "gui/app/rule_listing.h"

#include <fmt/format.h>

#include <sstream>

#include "sim/models/kubeproxy/ebpf_compiler.h"
#include "sim/models/kubeproxy/iptables_compiler.h"
#include "sim/models/kubeproxy/ipvs_compiler.h"
#include "sim/models/kubeproxy/nftables_compiler.h"
#include "sim/models/kubeproxy/userspace_compiler.h"

namespace knetsim::gui {
namespace {

void add_table(const models::kubeproxy::IptablesTable& t, RuleListing& out) {
  size_t first = out.chains.size();
  for (uint32_t c = 0; c < t.chain_count(); ++c) out.chains.push_back({t.name(), t.chain_name(c), {}});
  for (size_t i = 0; i < t.rule_count(); ++i) {
    uint32_t c = t.rule_chain(i);
    out.chains[first + c].rules.push_back("-A " + t.chain_name(c) + " " +
                                          std::string(t.rule_args(i)));
  }
}

void add_lines(const std::string& table, const std::string& chain, const std::string& text,
               RuleListing& out) {
  ChainListing c{table, chain, {}};
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) c.rules.push_back(line);
  out.chains.push_back(std::move(c));
}

void add_nft(const models::kubeproxy::NftRuleSet& rs, RuleListing& out) {
  size_t first = out.chains.size();
  for (const auto& c : rs.chains()) out.chains.push_back({"ip kube-proxy", c.name, {}});
  for (size_t i = 0; i < rs.rule_count(); ++i) {
    uint32_t c = rs.rule_chain(i);
    out.chains[first + c].rules.push_back("add rule ip kube-proxy " + rs.chains()[c].name + " " +
                                          std::string(rs.rule_text(i)));
  }
  // Sets and verdict maps: their elements are what a lookup searches (not walked in order).
  for (const auto& set : rs.sets()) {
    ChainListing c{set.is_map ? "maps (elements)" : "sets (elements)", set.name, {}};
    for (size_t i = 0; i < set.elements.size(); ++i)
      c.rules.push_back("element " + set.name + " { " + std::string(set.elements[i]) + " }");
    out.chains.push_back(std::move(c));
  }
}

}  // namespace

size_t RuleListing::total_rules() const {
  size_t n = 0;
  for (const auto& c : chains) n += c.rules.size();
  return n;
}

const ChainListing* RuleListing::find(const std::string& table, const std::string& chain) const {
  for (const auto& c : chains)
    if (c.table == table && c.chain == chain) return &c;
  return nullptr;
}

std::vector<core::KubeProxyMode> listable_modes() {
  return {core::KubeProxyMode::Iptables, core::KubeProxyMode::Ipvs, core::KubeProxyMode::Nftables,
          core::KubeProxyMode::Ebpf, core::KubeProxyMode::Userspace};
}

std::optional<RuleListing> rule_listing(const core::Cluster& cluster, core::NodeId node,
                                        core::KubeProxyMode mode) {
  if (node >= cluster.nodes.size()) return std::nullopt;
  RuleListing out;
  out.mode = mode;
  out.node = cluster.nodes[node].name;
  switch (mode) {
    case core::KubeProxyMode::Iptables: {
      auto rs = models::kubeproxy::compile_iptables(cluster, node);
      add_table(rs.filter, out);
      add_table(rs.nat, out);
      return out;
    }
    case core::KubeProxyMode::Nftables:
      add_nft(models::kubeproxy::compile_nftables(cluster, node), out);
      return out;
    case core::KubeProxyMode::Ipvs: {
      auto st = models::kubeproxy::compile_ipvs(cluster, node);
      add_lines("ipvs", "virtual servers (ipvsadm -S -n)", st.ipvsadm_dump(), out);
      for (const auto& set : st.ipsets) {
        ChainListing c{"ipset", set.name, {}};
        for (const auto& e : set.entries) c.rules.push_back("add " + set.name + " " + e);
        out.chains.push_back(std::move(c));
      }
      add_table(st.iptables.filter, out);
      add_table(st.iptables.nat, out);
      return out;
    }
    case core::KubeProxyMode::Ebpf:
      add_lines("bpf", "lb4 services and backends", models::kubeproxy::compile_ebpf(cluster, node).dump(),
                out);
      return out;
    case core::KubeProxyMode::Userspace: {
      auto st = models::kubeproxy::compile_userspace(cluster, node);
      ChainListing socks{"proxy process", "listening sockets", {}};
      for (const auto& sk : st.sockets)
        socks.rules.push_back(fmt::format("{} {} port {} -> {} backends", sk.service,
                                          core::protocol_name(sk.protocol), sk.proxy_port,
                                          sk.backends));
      out.chains.push_back(std::move(socks));
      add_table(st.iptables.filter, out);
      add_table(st.iptables.nat, out);
      return out;
    }
  }
}

}  // namespace knetsim::gui
