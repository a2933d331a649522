// Loading a scenario for a subcommand: warnings and errors printed the one way every command
// prints them (to stderr, file:line:column first), so users see the same messages everywhere.
#pragma once

#include <optional>
#include <string>

#include "sim/core/cluster.h"
#include "sim/core/profile.h"
#include "sim/core/scenario.h"

namespace knetsim::cli {

struct Loaded {
  core::Scenario scenario;
  core::Cluster cluster;
  core::Diagnostics diags;
  core::Profile profile;  // the scenario's calibration profile, overrides applied
};

// Returns nullopt after printing the error when the input is bad (callers exit with 2).
std::optional<Loaded> load_or_report(const std::string& path, bool quiet_warnings = false);

}  // namespace knetsim::cli
