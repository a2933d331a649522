// knetsim: one binary, one subcommand per job (validate, describe, rules, reach, run, ...).
#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <cstdio>
#include <exception>
#include <string>

#include "sim/cli/commands.h"
#include "sim/cli/version.h"
#include "sim/core/load_limits.h"

int main(int argc, char** argv) {
  CLI::App app{"knetsim: a Kubernetes cluster network simulator and emulator"};
  app.set_version_flag("--version", std::string("knetsim ") + knetsim::cli::kVersion);
  app.require_subcommand(1);
  auto& limits = knetsim::core::load_limits();
  app.add_option("--max-file-size", limits.max_file_bytes, "Largest input file, in bytes")
      ->capture_default_str();
  app.add_option("--max-yaml-nodes", limits.max_yaml_nodes,
                 "Most YAML nodes in one file, aliases expanded")
      ->capture_default_str();
  app.add_option("--max-objects", limits.max_objects,
                 "Most pods + services + endpoints a scenario may expand to")
      ->capture_default_str();
  int exit_code = 0;
  knetsim::cli::add_validate_command(app, exit_code);
  knetsim::cli::add_describe_command(app, exit_code);
  knetsim::cli::add_rules_command(app, exit_code);
  knetsim::cli::add_reach_command(app, exit_code);
  knetsim::cli::add_emulate_command(app, exit_code);
  knetsim::cli::add_probe_command(app, exit_code);
  knetsim::cli::add_client_command(app, exit_code);
#ifdef KNETSIM_HAVE_PLOT
  knetsim::cli::add_plot_command(app, exit_code);
#endif
  knetsim::cli::add_run_command(app, exit_code);
  knetsim::cli::add_sweep_command(app, exit_code);
  knetsim::cli::add_calibrate_command(app, exit_code);
  if (argc > 1 && argv[1][0] != '-') {
    auto all = app.get_subcommands([](CLI::App*) { return true; });
    bool known = false;
    std::string names;
    for (CLI::App* sub : all) {
      known = known || sub->check_name(argv[1]);
      names += (names.empty() ? "" : ", ") + sub->get_name();
    }
    if (!known) {
      fmt::print(stderr, "error: unknown command \"{}\"; the commands are: {}\n", argv[1], names);
      fmt::print(stderr, "Run knetsim --help for more information.\n");
      return 2;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    fmt::print(stderr, "error: {}\nRun with --help for more information.\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 3;
  }
  return exit_code;
}
