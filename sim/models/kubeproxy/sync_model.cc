#include "sim/models/kubeproxy/sync_model.h"

#include <algorithm>

#include "sim/models/kubeproxy/ebpf_compiler.h"
#include "sim/models/kubeproxy/iptables_compiler.h"
#include "sim/models/kubeproxy/ipvs_compiler.h"
#include "sim/models/kubeproxy/node_rules.h"
#include "sim/models/kubeproxy/nftables_compiler.h"
#include "sim/models/kubeproxy/userspace_compiler.h"

namespace knetsim::models::kubeproxy {

namespace {

// Rules of per-service chains divided by the number of service ports: what one service's
// chains hold on average.
size_t per_service(size_t service_rules, size_t ports) {
  return ports == 0 ? 0 : (service_rules + ports - 1) / ports;
}

}  // namespace

SyncEstimate estimate_iptables_sync(const IptablesRuleSet& rs, size_t ports,
                                    const core::Profile& p) {
  SyncEstimate e;
  size_t total = rs.filter.rule_count() + rs.nat.rule_count();
  // Per-service chains and their rules (chain names sorted into families).
  std::vector<size_t> rules_of(rs.nat.chain_count(), 0);
  for (size_t i = 0; i < rs.nat.rule_count(); ++i) ++rules_of[rs.nat.rule_chain(i)];
  size_t service_rules = 0;
  size_t service_chains = 0;
  for (uint32_t i = 0; i < rs.nat.chain_count(); ++i) {
    if (chain_family(rs.nat.chain_name(i)) != rs.nat.chain_name(i)) {
      ++service_chains;
      service_rules += rules_of[i];
    }
  }
  size_t chains = rs.filter.chain_count() + rs.nat.chain_count();
  e.objects_total = e.objects_full = total;
  // A partial sync rewrites every filter rule and the nat top-level chains, plus the chains of
  // the changed service.
  e.objects_partial = total - service_rules + per_service(service_rules, ports);
  size_t partial_chains = chains - service_chains + per_service(service_chains, ports);
  double per_rule = p.get("iptables_restore_per_rule_ns");
  double per_chain = p.get("iptables_restore_per_chain_ns");
  double per_existing = p.get("iptables_restore_per_existing_rule_ns");
  e.full_sync_ns = total * per_rule + chains * per_chain;
  e.partial_sync_ns =
      e.objects_partial * per_rule + partial_chains * per_chain + total * per_existing;
  return e;
}

SyncEstimate estimate_nftables_sync(const NftRuleSet& rs, size_t ports, const core::Profile& p) {
  SyncEstimate e;
  size_t objects = rs.rule_count() + rs.element_count() + rs.chains().size() + rs.sets().size();
  std::vector<size_t> per_chain(rs.chains().size(), 0);
  for (size_t i = 0; i < rs.rule_count(); ++i) ++per_chain[rs.rule_chain(i)];
  size_t service_objects = 0;
  for (size_t i = 0; i < rs.chains().size(); ++i) {
    const std::string& name = rs.chains()[i].name;
    if (chain_family(name) != name) service_objects += 1 + per_chain[i];
  }
  e.objects_total = e.objects_full = objects;
  // The changed service's chains (flushed and refilled) and its few map elements.
  e.objects_partial = per_service(service_objects + rs.element_count(), ports);
  double per_object = p.get("nft_transaction_per_object_ns");
  double fixed = p.get("nft_transaction_fixed_ns");
  e.full_sync_ns = fixed + objects * per_object;
  e.partial_sync_ns = fixed + e.objects_partial * per_object;
  return e;
}

SyncEstimate estimate_ipvs_sync(const IpvsState& st, size_t ports, const core::Profile& p) {
  SyncEstimate e;
  size_t rules = st.iptables.filter.rule_count() + st.iptables.nat.rule_count();
  size_t entries = 0;
  for (const auto& s : st.ipsets) entries += s.entries.size();
  size_t ops = st.virtual_servers.size() + st.real_server_count() + st.bound_addresses.size();
  e.objects_total = e.objects_full = rules + entries + ops;
  e.objects_partial = per_service(ops + entries, ports) + rules;
  e.full_sync_ns = ops * p.get("ipvs_netlink_op_ns") +
                   entries * p.get("ipset_restore_per_entry_ns") +
                   rules * p.get("iptables_restore_per_rule_ns");
  e.partial_sync_ns = p.get("ipvs_service_update_ns");
  return e;
}

SyncEstimate estimate_ebpf_sync(const BpfState& st, size_t ports, const core::Profile& p) {
  SyncEstimate e;
  size_t entries = st.service_map_entries() + st.backend_map_entries() + st.rev_nat_entries();
  e.objects_total = e.objects_full = entries;
  e.objects_partial = per_service(entries, ports);
  double per = p.get("bpf_map_update_ns");
  e.full_sync_ns = entries * per;
  e.partial_sync_ns = e.objects_partial * per;
  return e;
}

SyncEstimate estimate_userspace_sync(const UserspaceState& st, size_t ports,
                                     const core::Profile& p) {
  // The userspace proxier changed rules one `iptables` call at a time; each call reads the whole
  // table first.
  SyncEstimate e;
  size_t total = st.iptables.filter.rule_count() + st.iptables.nat.rule_count();
  e.objects_total = e.objects_full = total;
  e.objects_partial = per_service(total, ports);
  double per_rule = p.get("iptables_restore_per_rule_ns");
  double per_existing = p.get("iptables_restore_per_existing_rule_ns");
  e.full_sync_ns = total * per_rule + total * (total / 2.0) * per_existing;
  e.partial_sync_ns = e.objects_partial * (per_rule + total * per_existing);
  return e;
}

SyncEstimate estimate_sync(const core::Cluster& cluster, core::NodeId node,
                           core::KubeProxyMode mode, const ProxyOptions& opt,
                           const core::Profile& p) {
  SyncEstimate e;
  summarize_node(cluster, node, mode, opt, &p, &e);
  return e;
}

std::vector<SyncEvent> schedule_syncs(const std::vector<int64_t>& changes, int64_t min_sync_ns,
                                      int64_t full_period_ns, int64_t end_ns, int burst) {
  std::vector<SyncEvent> out;
  // Token bucket of BoundedFrequencyRunner: `burst` tokens, one refilled per min_sync_ns.
  double tokens = burst;
  int64_t last_refill = 0;
  int64_t last_full = 0;
  size_t i = 0;
  auto refill = [&](int64_t now) {
    if (min_sync_ns <= 0) {
      tokens = burst;
    } else {
      tokens = std::min<double>(burst, tokens + double(now - last_refill) / double(min_sync_ns));
    }
    last_refill = now;
  };
  int64_t now = 0;
  while (true) {
    int64_t next_change = i < changes.size() ? changes[i] : INT64_MAX;
    int64_t next_full = full_period_ns > 0 ? last_full + full_period_ns : INT64_MAX;
    int64_t t = std::min(next_change, next_full);
    if (t == INT64_MAX || t > end_ns) break;
    now = std::max(now, t);
    refill(now);
    if (tokens < 1.0) {
      int64_t wait = static_cast<int64_t>((1.0 - tokens) * double(min_sync_ns));
      now += wait;
      refill(now);
    }
    if (now > end_ns) break;
    tokens -= 1.0;
    SyncEvent ev;
    ev.start_ns = now;
    while (i < changes.size() && changes[i] <= now) {
      ++ev.changes;
      ++i;
    }
    ev.full = now >= next_full;
    if (ev.full || ev.changes > 0) {
      if (ev.full) last_full = now;
      out.push_back(ev);
    }
  }
  return out;
}

int64_t full_sync_period_ns(const core::KubeProxySpec& spec) {
  constexpr int64_t kHour = 3'600'000'000'000;  // proxyutil.FullSyncPeriod / runner maxInterval
  return spec.mode == core::KubeProxyMode::Ipvs ? spec.sync_period_ns : kHour;
}

}  // namespace knetsim::models::kubeproxy
