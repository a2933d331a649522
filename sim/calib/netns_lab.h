// The network namespaces `knetsim calibrate --kernel` measures in, joined by veth pairs:
//   client (192.0.2.2) -- (192.0.2.1) node (198.51.100.1) -- (198.51.100.2) backend
//   client (100.127.0.1) ---------- direct veth, no rules ---------- (100.127.0.2) backend
// The node forwards and holds the kube-proxy rules; the backend owns the whole pod CIDR (a local
// route), so one listener per target port answers every endpoint. The direct veth is the
// reference path, timed alongside every service so drift of a shared machine can be told apart
// from the cost of the rules. A second pair of namespaces
// (vxa, vxb) is joined by a veth underlay and a VXLAN device for the encapsulation measurement.
// Names are "knc-<pid>-<role>": the destructor deletes them, a SIGINT/SIGTERM/SIGHUP handler
// deletes them when the run is interrupted, and remove_leftovers() deletes those of an earlier
// run whose process is gone. Rules and devices live inside the namespaces and go with them.
#pragma once

#include <string>
#include <vector>

#include "sim/core/ip.h"

namespace knetsim::calib {

struct LabAddresses {
  static constexpr const char* kClient = "192.0.2.2";
  static constexpr const char* kNodeClientSide = "192.0.2.1";
  static constexpr const char* kNodeBackendSide = "198.51.100.1";
  static constexpr const char* kBackend = "198.51.100.2";
  static constexpr const char* kClientDirect = "100.127.0.1";
  static constexpr const char* kBackendDirect = "100.127.0.2";
  static constexpr const char* kVxaUnderlay = "203.0.113.1";
  static constexpr const char* kVxbUnderlay = "203.0.113.2";
  static constexpr const char* kVxaOverlay = "100.64.0.1";
  static constexpr const char* kVxbOverlay = "100.64.0.2";
};

class NetnsLab {
 public:
  // Installs the signal handlers; creates nothing yet.
  NetnsLab();
  // Deletes every namespace this lab created and restores the previous signal handlers.
  ~NetnsLab();
  NetnsLab(const NetnsLab&) = delete;
  NetnsLab& operator=(const NetnsLab&) = delete;

  // Deletes "knc-<pid>-*" namespaces whose process no longer runs; returns their names.
  static std::vector<std::string> remove_leftovers();
  // Names of the namespaces of this process that currently exist (for tests and reports).
  static std::vector<std::string> existing_namespaces(int pid);

  // client -- node -- backend, the backend owning `pod_cidr`. Throws CalibrationError.
  void build_service_path(const core::Cidr& pod_cidr);
  // vxa -- vxb over a veth underlay plus VXLAN (VNI 42, UDP 4789) between them.
  void build_vxlan_pair();

  const std::string& client() const { return client_; }
  const std::string& node() const { return node_; }
  const std::string& backend() const { return backend_; }
  const std::string& vxa() const { return vxa_; }
  const std::string& vxb() const { return vxb_; }

  // The MTU of a device in a namespace (0 when it cannot be read).
  static int mtu_of(const std::string& netns, const std::string& device);
  // Deletes every namespace of this lab now (the destructor calls it).
  void teardown();

 private:
  std::string add_netns(const std::string& role);

  std::string prefix_;
  std::string client_, node_, backend_, vxa_, vxb_;
  std::vector<std::string> created_;
};

// Writes a sysctl (e.g. "net/ipv4/ip_forward") inside a namespace.
void write_sysctl(const std::string& netns, const std::string& key, const std::string& value);

}  // namespace knetsim::calib
