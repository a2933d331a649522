// knetsim emulate FILE: the modelled cluster as real sockets on 127.0.0.0/8 (sim/emu).
#include <fmt/core.h>

#include "sim/cli/commands.h"
#include "sim/cli/emu_options.h"
#include "sim/cli/load.h"
#include "sim/core/quantity.h"
#include "sim/emu/emulator.h"

namespace knetsim::cli {

void add_emulate_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "emulate", "Serve the modelled cluster on loopback: pods, ClusterIPs and node ports");
  struct Opts {
    std::string file;
    std::string duration;
    std::string events_file;
    std::string events_socket;
    bool no_events = false;
    bool quiet = false;
    std::string state;
    EmuFlags flags;
  };
  auto o = std::make_shared<Opts>();
  cmd->add_option("file", o->file, "Scenario or Kubernetes manifest file")->required();
  cmd->add_option("--duration", o->duration, "Stop after this long (default: until Ctrl-C)");
  cmd->add_option("--events", o->events_file,
                  "Append every routed connection as a JSON line to FILE ('-' = stdout)");
  cmd->add_option("--events-socket", o->events_socket,
                  "Serve the JSON-line event stream on this unix socket path");
  cmd->add_flag("--no-scenario-events", o->no_events,
                "Do not apply the scenario's events (scale, deletePod) while running");
  cmd->add_option("--state", o->state, "Where `knetsim client` finds this emulation (default: " +
                                           default_state_file() + ")");
  cmd->add_flag("-q,--quiet", o->quiet, "Print nothing but errors");
  add_emu_flags(cmd, o->flags, true);
  cmd->callback([o, &exit_code] {
    auto options = to_options(o->flags);
    if (!o->duration.empty()) {
      auto d = core::parse_duration_ns(o->duration);
      if (!d || *d <= 0) throw CLI::ValidationError("--duration", "expects a duration like 30s");
      options.duration_ns = *d;
    }
    options.events_file = o->events_file;
    options.events_socket = o->events_socket;
    options.apply_scenario_events = !o->no_events;
    options.quiet = o->quiet;
    options.state_file = o->state.empty() ? default_state_file() : o->state;
    auto loaded = load_or_report(o->file, o->quiet);
    if (!loaded) {
      exit_code = 2;
      return;
    }
    try {
      emu::Emulator emu(std::move(loaded->scenario), std::move(loaded->cluster), options);
      if (!o->quiet) {
        fmt::print("knetsim emulate: {} listeners (port offset {}, time scale {}, kube-proxy {})\n{}",
                   emu.listener_count(), options.ports.offset, options.time_scale,
                   core::kube_proxy_mode_name(emu.model()->cluster().kube_proxy.mode),
                   emu.listening_table());
        fmt::print("Act as a pod by binding to its address, e.g. curl --interface <pod loopback> "
                   "http://<service loopback>:<port>/hostname\nCtrl-C stops.\n");
        std::fflush(stdout);
      }
      emu.run();
      const auto& k = emu.runtime().counters();
      if (!o->quiet) {
        fmt::print("knetsim emulate: stopped. {} service connections, {} pod connections, {} "
                   "denied, {} without endpoints, {} upstream failures, {} refused at the "
                   "connection limit, {} refused at the per-source limit\n",
                   k.service_connections.load(), k.pod_connections.load(), k.denied.load(),
                   k.no_endpoint.load(), k.upstream_failures.load(),
                   emu.runtime().budget().refused(), emu.runtime().sources().refused());
        fmt::print("knetsim emulate: closed {} idle, {} slow request heads (408), {} "
                   "non-reading peers, {} bad requests (400/431); {} UDP datagrams from new "
                   "clients dropped at a limit\n",
                   k.idle_closed.load(), k.header_timeouts.load(), k.write_timeouts.load(),
                   k.bad_requests.load(), k.udp_dropped.load());
      }
    } catch (const emu::EmuError& e) {
      fmt::print(stderr, "error: {}\n", e.what());
      exit_code = 2;
    }
  });
}

}  // namespace knetsim::cli
