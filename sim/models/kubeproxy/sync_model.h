// kube-proxy's control plane: how long a sync takes and when syncs happen.
//  - Cost of one sync from the objects it writes: iptables-restore per rule written plus a cost
//    per rule already in the kernel (iptables-nft reads the ruleset first); nftables per object
//    in the transaction; IPVS per netlink operation and ipset entry (one service change: the
//    operator-measured constant); eBPF per map update. Constants in the profile.
//  - Full sync (start-up, hourly, after a failure) writes everything; a partial sync (iptables
//    since 1.28, nftables) rewrites the top-level chains plus the changed service's chains.
//  - Timing: async.BoundedFrequencyRunner — at most `burst` (2) syncs back to back, then one per
//    minSyncPeriod; changes arriving meanwhile are batched into the next sync; a full resync at
//    least every hour (iptables, nftables) or every syncPeriod (IPVS).
#pragma once

#include <cstdint>
#include <vector>

#include "sim/core/cluster.h"
#include "sim/core/profile.h"
#include "sim/models/kubeproxy/proxy_options.h"

namespace knetsim::models::kubeproxy {

struct SyncEstimate {
  size_t objects_total = 0;    // rules (+ set/map elements, virtual/real servers) on the node
  size_t objects_full = 0;     // written by a full sync
  size_t objects_partial = 0;  // written when one service changes
  double full_sync_ns = 0;
  double partial_sync_ns = 0;  // one service changed
};

SyncEstimate estimate_sync(const core::Cluster& cluster, core::NodeId node,
                           core::KubeProxyMode mode, const ProxyOptions& opt,
                           const core::Profile& profile);

// The same from already compiled state (`ports` = the node's service ports).
struct IptablesRuleSet;
class NftRuleSet;
struct IpvsState;
struct BpfState;
struct UserspaceState;
SyncEstimate estimate_iptables_sync(const IptablesRuleSet& rs, size_t ports,
                                    const core::Profile& p);
SyncEstimate estimate_nftables_sync(const NftRuleSet& rs, size_t ports, const core::Profile& p);
SyncEstimate estimate_ipvs_sync(const IpvsState& st, size_t ports, const core::Profile& p);
SyncEstimate estimate_ebpf_sync(const BpfState& st, size_t ports, const core::Profile& p);
SyncEstimate estimate_userspace_sync(const UserspaceState& st, size_t ports,
                                     const core::Profile& p);

struct SyncEvent {
  int64_t start_ns = 0;
  int changes = 0;     // changes batched into this sync
  bool full = false;   // periodic full resync
};

// When the syncs run for changes at `change_times_ns` (sorted) until `end_ns`.
std::vector<SyncEvent> schedule_syncs(const std::vector<int64_t>& change_times_ns,
                                      int64_t min_sync_period_ns, int64_t full_sync_period_ns,
                                      int64_t end_ns, int burst = 2);

// The full-resync period kube-proxy uses in `mode` (1 h, or syncPeriod for IPVS).
int64_t full_sync_period_ns(const core::KubeProxySpec& spec);

}  // namespace knetsim::models::kubeproxy
