// The SimGrid platform of a cluster, built in code: one host per node (its cores; speed scaled
// so that one flop is one nanosecond of CPU on the profile's reference core), a split-duplex
// link per node for its NIC (bandwidth min(NIC, fabric), latency the node<->switch hop), the
// fabric a star zone, plus an external client host, the cloud load balancer and a "timer"
// host with very many cores on which pure waits run as execs without contention.
// Leaf-spine fabrics add the spine latency to every node link of racks (a flat approximation;
// see docs/MODELS.md).
#pragma once

#include <vector>

#include <simgrid/s4u.hpp>

#include "sim/core/cluster.h"
#include "sim/core/profile.h"
#include "sim/models/path/fabric.h"

namespace knetsim::sim {

struct Platform {
  std::vector<simgrid::s4u::Host*> nodes;
  simgrid::s4u::Host* client = nullptr;
  simgrid::s4u::Host* load_balancer = nullptr;
  simgrid::s4u::Host* timer = nullptr;
  simgrid::s4u::Host* host(int32_t h) const {
    if (h == models::path::kClientHost) return client;
    if (h == models::path::kLoadBalancerHost) return load_balancer;
    return nodes[static_cast<size_t>(h)];
  }
  // Flops per ns on host h (1 at the reference clock).
  std::vector<double> speed_scale;
};

Platform build_platform(const core::Cluster& cluster, const models::path::Fabric& fabric,
                        const core::Profile& profile);

}  // namespace knetsim::sim
