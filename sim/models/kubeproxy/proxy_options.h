// The kube-proxy options that change what is programmed (scenario `kubeProxy:` section, parsed
// into core::KubeProxySpec), resolved for one node: which node addresses accept NodePorts,
// whether localhost NodePorts are on, the local-traffic detector. Plus the few facts about the
// host kube-proxy probes at start-up (nfacct counters, --random-fully), which knetsim fixes to a
// modern kernel's answers unless a test asks otherwise.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/core/cluster.h"
#include "sim/core/ip.h"
#include "sim/core/scenario.h"

namespace knetsim::models::kubeproxy {

struct ProxyOptions {
  bool masquerade_all = false;
  std::optional<core::Cidr> cluster_cidr;  // local-traffic detector; none = not implemented
  std::vector<std::string> node_port_addresses;
  bool localhost_node_ports = true;
  std::string ipvs_scheduler = "rr";
  bool ipvs_strict_arp = false;
  // Host facts kube-proxy probes: iptables >= 1.6.2 has --random-fully; the nfacct counters
  // (ct_state_invalid_dropped_pkts, localhost_nps_accepted_pkts) exist when xt_nfacct loads;
  // nf_conntrack_tcp_be_liberal is 0 by default.
  bool random_fully = true;
  bool nfacct = true;
  bool conntrack_tcp_liberal = false;
  std::string masquerade_mark = "0x4000";  // 1 << --iptables-masquerade-bit (14)

  // ServiceCIDRs kube-proxy learns from the ServiceCIDR objects (nftables drops traffic to
  // unallocated cluster IPs in them).
  std::vector<core::Cidr> service_cidrs;

  static ProxyOptions from(const core::KubeProxySpec& spec);
  // from(cluster.kube_proxy) plus what the cluster itself tells kube-proxy (service CIDR).
  static ProxyOptions for_cluster(const core::Cluster& cluster);
};

// --nodeport-addresses resolved against one node's addresses (its InternalIP and 127.0.0.1).
struct NodePortAddresses {
  bool match_all = true;               // empty list or 0.0.0.0/0: every local address
  bool contains_loopback = true;       // ContainsIPv4Loopback()
  std::vector<core::Ipv4> ips;         // when !match_all: matching node addresses, loopback first
};

NodePortAddresses resolve_node_port_addresses(const ProxyOptions& opt, core::Ipv4 node_ip);

// localhostNodePorts after kube-proxy's start-up check (off unless loopback is a NodePort address).
bool effective_localhost_node_ports(const ProxyOptions& opt, const NodePortAddresses& npa);

}  // namespace knetsim::models::kubeproxy
