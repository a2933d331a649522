// What the kernel does for a packet to a Service in each kube-proxy mode, as counts and CPU time:
// the first packet of a connection walks the mode's rules (iptables: its position in
// KUBE-SERVICES plus the service's chains; IPVS/nftables/eBPF: a constant number of hash
// lookups), later packets hit conntrack. Counts come from the same per-node compilation the
// `knetsim rules` dumps come from; nanoseconds from the calibration profile (docs/MODELS.md).
// Used by the simulator (sim) and the emulator (emu); keep the signatures stable.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "sim/core/cluster.h"
#include "sim/core/profile.h"
#include "sim/core/rng.h"

namespace knetsim::models::kubeproxy {

struct PacketCost {
  int rules_evaluated = 0;  // iptables/nft rules walked
  int lookups = 0;          // hash/map lookups (vmap, ipset, ipvs, bpf map, conntrack)
  double cpu_ns = 0;        // CPU time on the node, from the profile
};

// The per-packet constants of the profile, read once.
struct DatapathConstants {
  double iptables_rule_ns = 0;
  double nft_rule_ns = 0;
  double nft_lookup_ns = 0;
  double ipset_lookup_ns = 0;
  double ipvs_lookup_ns = 0;
  double bpf_lookup_ns = 0;
  double conntrack_lookup_ns = 0;
  double conntrack_create_ns = 0;
  double userspace_proxy_ns = 0;       // per connection: accept + connect in the proxy
  double userspace_copy_ns = 0;        // per packet relayed through the proxy process
  static DatapathConstants from(const core::Profile& profile);
};

class DatapathCost {
 public:
  // Compiles/indexes what it needs for `node` once, for cluster.kube_proxy.mode.
  DatapathCost(const core::Cluster& cluster, core::NodeId node, const core::Profile& profile);
  // First packet of a new connection to service `svc`, its port `port_index`, landing on
  // endpoint `endpoint_index` (index into cluster.backends_of(svc, port)).
  PacketCost first_packet(core::ServiceId svc, size_t port_index, size_t endpoint_index) const;
  PacketCost established_packet() const;  // conntrack hit

  core::KubeProxyMode mode() const { return mode_; }
  // Rules of the node's ruleset (all tables), for reports.
  size_t total_rules() const { return total_rules_; }

 private:
  struct PortCost {
    int rules = -1;  // rules walked before the endpoint rule of the chosen endpoint (excl.)
    int lookups = 0;
    // Per backend index: rules added by the endpoint choice (its position in the SVC chain plus
    // its SEP chain), or -1 when kube-proxy did not program that backend on this node.
    std::vector<int> per_backend;
  };
  PacketCost finish(int rules, int lookups, bool new_connection) const;

  core::KubeProxyMode mode_;
  DatapathConstants k_;
  std::vector<int32_t> first_port_;  // per service: index into ports_, -1 when not programmed
  std::vector<PortCost> ports_;
  std::vector<core::ServiceId> port_svc_;
  int established_rules_ = 0;
  int established_lookups_ = 1;
  int unknown_service_rules_ = 0;  // a packet to an address no rule matches walks everything
  size_t total_rules_ = 0;
};

// Backend choice as the mode makes it: iptables random probabilities; IPVS its scheduler
// (rr keeps state); ClientIP affinity sticks. Returns an index into backends_of(svc, port),
// or nullopt when there is no usable endpoint.
class BackendSelector {
 public:
  BackendSelector(const core::Cluster& cluster, core::KubeProxyMode mode, uint64_t seed);
  std::optional<size_t> choose(core::ServiceId svc, size_t port_index, core::Ipv4 client,
                               int64_t now_ns);

  // Tell the selector a connection it chose has ended (for lc/wlc/sed/nq).
  void release(core::ServiceId svc, size_t port_index, size_t backend_index);

 private:
  struct PortState {
    bool built = false;
    std::vector<size_t> usable;         // backend indices, in kube-proxy's endpoint order
    size_t rr_next = 0;                 // rr/wrr position
    std::vector<int64_t> active;        // per usable entry: open connections (lc, wlc, sed, nq)
    std::map<uint32_t, std::pair<size_t, int64_t>> affinity;  // client -> (backend, last seen)
    bool affinity_on = false;
    int64_t affinity_timeout_ns = 0;
  };
  // internalTrafficPolicy: Local services are chosen among the client's node's endpoints, so
  // their state is kept per (service, port, client node).
  PortState& state(core::ServiceId svc, size_t port_index, core::Ipv4 client);
  size_t pick(PortState& st, core::ServiceId svc, size_t port_index, core::Ipv4 client);

  const core::Cluster& cluster_;
  core::KubeProxyMode mode_;
  std::string scheduler_;
  core::Rng rng_;
  std::map<std::tuple<core::ServiceId, size_t, std::string>, PortState> states_;
};

}  // namespace knetsim::models::kubeproxy
