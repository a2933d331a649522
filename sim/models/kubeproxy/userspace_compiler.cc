#include "sim/models/kubeproxy/userspace_compiler.h"

namespace knetsim::models::kubeproxy {

namespace {

constexpr int kFirstProxyPort = 32768;  // /proc/sys/net/ipv4/ip_local_port_range default start

}  // namespace

UserspaceState compile_userspace(const NodeView& view, const ProxyOptions& opt) {
  UserspaceState st;
  IptablesTable& nat = st.iptables.nat;
  IptablesTable& filter = st.iptables.filter;
  uint32_t pc = nat.add_chain("KUBE-PORTALS-CONTAINER");
  uint32_t ph = nat.add_chain("KUBE-PORTALS-HOST");
  uint32_t nc = nat.add_chain("KUBE-NODEPORT-CONTAINER");
  uint32_t nh = nat.add_chain("KUBE-NODEPORT-HOST");
  uint32_t fn = filter.add_chain("KUBE-NODEPORT-NON-LOCAL");
  const std::string node_ip = view.node_ip.str();
  int position = 0;
  for (size_t i = 0; i < view.ports.size(); ++i) {
    const ServicePortInfo& sp = view.ports[i];
    int proxy_port = kFirstProxyPort + static_cast<int>(i);
    st.sockets.push_back(ProxySocket{sp.name, sp.protocol, proxy_port, sp.cluster_eps.size()});
    const char* p = sp.proto;
    auto portal = [&](core::Ipv4 ip, const char* what) {
      nat.rule(pc, "-d {}/32 -p {} -m comment --comment \"{}{}\" -m {} --dport {} -j REDIRECT "
               "--to-ports {}",
               ip.str(), p, sp.name, what, p, sp.port, proxy_port);
      nat.rule(ph, "-d {}/32 -p {} -m comment --comment \"{}{}\" -m {} --dport {} -j DNAT "
               "--to-destination {}:{}",
               ip.str(), p, sp.name, what, p, sp.port, node_ip, proxy_port);
      ++position;
    };
    portal(sp.cluster_ip, "");
    st.portal_position.push_back(position);
    for (core::Ipv4 ip : sp.external_ips) portal(ip, "");
    for (core::Ipv4 ip : sp.lb_vips) portal(ip, "");
    if (sp.node_port != 0) {
      nat.rule(nc, "-p {} -m comment --comment \"{}\" -m {} --dport {} -j REDIRECT --to-ports {}",
               p, sp.name, p, sp.node_port, proxy_port);
      nat.rule(nh, "-p {} -m comment --comment \"{}\" -m {} --dport {} -j DNAT --to-destination "
               "{}:{}",
               p, sp.name, p, sp.node_port, node_ip, proxy_port);
      filter.rule(fn, "-m comment --comment \"{}\" -m {} -p {} --dport {} -j ACCEPT", sp.name, p, p,
                  proxy_port);
    }
  }
  (void)opt;
  return st;
}

UserspaceState compile_userspace(const core::Cluster& cluster, core::NodeId node) {
  return compile_userspace(build_node_view(cluster, node), ProxyOptions::for_cluster(cluster));
}

}  // namespace knetsim::models::kubeproxy
