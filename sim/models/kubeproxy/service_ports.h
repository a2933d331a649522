// The services and endpoints as one kube-proxy instance sees them: one ServicePortInfo per
// (service, port) with a cluster IP, its endpoints deduplicated and sorted by "ip:port" (as
// pkg/proxy's EndpointSliceCache does), and split by traffic policy for one node
// (proxy.CategorizeEndpoints). Every mode's compiler and the data-path cost model read this, so
// they agree on which endpoints exist and in which order.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/cluster.h"

namespace knetsim::models::kubeproxy {

struct EndpointInfo {
  core::Ipv4 ip;
  int port = 0;
  std::string str;  // "ip:port", kube-proxy's endpoint string
  bool ready = true;
  bool serving = true;
  bool terminating = false;
  bool local = false;          // endpoint.nodeName == this node
  uint32_t backend_index = 0;  // index into Cluster::backends_of(svc, port)
};

struct ServicePortInfo {
  core::ServiceId svc = 0;
  uint32_t port_index = 0;
  std::string name;  // ServicePortName.String(): "ns/name:port" ("ns/name" for an unnamed port)
  std::string ns, svc_name, port_name;
  core::Protocol protocol = core::Protocol::TCP;
  const char* proto = "tcp";  // lower case, as kube-proxy writes it
  core::Ipv4 cluster_ip;
  int port = 0;
  int node_port = 0;
  int health_check_node_port = 0;
  std::vector<core::Ipv4> external_ips;
  std::vector<core::Ipv4> lb_vips;  // status.loadBalancer.ingress (type LoadBalancer only)
  std::vector<core::Cidr> source_ranges;
  bool internal_local = false;
  bool external_local = false;  // only when externally accessible
  bool affinity = false;        // sessionAffinity: ClientIP
  int affinity_timeout_s = 0;

  std::vector<EndpointInfo> endpoints;  // all, sorted by str
  // Indices into endpoints, as CategorizeEndpoints returns them for this node.
  std::vector<uint32_t> cluster_eps;
  std::vector<uint32_t> local_eps;
  std::vector<uint32_t> reachable_eps;  // union of the two, in endpoint order
  bool has_endpoints = false;           // usable endpoints anywhere in the cluster

  bool externally_accessible() const {
    return node_port != 0 || !lb_vips.empty() || !external_ips.empty();
  }
  // As pkg/proxy's UsesClusterEndpoints: even with externalTrafficPolicy Local, an externally
  // accessible port needs its cluster endpoints for the pod-traffic short circuit of KUBE-EXT.
  bool uses_cluster_endpoints() const { return !internal_local || externally_accessible(); }
  bool uses_local_endpoints() const {
    return internal_local || (external_local && externally_accessible());
  }
  bool has_internal_endpoints() const {
    return has_endpoints && (!internal_local || !local_eps.empty());
  }
  bool has_external_endpoints() const {
    return has_endpoints && (!external_local || !local_eps.empty());
  }
};

struct NodeView {
  core::NodeId node = 0;
  std::string node_name;
  core::Ipv4 node_ip;
  std::vector<ServicePortInfo> ports;  // in service order, then port order
  size_t total_endpoints = 0;          // sum of endpoints over all service ports
  // Index into ports of (svc, port_index), or -1 when kube-proxy does not program it.
  std::vector<int32_t> first_port_of_service;  // per ServiceId; -1 when none
};

// Builds the view of `node`. Services without a cluster IP (headless, ExternalName) are skipped,
// as kube-proxy skips them.
NodeView build_node_view(const core::Cluster& cluster, core::NodeId node);

// One service port as the kube-proxy on `node_name` sees it.
ServicePortInfo build_service_port(const core::Cluster& cluster, core::ServiceId svc,
                                   uint32_t port_index, const std::string& node_name);
// Whether kube-proxy programs the service at all (it has a cluster IP).
bool is_programmed(const core::Service& s);

// Index into view.ports of (svc, port_index), or -1.
int32_t find_port(const NodeView& view, core::ServiceId svc, size_t port_index);

}  // namespace knetsim::models::kubeproxy
