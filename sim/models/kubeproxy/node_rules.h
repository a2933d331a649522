// One node's kube-proxy state in whichever mode, reduced to what `knetsim rules` reports: chains
// and rules per table and per chain, IPVS virtual/real servers, set/map element counts; plus the
// text dumps the real tools load. Counts and dumps come from the same compiled state.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>

#include "sim/core/cluster.h"
#include "sim/core/profile.h"
#include "sim/models/kubeproxy/proxy_options.h"

namespace knetsim::models::kubeproxy {

struct TableCounts {
  size_t chains = 0;
  size_t rules = 0;
  std::map<std::string, size_t> by_chain;
};

struct NodeRules {
  std::string node;
  core::KubeProxyMode mode = core::KubeProxyMode::Iptables;
  std::map<std::string, TableCounts> tables;  // iptables: filter, nat; nftables: kube-proxy
  bool has_ipvs = false;
  size_t virtual_servers = 0;
  size_t real_servers = 0;
  std::map<std::string, size_t> sets;  // ipsets, nft sets/maps, BPF maps: entries
  size_t proxy_sockets = 0;            // userspace
  size_t total_rules() const;
  size_t total_set_entries() const;
};

struct SyncEstimate;
// With `profile` and `sync` given, also estimates the sync times from the same compilation.
NodeRules summarize_node(const core::Cluster& cluster, core::NodeId node, core::KubeProxyMode mode,
                         const ProxyOptions& opt, const core::Profile* profile = nullptr,
                         SyncEstimate* sync = nullptr);

// The chain name a per-service chain is reported under when chains are grouped:
// "KUBE-SEP-*", "endpoint-*", ...; top-level chains keep their name.
std::string chain_family(const std::string& chain);

enum class DumpKind { Iptables, Nft, Ipvs, Ipvsadm, Ipset, Ebpf, Userspace };
std::optional<DumpKind> parse_dump_kind(const std::string& s);
// The dump of `kind` for `node`, compiled in the mode the dump belongs to (iptables, nftables,
// ipvs, ebpf, userspace), whatever the cluster's mode. Ipvs = ipset restore input, then
// ipvsadm-restore input, then the kube-ipvs0 addresses, each under a comment header.
std::string dump_node(const core::Cluster& cluster, core::NodeId node, DumpKind kind,
                      const ProxyOptions& opt);

}  // namespace knetsim::models::kubeproxy
