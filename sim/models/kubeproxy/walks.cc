#include "sim/models/kubeproxy/walks.h"

#include "sim/models/kubeproxy/iptables_compiler.h"
#include "sim/models/kubeproxy/mode_rules.h"

namespace knetsim::models::kubeproxy {

namespace {

// iptables mode, a pod on this node opening a connection to a cluster IP (routed, so nat
// PREROUTING, filter FORWARD, nat POSTROUTING):
//   nat PREROUTING     1 jump + KUBE-SERVICES up to the service's rule
//   KUBE-SVC/SVL       masquerade rule, affinity `recent` checks, statistic rules up to the pick
//   KUBE-SEP           2 (loop-back masquerade test, DNAT)
//   filter FORWARD     KUBE-PROXY-FIREWALL jump + chain, KUBE-FORWARD jump + 3, then the
//                      KUBE-SERVICES and KUBE-EXTERNAL-SERVICES jumps + chains (all miss)
//   nat POSTROUTING    1 jump + KUBE-POSTROUTING (1 RETURN, or 3 when marked for masquerade)
ModeWalk iptables_walk(const NodeView& view, const ProxyOptions& opt) {
  IptablesIndex index;
  IptablesRuleSet rs = compile_iptables(view, opt, &index);
  auto filter = rs.filter.rules_by_chain();
  auto nat = rs.nat.rules_by_chain();
  int fw = static_cast<int>(filter["KUBE-PROXY-FIREWALL"]);
  int fsvc = static_cast<int>(filter["KUBE-SERVICES"]);
  int fext = static_cast<int>(filter["KUBE-EXTERNAL-SERVICES"]);
  int fwd = static_cast<int>(filter["KUBE-FORWARD"]);
  int nsvc = static_cast<int>(nat["KUBE-SERVICES"]);
  ModeWalk w;
  w.total_rules = rs.filter.rule_count() + rs.nat.rule_count();
  auto forward_rules = [&](bool marked) {
    // KUBE-FORWARD: [INVALID drop], mark accept, established accept.
    int invalid = opt.conntrack_tcp_liberal ? 0 : 1;
    if (marked) return 1 + fw + 1 + invalid + 1;
    return 1 + fw + 1 + fwd + 1 + fsvc + 1 + fext;
  };
  bool masq_all = opt.masquerade_all;
  w.ports.resize(view.ports.size());
  for (size_t i = 0; i < view.ports.size(); ++i) {
    const ServicePortInfo& sp = view.ports[i];
    PortWalk& pw = w.ports[i];
    pw.lookups = 1;  // conntrack
    if (index.services_position[i] == 0) continue;
    const auto& eps = sp.internal_local ? sp.local_eps : sp.cluster_eps;
    int rules = 1 + static_cast<int>(index.services_position[i]);
    bool masq_rule = masq_all || opt.cluster_cidr.has_value();
    rules += masq_rule ? 1 : 0;
    rules += masq_all ? 1 : 0;  // KUBE-MARK-MASQ's MARK rule
    if (sp.affinity) rules += static_cast<int>(eps.size());
    rules += forward_rules(masq_all);
    rules += 1 + (masq_all ? 3 : 1);
    pw.rules_before_endpoint = rules;
    pw.chain_eps = eps;
    pw.per_endpoint_step = 1;
    pw.endpoint_tail = 2;
  }
  w.established_rules = 1 + 1 + (opt.conntrack_tcp_liberal ? 0 : 1) + 1 + 1;
  w.established_lookups = 1;
  w.unmatched_rules = 1 + nsvc + forward_rules(false) + 2;
  return w;
}

// The modes whose dispatch is a constant number of lookups: the counts come from their compiled
// rulesets' fixed parts (mode_rules.h).
ModeWalk constant_walk(core::KubeProxyMode mode, const NodeView& view, const ProxyOptions& opt) {
  FixedWalk fixed = fixed_walk(mode, view, opt);
  ModeWalk w;
  w.total_rules = fixed.total_rules;
  w.ports.resize(view.ports.size());
  for (size_t i = 0; i < view.ports.size(); ++i) {
    const ServicePortInfo& sp = view.ports[i];
    PortWalk& pw = w.ports[i];
    if (!sp.has_internal_endpoints()) {
      pw.lookups = fixed.new_lookups;
      continue;
    }
    pw.chain_eps = sp.internal_local ? sp.local_eps : sp.cluster_eps;
    int n = static_cast<int>(pw.chain_eps.size());
    pw.rules_before_endpoint = fixed.new_rules;
    pw.lookups = fixed.new_lookups;
    if (sp.affinity) {
      pw.rules_before_endpoint += fixed.affinity_rules + n * fixed.affinity_rules_per_endpoint;
      pw.lookups += fixed.affinity_lookups + n * fixed.affinity_lookups_per_endpoint;
    }
    pw.per_endpoint_step = fixed.per_endpoint_step;
    pw.endpoint_tail = fixed.endpoint_tail;
    if (mode == core::KubeProxyMode::Userspace) {
      pw.rules_before_endpoint += fixed.userspace_position[i];
    }
  }
  w.established_rules = fixed.established_rules;
  w.established_lookups = fixed.established_lookups;
  w.unmatched_rules = fixed.unmatched_rules;
  return w;
}

}  // namespace

ModeWalk mode_walk(core::KubeProxyMode mode, const NodeView& view, const ProxyOptions& opt) {
  if (mode == core::KubeProxyMode::Iptables) return iptables_walk(view, opt);
  return constant_walk(mode, view, opt);
}

}  // namespace knetsim::models::kubeproxy
