#include "sim/models/kubeproxy/nftables_compiler.h"

#include <map>
#include <unordered_map>

#include "sim/models/kubeproxy/chain_names.h"

namespace knetsim::models::kubeproxy {

std::string nft_chain_base(const std::string& name) {
  constexpr size_t kBaseMax = 256 - 16;  // knftables.NameLengthMax - prefix max
  std::string out = hash16(name).substr(0, 8) + "-" + name;
  if (out.size() > kBaseMax) out = out.substr(0, kBaseMax - 3) + "...";
  return out;
}

namespace {

class Compiler {
 public:
  Compiler(const NodeView& v, const ProxyOptions& o) : v_(v), o_(o) {}

  NftRuleSet run() {
    npa_ = resolve_node_port_addresses(o_, v_.node_ip);
    if (o_.cluster_cidr) {
      if_local_ = "ip saddr " + o_.cluster_cidr->str();
      if_not_local_ = "ip saddr != " + o_.cluster_cidr->str();
    }
    setup();
    for (const auto& sp : v_.ports) service_port(sp);
    return std::move(rs_);
  }

 private:
  uint32_t chain(const std::string& name) {
    auto [it, inserted] = chain_index_.emplace(name, 0);
    if (inserted) it->second = rs_.add_chain(name);
    return it->second;
  }

  void setup() {
    // kube-proxy asks for dstnat-10 / dstnat / dstnat+10 / srcnat; written numerically (-110, -100,
    // -90, 100) because nft accepts the symbolic names only on some hooks.
    const char* filter_prio = "priority -110";
    base_["filter-prerouting"] =
        rs_.add_chain("filter-prerouting", std::string("type filter hook prerouting ") + filter_prio);
    base_["filter-input"] =
        rs_.add_chain("filter-input", std::string("type filter hook input ") + filter_prio);
    base_["filter-forward"] =
        rs_.add_chain("filter-forward", std::string("type filter hook forward ") + filter_prio);
    base_["filter-output"] =
        rs_.add_chain("filter-output", std::string("type filter hook output ") + filter_prio);
    base_["filter-output-post-dnat"] = rs_.add_chain(
        "filter-output-post-dnat", "type filter hook output priority -90");
    base_["nat-prerouting"] =
        rs_.add_chain("nat-prerouting", "type nat hook prerouting priority -100");
    base_["nat-output"] = rs_.add_chain("nat-output", "type nat hook output priority -100");
    base_["nat-postrouting"] =
        rs_.add_chain("nat-postrouting", "type nat hook postrouting priority 100");
    for (auto& [name, idx] : base_) chain_index_[name] = idx;

    struct Jump {
      const char* dst;
      const char* src;
      const char* extra;
    };
    const Jump jumps[] = {
        {"nodeport-endpoints-check", "filter-input", "ct state new "},
        {"service-endpoints-check", "filter-input", "ct state new "},
        {"service-endpoints-check", "filter-forward", "ct state new "},
        {"service-endpoints-check", "filter-output", "ct state new "},
        {"firewall-check", "filter-prerouting", "ct state new "},
        {"firewall-check", "filter-output", "ct state new "},
        {"services", "nat-output", ""},
        {"services", "nat-prerouting", ""},
        {"masquerading", "nat-postrouting", ""},
        {"cluster-ips-check", "filter-forward", "ct state new "},
        {"cluster-ips-check", "filter-output-post-dnat", "ct state new "},
    };
    for (const auto& j : jumps) {
      chain(j.dst);
      rs_.rule(chain(j.src), "{}jump {}", j.extra, j.dst);
    }
    for (const char* c : {"services", "cluster-ips-check", "masquerading", "mark-for-masquerade"}) {
      chain(c);
    }
    const std::string& m = o_.masquerade_mark;
    rs_.rule(chain("mark-for-masquerade"), "mark set mark or {}", m);
    rs_.rule(chain("masquerading"), "mark and {} == 0 return", m);
    rs_.rule(chain("masquerading"), "mark set mark xor {}", m);
    rs_.rule(chain("masquerading"), "masquerade fully-random");

    cluster_ips_ = rs_.add_set("cluster-ips", false, "type ipv4_addr ; comment \"Active ClusterIPs\" ;");
    rs_.rule(chain("cluster-ips-check"),
             "ip daddr @cluster-ips reject comment \"Reject traffic to invalid ports of ClusterIPs\"");
    if (!o_.service_cidrs.empty()) {
      std::string cidrs;
      for (const auto& c : o_.service_cidrs) cidrs += (cidrs.empty() ? "" : ", ") + c.str();
      rs_.rule(chain("cluster-ips-check"),
               "ip daddr {{ {} }} drop comment \"Drop traffic to unallocated ClusterIPs\"", cidrs);
    }
    if (!npa_.match_all) {
      uint32_t s = rs_.add_set("nodeport-ips", false,
                               "type ipv4_addr ; comment \"IPs that accept NodePort traffic\" ;");
      for (core::Ipv4 ip : npa_.ips) {
        if (ip.value == 0x7F000001) continue;  // localhost NodePorts are not supported
        rs_.set(s).elements.add("{}", ip.str());
      }
    }
    no_ep_services_ = rs_.add_set(
        "no-endpoint-services", true,
        "type ipv4_addr . inet_proto . inet_service : verdict ; comment \"vmap to drop or reject "
        "packets to services with no endpoints\" ;");
    no_ep_nodeports_ = rs_.add_set(
        "no-endpoint-nodeports", true,
        "type inet_proto . inet_service : verdict ; comment \"vmap to drop or reject packets to "
        "service nodeports with no endpoints\" ;");
    chain("reject-chain");
    rs_.rule(chain("reject-chain"), "reject");
    rs_.rule(chain("service-endpoints-check"),
             "ip daddr . meta l4proto . th dport vmap @no-endpoint-services");
    if (npa_.match_all) {
      rs_.rule(chain("nodeport-endpoints-check"),
               "ip daddr != 127.0.0.0/8 meta l4proto . th dport vmap @no-endpoint-nodeports");
    } else {
      rs_.rule(chain("nodeport-endpoints-check"),
               "ip daddr @nodeport-ips meta l4proto . th dport vmap @no-endpoint-nodeports");
    }
    firewall_ips_ = rs_.add_set("firewall-ips", true,
                                "type ipv4_addr . inet_proto . inet_service : verdict ; comment "
                                "\"destinations that are subject to LoadBalancerSourceRanges\" ;");
    rs_.rule(chain("firewall-check"), "ip daddr . meta l4proto . th dport vmap @firewall-ips");
    service_ips_ = rs_.add_set("service-ips", true,
                               "type ipv4_addr . inet_proto . inet_service : verdict ; comment "
                               "\"ClusterIP, ExternalIP and LoadBalancer IP traffic\" ;");
    service_nodeports_ = rs_.add_set(
        "service-nodeports", true,
        "type inet_proto . inet_service : verdict ; comment \"NodePort traffic\" ;");
    rs_.rule(chain("services"), "ip daddr . meta l4proto . th dport vmap @service-ips");
    if (npa_.match_all) {
      rs_.rule(chain("services"),
               "fib daddr type local ip daddr != 127.0.0.0/8 meta l4proto . th dport vmap "
               "@service-nodeports");
    } else {
      rs_.rule(chain("services"),
               "ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports");
    }
  }

  void service_port(const ServicePortInfo& sp) {
    const char* proto = sp.proto;
    std::string base = nft_chain_base(sp.ns + "/" + sp.svc_name + "/" + proto + "/" + sp.port_name);
    std::string cluster_chain = "service-" + base;
    std::string local_chain = "local-" + base;
    std::string ext_chain = "external-" + base;
    std::string fw_chain = "firewall-" + base;
    const bool has_eps = sp.has_endpoints;
    const bool has_internal = sp.has_internal_endpoints();
    const bool has_external = sp.has_external_endpoints();

    // Endpoint chain names.
    ep_chain_.assign(sp.endpoints.size(), std::string());
    ep_affinity_.assign(sp.endpoints.size(), std::string());
    for (uint32_t e : sp.reachable_eps) {
      const EndpointInfo& ep = sp.endpoints[e];
      std::string b = nft_chain_base(sp.ns + "/" + sp.svc_name + "/" + proto + "/" + sp.port_name +
                                     "__" + ep.ip.str() + "/" + std::to_string(ep.port));
      ep_chain_[e] = "endpoint-" + b;
      ep_affinity_[e] = "affinity-" + b;
      chain(ep_chain_[e]);
    }
    const bool uses_cluster = !sp.cluster_eps.empty() && sp.uses_cluster_endpoints();
    const bool uses_local = !sp.local_eps.empty() && sp.uses_local_endpoints();
    if (uses_cluster) chain(cluster_chain);
    if (uses_local) chain(local_chain);
    const std::string& internal_chain = sp.internal_local ? local_chain : cluster_chain;
    const std::string& external_policy = sp.external_local ? local_chain : cluster_chain;
    const bool uses_ext = has_eps && sp.externally_accessible();
    if (uses_ext) chain(ext_chain);

    std::string int_verdict, ext_verdict;
    if (!has_eps) {
      int_verdict = ext_verdict = "goto reject-chain";
    } else {
      if (!has_internal) int_verdict = "drop";
      if (!has_external) ext_verdict = "drop";
    }
    const std::string cip = sp.cluster_ip.str();
    rs_.set(cluster_ips_).elements.add("{}", cip);
    if (has_internal) {
      rs_.set(service_ips_).elements.add("{} . {} . {} : goto {}", cip, proto, sp.port,
                                         internal_chain);
    } else {
      rs_.set(no_ep_services_).elements.add("{} . {} . {} comment \"{}\" : {}", cip, proto,
                                            sp.port, sp.name, int_verdict);
    }
    for (core::Ipv4 eip : sp.external_ips) {
      if (has_eps) {
        rs_.set(service_ips_).elements.add("{} . {} . {} : goto {}", eip.str(), proto, sp.port,
                                           ext_chain);
      }
      if (!has_external) {
        rs_.set(no_ep_services_).elements.add("{} . {} . {} comment \"{}\" : {}", eip.str(), proto,
                                              sp.port, sp.name, ext_verdict);
      }
    }
    const bool uses_fw = !sp.lb_vips.empty() && !sp.source_ranges.empty();
    if (uses_fw) chain(fw_chain);
    for (core::Ipv4 lb : sp.lb_vips) {
      if (has_eps) {
        rs_.set(service_ips_).elements.add("{} . {} . {} : goto {}", lb.str(), proto, sp.port,
                                           ext_chain);
      }
      if (uses_fw) {
        rs_.set(firewall_ips_).elements.add("{} . {} . {} : goto {}", lb.str(), proto, sp.port,
                                            fw_chain);
      }
    }
    if (!has_external) {
      for (core::Ipv4 lb : sp.lb_vips) {
        rs_.set(no_ep_services_).elements.add("{} . {} . {} comment \"{}\" : {}", lb.str(), proto,
                                              sp.port, sp.name, ext_verdict);
      }
    }
    if (sp.node_port != 0) {
      if (has_eps) {
        rs_.set(service_nodeports_).elements.add("{} . {} : goto {}", proto, sp.node_port,
                                                 ext_chain);
      }
      if (!has_external) {
        rs_.set(no_ep_nodeports_).elements.add("{} . {} comment \"{}\" : {}", proto, sp.node_port,
                                               sp.name, ext_verdict);
      }
    }

    if (has_internal) {
      uint32_t c = chain(internal_chain);
      if (o_.masquerade_all) {
        rs_.rule(c, "ip daddr {} {} dport {} jump mark-for-masquerade", cip, proto, sp.port);
      } else if (!if_not_local_.empty()) {
        rs_.rule(c, "ip daddr {} {} dport {} {} jump mark-for-masquerade", cip, proto, sp.port,
                 if_not_local_);
      }
    }
    if (uses_ext) {
      uint32_t c = chain(ext_chain);
      if (!sp.external_local) {
        rs_.rule(c, "jump mark-for-masquerade");
      } else {
        if (!if_local_.empty()) {
          rs_.rule(c, "{} goto {} comment \"short-circuit pod traffic\"", if_local_, cluster_chain);
        }
        rs_.rule(c, "fib saddr type local jump mark-for-masquerade comment \"masquerade local traffic\"");
        rs_.rule(c, "fib saddr type local goto {} comment \"short-circuit local traffic\"",
                 cluster_chain);
      }
      if (has_external) rs_.rule(c, "goto {}", external_policy);
    }
    if (uses_fw) {
      std::string sources;
      bool allow_from_node = false;
      for (const auto& cidr : sp.source_ranges) {
        sources += (sources.empty() ? "" : ", ") + cidr.str();
        allow_from_node |= cidr.contains(v_.node_ip);
      }
      if (allow_from_node) {
        for (core::Ipv4 lb : sp.lb_vips) sources += ", " + lb.str();
      }
      rs_.rule(chain(fw_chain), "ip saddr != {{ {} }} drop", sources);
    }
    if (sp.affinity) {
      for (uint32_t e : sp.reachable_eps) {
        rs_.add_set(ep_affinity_[e], false,
                    fmt::format("type ipv4_addr ; flags dynamic,timeout ; timeout {}s ;",
                                sp.affinity_timeout_s));
      }
    }
    if (uses_cluster) endpoint_rules(sp, chain(cluster_chain), sp.cluster_eps);
    if (uses_local) endpoint_rules(sp, chain(local_chain), sp.local_eps);
    for (uint32_t e : sp.reachable_eps) {
      const EndpointInfo& ep = sp.endpoints[e];
      uint32_t c = chain(ep_chain_[e]);
      rs_.rule(c, "ip saddr {} jump mark-for-masquerade", ep.ip.str());
      if (sp.affinity) rs_.rule(c, "update @{} {{ ip saddr }}", ep_affinity_[e]);
      rs_.rule(c, "meta l4proto {} dnat to {}", proto, ep.str);
    }
  }

  void endpoint_rules(const ServicePortInfo& sp, uint32_t c, const std::vector<uint32_t>& eps) {
    if (sp.affinity) {
      for (uint32_t e : eps) rs_.rule(c, "ip saddr @{} goto {}", ep_affinity_[e], ep_chain_[e]);
    }
    std::string elements;
    for (size_t i = 0; i < eps.size(); ++i) {
      if (i) elements += ", ";
      elements += std::to_string(i) + " : goto " + ep_chain_[eps[i]];
    }
    rs_.rule(c, "numgen random mod {} vmap {{ {} }}", eps.size(), elements);
  }

  const NodeView& v_;
  const ProxyOptions& o_;
  NftRuleSet rs_;
  NodePortAddresses npa_;
  std::string if_local_, if_not_local_;
  std::map<std::string, uint32_t> base_;
  std::unordered_map<std::string, uint32_t> chain_index_;
  uint32_t cluster_ips_ = 0, no_ep_services_ = 0, no_ep_nodeports_ = 0, firewall_ips_ = 0,
           service_ips_ = 0, service_nodeports_ = 0;
  std::vector<std::string> ep_chain_, ep_affinity_;
};

}  // namespace

NftRuleSet compile_nftables(const NodeView& view, const ProxyOptions& opt) {
  return Compiler(view, opt).run();
}

NftRuleSet compile_nftables(const core::Cluster& cluster, core::NodeId node) {
  return compile_nftables(build_node_view(cluster, node), ProxyOptions::for_cluster(cluster));
}

}  // namespace knetsim::models::kubeproxy
