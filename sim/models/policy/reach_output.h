// Rendering a Reachability: the e2e suite's truth table (`.` allowed, `X` denied), JSON with the
// documented schema, CSV, Markdown and Graphviz DOT. Outputs carry the CNI enforcement warning
// and, when enforcement differs, both the "as written" and the "as enforced" results.
#pragma once

#include <string>
#include <vector>

#include "sim/core/cluster.h"
#include "sim/models/policy/reachability.h"

namespace knetsim::models::policy {

// One truth table, as the Kubernetes e2e network-policy suite prints it: a header row
// "-\t<dst>...", then one row per source "<src>\t.\tX...".
std::string truth_table(const core::Cluster& cluster, const Reachability& r, size_t port_index,
                        bool as_written);

std::string render_table(const core::Cluster& cluster, const Reachability& r);
// {"ports": [{"port": 80, "protocol": "TCP"}, ...], "pods": ["x/a", ...],
//  "matrix": {"TCP/80": {"x/a": {"x/b": true, ...}, ...}, ...}}  (as enforced); when the CNI
// does not enforce what is written, also "warning" and "matrixAsWritten".
std::string render_json(const core::Cluster& cluster, const Reachability& r);
std::string render_csv(const core::Cluster& cluster, const Reachability& r);
std::string render_markdown(const core::Cluster& cluster, const Reachability& r);
std::string render_dot(const core::Cluster& cluster, const Reachability& r);

}  // namespace knetsim::models::policy
