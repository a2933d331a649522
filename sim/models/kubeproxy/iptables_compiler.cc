#include "sim/models/kubeproxy/iptables_compiler.h"

#include "sim/models/kubeproxy/chain_names.h"

namespace knetsim::models::kubeproxy {

std::string iptables_probability(int n) { return fmt::format("{:.10f}", 1.0 / n); }

namespace {

constexpr std::string_view kNodePortsComment =
    "\"kubernetes service nodeports; NOTE: this must be the last rule in this chain\"";

class Compiler {
 public:
  Compiler(const NodeView& v, const ProxyOptions& o, IptablesIndex* index)
      : v_(v), o_(o), index_(index) {}

  IptablesRuleSet run() {
    npa_ = resolve_node_port_addresses(o_, v_.node_ip);
    localhost_ = effective_localhost_node_ports(o_, npa_);
    large_ = v_.total_endpoints > kLargeClusterEndpointsThreshold;
    if (index_) {
      index_->services_position.assign(v_.ports.size(), 0);
      index_->large_cluster = large_;
    }
    if (o_.cluster_cidr) {
      if_local_ = "-s " + o_.cluster_cidr->str();
      if_not_local_ = "! -s " + o_.cluster_cidr->str();
    }
    size_t est_rules = v_.ports.size() * 4 + v_.total_endpoints * 3 + 16;
    rs_.nat.reserve(v_.ports.size() * 2 + v_.total_endpoints + 8, est_rules,
                    est_rules * (large_ ? 70 : 110));
    top_chains();
    for (size_t i = 0; i < v_.ports.size(); ++i) service_port(i);
    tail_rules();
    return std::move(rs_);
  }

 private:
  IptablesTable& f() { return rs_.filter; }
  IptablesTable& n() { return rs_.nat; }

  void top_chains() {
    f_services_ = f().add_chain("KUBE-SERVICES");
    f_external_ = f().add_chain("KUBE-EXTERNAL-SERVICES");
    f_forward_ = f().add_chain("KUBE-FORWARD");
    f_nodeports_ = f().add_chain("KUBE-NODEPORTS");
    f_proxy_fw_ = f().add_chain("KUBE-PROXY-FIREWALL");
    n_services_ = n().add_chain("KUBE-SERVICES");
    n_nodeports_ = n().add_chain("KUBE-NODEPORTS");
    n_postrouting_ = n().add_chain("KUBE-POSTROUTING");
    n_mark_masq_ = n().add_chain("KUBE-MARK-MASQ");
    const std::string& m = o_.masquerade_mark;
    n().rule(n_postrouting_, "-m mark ! --mark {}/{} -j RETURN", m, m);
    n().rule(n_postrouting_, "-j MARK --xor-mark {}", m);
    n().rule(n_postrouting_,
             "-m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE{}",
             o_.random_fully ? " --random-fully" : "");
    n().rule(n_mark_masq_, "-j MARK --or-mark {}", m);
    if (localhost_) {
      uint32_t fw = f().add_chain("KUBE-FIREWALL");
      f().rule(fw,
               "-m comment --comment \"block incoming localnet connections\" -d 127.0.0.0/8 ! -s "
               "127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP");
    }
  }

  void service_port(size_t idx) {
    const ServicePortInfo& sp = v_.ports[idx];
    const std::string& name = sp.name;
    const char* proto = sp.proto;
    const bool has_eps = sp.has_endpoints;
    const bool has_internal = sp.has_internal_endpoints();
    const bool has_external = sp.has_external_endpoints();
    const bool uses_cluster_chain = !sp.cluster_eps.empty() && sp.uses_cluster_endpoints();
    const bool uses_local_chain = !sp.local_eps.empty() && sp.uses_local_endpoints();
    const bool uses_ext_chain = has_eps && sp.externally_accessible();
    const bool uses_fw_chain = has_eps && !sp.lb_vips.empty() && !sp.source_ranges.empty();

    std::string svc = svc_chain(name, proto);
    std::string svl = uses_local_chain || sp.internal_local || sp.external_local
                          ? svl_chain(name, proto)
                          : std::string();
    std::string ext = sp.externally_accessible() ? ext_chain(name, proto) : std::string();
    std::string fw = !sp.lb_vips.empty() ? fw_chain(name, proto) : std::string();
    const std::string& internal_chain = sp.internal_local ? svl : svc;
    const std::string& external_policy_chain = sp.external_local ? svl : svc;
    const std::string& lb_chain = uses_fw_chain ? fw : ext;

    std::string int_target, int_comment, ext_target, ext_comment;
    if (!has_eps) {
      int_target = ext_target = "REJECT";
      int_comment = ext_comment = fmt::format("\"{} has no endpoints\"", name);
    } else {
      if (!has_internal) {
        int_target = "DROP";
        int_comment = fmt::format("\"{} has no local endpoints\"", name);
      }
      if (!has_external) {
        ext_target = "DROP";
        ext_comment = fmt::format("\"{} has no local endpoints\"", name);
      }
    }
    const std::string cip = sp.cluster_ip.str();

    // Capture the cluster IP.
    if (has_internal) {
      n().rule(n_services_,
               "-m comment --comment \"{} cluster IP\" -m {} -p {} -d {} --dport {} -j {}", name,
               proto, proto, cip, sp.port, internal_chain);
      ++services_rules_;
      if (index_) index_->services_position[idx] = static_cast<uint32_t>(services_rules_);
    } else {
      f().rule(f_services_, "-m comment --comment {} -m {} -p {} -d {} --dport {} -j {}",
               int_comment, proto, proto, cip, sp.port, int_target);
    }
    // External IPs.
    for (core::Ipv4 eip : sp.external_ips) {
      std::string ip = eip.str();
      if (has_eps) {
        n().rule(n_services_,
                 "-m comment --comment \"{} external IP\" -m {} -p {} -d {} --dport {} -j {}",
                 name, proto, proto, ip, sp.port, ext);
        ++services_rules_;
      }
      if (!has_external) {
        f().rule(f_external_, "-m comment --comment {} -m {} -p {} -d {} --dport {} -j {}",
                 ext_comment, proto, proto, ip, sp.port, ext_target);
      }
    }
    // Load-balancer ingress.
    for (core::Ipv4 lb : sp.lb_vips) {
      std::string ip = lb.str();
      if (has_eps) {
        n().rule(n_services_,
                 "-m comment --comment \"{} loadbalancer IP\" -m {} -p {} -d {} --dport {} -j {}",
                 name, proto, proto, ip, sp.port, lb_chain);
        ++services_rules_;
      }
      if (uses_fw_chain) {
        f().rule(f_proxy_fw_,
                 "-m comment --comment \"{} traffic not accepted by {}\" -m {} -p {} -d {} "
                 "--dport {} -j DROP",
                 name, fw, proto, proto, ip, sp.port);
      }
    }
    if (!has_external) {
      for (core::Ipv4 lb : sp.lb_vips) {
        f().rule(f_external_, "-m comment --comment {} -m {} -p {} -d {} --dport {} -j {}",
                 ext_comment, proto, proto, lb.str(), sp.port, ext_target);
      }
    }
    // Node ports.
    if (sp.node_port != 0) {
      if (has_eps) {
        if (localhost_ && o_.nfacct) {
          n().rule(n_nodeports_,
                   "-m comment --comment {} -m {} -p {} -d 127.0.0.0/8 --dport {} -m nfacct "
                   "--nfacct-name localhost_nps_accepted_pkts -j {}",
                   name, proto, proto, sp.node_port, ext);
        }
        n().rule(n_nodeports_, "-m comment --comment {} -m {} -p {} --dport {} -j {}", name, proto,
                 proto, sp.node_port, ext);
      }
      if (!has_external) {
        f().rule(f_external_,
                 "-m comment --comment {} -m addrtype --dst-type LOCAL -m {} -p {} --dport {} -j "
                 "{}",
                 ext_comment, proto, proto, sp.node_port, ext_target);
      }
    }
    // Health check node port.
    if (sp.health_check_node_port != 0) {
      f().rule(f_nodeports_,
               "-m comment --comment \"{} health check node port\" -m tcp -p tcp --dport {} -j "
               "ACCEPT",
               name, sp.health_check_node_port);
    }

    // Per-service nat chains, declared in the order kube-proxy writes their chain lines.
    constexpr uint32_t kNone = UINT32_MAX;
    uint32_t ext_c = uses_ext_chain ? n().add_chain(ext) : kNone;
    uint32_t fw_c = uses_fw_chain ? n().add_chain(fw) : kNone;
    uint32_t svc_c = uses_cluster_chain ? n().add_chain(svc) : kNone;
    uint32_t svl_c = uses_local_chain ? n().add_chain(svl) : kNone;

    // Internal traffic handling.
    if (has_internal) {
      uint32_t chain = sp.internal_local ? svl_c : svc_c;
      if (o_.masquerade_all) {
        n().rule(chain,
                 "-m comment --comment \"{} cluster IP\" -m {} -p {} -d {} --dport {} -j "
                 "KUBE-MARK-MASQ",
                 name, proto, proto, cip, sp.port);
      } else if (!if_not_local_.empty()) {
        n().rule(chain,
                 "-m comment --comment \"{} cluster IP\" -m {} -p {} -d {} --dport {} {} -j "
                 "KUBE-MARK-MASQ",
                 name, proto, proto, cip, sp.port, if_not_local_);
      }
    }
    // External traffic handling.
    if (uses_ext_chain) {
      uint32_t c = ext_c;
      if (!sp.external_local) {
        n().rule(c,
                 "-m comment --comment \"masquerade traffic for {} external destinations\" -j "
                 "KUBE-MARK-MASQ",
                 name);
      } else {
        if (!if_local_.empty()) {
          n().rule(c, "-m comment --comment \"pod traffic for {} external destinations\" {} -j {}",
                   name, if_local_, svc);
        }
        n().rule(c,
                 "-m comment --comment \"masquerade LOCAL traffic for {} external destinations\" "
                 "-m addrtype --src-type LOCAL -j KUBE-MARK-MASQ",
                 name);
        n().rule(c,
                 "-m comment --comment \"route LOCAL traffic for {} external destinations\" -m "
                 "addrtype --src-type LOCAL -j {}",
                 name, svc);
      }
      if (has_external) n().rule(c, "-j {}", external_policy_chain);
    }
    // Firewall chain.
    if (uses_fw_chain) {
      uint32_t c = fw_c;
      bool allow_from_node = false;
      for (const auto& cidr : sp.source_ranges) {
        n().rule(c, "-m comment --comment \"{} loadbalancer IP\" -s {} -j {}", name, cidr.str(),
                 ext);
        allow_from_node |= cidr.contains(v_.node_ip);
      }
      if (allow_from_node) {
        for (core::Ipv4 lb : sp.lb_vips) {
          n().rule(c, "-m comment --comment \"{} loadbalancer IP\" -s {} -j {}", name, lb.str(),
                   ext);
        }
      }
      n().rule(c,
               "-m comment --comment \"other traffic to {} will be dropped by "
               "KUBE-PROXY-FIREWALL\"",
               name);
    }
    // Endpoint chain names (one hash per locally reachable endpoint).
    sep_names_.assign(sp.endpoints.size(), std::string());
    for (uint32_t e : sp.reachable_eps) sep_names_[e] = sep_chain(name, proto, sp.endpoints[e].str);
    if (uses_cluster_chain) endpoint_rules(sp, svc_c, sp.cluster_eps);
    if (uses_local_chain) endpoint_rules(sp, svl_c, sp.local_eps);
    for (uint32_t e : sp.reachable_eps) {
      const EndpointInfo& ep = sp.endpoints[e];
      uint32_t c = n().add_chain(sep_names_[e]);
      std::string_view comment_pre = large_ ? "" : "-m comment --comment ";
      std::string_view comment = large_ ? "" : std::string_view(name);
      std::string_view sp_ = large_ ? "" : " ";
      std::string ip = ep.ip.str();
      n().rule(c, "{}{}{}-s {} -j KUBE-MARK-MASQ", comment_pre, comment, sp_, ip);
      if (sp.affinity) {
        n().rule(c, "{}{}{}-m recent --name {} --set -m {} -p {} -j DNAT --to-destination {}",
                 comment_pre, comment, sp_, sep_names_[e], proto, proto, ep.str);
      } else {
        n().rule(c, "{}{}{}-m {} -p {} -j DNAT --to-destination {}", comment_pre, comment, sp_,
                 proto, proto, ep.str);
      }
    }
  }

  void endpoint_rules(const ServicePortInfo& sp, uint32_t chain,
                      const std::vector<uint32_t>& eps) {
    const std::string& name = sp.name;
    if (sp.affinity) {
      for (uint32_t e : eps) {
        const EndpointInfo& ep = sp.endpoints[e];
        if (large_) {
          n().rule(chain, "-m recent --name {} --rcheck --seconds {} --reap -j {}", sep_names_[e],
                   sp.affinity_timeout_s, sep_names_[e]);
        } else {
          n().rule(chain,
                   "-m comment --comment \"{} -> {}\" -m recent --name {} --rcheck --seconds {} "
                   "--reap -j {}",
                   name, ep.str, sep_names_[e], sp.affinity_timeout_s, sep_names_[e]);
        }
      }
    }
    size_t count = eps.size();
    for (size_t i = 0; i < count; ++i) {
      uint32_t e = eps[i];
      const EndpointInfo& ep = sp.endpoints[e];
      std::string stat;
      if (i + 1 < count) {
        stat = "-m statistic --mode random --probability " +
               probability(static_cast<int>(count - i)) + " ";
      }
      if (large_) {
        n().rule(chain, "{}-j {}", stat, sep_names_[e]);
      } else {
        n().rule(chain, "-m comment --comment \"{} -> {}\" {}-j {}", name, ep.str, stat,
                 sep_names_[e]);
      }
    }
  }

  const std::string& probability(int n) {
    if (probabilities_.size() <= static_cast<size_t>(n)) {
      for (size_t i = probabilities_.size(); i <= static_cast<size_t>(n); ++i) {
        probabilities_.push_back(i == 0 ? "<bad value>" : iptables_probability(static_cast<int>(i)));
      }
    }
    return probabilities_[n];
  }

  void tail_rules() {
    if (npa_.match_all) {
      n().rule(n_services_, "-m comment --comment {} -m addrtype --dst-type LOCAL{} -j KUBE-NODEPORTS",
               kNodePortsComment, localhost_ ? "" : " ! -d 127.0.0.0/8");
    } else {
      for (core::Ipv4 ip : npa_.ips) {
        if (ip.value == 0x7F000001 && !localhost_) continue;
        n().rule(n_services_, "-m comment --comment {} -d {} -j KUBE-NODEPORTS", kNodePortsComment,
                 ip.str());
      }
    }
    if (!o_.conntrack_tcp_liberal) {
      if (o_.nfacct) {
        f().rule(f_forward_,
                 "-m conntrack --ctstate INVALID -m nfacct --nfacct-name "
                 "ct_state_invalid_dropped_pkts -j DROP");
      } else {
        f().rule(f_forward_, "-m conntrack --ctstate INVALID -j DROP");
      }
    }
    const std::string& m = o_.masquerade_mark;
    f().rule(f_forward_,
             "-m comment --comment \"kubernetes forwarding rules\" -m mark --mark {}/{} -j ACCEPT",
             m, m);
    f().rule(f_forward_,
             "-m comment --comment \"kubernetes forwarding conntrack rule\" -m conntrack --ctstate "
             "RELATED,ESTABLISHED -j ACCEPT");
  }

  const NodeView& v_;
  const ProxyOptions& o_;
  IptablesIndex* index_;
  IptablesRuleSet rs_;
  NodePortAddresses npa_;
  bool localhost_ = true;
  bool large_ = false;
  std::string if_local_, if_not_local_;
  uint32_t f_services_ = 0, f_external_ = 0, f_forward_ = 0, f_nodeports_ = 0, f_proxy_fw_ = 0;
  uint32_t n_services_ = 0, n_nodeports_ = 0, n_postrouting_ = 0, n_mark_masq_ = 0;
  size_t services_rules_ = 0;
  std::vector<std::string> sep_names_;
  std::vector<std::string> probabilities_;
};

}  // namespace

IptablesRuleSet compile_iptables(const NodeView& view, const ProxyOptions& opt,
                                 IptablesIndex* index) {
  return Compiler(view, opt, index).run();
}

IptablesRuleSet compile_iptables(const core::Cluster& cluster, core::NodeId node) {
  return compile_iptables(build_node_view(cluster, node), ProxyOptions::for_cluster(cluster));
}

}  // namespace knetsim::models::kubeproxy
