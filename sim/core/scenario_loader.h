// Loads a scenario file: either a knetsim/v1 Scenario (first document) with its manifest
// includes, or plain Kubernetes manifests taken with the documented cluster defaults.
#pragma once

#include <string>
#include <vector>

#include "sim/core/diagnostics.h"
#include "sim/core/scenario.h"

namespace knetsim::core {

// Throws ScenarioError on the first problem; warnings go to `diags`.
Scenario load_scenario(const std::string& path, Diagnostics& diags);

// For tests and generated input: `name` is used in messages, includes resolve against base_dir.
Scenario load_scenario_text(const std::string& text, const std::string& name,
                            const std::string& base_dir, Diagnostics& diags);

}  // namespace knetsim::core
