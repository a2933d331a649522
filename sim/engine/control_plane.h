// The control plane as a precomputed timeline: scenario events change which pods exist and which
// nodes are up ("truth", applied at the event time); the endpoint changes they cause become
// cluster versions visible after the propagation delay (a failed node's endpoints only after the
// node-monitor grace period); each node's kube-proxy then syncs no sooner than minSyncPeriod after
// its previous sync, batching what is visible, and takes the modelled sync duration before the
// new rules apply. The data plane of a node routes by the version its last finished sync
// programmed; requests routed to endpoints that are gone fail. Everything here follows from the
// events alone, so it is computed before the simulation runs (deterministic by construction).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "sim/core/cluster.h"
#include "sim/core/profile.h"
#include "sim/core/scenario.h"
#include "sim/models/kubeproxy/datapath_cost.h"
#include "sim/models/path/path_model.h"

namespace knetsim::sim {

// One state of the endpoints, as some kube-proxy may have programmed it.
struct ClusterVersion {
  std::unique_ptr<core::Cluster> cluster;
  std::unique_ptr<models::path::PathModel> path;
  std::unique_ptr<models::kubeproxy::BackendSelector> selector;
  int64_t visible_ns = 0;     // when kube-proxies can see it
  size_t event = SIZE_MAX;    // the event that caused it (SIZE_MAX: the initial state)
  size_t changed_endpoints = 0;
  size_t rules = 0;           // kube-proxy rules on the first node (all tables)
  size_t service_ports = 0;
};

// A change of what exists: a pod stops or starts serving, a node fails or recovers.
struct TruthChange {
  int64_t at_ns = 0;
  enum class Kind { PodDown, PodUp, NodeDown, NodeUp } kind = Kind::PodDown;
  std::string pod;  // pod key
  core::NodeId node = 0;
};

struct SyncRecord {
  int64_t start_ns = 0;
  int64_t end_ns = 0;
  core::NodeId node = 0;
  size_t version = 0;
  size_t rules = 0;
  size_t changed_endpoints = 0;
  std::string reason;  // "initial", "endpoints", "periodic"
};

struct EventRecord {
  int64_t at_ns = 0;
  std::string kind;
  std::string target;
  int64_t endpoints_visible_ns = -1;  // when the endpoint change reached the API watchers
  int64_t converged_ns = -1;          // when the last node finished programming it
};

class ControlPlane {
 public:
  ControlPlane(const core::Scenario& scenario, const core::Cluster& initial,
               const core::Profile& profile, int64_t end_ns);

  std::vector<ClusterVersion>& versions() { return versions_; }
  const std::vector<TruthChange>& truth_changes() const { return truth_; }
  const std::vector<SyncRecord>& syncs() const { return syncs_; }
  const std::vector<EventRecord>& events() const { return events_; }
  std::vector<std::string>& warnings() { return warnings_; }

 private:
  void add_version(std::unique_ptr<core::Cluster> c, int64_t visible_ns, size_t event);
  // The next endpoint state, derived from the latest version by applying one change the way the
  // controllers do (scale: pods added on the least-loaded live node / the newest removed).
  std::unique_ptr<core::Cluster> scale(const core::Cluster& prev, const std::string& deployment,
                                       int replicas, int64_t event_ns, int64_t termination_ns);
  void add_pod_endpoints(core::Cluster& c, core::PodId pod) const;
  void plan_syncs(int64_t end_ns);
  int64_t sync_duration_ns(const ClusterVersion& v, size_t changed, bool initial) const;

  const core::Scenario& scenario_;
  const core::Profile& profile_;
  uint64_t seed_;
  std::map<std::string, int> replicas_;     // deployment key -> replicas
  // Endpoints taken out with a failed/drained node, per node, to restore on recovery.
  std::map<std::string, std::vector<std::pair<size_t, core::Endpoint>>> stashed_;
  std::vector<ClusterVersion> versions_;
  std::vector<TruthChange> truth_;
  std::vector<SyncRecord> syncs_;
  std::vector<EventRecord> events_;
  std::vector<std::string> warnings_;
};

}  // namespace knetsim::sim
