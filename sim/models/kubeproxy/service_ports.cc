#include "sim/models/kubeproxy/service_ports.h"

#include <algorithm>

namespace knetsim::models::kubeproxy {

namespace {

const char* lower_protocol(core::Protocol p) {
  switch (p) {
    case core::Protocol::TCP:
      return "tcp";
    case core::Protocol::UDP:
      return "udp";
    case core::Protocol::SCTP:
      return "sctp";
  }
  return "tcp";
}

// proxy.CategorizeEndpoints without topology hints (knetsim does not model them).
void categorize(ServicePortInfo& sp) {
  const auto& eps = sp.endpoints;
  if (sp.uses_cluster_endpoints()) {
    for (uint32_t i = 0; i < eps.size(); ++i) {
      if (eps[i].ready) sp.cluster_eps.push_back(i);
    }
    if (sp.cluster_eps.empty()) {  // fall back to serving-terminating endpoints
      for (uint32_t i = 0; i < eps.size(); ++i) {
        if (eps[i].serving && eps[i].terminating) sp.cluster_eps.push_back(i);
      }
    }
    if (!sp.cluster_eps.empty()) sp.has_endpoints = true;
  }
  if (!sp.uses_local_endpoints()) {
    sp.reachable_eps = sp.cluster_eps;
    return;
  }
  bool local_ready = false;
  bool local_terminating = false;
  for (const auto& e : eps) {
    if (e.ready) {
      sp.has_endpoints = true;
      local_ready |= e.local;
    } else if (e.serving && e.terminating) {
      sp.has_endpoints = true;
      local_terminating |= e.local;
    }
  }
  for (uint32_t i = 0; i < eps.size(); ++i) {
    if (!eps[i].local) continue;
    if (local_ready ? eps[i].ready : (local_terminating && eps[i].serving && eps[i].terminating)) {
      sp.local_eps.push_back(i);
    }
  }
  if (!sp.uses_cluster_endpoints()) {
    sp.reachable_eps = sp.local_eps;
    return;
  }
  std::vector<bool> in(eps.size(), false);
  for (auto i : sp.cluster_eps) in[i] = true;
  for (auto i : sp.local_eps) in[i] = true;
  for (uint32_t i = 0; i < eps.size(); ++i) {
    if (in[i]) sp.reachable_eps.push_back(i);
  }
}

bool is_externally_accessible(const core::Service& s) {
  return s.type == core::ServiceType::LoadBalancer || s.type == core::ServiceType::NodePort ||
         !s.external_ips.empty();
}

}  // namespace

ServicePortInfo build_service_port(const core::Cluster& cluster, core::ServiceId id,
                                   uint32_t pi, const std::string& node_name) {
  const core::Service& s = cluster.services[id];
  const core::ServicePort& p = s.ports[pi];
  ServicePortInfo sp;
  sp.svc = id;
  sp.port_index = pi;
  sp.name = s.ns + "/" + s.name;
  if (!p.name.empty()) sp.name += ":" + p.name;
  sp.ns = s.ns;
  sp.svc_name = s.name;
  sp.port_name = p.name;
  sp.protocol = p.protocol;
  sp.proto = lower_protocol(p.protocol);
  sp.cluster_ip = s.cluster_ip.value_or(core::Ipv4{});
  sp.port = p.port;
  sp.node_port = s.has_node_ports() ? p.node_port : 0;
  sp.external_ips = s.external_ips;
  if (s.type == core::ServiceType::LoadBalancer) {
    sp.lb_vips = s.load_balancer_ingress;
    sp.source_ranges = s.load_balancer_source_ranges;
    if (s.external_traffic_policy == core::TrafficPolicy::Local) {
      sp.health_check_node_port = s.health_check_node_port;
    }
  }
  sp.internal_local = s.internal_traffic_policy == core::TrafficPolicy::Local;
  sp.external_local =
      is_externally_accessible(s) && s.external_traffic_policy == core::TrafficPolicy::Local;
  sp.affinity = s.session_affinity == core::SessionAffinity::ClientIP;
  sp.affinity_timeout_s = s.affinity_timeout_s;

  auto backends = cluster.backends_of(id, p);
  sp.endpoints.reserve(backends.size());
  for (uint32_t bi = 0; bi < backends.size(); ++bi) {
    const auto& b = backends[bi];
    if (b.port <= 0 || b.ip.value == 0) continue;
    EndpointInfo e;
    e.ip = b.ip;
    e.port = b.port;
    e.str = b.ip.str() + ":" + std::to_string(b.port);
    e.ready = b.endpoint->ready;
    e.serving = b.endpoint->serving;
    e.terminating = b.endpoint->terminating;
    e.local = !node_name.empty() && b.endpoint->node_name == node_name;
    e.backend_index = bi;
    sp.endpoints.push_back(std::move(e));
  }
  std::stable_sort(sp.endpoints.begin(), sp.endpoints.end(),
                   [](const EndpointInfo& a, const EndpointInfo& b) { return a.str < b.str; });
  // The same ip:port in two slices is one endpoint to kube-proxy (the first one wins).
  sp.endpoints.erase(std::unique(sp.endpoints.begin(), sp.endpoints.end(),
                                 [](const EndpointInfo& a, const EndpointInfo& b) {
                                   return a.str == b.str;
                                 }),
                     sp.endpoints.end());
  categorize(sp);
  return sp;
}

bool is_programmed(const core::Service& s) {
  return s.type != core::ServiceType::ExternalName && !s.headless && s.cluster_ip.has_value();
}

NodeView build_node_view(const core::Cluster& cluster, core::NodeId node) {
  NodeView v;
  v.node = node;
  if (node < cluster.nodes.size()) {
    v.node_name = cluster.nodes[node].name;
    v.node_ip = cluster.nodes[node].ip;
  }
  v.first_port_of_service.assign(cluster.services.size(), -1);
  for (core::ServiceId id = 0; id < cluster.services.size(); ++id) {
    const core::Service& s = cluster.services[id];
    if (!is_programmed(s)) continue;
    v.first_port_of_service[id] = static_cast<int32_t>(v.ports.size());
    for (uint32_t pi = 0; pi < s.ports.size(); ++pi) {
      v.ports.push_back(build_service_port(cluster, id, pi, v.node_name));
      v.total_endpoints += v.ports.back().endpoints.size();
    }
  }
  return v;
}

int32_t find_port(const NodeView& view, core::ServiceId svc, size_t port_index) {
  if (svc >= view.first_port_of_service.size()) return -1;
  int32_t first = view.first_port_of_service[svc];
  if (first < 0) return -1;
  size_t i = static_cast<size_t>(first) + port_index;
  if (i >= view.ports.size() || view.ports[i].svc != svc) return -1;
  return static_cast<int32_t>(i);
}

}  // namespace knetsim::models::kubeproxy
