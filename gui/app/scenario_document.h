// An open scenario: the loaded Scenario, its resolved Cluster and calibration Profile, or the
// located error that stopped the load. Views read it and never change it; the cluster lives at a
// stable address (shared_ptr) because model objects (PolicyEngine, ...) keep references to it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/cluster.h"
#include "sim/core/diagnostics.h"
#include "sim/core/profile.h"
#include "sim/core/scenario.h"

namespace knetsim::gui {

struct ScenarioDocument {
  std::string path;
  core::Scenario scenario;
  core::Cluster cluster;
  core::Profile profile;
  std::vector<core::Diagnostic> warnings;
};

struct LoadOutcome {
  std::shared_ptr<const ScenarioDocument> doc;  // null when the load failed
  std::optional<core::Diagnostic> error;        // file:line:column of the first problem
  std::vector<core::Diagnostic> warnings;
};

// Loads and resolves like `knetsim validate` (core::load_scenario + core::build_cluster), but
// returns the diagnostics instead of printing them.
LoadOutcome load_document(const std::string& path);

}  // namespace knetsim::gui
