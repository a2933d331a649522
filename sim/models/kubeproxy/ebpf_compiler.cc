#include "sim/models/kubeproxy/ebpf_compiler.h"

#include <fmt/format.h>

#include <map>
#include <tuple>

namespace knetsim::models::kubeproxy {

namespace {

class Compiler {
 public:
  Compiler(const NodeView& v, const ProxyOptions& o) : v_(v), o_(o) {}

  BpfState run() {
    NodePortAddresses npa = resolve_node_port_addresses(o_, v_.node_ip);
    if (npa.match_all) {
      node_ips_ = {v_.node_ip, core::Ipv4{0}};
    } else {
      for (core::Ipv4 ip : npa.ips) {
        if (ip.value != 0x7F000001) node_ips_.push_back(ip);
      }
    }
    for (uint32_t i = 0; i < v_.ports.size(); ++i) port(i, v_.ports[i]);
    return std::move(st_);
  }

 private:
  uint32_t backend(const EndpointInfo& e, core::Protocol p) {
    auto key = std::make_tuple(e.ip.value, e.port, static_cast<int>(p));
    auto [it, inserted] = ids_.emplace(key, 0);
    if (inserted) {
      it->second = static_cast<uint32_t>(st_.backends.size() + 1);
      st_.backends.push_back(BpfBackend{it->second, e.ip, e.port, p});
    }
    return it->second;
  }

  void frontend(uint32_t idx, const ServicePortInfo& sp, core::Ipv4 ip, int port, const char* type,
                bool external) {
    uint32_t rev = ++rev_nat_;
    auto add = [&](bool local_scope, const std::vector<uint32_t>& eps) {
      BpfFrontend f;
      f.ip = ip;
      f.port = port;
      f.protocol = sp.protocol;
      f.type = type;
      f.local_scope = local_scope;
      f.rev_nat_id = rev;
      f.affinity = sp.affinity;
      f.port_index = idx;
      for (uint32_t e : eps) f.backend_ids.push_back(backend(sp.endpoints[e], sp.protocol));
      st_.frontends.push_back(std::move(f));
    };
    bool local = external ? sp.external_local : sp.internal_local;
    if (!local) {
      add(false, sp.cluster_eps);
    } else if (external) {
      // Two scopes: external traffic sees only node-local backends, in-cluster traffic all.
      add(true, sp.local_eps);
      add(false, sp.cluster_eps);
    } else {
      add(true, sp.local_eps);
    }
  }

  void port(uint32_t idx, const ServicePortInfo& sp) {
    frontend(idx, sp, sp.cluster_ip, sp.port, "ClusterIP", false);
    for (core::Ipv4 ip : sp.external_ips) frontend(idx, sp, ip, sp.port, "ExternalIP", true);
    for (core::Ipv4 ip : sp.lb_vips) frontend(idx, sp, ip, sp.port, "LoadBalancer", true);
    if (sp.node_port != 0) {
      for (core::Ipv4 ip : node_ips_) frontend(idx, sp, ip, sp.node_port, "NodePort", true);
    }
  }

  const NodeView& v_;
  const ProxyOptions& o_;
  BpfState st_;
  std::vector<core::Ipv4> node_ips_;
  std::map<std::tuple<uint32_t, int, int>, uint32_t> ids_;
  uint32_t rev_nat_ = 0;
};

}  // namespace

size_t BpfState::service_map_entries() const {
  size_t n = 0;
  for (const auto& f : frontends) n += 1 + f.backend_ids.size();
  return n;
}

size_t BpfState::rev_nat_entries() const {
  size_t n = 0;
  uint32_t last = 0;
  for (const auto& f : frontends) {
    if (f.rev_nat_id != last) ++n;
    last = f.rev_nat_id;
  }
  return n;
}

size_t BpfState::affinity_match_entries() const {
  size_t n = 0;
  for (const auto& f : frontends) {
    if (f.affinity) n += f.backend_ids.size();
  }
  return n;
}

std::string BpfState::dump() const {
  std::string out = "SERVICE ADDRESS           BACKEND ADDRESS (REVNAT_ID) (SLOT)\n";
  for (const auto& f : frontends) {
    std::string fa = fmt::format("{}:{}/{}{}", f.ip.str(), f.port, core::protocol_name(f.protocol),
                                 f.local_scope ? " (local)" : "");
    fmt::format_to(std::back_inserter(out), "{:<25} 0.0.0.0:0 ({}) (0) [{}{}]\n", fa, f.rev_nat_id,
                   f.type, f.affinity ? ", sessionAffinity" : "");
    for (size_t s = 0; s < f.backend_ids.size(); ++s) {
      const BpfBackend& b = backends[f.backend_ids[s] - 1];
      fmt::format_to(std::back_inserter(out), "{:<25} {}:{}/{} ({}) ({})\n", "", b.ip.str(), b.port,
                     core::protocol_name(b.protocol), f.rev_nat_id, s + 1);
    }
  }
  return out;
}

BpfState compile_ebpf(const NodeView& view, const ProxyOptions& opt) {
  return Compiler(view, opt).run();
}

BpfState compile_ebpf(const core::Cluster& cluster, core::NodeId node) {
  return compile_ebpf(build_node_view(cluster, node), ProxyOptions::for_cluster(cluster));
}

}  // namespace knetsim::models::kubeproxy
