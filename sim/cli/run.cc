// knetsim run FILE [--out DIR] [--seed S]: the discrete-event simulation of a scenario.
#include <fmt/core.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>

#include "sim/cli/commands.h"
#include "sim/cli/load.h"
#include "sim/core/run_folder.h"
#include "sim/engine/results.h"
#include "sim/engine/simulation.h"

namespace knetsim::cli {

void add_run_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("run", "Simulate a scenario: latency, throughput, errors, CPU, syncs");
  struct Opts {
    std::string file;
    std::string out;
    std::optional<uint64_t> seed;
    bool quiet = false;
  };
  auto opts = std::make_shared<Opts>();
  cmd->add_option("file", opts->file, "Scenario file")->required();
  cmd->add_option("--out", opts->out, "Results folder (default: results/<scenario name>)");
  cmd->add_option("--seed", opts->seed, "Seed for every random choice (default: the scenario's)");
  cmd->add_flag("-q,--quiet", opts->quiet, "Print no summary table");
  cmd->callback([opts, &exit_code] {
    auto loaded = load_or_report(opts->file);
    if (!loaded) {
      exit_code = 2;
      return;
    }
    core::Scenario scenario = loaded->scenario;
    if (opts->seed) scenario.seed = *opts->seed;
    sim::RunOptions ro;
    ro.seed = scenario.seed;
    bool tty = isatty(fileno(stderr)) != 0;
    if (tty) {
      ro.progress = [](double f) {
        int filled = static_cast<int>(f * 40);
        fmt::print(stderr, "\r[{}{}] {:3d}%", std::string(filled, '#'), std::string(40 - filled, ' '),
                   static_cast<int>(f * 100));
        if (f >= 1.0) fmt::print(stderr, "\n");
        std::fflush(stderr);
      };
    }
    // The folder is marked unfinished before the simulation starts and vouched for by its
    // manifest only once every file is written (core/run_folder.h).
    std::string dir = opts->out.empty() ? "results/" + scenario.name : opts->out;
    std::optional<core::RunFolderWriter> out;
    try {
      out.emplace(dir);
    } catch (const std::exception& e) {
      fmt::print(stderr, "error: {}\n", e.what());
      exit_code = 3;
      return;
    }
    auto t0 = std::chrono::steady_clock::now();
    sim::SimulationResult r = sim::run_simulation(scenario, loaded->cluster, loaded->profile, ro);
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    try {
      sim::write_results(r, *out);
      out->finish();
    } catch (const std::exception& e) {
      fmt::print(stderr, "error: {}\n", e.what());
      exit_code = 3;
      return;
    }
    if (!opts->quiet) {
      std::cout << sim::summary_table(r);
      fmt::print("{} requests in {:.2f} s wall ({:.0f} simulated requests per wall-second); results in {}/\n",
                 r.requests_simulated, wall, r.requests_simulated / std::max(wall, 1e-9), dir);
    }
  });
}

}  // namespace knetsim::cli
