// One side of a connection as policies see it: a pod (with its namespace's labels) or a bare
// address outside the pod network (an external client, a node IP after SNAT, a host-network pod).
// Only pods that are not host-network are policy subjects or pod/namespace peers; every endpoint
// has an address that ipBlock / networks peers can match.
#pragma once

#include <string>

#include "sim/core/cluster.h"

namespace knetsim::models::policy {

struct Endpoint {
  const core::Pod* pod = nullptr;       // null for an address outside the pod network
  const core::Namespace* ns = nullptr;  // the pod's namespace
  core::Ipv4 ip;
  const core::Node* node = nullptr;  // the node owning `ip` (host-network pods, node IPs)

  // Selected by policies and matched by podSelector/namespaceSelector peers.
  bool is_pod_peer() const { return pod != nullptr && !pod->spec.host_network; }
  std::string str() const;
};

Endpoint pod_endpoint(const core::Cluster& cluster, core::PodId id);
Endpoint ip_endpoint(const core::Cluster& cluster, core::Ipv4 ip);

}  // namespace knetsim::models::policy
