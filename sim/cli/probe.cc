// knetsim probe FILE: real connections from every pod to every pod and port through the
// emulator, compared cell by cell with the policy engine (exit 1 on any mismatch).
#include <fmt/core.h>

#include <thread>

#include "sim/cli/commands.h"
#include "sim/cli/emu_options.h"
#include "sim/cli/load.h"
#include "sim/core/quantity.h"
#include "sim/emu/probe.h"

namespace knetsim::cli {

void add_probe_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "probe", "Connect every pod to every pod and port through the emulator; compare with policy");
  struct Opts {
    std::string file;
    std::string timeout = "1s";
    size_t concurrency = 128;
    EmuFlags flags;
  };
  auto o = std::make_shared<Opts>();
  cmd->add_option("file", o->file, "Scenario or Kubernetes manifest file")->required();
  cmd->add_option("--timeout", o->timeout, "A connection unanswered this long counts as blocked");
  cmd->add_option("--concurrency", o->concurrency, "Connections in flight at once");
  add_emu_flags(cmd, o->flags, false);
  cmd->callback([o, &exit_code] {
    auto options = to_options(o->flags);
    auto timeout = core::parse_duration_ns(o->timeout);
    if (!timeout || *timeout <= 0) throw CLI::ValidationError("--timeout", "expects e.g. 1s");
    options.apply_scenario_events = false;  // probe the scenario as written
    options.quiet = true;
    options.time_scale = 0;
    auto loaded = load_or_report(o->file);
    if (!loaded) {
      exit_code = 2;
      return;
    }
    try {
      emu::Emulator emu(std::move(loaded->scenario), std::move(loaded->cluster), options);
      std::thread runner([&emu] { emu.run(false); });
      emu::ProbeOptions po;
      po.timeout = std::chrono::milliseconds(*timeout / 1'000'000);
      po.concurrency = o->concurrency;
      auto report = emu::run_probe(emu, po);
      emu.stop();
      runner.join();
      const auto& c = emu.model()->cluster();
      const auto& warn = emu.model()->policy().enforcement().warning;
      if (!warn.empty()) fmt::print("WARNING: {}\n", warn);
      fmt::print("{}", emu::format_probe(c, report));
      exit_code = report.mismatches ? 1 : 0;
    } catch (const emu::EmuError& e) {
      fmt::print(stderr, "error: {}\n", e.what());
      exit_code = 2;
    }
  });
}

}  // namespace knetsim::cli
