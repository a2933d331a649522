// The emulator flags shared by `emulate`, `probe` and `client` (port offset, limits, deny
// action), registered once so the three commands spell them the same way.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "sim/emu/runtime.h"

namespace knetsim::cli {

struct EmuFlags {
  int port_offset = 0;
  std::string time_scale = "1";
  std::string deny = "drop";
  int threads = 1;
  size_t max_connections = 0;  // 0: from the descriptor limit
  size_t buffer_bytes = 16384;
  size_t max_udp_sessions = 4096;
  std::string drop_hold = "10s";
  size_t max_connections_per_source = 1024;
  std::string idle_timeout = "60s";
  std::string header_timeout = "10s";
  std::string write_timeout = "30s";
  size_t max_header_bytes = 16384;
};

void add_emu_flags(CLI::App* cmd, EmuFlags& flags, bool with_threads);
// Throws CLI::ValidationError for malformed values.
emu::Options to_options(const EmuFlags& flags);

}  // namespace knetsim::cli
