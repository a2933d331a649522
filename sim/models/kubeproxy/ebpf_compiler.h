// eBPF socket-level load balancing as Cilium's kube-proxy replacement programs it (cilium
// pkg/loadbalancer + bpf/lib/lb.h, v1.16): per node, the IPv4 service map (one master entry per
// frontend plus one slot per backend), the backend map (one entry per distinct backend), the
// reverse-NAT map (one per frontend) and, for ClientIP affinity, the affinity-match entries.
// Frontends: cluster IP, external IPs, LB IPs, and each NodePort on the node's address and on the
// 0.0.0.0 wildcard; externalTrafficPolicy=Local frontends get a second, node-local scope.
// Modelled from Cilium's documented map layout; knetsim cannot load these into a kernel.
#pragma once

#include <string>
#include <vector>

#include "sim/core/cluster.h"
#include "sim/models/kubeproxy/proxy_options.h"
#include "sim/models/kubeproxy/service_ports.h"

namespace knetsim::models::kubeproxy {

struct BpfFrontend {
  core::Ipv4 ip;
  int port = 0;
  core::Protocol protocol = core::Protocol::TCP;
  std::string type;  // ClusterIP, ExternalIP, LoadBalancer, NodePort
  bool local_scope = false;
  uint32_t rev_nat_id = 0;
  std::vector<uint32_t> backend_ids;  // into BpfState::backends (1-based ids)
  bool affinity = false;
  uint32_t port_index = 0;
};

struct BpfBackend {
  uint32_t id = 0;
  core::Ipv4 ip;
  int port = 0;
  core::Protocol protocol = core::Protocol::TCP;
};

struct BpfState {
  std::vector<BpfFrontend> frontends;
  std::vector<BpfBackend> backends;
  size_t service_map_entries() const;  // cilium_lb4_services_v2
  size_t backend_map_entries() const { return backends.size(); }  // cilium_lb4_backends_v3
  size_t rev_nat_entries() const;       // cilium_lb4_reverse_nat
  size_t affinity_match_entries() const;  // cilium_lb4_affinity_match (static part)
  // `cilium bpf lb list`-style listing.
  std::string dump() const;
};

BpfState compile_ebpf(const NodeView& view, const ProxyOptions& opt);
BpfState compile_ebpf(const core::Cluster& cluster, core::NodeId node);

}  // namespace knetsim::models::kubeproxy
