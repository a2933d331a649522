// One immutable snapshot of the modelled cluster as the emulator routes by it: the resolved
// cluster, the policy verdicts, kube-proxy's backend choice and the modelled latency. Sockets
// hold a shared_ptr to the snapshot they started with; an event (a Deployment scaled while
// traffic flows) builds a new snapshot and swaps it in, so connections in flight finish on the
// state that routed them and new ones see the new endpoints at once.
// Thread-safe: everything is const except backend choice, which takes a mutex.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/cluster.h"
#include "sim/core/profile.h"
#include "sim/models/kubeproxy/datapath_cost.h"
#include "sim/models/path/path_model.h"
#include "sim/models/policy/policy_engine.h"

namespace knetsim::emu {

// Who a connection comes from, decided by the loopback address the client bound to.
struct Source {
  core::Ipv4 loopback;               // the real address
  core::Ipv4 simulated;              // the model address (the loopback address when unknown)
  std::optional<core::PodId> pod;    // a pod of the model (not hostNetwork)
  std::optional<core::NodeId> node;  // a node address (or a hostNetwork pod's node)
  std::string name;                  // "ns/pod", "node/<name>" or "external <ip>"
};

// What the emulator does with one new connection to a service port.
struct Route {
  bool has_backend = false;
  size_t endpoint_index = 0;  // into cluster.backends_of(svc, port)
  core::Ipv4 backend_ip;      // simulated address of the endpoint
  int backend_port = 0;
  std::optional<core::PodId> backend_pod;
  // The source the endpoint sees: the client, or the entry node after kube-proxy's masquerade
  // (NodePort with externalTrafficPolicy Cluster). The upstream connection binds here.
  Source seen_source;
  models::policy::Verdict verdict;
  // The path model's prediction for one request on a new connection (handshake, rule walk,
  // hops there and back, no application time), before --time-scale.
  int64_t latency_ns = 0;
  int rules_evaluated = 0;  // kube-proxy rules walked by the first packet
  std::vector<models::path::Hop> hops;
};

class Model {
 public:
  Model(core::Cluster cluster, core::Profile profile, uint64_t seed);
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;

  const core::Cluster& cluster() const { return cluster_; }
  const models::policy::PolicyEngine& policy() const { return policy_; }

  Source identify(core::Ipv4 loopback) const;

  // A new connection from `src` to service port (svc, port_index): backend, verdict, latency.
  // `via_node` is the node whose address was targeted (NodePort), else the client's node.
  Route route(const Source& src, core::ServiceId svc, size_t port_index,
              std::optional<core::NodeId> via_node, int64_t now_ns);
  // A direct connection to a pod port.
  models::policy::Verdict check_pod(const Source& src, core::PodId dst, int port,
                                    core::Protocol protocol) const;
  // Tell the selector a connection ended (IPVS lc/wlc/sed/nq bookkeeping).
  void release(core::ServiceId svc, size_t port_index, size_t endpoint_index);

  // Addresses that two model objects share once mapped to 127/8 (empty when the map is safe).
  std::vector<std::string> mapping_collisions() const;

 private:
  core::Cluster cluster_;
  core::Profile profile_;
  models::policy::PolicyEngine policy_;
  std::map<uint32_t, Source> by_loopback_;
  std::vector<std::string> collisions_;

  std::mutex mutex_;  // guards selector_ and path_ (which builds per-node costs lazily)
  models::kubeproxy::BackendSelector selector_;
  models::path::PathModel path_;
};

}  // namespace knetsim::emu
