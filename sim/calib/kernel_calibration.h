// `knetsim calibrate --kernel`: measures the real Linux kernel with the rules knetsim generates.
// For each service count N it builds the cluster (one node, N generated ClusterIP services),
// loads the exact `knetsim rules --dump iptables` output into iptables-restore (nft backend) in
// a node namespace, times the load and a one-chain update on top, then times new connections
// from a client namespace to the first, middle and last service of KUBE-SERVICES and a 1-byte
// round trip on an established connection; then the same with the `--dump nft` output. A VXLAN
// pair measures the encapsulation cost and the kernel's MTU; IPVS is reported unavailable when
// the kernel lacks it. Everything runs in namespaces of its own, deleted afterwards.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/cluster.h"

namespace knetsim::calib {

struct CalibrationOptions {
  std::vector<int> services = {100, 1000, 5000, 10000};
  // The smallest `fit_counts` service counts are fitted; the others are held back and predicted.
  int fit_counts = 2;
  int endpoints_per_service = 1;
  int connect_rounds = 2000;  // timed connections per probed service
  // The percentile of the connect() latencies fitted and compared: a low one (default p10) is
  // the least disturbed by other work on a shared machine, which only ever adds delay.
  double latency_percentile = 10;
  int rtt_rounds = 2000;      // timed round trips per connection
  int warmup_rounds = 50;
  int lookup_rules = 256;  // extra set-lookup rules for the nftables per-lookup measurement
  bool nftables = true;
  bool vxlan = true;
  std::function<void(const std::string&)> progress;  // one line per step, for stderr
};

// One probed service: its place in the rules and the connect() latency measured to it.
struct PositionSample {
  std::string position;  // first, middle, last (by rules walked)
  core::ServiceId service = 0;
  std::string target;    // cluster IP:port
  int rules_walked = 0;  // knetsim's count for the first packet (DatapathCost)
  double typical_ns = 0;  // the options' latency_percentile of the samples
  double median_ns = 0;
  double p99_ns = 0;
  size_t samples = 0;
};

// One kube-proxy mode loaded for one service count.
struct ModeMeasurement {
  core::KubeProxyMode mode = core::KubeProxyMode::Iptables;
  int services = 0;
  std::shared_ptr<const core::Cluster> cluster;
  size_t rules = 0;            // rules loaded (iptables: filter + nat)
  size_t chains = 0;           // chains declared
  size_t sync_objects = 0;     // what the sync model counts for a full sync
  double load_ns = 0;          // the whole dump into an empty namespace (a full sync)
  double update_ns = 0;        // iptables: a one-chain iptables-restore on top (median of 3)
  std::vector<PositionSample> positions;
  // connect() straight from client to backend over the direct veth (no node, no rules), timed
  // interleaved with the services: the reference for drift.
  double direct_typical_ns = 0;  // same percentile as the services
  double rtt_median_ns = 0;    // 1-byte round trip on an established connection (middle service)
  double rtt_p99_ns = 0;
  // nftables: connect latency to the middle service with `lookup_rules` extra rules, each one
  // concatenated-key set lookup like kube-proxy's service-ips map, and without them.
  int lookup_rules = 0;
  double lookup_connect_ns = 0;
  double no_lookup_connect_ns = 0;
};

struct VxlanMeasurement {
  bool measured = false;
  int underlay_mtu = 0;
  int vxlan_mtu = 0;  // what the kernel chose for the VXLAN device on that underlay
  double underlay_rtt_ns = 0;  // medians of 1-byte round trips
  double overlay_rtt_ns = 0;
  double underlay_rtt_p99_ns = 0;
  double overlay_rtt_p99_ns = 0;
};

struct IpvsStatus {
  bool available = false;
  std::string reason;  // why not, when unavailable
};

struct MachineInfo {
  std::string hostname;
  std::string kernel;  // uname -r
  std::string cpu_model;
  int cores = 0;
  std::string iptables_version;
  std::string nft_version;
  std::string date_utc;  // YYYY-MM-DD
};

struct CalibrationRun {
  MachineInfo machine;
  CalibrationOptions options;
  std::vector<ModeMeasurement> measurements;  // per service count: iptables, then nftables
  VxlanMeasurement vxlan;
  IpvsStatus ipvs;
};

// Why calibration cannot run here ("" when it can): not root, a tool missing, no netns support.
std::string kernel_calibration_blocker(bool nftables);

// The cluster measured for N services: one node, pod CIDR 10.244.0.0/16, N generated services.
core::Cluster calibration_cluster(int services, int endpoints_per_service);

// The services probed in a cluster: the first, middle and last by rules walked for the first
// packet in iptables mode (knetsim's count), with their cluster IP:port.
std::vector<PositionSample> probe_positions(const core::Cluster& cluster);

MachineInfo describe_machine();
IpvsStatus ipvs_status();

// Runs every measurement; throws CalibrationError. Deletes its namespaces even on error.
CalibrationRun run_kernel_calibration(const CalibrationOptions& options);

}  // namespace knetsim::calib
