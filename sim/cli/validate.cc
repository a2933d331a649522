// knetsim validate FILE...: load and resolve each file; print located errors and warnings.
#include <fmt/core.h>

#include "sim/cli/commands.h"
#include "sim/cli/load.h"

namespace knetsim::cli {

void add_validate_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("validate", "Load scenarios or manifests and report problems");
  auto files = std::make_shared<std::vector<std::string>>();
  cmd->add_option("files", *files, "Scenario or Kubernetes manifest files")->required();
  cmd->callback([files, &exit_code] {
    for (const auto& f : *files) {
      auto loaded = load_or_report(f);
      if (!loaded) {
        exit_code = 2;
        continue;
      }
      const auto& c = loaded->cluster;
      fmt::print("{}: ok ({} nodes, {} pods, {} services, {} endpoint slices, {} network "
                 "policies, {} ingresses)\n",
                 f, c.nodes.size(), c.pods.size(), c.services.size(), c.endpoint_slices.size(),
                 c.network_policies.size(), c.ingresses.size());
    }
  });
}

}  // namespace knetsim::cli
