// Reaching pods through a Service. Policies never see a Service: kube-proxy rewrites the
// destination to a backend pod (DNAT) before the packet reaches the pod's policy, so each
// connection is judged on the backend pod and its target port. What the backend's ingress sees
// as the source depends on whether kube-proxy masquerades (SNAT) the connection:
//   - pod -> ClusterIP: no SNAT, the client pod is the source (kube-proxy's default);
//   - kube-proxy masqueradeAll: every service connection is SNATed to the node's address;
//   - hairpin (a pod reaching itself through its own Service): SNATed to the node's address;
//   - client outside the pod CIDR (kube-proxy clusterCIDR) -> ClusterIP: SNATed (host-network
//     pods, nodes);
//   - anything -> NodePort / LoadBalancer with externalTrafficPolicy Cluster: SNATed to the
//     address of the node that received it; with externalTrafficPolicy Local the client address
//     is kept (and only local backends are used).
// The client's egress is judged against the backend pod too (Kubernetes NetworkPolicy egress
// rules match the post-DNAT destination in the CNIs knetsim models).
#pragma once

#include <string>
#include <vector>

#include "sim/core/cluster.h"
#include "sim/models/policy/policy_engine.h"

namespace knetsim::models::policy {

enum class ServiceEntry { ClusterIp, NodePort };

struct BackendVerdict {
  core::PodId backend = 0;
  int target_port = 0;
  core::Ipv4 seen_source;  // the source address the backend's ingress policy sees
  bool masqueraded = false;
  std::string masquerade_reason;  // why kube-proxy SNATed (empty when it did not)
  Verdict verdict;
};

// `client_pod` set: a pod client (its egress applies); otherwise `client_ip` is the client.
// `entry_node` is the node whose NodePort receives the connection (NodePort entry only).
std::vector<BackendVerdict> check_service(const PolicyEngine& engine,
                                          std::optional<core::PodId> client_pod,
                                          core::Ipv4 client_ip, core::ServiceId service,
                                          const core::ServicePort& port, ServiceEntry entry,
                                          core::NodeId entry_node = 0);

}  // namespace knetsim::models::policy
