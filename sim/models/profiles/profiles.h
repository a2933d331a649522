// Finding a calibration profile by name (bundled, embedded at build time) or by file path,
// then applying a scenario's overrides.
#pragma once

#include <string>
#include <vector>

#include "sim/core/profile.h"
#include "sim/core/scenario.h"

namespace knetsim::models {

struct EmbeddedProfile {
  const char* name;
  const char* text;
};

const std::vector<EmbeddedProfile>& embedded_profiles();

// "default" (or another bundled name) or a path relative to the scenario file's folder.
core::Profile load_profile(const std::string& name_or_path, const std::string& scenario_file);

// The scenario's profile with its overrides applied.
core::Profile profile_for(const core::Scenario& scenario);

}  // namespace knetsim::models
