// The verdict API the simulator and the emulator ask before they let a connection through:
// may this source reach this pod's port? It applies NetworkPolicy and the cluster-scoped
// policies exactly as the APIs define them (see direct_evaluator.h), then what the cluster's CNI
// actually enforces (cni_enforcement.h). A connection needs the client's egress and the server's
// ingress both to allow it. Self traffic (a pod to itself) is allowed unless
// Options::evaluate_self, matching the Kubernetes e2e suite's convention.
#pragma once

#include <string>

#include "sim/core/cluster.h"
#include "sim/models/policy/cni_enforcement.h"
#include "sim/models/policy/direct_evaluator.h"

namespace knetsim::models::policy {

struct Verdict {
  bool allowed = true;             // as enforced by the cluster's CNI
  bool allowed_as_written = true;  // what the policies say
  std::string reason;              // one line: which policy/rule decided, or "no policy decides ..."
};

// Both directions of one connection, with every step taken (for `reach --explain`).
struct Explanation {
  Endpoint src;
  Endpoint dst;
  int port = 0;
  core::Protocol protocol = core::Protocol::TCP;
  bool self = false;
  Decision egress;   // egress of src
  Decision ingress;  // ingress of dst
  Verdict verdict;
  std::string enforcement_warning;  // empty when the CNI enforces what is written
};

class PolicyEngine {
 public:
  struct Options {
    bool evaluate_self = false;  // put pod-to-itself traffic through the policies
  };

  explicit PolicyEngine(const core::Cluster& cluster);
  PolicyEngine(const core::Cluster& cluster, Options options);

  // Pod-to-pod connection to dst's port (after any service DNAT).
  Verdict check(core::PodId src, core::PodId dst, int port, core::Protocol protocol) const;
  // From an address outside the pod network (external client, or a node IP after SNAT).
  Verdict check_from_ip(core::Ipv4 src, core::PodId dst, int port, core::Protocol protocol) const;

  Explanation explain(core::PodId src, core::PodId dst, int port, core::Protocol protocol) const;
  Explanation explain_from_ip(core::Ipv4 src, core::PodId dst, int port,
                              core::Protocol protocol) const;

  // One direction only: the client's egress toward dst (used when the server sees a different,
  // SNATed source address; see service_reach.h).
  bool egress_allowed(core::PodId src, core::PodId dst, int port, core::Protocol protocol,
                      bool as_written) const;

  const Enforcement& enforcement() const { return enforcement_; }
  const core::Cluster& cluster() const { return cluster_; }

 private:
  Explanation evaluate(const Endpoint& src, const Endpoint& dst, bool self, int port,
                       core::Protocol protocol, bool want_trace) const;

  const core::Cluster& cluster_;
  Options options_;
  Enforcement enforcement_;
  DirectEvaluator written_;
  DirectEvaluator enforced_;  // without the cluster-scoped kinds when the CNI ignores them
};

}  // namespace knetsim::models::policy
