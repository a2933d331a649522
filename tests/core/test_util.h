// Helpers for core tests: load a scenario from inline YAML text and resolve it.
#pragma once

#include <string>

#include "sim/core/cluster.h"
#include "sim/core/scenario_loader.h"

namespace knetsim::core::testing {

struct Built {
  Scenario scenario;
  Cluster cluster;
  Diagnostics diags;
};

inline Built build_from_text(const std::string& yaml, const std::string& name = "test.yaml") {
  Built b;
  b.scenario = load_scenario_text(yaml, name, ".", b.diags);
  b.cluster = build_cluster(b.scenario, b.diags);
  return b;
}

inline bool has_warning(const Diagnostics& d, const std::string& needle) {
  for (const auto& w : d.warnings()) {
    if (w.str().find(needle) != std::string::npos) return true;
  }
  return false;
}

}  // namespace knetsim::core::testing
