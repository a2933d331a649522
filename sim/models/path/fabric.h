// The physical network between hosts as the path model and the SimGrid platform both see it:
// nodes hang off a flat switch (or leaf switches of racks joined by spines), external clients
// and the cloud load balancer are hosts on the same fabric. One-way latency and bottleneck
// bandwidth between two hosts; transfer time = latency + bytes / bandwidth (what SimGrid's
// CM02 model computes with unit factors, so predictions and simulation agree without load).
#pragma once

#include <cstdint>

#include "sim/core/cluster.h"
#include "sim/core/profile.h"

namespace knetsim::models::path {

// Host identities: a node index (>= 0), or one of these.
inline constexpr int32_t kClientHost = -1;
inline constexpr int32_t kLoadBalancerHost = -2;

class Fabric {
 public:
  Fabric(const core::Cluster& cluster, const core::Profile& profile);

  // Host <-> switch (or leaf) link.
  int64_t edge_latency_ns(int32_t host) const;
  double edge_bps(int32_t host) const;
  // Extra latency between two nodes in different racks (leaf-spine), else 0.
  int64_t spine_latency_ns(int32_t a, int32_t b) const;
  int rack_of(int32_t host) const;  // -1 for client/LB hosts (attached to the spine layer)
  int racks() const { return racks_; }
  bool leaf_spine() const { return leaf_spine_; }

  int64_t latency_ns(int32_t from, int32_t to) const;
  double bandwidth_bps(int32_t from, int32_t to) const;
  int64_t transfer_ns(int32_t from, int32_t to, int64_t bytes) const;

 private:
  const core::Cluster& cluster_;
  bool leaf_spine_ = false;
  int nodes_per_rack_ = 1;
  int racks_ = 1;
  int64_t node_latency_ns_ = 0;
  int64_t spine_ns_ = 0;
  double fabric_bps_ = 0;
  int64_t client_latency_ns_ = 0;
  double client_bps_ = 0;
};

}  // namespace knetsim::models::path
