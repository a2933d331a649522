// `reach --diff A B`: the connections gained and lost between two policy sets applied to the same
// workloads. Pods are matched by namespace/name; pods present on one side only are reported and
// left out. Compared "as written" (the policies' intent); the enforcement warning of either side
// is carried along.
#pragma once

#include <string>
#include <vector>

#include "sim/core/cluster.h"
#include "sim/models/policy/class_matrix.h"

namespace knetsim::models::policy {

struct ReachChange {
  std::string from;
  std::string to;
  PortProto port;
  bool gained = false;  // denied in A, allowed in B (otherwise lost)
};

// Changes "as written" always; "as enforced" too when either side's CNI ignores something
// written (otherwise the two lists are the same and only the first is kept).

struct ReachDiff {
  std::vector<PortProto> ports;
  std::vector<ReachChange> changes;  // as written; by port, then source, then destination
  bool enforcement_differs = false;
  std::vector<ReachChange> enforced_changes;  // as enforced (when enforcement_differs)
  std::vector<std::string> only_in_a, only_in_b;
  std::vector<std::string> warnings;
  size_t pairs_compared = 0;
};

ReachDiff diff_reachability(const core::Cluster& a, const core::Cluster& b, bool evaluate_self);

std::string render_diff_text(const ReachDiff& d);
std::string render_diff_json(const ReachDiff& d);

}  // namespace knetsim::models::policy
