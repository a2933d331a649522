// A request's journey through the cluster as an ordered list of hops, each with the host that
// does the work, its modelled time and its bytes. Stages: client socket -> pod veth -> egress
// policy check -> service lookup (first packet: the kube-proxy mode's rule walk; established:
// conntrack hit) -> SNAT where it applies -> same node (bridge/veth/eBPF redirect) or across
// nodes (encap CPU, header bytes, MTU segmentation, wire, decap) -> ingress policy check ->
// server pod -> application -> the response path back. A new TCP connection first pays the
// SYN/SYN-ACK round trip, which is where the first-packet costs land.
//
// predict_request() computes one request's latency without contention and without SimGrid:
// the emulator delays real traffic by it and the GUI draws its hops. The simulator runs the
// same hops as SimGrid execs/comms, so contention and queueing come on top. All costs come
// from the calibration profile (docs/MODELS.md). Stable API: keep signatures.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/cluster.h"
#include "sim/core/profile.h"
#include "sim/core/traffic.h"
#include "sim/models/cni/cni_model.h"
#include "sim/models/path/fabric.h"

namespace knetsim::models::kubeproxy {
class DatapathCost;
}
namespace knetsim::models::policy {
class PolicyEngine;
}

namespace knetsim::models::path {

enum class HopKind {
  Cpu,   // CPU work on `host` (SimGrid exec: contends with other work on that host)
  Wire,  // bytes from `host` to `to_host` (SimGrid comm over the fabric)
  Wait,  // time passing with no resource used (a timeout, a retransmission timer)
};

struct Hop {
  std::string name;       // "service lookup (iptables, 1234 rules)", "wire (vxlan)", ...
  HopKind kind = HopKind::Cpu;
  int32_t host = 0;       // node index, kClientHost or kLoadBalancerHost
  int32_t to_host = 0;    // Wire only
  std::string host_name;  // node name, "client" or "load-balancer"
  int64_t ns = 0;         // modelled time without contention
  int64_t bytes = 0;      // Wire: bytes on the wire incl. headers; else 0
  int packets = 0;        // packets this hop handles
  bool application = false;  // application work (service time), not the network stack
};

// Why a request fails; Ok when it gets its response.
enum class Outcome { Ok, PolicyDenied, NoEndpoints, StaleEndpoint, ConntrackFull, MtuBlackHole, BadTarget };
const char* outcome_name(Outcome o);  // "ok", "policy denied", "no endpoints", ...

// What became of the endpoint a request was routed to (the simulator knows; default alive).
enum class ServerState { Alive, PodGone, NodeDown };

struct RequestSpec {
  std::optional<core::PodId> client_pod;  // nullopt: an external client
  core::TrafficTarget target;             // service, pod, nodePort, loadBalancer or ingress
  core::Protocol protocol = core::Protocol::TCP;
  bool new_connection = true;             // false: keep-alive connection already established
  int64_t request_bytes = 200;
  int64_t response_bytes = 2048;
  int64_t service_time_ns = 0;            // application time at the server
  bool dns_lookup = false;
  std::optional<size_t> backend_index;    // into backends_of(svc, port); default: first usable
  std::optional<core::NodeId> entry_node; // NodePort/LoadBalancer/ingress: node the client hits
  ServerState server_state = ServerState::Alive;
};

struct Prediction {
  Outcome outcome = Outcome::Ok;
  std::string detail;            // one line on what decided the outcome
  std::vector<Hop> hops;         // in order; on failure, up to where the request ended
  int64_t total_ns = 0;          // sum of hop times (no contention)
  int64_t network_cpu_ns = 0;    // CPU of the network stack over all hosts
  int64_t application_ns = 0;
  std::optional<core::ServiceId> service;
  std::optional<core::PodId> server_pod;
  int32_t server_host = 0;
  core::Ipv4 server_ip;
  int server_port = 0;
  size_t backend_index = 0;
  int rules_evaluated = 0;       // kube-proxy rules walked by the first packet
};

class PathModel {
 public:
  // Keeps references to both; they must outlive the model. Builds per-node kube-proxy costs
  // lazily (not thread-safe: one PathModel per thread).
  PathModel(const core::Cluster& cluster, const core::Profile& profile);
  ~PathModel();
  PathModel(const PathModel&) = delete;
  PathModel& operator=(const PathModel&) = delete;

  Prediction predict_request(const RequestSpec& request) const;

  const cni::CniModel& cni() const { return cni_; }
  const Fabric& fabric() const { return fabric_; }
  const core::Cluster& cluster() const { return *cluster_; }
  // The kube-proxy mode in effect (eBPF when the CNI replaces kube-proxy).
  core::KubeProxyMode proxy_mode() const { return cluster_->kube_proxy.mode; }
  const kubeproxy::DatapathCost& datapath(core::NodeId node) const;
  const policy::PolicyEngine& policy() const { return *policy_; }
  std::string host_name(int32_t host) const;
  // The service port index a target names (by port number), or nullopt.
  std::optional<size_t> port_index(core::ServiceId svc, int port) const;
  // The node hosting an ingress controller for requests to ingresses (first ready pod labelled
  // app.kubernetes.io/component=controller, else node 0) and its pod when there is one.
  std::optional<core::PodId> ingress_controller_pod() const { return ingress_pod_; }
  core::NodeId ingress_controller_node() const { return ingress_node_; }

 private:
  friend class PathBuilder;
  std::unique_ptr<core::Cluster> owned_;  // a copy when the CNI replaces kube-proxy
  const core::Cluster* cluster_;
  const core::Profile& profile_;
  cni::CniModel cni_;
  Fabric fabric_;
  std::unique_ptr<policy::PolicyEngine> policy_;
  mutable std::map<core::NodeId, std::unique_ptr<kubeproxy::DatapathCost>> datapath_;
  std::optional<core::PodId> ingress_pod_;
  core::NodeId ingress_node_ = 0;
};

// One-shot convenience for callers that predict a single request.
Prediction predict_request(const core::Cluster& cluster, const core::Profile& profile,
                           const RequestSpec& request);

}  // namespace knetsim::models::path
