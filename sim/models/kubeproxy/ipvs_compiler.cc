#include "sim/models/kubeproxy/ipvs_compiler.h"

#include <algorithm>
#include <set>

namespace knetsim::models::kubeproxy {

namespace {

struct SetInfo {
  const char* name;
  const char* type;
  const char* comment;
};

// ipsetInfo, in kube-proxy's order.
constexpr SetInfo kSets[] = {
    {"KUBE-LOOP-BACK", "hash:ip,port,ip",
     "Kubernetes endpoints dst ip:port, source ip for solving hairpin purpose"},
    {"KUBE-CLUSTER-IP", "hash:ip,port", "Kubernetes service cluster ip + port for masquerade purpose"},
    {"KUBE-EXTERNAL-IP", "hash:ip,port",
     "Kubernetes service external ip + port for masquerade and filter purpose"},
    {"KUBE-EXTERNAL-IP-LOCAL", "hash:ip,port",
     "Kubernetes service external ip + port with externalTrafficPolicy=local"},
    {"KUBE-LOAD-BALANCER", "hash:ip,port", "Kubernetes service lb portal"},
    {"KUBE-LOAD-BALANCER-FW", "hash:ip,port",
     "Kubernetes service load balancer ip + port for load balancer with sourceRange"},
    {"KUBE-LOAD-BALANCER-LOCAL", "hash:ip,port",
     "Kubernetes service load balancer ip + port with externalTrafficPolicy=local"},
    {"KUBE-LOAD-BALANCER-SOURCE-IP", "hash:ip,port,ip",
     "Kubernetes service load balancer ip + port + source IP for packet filter purpose"},
    {"KUBE-LOAD-BALANCER-SOURCE-CIDR", "hash:ip,port,net",
     "Kubernetes service load balancer ip + port + source cidr for packet filter purpose"},
    {"KUBE-NODE-PORT-TCP", "bitmap:port", "Kubernetes nodeport TCP port for masquerade purpose"},
    {"KUBE-NODE-PORT-LOCAL-TCP", "bitmap:port",
     "Kubernetes nodeport TCP port with externalTrafficPolicy=local"},
    {"KUBE-NODE-PORT-UDP", "bitmap:port", "Kubernetes nodeport UDP port for masquerade purpose"},
    {"KUBE-NODE-PORT-LOCAL-UDP", "bitmap:port",
     "Kubernetes nodeport UDP port with externalTrafficPolicy=local"},
    {"KUBE-NODE-PORT-SCTP-HASH", "hash:ip,port",
     "Kubernetes nodeport SCTP port for masquerade purpose with type 'hash ip:port'"},
    {"KUBE-NODE-PORT-LOCAL-SCTP-HASH", "hash:ip,port",
     "Kubernetes nodeport SCTP port with externalTrafficPolicy=local with type 'hash ip:port'"},
    {"KUBE-HEALTH-CHECK-NODE-PORT", "bitmap:port", "Kubernetes health check node port"},
    {"KUBE-IPVS-IPS", "hash:ip", "Addresses on the ipvs interface"},
};

// ipsetWithIptablesChain, in kube-proxy's order.
struct SetJump {
  const char* set;
  bool filter;
  const char* from;
  const char* to;
  const char* match;
  const char* proto;
};
constexpr SetJump kSetJumps[] = {
    {"KUBE-LOOP-BACK", false, "KUBE-POSTROUTING", "MASQUERADE", "dst,dst,src", ""},
    {"KUBE-LOAD-BALANCER", false, "KUBE-SERVICES", "KUBE-LOAD-BALANCER", "dst,dst", ""},
    {"KUBE-LOAD-BALANCER-LOCAL", false, "KUBE-LOAD-BALANCER", "RETURN", "dst,dst", ""},
    {"KUBE-NODE-PORT-LOCAL-TCP", false, "KUBE-NODE-PORT", "RETURN", "dst", "tcp"},
    {"KUBE-NODE-PORT-TCP", false, "KUBE-NODE-PORT", "KUBE-MARK-MASQ", "dst", "tcp"},
    {"KUBE-NODE-PORT-LOCAL-UDP", false, "KUBE-NODE-PORT", "RETURN", "dst", "udp"},
    {"KUBE-NODE-PORT-UDP", false, "KUBE-NODE-PORT", "KUBE-MARK-MASQ", "dst", "udp"},
    {"KUBE-NODE-PORT-LOCAL-SCTP-HASH", false, "KUBE-NODE-PORT", "RETURN", "dst,dst", "sctp"},
    {"KUBE-NODE-PORT-SCTP-HASH", false, "KUBE-NODE-PORT", "KUBE-MARK-MASQ", "dst,dst", "sctp"},
    {"KUBE-LOAD-BALANCER-FW", true, "KUBE-PROXY-FIREWALL", "KUBE-SOURCE-RANGES-FIREWALL",
     "dst,dst", ""},
    {"KUBE-LOAD-BALANCER-SOURCE-CIDR", true, "KUBE-SOURCE-RANGES-FIREWALL", "RETURN",
     "dst,dst,src", ""},
    {"KUBE-LOAD-BALANCER-SOURCE-IP", true, "KUBE-SOURCE-RANGES-FIREWALL", "RETURN", "dst,dst,src",
     ""},
};

std::string ip_port(core::Ipv4 ip, const char* proto, int port) {
  return fmt::format("{},{}:{}", ip.str(), proto, port);
}

class Compiler {
 public:
  Compiler(const NodeView& v, const ProxyOptions& o) : v_(v), o_(o) {}

  IpvsState run() {
    for (const auto& s : kSets) entries_[s.name];
    NodePortAddresses npa = resolve_node_port_addresses(o_, v_.node_ip);
    // Node addresses other than kube-ipvs0's and loopback: the node's InternalIP here.
    if (npa.match_all) {
      node_ips_.push_back(v_.node_ip);
    } else {
      for (core::Ipv4 ip : npa.ips) {
        if (ip.value != 0x7F000001) node_ips_.push_back(ip);
      }
    }
    for (uint32_t i = 0; i < v_.ports.size(); ++i) service_port(i, v_.ports[i]);
    IpvsState st;
    st.iptables = iptables_rules();
    st.virtual_servers = std::move(vs_);
    for (const auto& s : kSets) {
      IpsetDef d{s.name, s.type, s.comment, {}};
      const auto& e = entries_[s.name];
      d.entries.assign(e.begin(), e.end());
      st.ipsets.push_back(std::move(d));
    }
    st.bound_addresses.assign(bound_.begin(), bound_.end());
    return st;
  }

 private:
  std::vector<IpvsRealServer> real_servers(const ServicePortInfo& sp, bool only_local) {
    const auto& eps = only_local && !sp.local_eps.empty() ? sp.local_eps : sp.cluster_eps;
    std::vector<IpvsRealServer> out;
    for (uint32_t e : eps) out.push_back(IpvsRealServer{sp.endpoints[e].ip, sp.endpoints[e].port, 1});
    return out;
  }

  void add_vs(uint32_t idx, const ServicePortInfo& sp, core::Ipv4 ip, int port, bool only_local) {
    IpvsVirtualServer vs;
    vs.ip = ip;
    vs.port = port;
    vs.protocol = sp.protocol;
    vs.scheduler = o_.ipvs_scheduler;
    vs.persistent = sp.affinity;
    vs.timeout_s = sp.affinity ? sp.affinity_timeout_s : 0;
    vs.source_hash = o_.ipvs_scheduler == "mh";
    vs.real_servers = real_servers(sp, only_local);
    vs.port_index = idx;
    vs_.push_back(std::move(vs));
  }

  bool is_node_address(core::Ipv4 ip) const { return ip == v_.node_ip; }

  void service_port(uint32_t idx, const ServicePortInfo& sp) {
    const char* proto = sp.proto;
    for (const auto& ep : sp.endpoints) {
      if (ep.local) {
        entries_["KUBE-LOOP-BACK"].insert(
            fmt::format("{},{}:{},{}", ep.ip.str(), proto, ep.port, ep.ip.str()));
      }
    }
    entries_["KUBE-CLUSTER-IP"].insert(ip_port(sp.cluster_ip, proto, sp.port));
    add_vs(idx, sp, sp.cluster_ip, sp.port, sp.internal_local);
    bound_.insert(sp.cluster_ip);
    for (core::Ipv4 eip : sp.external_ips) {
      entries_[sp.external_local ? "KUBE-EXTERNAL-IP-LOCAL" : "KUBE-EXTERNAL-IP"].insert(
          ip_port(eip, proto, sp.port));
      add_vs(idx, sp, eip, sp.port, sp.external_local);
      if (!is_node_address(eip)) bound_.insert(eip);
    }
    for (core::Ipv4 lb : sp.lb_vips) {
      std::string e = ip_port(lb, proto, sp.port);
      entries_["KUBE-LOAD-BALANCER"].insert(e);
      if (sp.external_local) entries_["KUBE-LOAD-BALANCER-LOCAL"].insert(e);
      if (!sp.source_ranges.empty()) {
        entries_["KUBE-LOAD-BALANCER-FW"].insert(e);
        bool allow_from_node = false;
        for (const auto& cidr : sp.source_ranges) {
          entries_["KUBE-LOAD-BALANCER-SOURCE-CIDR"].insert(e + "," + cidr.str());
          allow_from_node |= cidr.contains(v_.node_ip);
        }
        if (allow_from_node) {
          entries_["KUBE-LOAD-BALANCER-SOURCE-IP"].insert(e + "," + lb.str());
        } else {
          no_node_access_.push_back({lb, proto, sp.port});
        }
      }
      add_vs(idx, sp, lb, sp.port, sp.external_local);
      if (!is_node_address(lb)) bound_.insert(lb);
    }
    if (sp.node_port != 0 && !node_ips_.empty()) {
      std::vector<std::string> entries;
      std::string set, local_set;
      switch (sp.protocol) {
        case core::Protocol::TCP:
          set = "KUBE-NODE-PORT-TCP";
          local_set = "KUBE-NODE-PORT-LOCAL-TCP";
          entries.push_back(std::to_string(sp.node_port));
          break;
        case core::Protocol::UDP:
          set = "KUBE-NODE-PORT-UDP";
          local_set = "KUBE-NODE-PORT-LOCAL-UDP";
          entries.push_back(std::to_string(sp.node_port));
          break;
        case core::Protocol::SCTP:
          set = "KUBE-NODE-PORT-SCTP-HASH";
          local_set = "KUBE-NODE-PORT-LOCAL-SCTP-HASH";
          for (core::Ipv4 ip : node_ips_) entries.push_back(ip_port(ip, proto, sp.node_port));
          break;
      }
      for (const auto& e : entries) entries_[set].insert(e);
      if (sp.external_local) {
        for (const auto& e : entries) entries_[local_set].insert(e);
      }
      for (core::Ipv4 ip : node_ips_) add_vs(idx, sp, ip, sp.node_port, sp.external_local);
    }
    if (sp.health_check_node_port != 0) {
      entries_["KUBE-HEALTH-CHECK-NODE-PORT"].insert(std::to_string(sp.health_check_node_port));
    }
  }

  IptablesRuleSet iptables_rules() {
    for (core::Ipv4 ip : bound_) entries_["KUBE-IPVS-IPS"].insert(ip.str());
    IptablesRuleSet rs;
    IptablesTable& nat = rs.nat;
    IptablesTable& filter = rs.filter;
    uint32_t n_services = nat.add_chain("KUBE-SERVICES");
    uint32_t n_post = nat.add_chain("KUBE-POSTROUTING");
    uint32_t n_nodeport = nat.add_chain("KUBE-NODE-PORT");
    uint32_t n_lb = nat.add_chain("KUBE-LOAD-BALANCER");
    uint32_t n_masq = nat.add_chain("KUBE-MARK-MASQ");
    uint32_t f_forward = filter.add_chain("KUBE-FORWARD");
    uint32_t f_nodeport = filter.add_chain("KUBE-NODE-PORT");
    uint32_t f_fw = filter.add_chain("KUBE-PROXY-FIREWALL");
    uint32_t f_src = filter.add_chain("KUBE-SOURCE-RANGES-FIREWALL");
    uint32_t f_ipvs = filter.add_chain("KUBE-IPVS-FILTER");
    uint32_t f_out = filter.add_chain("KUBE-IPVS-OUT-FILTER");
    std::map<std::string, uint32_t> nat_chain = {{"KUBE-SERVICES", n_services},
                                                 {"KUBE-POSTROUTING", n_post},
                                                 {"KUBE-NODE-PORT", n_nodeport},
                                                 {"KUBE-LOAD-BALANCER", n_lb}};
    std::map<std::string, uint32_t> filter_chain = {{"KUBE-PROXY-FIREWALL", f_fw},
                                                    {"KUBE-SOURCE-RANGES-FIREWALL", f_src}};
    auto comment = [](const std::string& set) {
      for (const auto& s : kSets) {
        if (set == s.name) return std::string(s.comment);
      }
      return std::string();
    };
    auto empty = [&](const char* set) { return entries_[set].empty(); };

    nat.rule(n_services, "-s 127.0.0.0/8 -j RETURN");
    for (const auto& j : kSetJumps) {
      if (empty(j.set)) continue;
      std::string proto = *j.proto ? fmt::format("-p {} ", j.proto) : "";
      if (j.filter) {
        filter.rule(filter_chain[j.from], "{}-m comment --comment \"{}\" -m set --match-set {} {} -j {}",
                    proto, comment(j.set), j.set, j.match, j.to);
      } else {
        nat.rule(nat_chain[j.from], "{}-m comment --comment \"{}\" -m set --match-set {} {} -j {}",
                 proto, comment(j.set), j.set, j.match, j.to);
      }
    }
    if (!empty("KUBE-CLUSTER-IP")) {
      std::string c = comment("KUBE-CLUSTER-IP");
      if (o_.masquerade_all) {
        nat.rule(n_services,
                 "-m comment --comment \"{}\" -m set --match-set KUBE-CLUSTER-IP dst,dst -j "
                 "KUBE-MARK-MASQ",
                 c);
      } else if (o_.cluster_cidr) {
        nat.rule(n_services,
                 "-m comment --comment \"{}\" -m set --match-set KUBE-CLUSTER-IP dst,dst ! -s {} "
                 "-j KUBE-MARK-MASQ",
                 c, o_.cluster_cidr->str());
      } else {
        nat.rule(n_services,
                 "-m comment --comment \"{}\" -m set --match-set KUBE-CLUSTER-IP src,dst -j "
                 "KUBE-MARK-MASQ",
                 c);
      }
    }
    auto external_ip_rules = [&](const char* set) {
      std::string c = comment(set);
      nat.rule(n_services,
               "-m comment --comment \"{}\" -m set --match-set {} dst,dst -m physdev ! "
               "--physdev-is-in -m addrtype ! --src-type LOCAL -j ACCEPT",
               c, set);
      nat.rule(n_services,
               "-m comment --comment \"{}\" -m set --match-set {} dst,dst -m addrtype --dst-type "
               "LOCAL -j ACCEPT",
               c, set);
    };
    if (!empty("KUBE-EXTERNAL-IP")) {
      nat.rule(n_services,
               "-m comment --comment \"{}\" -m set --match-set KUBE-EXTERNAL-IP dst,dst -j "
               "KUBE-MARK-MASQ",
               comment("KUBE-EXTERNAL-IP"));
      external_ip_rules("KUBE-EXTERNAL-IP");
    }
    if (!empty("KUBE-EXTERNAL-IP-LOCAL")) external_ip_rules("KUBE-EXTERNAL-IP-LOCAL");
    nat.rule(n_services, "-m addrtype --dst-type LOCAL -j KUBE-NODE-PORT");
    nat.rule(n_lb, "-j KUBE-MARK-MASQ");
    filter.rule(f_src, "-j DROP");
    for (const auto& e : no_node_access_) {
      filter.rule(f_out, "-s {} -m ipvs --vaddr {} --vproto {} --vport {} -j DROP", e.ip.str(),
                  e.ip.str(), e.proto, e.port);
    }
    if (!empty("KUBE-CLUSTER-IP")) {
      nat.rule(n_services, "-m set --match-set KUBE-CLUSTER-IP dst,dst -j ACCEPT");
    }
    if (!empty("KUBE-LOAD-BALANCER")) {
      nat.rule(n_services, "-m set --match-set KUBE-LOAD-BALANCER dst,dst -j ACCEPT");
    }
    const std::string& m = o_.masquerade_mark;
    filter.rule(f_forward,
                "-m comment --comment \"kubernetes forwarding rules\" -m mark --mark {}/{} -j ACCEPT",
                m, m);
    filter.rule(f_forward,
                "-m comment --comment \"kubernetes forwarding conntrack rule\" -m conntrack "
                "--ctstate RELATED,ESTABLISHED -j ACCEPT");
    filter.rule(f_nodeport,
                "-m comment --comment \"{}\" -m set --match-set KUBE-HEALTH-CHECK-NODE-PORT dst -j "
                "ACCEPT",
                comment("KUBE-HEALTH-CHECK-NODE-PORT"));
    for (const char* s : {"KUBE-LOAD-BALANCER", "KUBE-CLUSTER-IP", "KUBE-EXTERNAL-IP",
                          "KUBE-EXTERNAL-IP-LOCAL"}) {
      filter.rule(f_ipvs, "-m set --match-set {} dst,dst -j RETURN", s);
    }
    filter.rule(f_ipvs, "-m set --match-set KUBE-HEALTH-CHECK-NODE-PORT dst -j RETURN");
    filter.rule(f_ipvs,
                "-m conntrack --ctstate NEW -m set --match-set KUBE-IPVS-IPS dst -j REJECT");
    nat.rule(n_post, "-m mark ! --mark {}/{} -j RETURN", m, m);
    nat.rule(n_post, "-j MARK --xor-mark {}", m);
    nat.rule(n_post,
             "-m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE{}",
             o_.random_fully ? " --random-fully" : "");
    nat.rule(n_masq, "-j MARK --or-mark {}", m);
    return rs;
  }

  struct NoNodeAccess {
    core::Ipv4 ip;
    const char* proto;
    int port;
  };

  const NodeView& v_;
  const ProxyOptions& o_;
  std::vector<core::Ipv4> node_ips_;
  std::vector<IpvsVirtualServer> vs_;
  std::map<std::string, std::set<std::string>> entries_;
  std::set<core::Ipv4> bound_;
  std::vector<NoNodeAccess> no_node_access_;
};

const char* ipvsadm_flag(core::Protocol p) {
  switch (p) {
    case core::Protocol::TCP:
      return "-t";
    case core::Protocol::UDP:
      return "-u";
    case core::Protocol::SCTP:
      return "--sctp-service";
  }
  return "-t";
}

}  // namespace

size_t IpvsState::real_server_count() const {
  size_t n = 0;
  for (const auto& vs : virtual_servers) n += vs.real_servers.size();
  return n;
}

const IpsetDef* IpvsState::find_set(const std::string& name) const {
  for (const auto& s : ipsets) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

std::string IpvsState::ipvsadm_dump() const {
  std::string out;
  for (const auto& vs : virtual_servers) {
    std::string addr = fmt::format("{}:{}", vs.ip.str(), vs.port);
    fmt::format_to(std::back_inserter(out), "-A {} {} -s {}", ipvsadm_flag(vs.protocol), addr,
                   vs.scheduler);
    if (vs.source_hash) out += " -b sh-port";
    if (vs.persistent) fmt::format_to(std::back_inserter(out), " -p {}", vs.timeout_s);
    out += '\n';
    for (const auto& rs : vs.real_servers) {
      fmt::format_to(std::back_inserter(out), "-a {} {} -r {}:{} -m -w {}\n",
                     ipvsadm_flag(vs.protocol), addr, rs.ip.str(), rs.port, rs.weight);
    }
  }
  return out;
}

std::string IpvsState::ipset_dump() const {
  std::string out;
  for (const auto& s : ipsets) {
    if (s.type == "bitmap:port") {
      fmt::format_to(std::back_inserter(out), "create {} {} range 0-65535 comment -exist\n",
                     s.name, s.type);
    } else {
      fmt::format_to(std::back_inserter(out),
                     "create {} {} family inet hashsize 1024 maxelem 65536 comment -exist\n",
                     s.name, s.type);
    }
  }
  for (const auto& s : ipsets) {
    for (const auto& e : s.entries) {
      fmt::format_to(std::back_inserter(out), "add {} {} -exist\n", s.name, e);
    }
  }
  return out;
}

std::string IpvsState::dummy_interface_dump() const {
  std::string out = "ip link add kube-ipvs0 type dummy\n";
  for (core::Ipv4 ip : bound_addresses) {
    fmt::format_to(std::back_inserter(out), "ip addr add {}/32 dev kube-ipvs0\n", ip.str());
  }
  return out;
}

IpvsState compile_ipvs(const NodeView& view, const ProxyOptions& opt) {
  return Compiler(view, opt).run();
}

IpvsState compile_ipvs(const core::Cluster& cluster, core::NodeId node) {
  return compile_ipvs(build_node_view(cluster, node), ProxyOptions::for_cluster(cluster));
}

}  // namespace knetsim::models::kubeproxy
