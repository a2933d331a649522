#include "sim/models/policy/endpoint.h"

namespace knetsim::models::policy {

namespace {

const core::Node* node_with_ip(const core::Cluster& cluster, core::Ipv4 ip) {
  for (const auto& n : cluster.nodes) {
    if (n.ip == ip) return &n;
  }
  return nullptr;
}

}  // namespace

std::string Endpoint::str() const {
  if (pod) return pod->key();
  if (node) return ip.str() + " (node " + node->name + ")";
  return ip.str();
}

Endpoint pod_endpoint(const core::Cluster& cluster, core::PodId id) {
  Endpoint e;
  e.pod = &cluster.pods.at(id);
  e.ns = cluster.find_namespace(e.pod->ns);
  e.ip = e.pod->ip;
  if (e.pod->spec.host_network && e.pod->node < cluster.nodes.size())
    e.node = &cluster.nodes[e.pod->node];
  return e;
}

Endpoint ip_endpoint(const core::Cluster& cluster, core::Ipv4 ip) {
  Endpoint e;
  e.ip = ip;
  e.node = node_with_ip(cluster, ip);
  return e;
}

}  // namespace knetsim::models::policy
