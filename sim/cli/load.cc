#include "sim/cli/load.h"

#include <fmt/core.h>

#include <cstdio>

#include "sim/core/scenario_loader.h"
#include "sim/models/profiles/profiles.h"

namespace knetsim::cli {

std::optional<Loaded> load_or_report(const std::string& path, bool quiet_warnings) {
  core::Diagnostics diags;
  auto report_warnings = [&] {
    if (quiet_warnings) return;
    for (const auto& w : diags.warnings()) fmt::print(stderr, "warning: {}\n", w.str());
  };
  try {
    Loaded out;
    out.scenario = core::load_scenario(path, diags);
    out.cluster = core::build_cluster(out.scenario, diags);
    out.profile = models::profile_for(out.scenario);
    report_warnings();
    out.diags = std::move(diags);
    return out;
  } catch (const core::ScenarioError& e) {
    report_warnings();
    fmt::print(stderr, "error: {}\n", e.what());
    return std::nullopt;
  }
}

}  // namespace knetsim::cli
