// kube-proxy's IPVS mode (pkg/proxy/ipvs/proxier.go, kube-proxy 1.33): per node, the IPVS virtual
// servers (cluster IP, external IPs, LB IPs, and each NodePort on every node address) with their
// real servers and scheduler, persistence for ClientIP affinity, the ipsets and their entries,
// the addresses bound to kube-ipvs0, and the fixed iptables rules IPVS mode still writes (whose
// number does not grow with services: matching is done with the ipsets).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/core/cluster.h"
#include "sim/models/kubeproxy/iptables_ruleset.h"
#include "sim/models/kubeproxy/proxy_options.h"
#include "sim/models/kubeproxy/service_ports.h"

namespace knetsim::models::kubeproxy {

struct IpvsRealServer {
  core::Ipv4 ip;
  int port = 0;
  int weight = 1;
};

struct IpvsVirtualServer {
  core::Ipv4 ip;
  int port = 0;
  core::Protocol protocol = core::Protocol::TCP;
  std::string scheduler;
  bool persistent = false;
  int timeout_s = 0;
  bool source_hash = false;  // "mh" scheduler flag
  std::vector<IpvsRealServer> real_servers;
  uint32_t port_index = 0;  // index into NodeView::ports
};

struct IpsetDef {
  std::string name;
  std::string type;  // hash:ip,port, bitmap:port, ...
  std::string comment;
  std::vector<std::string> entries;  // sorted
};

struct IpvsState {
  std::vector<IpvsVirtualServer> virtual_servers;
  std::vector<IpsetDef> ipsets;           // kube-proxy's 17 sets, in its order
  std::vector<core::Ipv4> bound_addresses;  // kube-ipvs0, sorted
  IptablesRuleSet iptables;               // the fixed nat/filter rules

  size_t real_server_count() const;
  const IpsetDef* find_set(const std::string& name) const;
  // ipvsadm-restore input (ipvsadm -S -n format).
  std::string ipvsadm_dump() const;
  // ipset restore input: create lines then add lines.
  std::string ipset_dump() const;
  // `ip addr add` commands for kube-ipvs0.
  std::string dummy_interface_dump() const;
};

IpvsState compile_ipvs(const NodeView& view, const ProxyOptions& opt);
IpvsState compile_ipvs(const core::Cluster& cluster, core::NodeId node);

}  // namespace knetsim::models::kubeproxy
