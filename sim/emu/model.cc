#include "sim/emu/model.h"

#include <fmt/core.h>

#include "sim/emu/address_map.h"

namespace knetsim::emu {

Model::Model(core::Cluster cluster, core::Profile profile, uint64_t seed)
    : cluster_(std::move(cluster)),
      profile_(std::move(profile)),
      policy_(cluster_),
      selector_(cluster_, cluster_.kube_proxy.mode, seed),
      path_(cluster_, profile_) {
  auto add = [&](core::Ipv4 sim, Source s, const std::string& what) {
    core::Ipv4 lo = loopback_of(sim);
    auto [it, inserted] = by_loopback_.emplace(lo.value, s);
    if (!inserted && it->second.simulated != sim) {
      collisions_.push_back(fmt::format("{} ({}) and {} ({}) both map to {}", it->second.name,
                                        it->second.simulated.str(), what, sim.str(), lo.str()));
    }
  };
  for (core::NodeId n = 0; n < cluster_.nodes.size(); ++n) {
    Source s{loopback_of(cluster_.nodes[n].ip), cluster_.nodes[n].ip, std::nullopt, n,
             "node/" + cluster_.nodes[n].name};
    add(cluster_.nodes[n].ip, s, s.name);
  }
  for (core::PodId p = 0; p < cluster_.pods.size(); ++p) {
    const auto& pod = cluster_.pods[p];
    if (pod.spec.host_network || pod.ip.value == 0) continue;
    Source s{loopback_of(pod.ip), pod.ip, p,
             pod.node == core::kNoNode ? std::nullopt : std::optional<core::NodeId>(pod.node),
             pod.key()};
    add(pod.ip, s, s.name);
  }
  for (const auto& svc : cluster_.services) {
    if (!svc.cluster_ip) continue;
    core::Ipv4 lo = loopback_of(*svc.cluster_ip);
    auto it = by_loopback_.find(lo.value);
    if (it != by_loopback_.end()) {
      collisions_.push_back(fmt::format("{} ({}) and service {} ({}) both map to {}",
                                        it->second.name, it->second.simulated.str(), svc.key(),
                                        svc.cluster_ip->str(), lo.str()));
    }
  }
}

Source Model::identify(core::Ipv4 loopback) const {
  auto it = by_loopback_.find(loopback.value);
  if (it != by_loopback_.end()) return it->second;
  return Source{loopback, loopback, std::nullopt, std::nullopt, "external " + loopback.str()};
}

models::policy::Verdict Model::check_pod(const Source& src, core::PodId dst, int port,
                                         core::Protocol protocol) const {
  if (src.pod) return policy_.check(*src.pod, dst, port, protocol);
  return policy_.check_from_ip(src.simulated, dst, port, protocol);
}

Route Model::route(const Source& src, core::ServiceId svc, size_t port_index,
                   std::optional<core::NodeId> via_node, int64_t now_ns) {
  Route r;
  const auto& service = cluster_.services[svc];
  const auto& port = service.ports[port_index];
  auto backends = cluster_.backends_of(svc, port);
  {
    std::lock_guard lock(mutex_);
    auto chosen = selector_.choose(svc, port_index, src.simulated, now_ns);
    if (chosen && *chosen < backends.size()) {
      r.has_backend = true;
      r.endpoint_index = *chosen;
      models::path::RequestSpec req;
      req.client_pod = src.pod;
      req.target.kind = via_node ? core::TargetKind::NodePort : core::TargetKind::Service;
      req.target.name = service.key();
      req.target.port = via_node ? port.node_port : port.port;
      if (via_node) req.target.node = cluster_.nodes[*via_node].name;
      req.protocol = port.protocol;
      req.new_connection = true;
      req.backend_index = *chosen;
      req.entry_node = via_node;
      auto prediction = path_.predict_request(req);
      r.latency_ns = prediction.total_ns;
      r.rules_evaluated = prediction.rules_evaluated;
      r.hops = std::move(prediction.hops);
    }
  }
  if (!r.has_backend) {
    r.verdict.allowed = false;
    r.verdict.allowed_as_written = true;
    r.verdict.reason = "service " + service.key() + " has no ready endpoints (kube-proxy rejects)";
    return r;
  }
  r.seen_source = src;
  if (via_node && service.external_traffic_policy == core::TrafficPolicy::Cluster) {
    r.seen_source = identify(loopback_of(cluster_.nodes[*via_node].ip));  // SNAT to the node
  }
  const auto& b = backends[r.endpoint_index];
  r.backend_ip = b.ip;
  r.backend_port = b.port;
  r.backend_pod = b.endpoint->pod;
  if (!r.backend_pod) r.backend_pod = cluster_.pod_by_ip(b.ip);
  if (r.backend_pod) {
    r.verdict = check_pod(r.seen_source, *r.backend_pod, b.port, port.protocol);
  } else {
    r.verdict.reason = "endpoint " + b.ip.str() + " is not a pod: no policy applies";
  }
  return r;
}

void Model::release(core::ServiceId svc, size_t port_index, size_t endpoint_index) {
  std::lock_guard lock(mutex_);
  selector_.release(svc, port_index, endpoint_index);
}

std::vector<std::string> Model::mapping_collisions() const { return collisions_; }

}  // namespace knetsim::emu
