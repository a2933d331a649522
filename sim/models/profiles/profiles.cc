#include "sim/models/profiles/profiles.h"

#include <filesystem>

namespace knetsim::models {

core::Profile load_profile(const std::string& name_or_path, const std::string& scenario_file) {
  for (const auto& p : embedded_profiles()) {
    if (name_or_path == p.name) {
      return core::Profile::parse(p.text, std::string("sim/models/profiles/") + p.name + ".yaml");
    }
  }
  std::filesystem::path path(name_or_path);
  if (path.is_relative()) path = std::filesystem::path(scenario_file).parent_path() / path;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    std::string names;
    for (const auto& p : embedded_profiles()) names += std::string(names.empty() ? "" : ", ") + p.name;
    core::fail(core::SourceRef{scenario_file, 0, 0}, "profile",
               "no bundled profile named \"" + name_or_path + "\" (bundled: " + names +
                   ") and no file " + path.string());
  }
  return core::Profile::load_file(path.string());
}

core::Profile profile_for(const core::Scenario& scenario) {
  core::Profile p = load_profile(scenario.profile, scenario.file);
  p.apply_overrides(scenario.profile_overrides, scenario.profile_override_sources);
  return p;
}

}  // namespace knetsim::models
