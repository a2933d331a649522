// BackendSelector: the endpoint each mode's kernel (or proxy) picks for a new connection.
//  - iptables: the statistic rules in order, rule i matching with probability 1/(n-i);
//  - nftables: numgen random mod n; eBPF (Cilium): random slot; userspace: round robin;
//  - IPVS: the configured scheduler, every real server with weight 1 as kube-proxy sets it;
//  - ClientIP affinity: a client that connected within the timeout goes back to its endpoint
//    (iptables `recent`, nftables affinity sets, IPVS persistence, Cilium affinity map).
#include <algorithm>

#include "sim/models/kubeproxy/datapath_cost.h"
#include "sim/models/kubeproxy/service_ports.h"

namespace knetsim::models::kubeproxy {

namespace {

constexpr int kShTableBits = 8;  // IP_VS_SH_TAB_BITS
constexpr size_t kMaglevTableSize = 251;  // IP_VS_MH_TAB_SIZE default (prime)

uint32_t ipvs_sh_hash(uint32_t addr) {
  return static_cast<uint32_t>((uint64_t{addr} * 2654435761ull) >> (32 - kShTableBits)) &
         ((1u << kShTableBits) - 1);
}

}  // namespace

BackendSelector::BackendSelector(const core::Cluster& cluster, core::KubeProxyMode mode,
                                 uint64_t seed)
    : cluster_(cluster),
      mode_(mode),
      scheduler_(cluster.kube_proxy.ipvs_scheduler.empty() ? "rr"
                                                            : cluster.kube_proxy.ipvs_scheduler),
      rng_(seed, "kube-proxy-backends") {}

BackendSelector::PortState& BackendSelector::state(core::ServiceId svc, size_t port_index,
                                                   core::Ipv4 client) {
  std::string node;
  bool local = svc < cluster_.services.size() &&
               cluster_.services[svc].internal_traffic_policy == core::TrafficPolicy::Local;
  if (local) {
    if (auto pod = cluster_.pod_by_ip(client)) {
      core::NodeId n = cluster_.pods[*pod].node;
      if (n < cluster_.nodes.size()) node = cluster_.nodes[n].name;
    }
  }
  PortState& st = states_[{svc, port_index, node}];
  if (st.built) return st;
  st.built = true;
  if (svc >= cluster_.services.size()) return st;
  const core::Service& s = cluster_.services[svc];
  if (port_index >= s.ports.size() || !is_programmed(s)) return st;
  ServicePortInfo sp = build_service_port(cluster_, svc, static_cast<uint32_t>(port_index), node);
  const auto& eps = local ? sp.local_eps : sp.cluster_eps;
  for (uint32_t e : eps) st.usable.push_back(sp.endpoints[e].backend_index);
  st.active.assign(st.usable.size(), 0);
  st.affinity_on = sp.affinity;
  st.affinity_timeout_ns = int64_t{sp.affinity_timeout_s} * 1'000'000'000;
  return st;
}

size_t BackendSelector::pick(PortState& st, core::ServiceId svc, size_t port_index,
                             core::Ipv4 client) {
  size_t n = st.usable.size();
  switch (mode_) {
    case core::KubeProxyMode::Iptables: {
      for (size_t i = 0; i + 1 < n; ++i) {
        if (rng_.uniform() < 1.0 / static_cast<double>(n - i)) return i;
      }
      return n - 1;
    }
    case core::KubeProxyMode::Nftables:
    case core::KubeProxyMode::Ebpf:
      return static_cast<size_t>(rng_.below(n));
    case core::KubeProxyMode::Userspace:
      return st.rr_next++ % n;
    case core::KubeProxyMode::Ipvs:
      break;
  }
  const std::string& s = scheduler_;
  if (s == "lc" || s == "wlc" || s == "sed" || s == "nq") {
    if (s == "nq") {
      for (size_t i = 0; i < n; ++i) {
        if (st.active[i] == 0) return i;
      }
    }
    // With every weight 1, lc/wlc/sed all pick the server with the fewest connections; IPVS
    // scans in list order and keeps the first minimum.
    return static_cast<size_t>(std::min_element(st.active.begin(), st.active.end()) -
                               st.active.begin());
  }
  if (s == "sh") return ipvs_sh_hash(client.value) % n;
  if (s == "dh") {
    const core::Service& svc_obj = cluster_.services[svc];
    (void)port_index;
    return ipvs_sh_hash(svc_obj.cluster_ip ? svc_obj.cluster_ip->value : 0) % n;
  }
  if (s == "mh") {
    // Maglev (Eisenbud et al., NSDI 2016): each server fills a permutation of a prime-sized
    // table; a source hashes to one slot. Hash functions are knetsim's, not the kernel's
    // siphash, so the mapping differs from a real node's while keeping Maglev's balance.
    std::vector<int32_t> table(kMaglevTableSize, -1);
    std::vector<uint64_t> offset(n), skip(n), next(n, 0);
    for (size_t i = 0; i < n; ++i) {
      uint64_t h = core::Rng::fnv1a64(std::to_string(st.usable[i]) + "/" + std::to_string(svc));
      offset[i] = h % kMaglevTableSize;
      skip[i] = (h >> 32) % (kMaglevTableSize - 1) + 1;
    }
    size_t filled = 0;
    while (filled < kMaglevTableSize) {
      for (size_t i = 0; i < n && filled < kMaglevTableSize; ++i) {
        uint64_t c = (offset[i] + next[i] * skip[i]) % kMaglevTableSize;
        while (table[c] >= 0) {
          ++next[i];
          c = (offset[i] + next[i] * skip[i]) % kMaglevTableSize;
        }
        table[c] = static_cast<int32_t>(i);
        ++next[i];
        ++filled;
      }
    }
    return static_cast<size_t>(table[ipvs_sh_hash(client.value) % kMaglevTableSize]);
  }
  // rr and wrr (all weights 1): round robin in real-server order.
  return st.rr_next++ % n;
}

std::optional<size_t> BackendSelector::choose(core::ServiceId svc, size_t port_index,
                                              core::Ipv4 client, int64_t now_ns) {
  PortState& st = state(svc, port_index, client);
  if (st.usable.empty()) return std::nullopt;
  if (st.affinity_on) {
    auto it = st.affinity.find(client.value);
    if (it != st.affinity.end() && now_ns - it->second.second <= st.affinity_timeout_ns) {
      it->second.second = now_ns;
      size_t i = it->second.first;
      ++st.active[i];
      return st.usable[i];
    }
  }
  size_t i = pick(st, svc, port_index, client);
  ++st.active[i];
  if (st.affinity_on) st.affinity[client.value] = {i, now_ns};
  return st.usable[i];
}

void BackendSelector::release(core::ServiceId svc, size_t port_index, size_t backend_index) {
  for (auto& [key, st] : states_) {
    if (std::get<0>(key) != svc || std::get<1>(key) != port_index) continue;
    for (size_t i = 0; i < st.usable.size(); ++i) {
      if (st.usable[i] == backend_index && st.active[i] > 0) {
        --st.active[i];
        return;
      }
    }
  }
}

}  // namespace knetsim::models::kubeproxy
