// What every emulator socket shares: the options, the current model snapshot, the connection
// budget and the event stream. Owned by the Emulator; servers and sessions hold a reference
// and must not outlive it (the Emulator destroys its io_context, and with it every pending
// handler, before the runtime).
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "sim/emu/address_map.h"
#include "sim/emu/connection_guard.h"
#include "sim/emu/event_log.h"
#include "sim/emu/model.h"

namespace knetsim::emu {

// What a denied connection looks like to the client. Calico, Cilium and Weave Net drop
// denied packets (the client times out); `reset` answers with a TCP RST at once (faster probes).
enum class DenyAction { Drop, Reset };

struct Options {
  PortMap ports;
  double time_scale = 1.0;   // real delay = modelled latency x time_scale (0: no delay)
  int64_t duration_ns = 0;   // 0: until SIGINT/SIGTERM
  int threads = 1;           // io_context threads (1 or 2)
  size_t max_connections = 0;  // open TCP connections, all listeners (0: from the fd limit, <= 10000)
  size_t max_connections_per_source = 1024;  // open TCP connections from one source address
  int64_t idle_timeout_ms = 60'000;    // no byte either way for this long: closed (0: never)
  int64_t header_timeout_ms = 10'000;  // an HTTP request head must arrive within this (slowloris)
  int64_t write_timeout_ms = 30'000;   // a peer that does not drain a write for this long: reset
  size_t buffer_bytes = 16 * 1024;  // per direction per connection
  size_t max_header_bytes = 16 * 1024;
  size_t max_udp_sessions = 4096;
  int64_t udp_idle_ms = 30'000;
  int64_t connect_timeout_ms = 3'000;
  int64_t drop_hold_ms = 10'000;  // a dropped TCP connection is held silent this long, then reset
  DenyAction deny = DenyAction::Drop;
  bool apply_scenario_events = true;
  std::string events_file;    // JSON lines appended here ("-" = stdout)
  std::string events_socket;  // or served on this unix socket path
  std::string state_file;     // where `knetsim client` finds pods and services (removed at stop)
  bool quiet = false;
};

struct Counters {
  std::atomic<uint64_t> service_connections{0};
  std::atomic<uint64_t> pod_connections{0};
  std::atomic<uint64_t> denied{0};
  std::atomic<uint64_t> no_endpoint{0};
  std::atomic<uint64_t> upstream_failures{0};
  std::atomic<uint64_t> udp_datagrams{0};
  std::atomic<uint64_t> udp_dropped{0};  // new UDP clients refused (session table or budget full)
  std::atomic<uint64_t> idle_closed{0};
  std::atomic<uint64_t> header_timeouts{0};
  std::atomic<uint64_t> write_timeouts{0};
  std::atomic<uint64_t> bad_requests{0};  // answered 400 or 431 and closed
};

class Runtime {
 public:
  Runtime(Options options, std::shared_ptr<Model> model)
      : options_(std::move(options)),
        budget_(options_.max_connections),
        sources_(options_.max_connections_per_source),
        model_(std::move(model)),
        start_(std::chrono::steady_clock::now()) {}

  const Options& options() const { return options_; }
  ConnectionBudget& budget() { return budget_; }
  SourceCounts& sources() { return sources_; }
  ConnectionTimeouts timeouts() const {
    return {std::chrono::milliseconds(options_.idle_timeout_ms),
            std::chrono::milliseconds(options_.header_timeout_ms),
            std::chrono::milliseconds(options_.write_timeout_ms)};
  }
  // Counts an expired deadline (idle, header or write).
  void count_expired(Deadlines::Expired e) {
    if (e == Deadlines::Expired::Idle) {
      counters_.idle_closed.fetch_add(1, std::memory_order_relaxed);
    }
    if (e == Deadlines::Expired::Header) {
      counters_.header_timeouts.fetch_add(1, std::memory_order_relaxed);
    }
    if (e == Deadlines::Expired::Write) {
      counters_.write_timeouts.fetch_add(1, std::memory_order_relaxed);
    }
  }
  Counters& counters() { return counters_; }
  EventLog& events() { return events_; }

  std::shared_ptr<Model> model() const {
    std::lock_guard lock(model_mutex_);
    return model_;
  }
  void set_model(std::shared_ptr<Model> m) {
    std::lock_guard lock(model_mutex_);
    model_ = std::move(m);
  }
  int64_t now_ns() const {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() -
                                                                start_)
        .count();
  }
  std::chrono::nanoseconds real_delay(int64_t modelled_ns) const {
    return std::chrono::nanoseconds(static_cast<int64_t>(modelled_ns * options_.time_scale));
  }
  // Called when the budget refuses a connection: a rate-limited message on stderr.
  void report_limit();

 private:
  Options options_;
  ConnectionBudget budget_;
  SourceCounts sources_;
  Counters counters_;
  EventLog events_;
  mutable std::mutex model_mutex_;
  std::shared_ptr<Model> model_;
  std::chrono::steady_clock::time_point start_;
  std::atomic<int64_t> last_limit_report_ns_{-1'000'000'000'000};
};

// Closes a TCP socket with an RST (SO_LINGER 0), as a REJECT or a closed port answers.
void reset_socket(boost::asio::ip::tcp::socket& s);

}  // namespace knetsim::emu
