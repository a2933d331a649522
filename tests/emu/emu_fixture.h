// Starting an emulator on a bundled scenario inside a test: every test passes its own port
// offset (20000 + 100 k, k < 40; taken: 0-17 and 20-31) so tests can run in parallel without
// colliding, and every port stays below the ephemeral range.
#pragma once

#include <dirent.h>
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "sim/core/cluster.h"
#include "sim/core/scenario_loader.h"
#include "sim/emu/client.h"
#include "sim/emu/emulator.h"

namespace knetsim::emu::testing {

inline std::string scenario_path(const std::string& rel) {
  return std::string(KNETSIM_SOURCE_DIR) + "/" + rel;
}

// Descriptors this process has open now (entries of /proc/self/fd, "." and ".." included).
inline size_t open_descriptors() {
  size_t n = 0;
  DIR* d = opendir("/proc/self/fd");
  if (!d) return 0;
  while (readdir(d)) ++n;
  closedir(d);
  return n;
}

inline Options test_options(int k) {
  Options o;
  o.ports.offset = 20000 + 100 * k;
  o.deny = DenyAction::Reset;
  o.quiet = true;
  o.time_scale = 0;
  o.apply_scenario_events = false;
  return o;
}

class RunningEmulator {
 public:
  RunningEmulator(const std::string& scenario_rel, Options options,
                  const std::function<void(core::Scenario&)>& edit = {}) {
    core::Diagnostics diags;
    auto scenario = core::load_scenario(scenario_path(scenario_rel), diags);
    if (edit) edit(scenario);
    auto cluster = core::build_cluster(scenario, diags);
    emu_ = std::make_unique<Emulator>(std::move(scenario), std::move(cluster), options);
    thread_ = std::thread([this] { emu_->run(false); });
  }
  ~RunningEmulator() { stop(); }
  void stop() {
    if (!thread_.joinable()) return;
    emu_->stop();
    thread_.join();
  }
  Emulator& emu() { return *emu_; }
  const core::Cluster& cluster() { return emu_->model()->cluster(); }
  int port(int p) const { return p + emu_->runtime().options().ports.offset; }

  // GET target from `from_pod` ("ns/name"; empty: 127.0.0.1) to a simulated address and port.
  ExchangeResult get(const std::string& from_pod, core::Ipv4 to, int port,
                     const std::string& target, int timeout_ms = 2000) {
    Exchange ex;
    if (!from_pod.empty()) {
      auto id = cluster().find_pod(from_pod);
      EXPECT_TRUE(id) << from_pod;
      if (id) ex.from = mapped_address(cluster().pods[*id].ip);
    }
    ex.to = mapped_address(to);
    ex.port = this->port(port);
    ex.payload = http_get(to.str(), target);
    ex.timeout = std::chrono::milliseconds(timeout_ms);
    return exchange(ex);
  }
  // The pod name that answered /hostname, or "" on failure.
  std::string hostname(const std::string& from_pod, core::Ipv4 to, int port) {
    auto r = get(from_pod, to, port, "/hostname");
    if (r.outcome != Outcome::Ok) return "";
    auto http = parse_http_reply(r.reply);
    return http ? http->body : "";
  }

 private:
  std::unique_ptr<Emulator> emu_;
  std::thread thread_;
};

}  // namespace knetsim::emu::testing
