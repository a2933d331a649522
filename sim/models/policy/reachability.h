// Who can reach whom: the full matrix for a set of pods over a set of ports, "as written" (what
// the policies say) and "as enforced" (what the cluster's CNI actually implements), computed per
// equivalence class (pod_classes.h, class_matrix.h) and answered per pod pair.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/core/cluster.h"
#include "sim/models/policy/bitset.h"
#include "sim/models/policy/class_matrix.h"
#include "sim/models/policy/cni_enforcement.h"
#include "sim/models/policy/pod_classes.h"

namespace knetsim::models::policy {

struct ReachOptions {
  bool evaluate_self = false;                // put pod-to-itself traffic through the policies
  std::optional<std::vector<PortProto>> ports;  // default: every declared container port
  std::vector<core::PodId> from;             // sources; empty: every pod with an IP
  std::vector<core::PodId> to;               // destinations; empty: every pod with an IP
};

class Reachability {
 public:
  static Reachability compute(const core::Cluster& cluster, const ReachOptions& options = {});

  const std::vector<PortProto>& ports() const { return ports_; }
  const std::vector<core::PodId>& from() const { return from_; }
  const std::vector<core::PodId>& to() const { return to_; }
  // Sources then destinations, each pod once, in pod order.
  std::vector<core::PodId> pods() const;
  const PodClasses& classes() const { return classes_; }
  const Enforcement& enforcement() const { return enforcement_; }
  // True when "as enforced" can differ from "as written" (the CNI ignores something written).
  bool enforcement_differs() const { return !enforcement_.warning.empty(); }

  bool allowed(size_t port_index, core::PodId src, core::PodId dst) const;
  bool allowed_as_written(size_t port_index, core::PodId src, core::PodId dst) const;
  // The full pod-level matrix for one port: one row per from() pod, one bit per to() pod (in
  // to() order). Built by expanding each source class's row once and copying it per member.
  std::vector<Bits> pod_matrix(size_t port_index, bool as_written) const;
  // Allowed pairs over from() x to() for one port (as enforced / as written).
  size_t count_allowed(size_t port_index, bool as_written) const;

 private:
  bool lookup(const std::vector<ClassMatrix>& m, size_t port_index, core::PodId src,
              core::PodId dst) const;

  std::vector<PortProto> ports_;
  std::vector<core::PodId> from_, to_;
  PodClasses classes_;
  Enforcement enforcement_;
  bool evaluate_self_ = false;
  std::vector<ClassMatrix> written_;
  std::vector<ClassMatrix> enforced_;  // empty: same as written_ (or all allowed, see below)
  bool nothing_enforced_ = false;
};

// Every distinct protocol/port declared in the pods' container ports, sorted by protocol, port.
std::vector<PortProto> declared_ports(const core::Cluster& cluster,
                                      const std::vector<core::PodId>& pods);
// Pods that have an address (Pending pods without an IP cannot be reached), in pod order.
std::vector<core::PodId> addressable_pods(const core::Cluster& cluster);

}  // namespace knetsim::models::policy
