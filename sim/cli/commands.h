// Every knetsim subcommand registers itself here; main() wires them into one CLI11 app.
// A subcommand's callback returns the process exit status: 0 success, 1 a negative finding
// (e.g. a probe mismatch), 2 bad input (always with a located message on stderr).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace knetsim::cli {

void add_validate_command(CLI::App& app, int& exit_code);
void add_describe_command(CLI::App& app, int& exit_code);
void add_rules_command(CLI::App& app, int& exit_code);
void add_reach_command(CLI::App& app, int& exit_code);
void add_emulate_command(CLI::App& app, int& exit_code);
void add_probe_command(CLI::App& app, int& exit_code);
void add_client_command(CLI::App& app, int& exit_code);
// Only in builds with the GUI (KNETSIM_HAVE_PLOT): the chart code is Qt's.
void add_plot_command(CLI::App& app, int& exit_code);
// The file `knetsim emulate` writes for `knetsim client` ($TMPDIR/knetsim-emulate-<uid>.json).
std::string default_state_file();
void add_run_command(CLI::App& app, int& exit_code);
void add_sweep_command(CLI::App& app, int& exit_code);
// `knetsim calibrate --kernel` (sim/calib): measures the real kernel, fits a profile.
void add_calibrate_command(CLI::App& app, int& exit_code);

}  // namespace knetsim::cli
