// Every knetsim subcommand registers itself here; main() wires them into one CLI11 app.
// A subcommand's callback returns the process exit status: 0 success, 1 a negative finding
// (e.g. a probe mismatch), 2 bad input (always with a located message on stderr).
#pragma once

#include <CLI/CLI.hpp>

namespace knetsim::cli {

void add_validate_command(CLI::App& app, int& exit_code);
void add_describe_command(CLI::App& app, int& exit_code);
void add_rules_command(CLI::App& app, int& exit_code);
void add_reach_command(CLI::App& app, int& exit_code);
void add_run_command(CLI::App& app, int& exit_code);
void add_sweep_command(CLI::App& app, int& exit_code);

}  // namespace knetsim::cli
