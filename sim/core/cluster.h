// The resolved cluster: every node, pod, service and endpoint with its address decided.
// Built once from a Scenario by build_cluster(); every engine (rules, policy, simulation,
// emulation, GUI) reads this. Objects are referred to by index (NodeId, PodId, ServiceId).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sim/core/cluster_network_policy.h"
#include "sim/core/diagnostics.h"
#include "sim/core/endpoint_slice.h"
#include "sim/core/ingress.h"
#include "sim/core/namespace.h"
#include "sim/core/network_policy.h"
#include "sim/core/node.h"
#include "sim/core/pod.h"
#include "sim/core/scenario.h"
#include "sim/core/service.h"
#include "sim/core/workload.h"

namespace knetsim::core {

inline constexpr NodeId kNoNode = UINT32_MAX;  // a Pending pod's node

struct Cluster {
  std::string name;
  uint64_t seed = 1;
  ClusterSpec spec;
  CniSpec cni;
  KubeProxySpec kube_proxy;

  std::vector<Node> nodes;
  std::vector<Namespace> namespaces;
  std::vector<Pod> pods;
  std::vector<Workload> workloads;
  std::vector<Service> services;
  std::vector<EndpointSlice> endpoint_slices;  // ordered by service, then slice name
  std::vector<NetworkPolicy> network_policies;
  std::vector<ClusterNetworkPolicy> cluster_network_policies;  // CNP, ANP, BANP
  std::vector<Ingress> ingresses;
  std::vector<std::string> unmodelled_kinds;

  // Lookups (valid after reindex(); build_cluster calls it).
  std::optional<NodeId> find_node(std::string_view name) const;
  std::optional<PodId> find_pod(std::string_view ns, std::string_view name) const;
  std::optional<PodId> find_pod(std::string_view key) const;  // "ns/name"
  std::optional<ServiceId> find_service(std::string_view ns, std::string_view name) const;
  std::optional<ServiceId> find_service(std::string_view key) const;  // "ns/name"
  const Namespace* find_namespace(std::string_view name) const;
  std::optional<PodId> pod_by_ip(Ipv4 ip) const;  // non-hostNetwork pods only
  // Indices into endpoint_slices of the slices that belong to a service.
  const std::vector<uint32_t>& slices_of(ServiceId id) const;
  // Every (endpoint, port) of a service port: what kube-proxy programs for it.
  struct Backend {
    Ipv4 ip;
    int port = 0;
    const Endpoint* endpoint = nullptr;
  };
  std::vector<Backend> backends_of(ServiceId id, const ServicePort& port) const;
  // Pods scheduled on a node, in pod order.
  std::vector<PodId> pods_on(NodeId node) const;

  void reindex();

 private:
  std::unordered_map<std::string, NodeId> node_index_;
  std::unordered_map<std::string, PodId> pod_index_;
  std::unordered_map<std::string, ServiceId> service_index_;
  std::unordered_map<std::string, size_t> namespace_index_;
  std::unordered_map<uint32_t, PodId> pod_ip_index_;
  std::vector<std::vector<uint32_t>> service_slices_;
};

// Resolves a scenario: nodes, IPAM, workload expansion, placement, endpoints.
// Throws ScenarioError for inconsistent input (duplicate IPs, exhausted ranges, ...).
Cluster build_cluster(const Scenario& scenario, Diagnostics& diags);

}  // namespace knetsim::core
