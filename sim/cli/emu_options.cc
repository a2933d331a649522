#include "sim/cli/emu_options.h"

#include <algorithm>
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
  cmd->add_option("--max-connections-per-source", f.max_connections_per_source,
                  "Open TCP connections from one source address at most (each listener a "
                  "connection passes counts it)");
  cmd->add_option("--idle-timeout", f.idle_timeout,
                  "Close a TCP connection with no byte either way for this long (0 = never)");
  cmd->add_option("--header-timeout", f.header_timeout,
                  "An HTTP request must arrive within this from its first byte, else 408 and "
                  "close (slowloris; 0 = never)");
  cmd->add_option("--write-timeout", f.write_timeout,
                  "Reset a connection whose peer does not take written bytes for this long "
                  "(0 = never)");
  cmd->add_option("--max-header-bytes", f.max_header_bytes,
                  "Largest HTTP request head a pod accepts; beyond it 431 and close");
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
  if (f.max_connections_per_source < 1) {
    throw CLI::ValidationError("--max-connections-per-source", "must be at least 1");
  }
  o.max_connections_per_source = f.max_connections_per_source;
  auto ms_of = [](const std::string& flag, const std::string& text) {
    if (text == "0") return int64_t{0};
    auto ns = core::parse_duration_ns(text);
    if (!ns || *ns < 0) {
      throw CLI::ValidationError(flag, "expects a duration like 10s, got " + text);
    }
    return std::max<int64_t>(1, *ns / 1'000'000);
  };
  o.idle_timeout_ms = ms_of("--idle-timeout", f.idle_timeout);
  o.header_timeout_ms = ms_of("--header-timeout", f.header_timeout);
  o.write_timeout_ms = ms_of("--write-timeout", f.write_timeout);
  if (f.max_header_bytes < 256 || f.max_header_bytes > (1u << 20)) {
    throw CLI::ValidationError("--max-header-bytes", "must be within 256..1048576");
  }
  o.max_header_bytes = f.max_header_bytes;
  return o;
}

}  // namespace knetsim::cli
