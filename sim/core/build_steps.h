// The steps of build_cluster(), in the order it runs them (internal to sim/core).
// Each step reads the scenario and extends the cluster; all randomness comes from named Rng
// streams of the scenario seed, so a build is deterministic.
#pragma once

#include <vector>

#include "sim/core/cluster.h"
#include "sim/core/diagnostics.h"
#include "sim/core/scenario.h"

namespace knetsim::core {

struct BuildContext {
  const Scenario& scenario;
  Cluster& cluster;
  Diagnostics& diags;
  std::vector<bool> pod_ip_given;  // parallel to cluster.pods
  // Generated endpoints without pods, whose addresses IPAM assigns from their node's pod CIDR:
  struct SyntheticEndpoint {
    uint32_t slice;
    uint32_t endpoint;
    NodeId node;
  };
  std::vector<SyntheticEndpoint> synthetic_endpoints;
};

void build_nodes(BuildContext& ctx);                 // nodes.cc
void build_namespaces(BuildContext& ctx);            // namespaces in cluster_builder.cc
void expand_workloads(BuildContext& ctx);            // workload_expansion.cc
void generate_objects(BuildContext& ctx);            // generators.cc
void place_pods(BuildContext& ctx);                  // placement.cc
void assign_pod_ips(BuildContext& ctx);              // ipam.cc
void allocate_service_addresses(BuildContext& ctx);  // ipam.cc
void build_endpoint_slices(BuildContext& ctx);       // endpoint_controller.cc
void check_unique_names(BuildContext& ctx);          // cluster_builder.cc
void check_references(BuildContext& ctx);            // references.cc (traffic and events)

// Kubernetes' alphabet for generated name suffixes (k8s.io/apimachinery/pkg/util/rand):
// no vowels, no look-alike characters.
inline constexpr char kNameAlphabet[] = "bcdfghjklmnpqrstvwxz2456789";

}  // namespace knetsim::core
