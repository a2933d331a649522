#include "sim/models/kubeproxy/proxy_options.h"

namespace knetsim::models::kubeproxy {

ProxyOptions ProxyOptions::from(const core::KubeProxySpec& spec) {
  ProxyOptions o;
  o.masquerade_all = spec.masquerade_all;
  o.cluster_cidr = spec.cluster_cidr;
  o.node_port_addresses = spec.node_port_addresses;
  o.localhost_node_ports = spec.localhost_node_ports;
  o.ipvs_scheduler = spec.ipvs_scheduler.empty() ? "rr" : spec.ipvs_scheduler;
  o.ipvs_strict_arp = spec.ipvs_strict_arp;
  return o;
}

ProxyOptions ProxyOptions::for_cluster(const core::Cluster& cluster) {
  ProxyOptions o = from(cluster.kube_proxy);
  o.service_cidrs = {cluster.spec.service_cidr};
  return o;
}

NodePortAddresses resolve_node_port_addresses(const ProxyOptions& opt, core::Ipv4 node_ip) {
  NodePortAddresses r;
  if (opt.node_port_addresses.empty()) return r;
  const core::Ipv4 loopback{0x7F000001};
  std::vector<core::Cidr> cidrs;
  bool primary = false;
  for (const auto& s : opt.node_port_addresses) {
    if (s == "primary") {
      primary = true;
      continue;
    }
    if (auto c = core::Cidr::parse(s)) {
      if (c->prefix == 0) return r;  // 0.0.0.0/0 matches everything
      cidrs.push_back(*c);
    }
  }
  r.match_all = false;
  r.contains_loopback = false;
  for (const auto& c : cidrs) r.contains_loopback |= c.contains(loopback);
  for (core::Ipv4 ip : {loopback, node_ip}) {
    bool match = primary && ip == node_ip;
    for (const auto& c : cidrs) match |= c.contains(ip);
    if (match) r.ips.push_back(ip);
  }
  return r;
}

bool effective_localhost_node_ports(const ProxyOptions& opt, const NodePortAddresses& npa) {
  return opt.localhost_node_ports && npa.contains_loopback;
}

}  // namespace knetsim::models::kubeproxy
