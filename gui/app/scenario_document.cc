#include "gui/app/scenario_document.h"

#include <exception>

#include "sim/core/scenario_loader.h"
#include "sim/models/profiles/profiles.h"

namespace knetsim::gui {

LoadOutcome load_document(const std::string& path) {
  LoadOutcome out;
  core::Diagnostics diags;
  try {
    auto doc = std::make_shared<ScenarioDocument>();
    doc->path = path;
    doc->scenario = core::load_scenario(path, diags);
    doc->cluster = core::build_cluster(doc->scenario, diags);
    doc->cluster.reindex();
    doc->profile = models::profile_for(doc->scenario);
    doc->warnings = diags.warnings();
    out.doc = std::move(doc);
  } catch (const core::ScenarioError& e) {
    out.error = e.diagnostic();
  } catch (const std::exception& e) {
    out.error = core::Diagnostic{core::SourceRef{path, 0, 0}, "", e.what()};
  }
  out.warnings = diags.warnings();
  return out;
}

}  // namespace knetsim::gui
