// The Kubernetes e2e network-policy test model, rebuilt for knetsim: namespaces x, y, z, each
// with pods a, b, c (label pod=<name>), each pod serving 80 and 81 over TCP, UDP and SCTP on
// container ports named serve-<port>-<protocol>, as test/e2e/network/netpol builds it.
// Expected results are written the way the suite writes them: start from "all allowed" and mark
// peers (a namespace, a pod, or everything) denied or allowed.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "sim/core/cluster.h"
#include "sim/models/policy/class_matrix.h"

namespace knetsim::models::policy::e2e {

struct ModelOptions {
  std::map<std::string, std::map<std::string, std::string>> namespace_labels;  // extra labels
  std::map<std::string, std::map<std::string, std::string>> pod_labels;        // "x/a" -> extra
  std::string cni = "calico";
};

std::string model_yaml(const ModelOptions& options = {});
core::Cluster build(const std::string& policies, const ModelOptions& options = {});

const std::vector<std::string>& all_pods();  // x/a ... z/c

// A peer as the suite writes it: empty namespace/pod = any.
struct Peer {
  std::string ns;
  std::string pod;
  bool matches(const std::string& key) const;
};

class Expected {
 public:
  explicit Expected(bool all_allowed = true);
  Expected& peer(const Peer& from, const Peer& to, bool allowed);
  Expected& one(const std::string& from, const std::string& to, bool allowed);
  Expected& all_ingress(const std::string& to, bool allowed) { return peer({}, pod_peer(to), allowed); }
  Expected& all_egress(const std::string& from, bool allowed) { return peer(pod_peer(from), {}, allowed); }
  bool get(const std::string& from, const std::string& to) const;
  static Peer pod_peer(const std::string& key);

 private:
  std::map<std::pair<std::string, std::string>, bool> m_;
};

// Asserts the whole 9x9 truth table (self traffic allowed, the suite's ignoreLoopback
// convention) from the class-compressed engine, and that the pair-by-pair PolicyEngine agrees.
void expect_table(const core::Cluster& cluster, PortProto port, const Expected& expected);

}  // namespace knetsim::models::policy::e2e
