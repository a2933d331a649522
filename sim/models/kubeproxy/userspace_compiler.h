// The legacy userspace proxier (pkg/proxy/userspace, removed in Kubernetes 1.26), for
// comparison: one proxy socket per service port opened by kube-proxy itself, and iptables nat
// rules that redirect service traffic to it — KUBE-PORTALS-CONTAINER (PREROUTING, REDIRECT),
// KUBE-PORTALS-HOST (OUTPUT, DNAT to the node IP), KUBE-NODEPORT-CONTAINER / -HOST for node
// ports, and filter KUBE-NODEPORT-NON-LOCAL accepting node-port traffic. Reconstructed from the
// 1.25 proxier's rule shapes (docs/MODELS.md lists the differences). Proxy ports are assigned
// deterministically from the ephemeral range instead of by the kernel.
#pragma once

#include <string>
#include <vector>

#include "sim/core/cluster.h"
#include "sim/models/kubeproxy/iptables_ruleset.h"
#include "sim/models/kubeproxy/proxy_options.h"
#include "sim/models/kubeproxy/service_ports.h"

namespace knetsim::models::kubeproxy {

struct ProxySocket {
  std::string service;  // ServicePortName
  core::Protocol protocol = core::Protocol::TCP;
  int proxy_port = 0;   // the port kube-proxy listens on (all node addresses)
  size_t backends = 0;  // endpoints it round-robins over
};

struct UserspaceState {
  std::vector<ProxySocket> sockets;
  IptablesRuleSet iptables;
  // 1-based position of each service port's cluster-IP rule in KUBE-PORTALS-CONTAINER.
  std::vector<int> portal_position;
};

UserspaceState compile_userspace(const NodeView& view, const ProxyOptions& opt);
UserspaceState compile_userspace(const core::Cluster& cluster, core::NodeId node);

}  // namespace knetsim::models::kubeproxy
