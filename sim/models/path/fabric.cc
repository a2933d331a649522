// Latency and bandwidth between hosts (see fabric.h).
#include "sim/models/path/fabric.h"

#include <algorithm>
#include <cmath>

namespace knetsim::models::path {

Fabric::Fabric(const core::Cluster& cluster, const core::Profile& p) : cluster_(cluster) {
  const core::NetworkSpec& net = cluster.spec.network;
  leaf_spine_ = net.fabric == core::Fabric::LeafSpine;
  nodes_per_rack_ = std::max(1, net.nodes_per_rack);
  int n = static_cast<int>(cluster.nodes.size());
  racks_ = leaf_spine_ ? std::max(1, (n + nodes_per_rack_ - 1) / nodes_per_rack_) : 1;
  node_latency_ns_ = net.latency_ns;
  spine_ns_ = net.spine_latency_ns;
  fabric_bps_ = net.bandwidth_bps;
  client_latency_ns_ = static_cast<int64_t>(p.get("external_client_latency_ns"));
  client_bps_ = p.get("external_client_gbps") * 1e9;
}

int Fabric::rack_of(int32_t host) const {
  if (host < 0) return -1;
  return leaf_spine_ ? host / nodes_per_rack_ : 0;
}

int64_t Fabric::edge_latency_ns(int32_t host) const {
  return host == kClientHost ? client_latency_ns_ : node_latency_ns_;
}

double Fabric::edge_bps(int32_t host) const {
  if (host == kClientHost) return client_bps_;
  if (host == kLoadBalancerHost) return fabric_bps_;
  return std::min(cluster_.nodes[host].nic_bps, fabric_bps_);
}

int64_t Fabric::spine_latency_ns(int32_t a, int32_t b) const {
  if (!leaf_spine_) return 0;
  int ra = rack_of(a);
  int rb = rack_of(b);
  if (ra == rb && ra >= 0) return 0;
  // Leaf -> spine -> leaf: two spine hops; client/LB sit at the spine (one hop).
  return (ra >= 0 ? spine_ns_ : 0) + (rb >= 0 ? spine_ns_ : 0);
}

int64_t Fabric::latency_ns(int32_t from, int32_t to) const {
  if (from == to) return 0;
  return edge_latency_ns(from) + edge_latency_ns(to) + spine_latency_ns(from, to);
}

double Fabric::bandwidth_bps(int32_t from, int32_t to) const {
  return std::min(edge_bps(from), edge_bps(to));
}

int64_t Fabric::transfer_ns(int32_t from, int32_t to, int64_t bytes) const {
  if (from == to) return 0;
  double bw = bandwidth_bps(from, to);
  return latency_ns(from, to) + static_cast<int64_t>(std::llround(bytes * 8.0 / bw * 1e9));
}

}  // namespace knetsim::models::path
