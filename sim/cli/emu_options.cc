#include "sim/cli/emu_options.h"

#include <cstdlib>

#include "sim/core/quantity.h"

namespace knetsim::cli {

void add_emu_flags(CLI::App* cmd, EmuFlags& f, bool with_threads) {
  cmd->add_option("--port-offset", f.port_offset,
                  "Add N to every pod, service and node port (unprivileged runs, parallel runs)");
  cmd->add_option("--time-scale", f.time_scale,
                  "Real delay = modelled latency x X (0 = no delay; 1000 slows 50us to 50ms)");
  cmd->add_option("--deny", f.deny, "Denied connections: drop (as Calico/Cilium do) or reset")
      ->check(CLI::IsMember({"drop", "reset"}));
  cmd->add_option("--drop-hold", f.drop_hold,
                  "How long a dropped TCP connection is held silent before it is reset");
  cmd->add_option("--max-connections", f.max_connections, "Open TCP connections at most (default: what ulimit -n allows, up to 10000)");
  cmd->add_option("--buffer-bytes", f.buffer_bytes, "Relay buffer per direction per connection");
  cmd->add_option("--max-udp-sessions", f.max_udp_sessions, "UDP client sessions per service port");
  if (with_threads) {
    cmd->add_option("--threads", f.threads, "io_context threads (1 or 2)")
        ->check(CLI::Range(1, 2));
  }
}

emu::Options to_options(const EmuFlags& f) {
  emu::Options o;
  o.ports.offset = f.port_offset;
  char* end = nullptr;
  o.time_scale = std::strtod(f.time_scale.c_str(), &end);
  if (end == f.time_scale.c_str() || *end != '\0' || o.time_scale < 0) {
    throw CLI::ValidationError("--time-scale", "expects a number >= 0, got " + f.time_scale);
  }
  o.deny = f.deny == "reset" ? emu::DenyAction::Reset : emu::DenyAction::Drop;
  auto hold = core::parse_duration_ns(f.drop_hold);
  if (!hold) throw CLI::ValidationError("--drop-hold", "expects a duration like 10s");
  o.drop_hold_ms = *hold / 1'000'000;
  o.threads = f.threads;
  if (f.buffer_bytes < 512 || f.buffer_bytes > (16u << 20)) {
    throw CLI::ValidationError("--buffer-bytes", "must be within 512..16777216");
  }
  o.max_connections = f.max_connections;
  o.buffer_bytes = f.buffer_bytes;
  o.max_udp_sessions = f.max_udp_sessions;
  return o;
}

}  // namespace knetsim::cli
