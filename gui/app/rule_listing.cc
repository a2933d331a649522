#include "gui/app/rule_listing.h"

#include "sim/models/kubeproxy/iptables_compiler.h"

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

std::vector<core::KubeProxyMode> listable_modes() { return {core::KubeProxyMode::Iptables}; }

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
    default:
      return std::nullopt;
  }
}

}  // namespace knetsim::gui
