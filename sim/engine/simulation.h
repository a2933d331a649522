// The discrete-event simulation of a scenario on SimGrid S4U. Requests are chains of
// asynchronous activities (execs on node hosts for CPU, comms between hosts for bytes, execs on
// the timer host for pure waits) built from the path model's hops; each completion starts the
// next stage from SimGrid's completion signal, so no actor exists per request. A few long-lived
// actors generate arrivals (one per traffic class) and apply the control-plane timeline.
// SimGrid allows one engine per process: run_simulation() may be called once per process.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "sim/core/cluster.h"
#include "sim/core/profile.h"
#include "sim/core/scenario.h"
#include "sim/engine/control_plane.h"
#include "sim/engine/histogram.h"

namespace knetsim::sim {

struct ClassMetrics {
  std::string name;
  Histogram latency;           // successful requests
  Histogram new_connection;    // successful requests that opened a connection
  uint64_t started = 0;
  uint64_t ok = 0;
  std::map<std::string, uint64_t> errors;  // by cause
  std::vector<uint64_t> ok_per_s;
  std::vector<uint64_t> errors_per_s;
  std::vector<double> latency_sum_ns_per_s;
  int64_t first_packet_rules_sum = 0;
  uint64_t first_packets = 0;
};

struct NodeMetrics {
  std::vector<double> network_cpu_ns_per_s;
  std::vector<double> app_cpu_ns_per_s;
  uint64_t conntrack_peak = 0;
  uint64_t conntrack_max = 0;
};

struct SimulationResult {
  std::string scenario;
  uint64_t seed = 0;
  int64_t duration_ns = 0;
  int64_t warmup_ns = 0;
  std::string cni;
  std::string kube_proxy_mode;
  int pod_mtu = 0;
  std::vector<ClassMetrics> classes;
  std::vector<std::string> node_names;
  std::vector<int> node_cores;
  std::vector<NodeMetrics> nodes;
  std::vector<SyncRecord> syncs;
  std::vector<EventRecord> events;
  std::vector<std::string> warnings;
  uint64_t requests_simulated = 0;
  uint64_t activities = 0;
  size_t services = 0;
  size_t pods = 0;
};

struct RunOptions {
  uint64_t seed = 1;
  // Called with the fraction of simulated time done (0..1), a few hundred times per run.
  std::function<void(double)> progress;
};

SimulationResult run_simulation(const core::Scenario& scenario, const core::Cluster& cluster,
                                const core::Profile& profile, const RunOptions& options);

}  // namespace knetsim::sim
