// What every cluster built from fuzzed input must satisfy, shared by the scenario and manifest
// fuzz targets: pods sit on existing nodes and endpoint ports are valid. Aborts otherwise.
#pragma once

#include <cstdlib>

#include "sim/core/cluster.h"

namespace knetsim::fuzz {

inline void check_cluster_invariants(const core::Cluster& c) {
  for (const core::Pod& p : c.pods) {
    if (p.node != core::kNoNode && p.node >= c.nodes.size()) std::abort();
  }
  for (const core::EndpointSlice& s : c.endpoint_slices) {
    for (const core::EndpointPort& p : s.ports) {
      if (p.port < 1 || p.port > 65535) std::abort();
    }
  }
}

}  // namespace knetsim::fuzz
