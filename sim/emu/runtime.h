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

// Open-connection accounting with a hard limit; a Slot gives its place back when destroyed.
class ConnectionBudget {
 public:
  explicit ConnectionBudget(size_t limit) : limit_(limit) {}
  class Slot {
   public:
    Slot() = default;
    explicit Slot(ConnectionBudget* b) : budget_(b) {}
    Slot(Slot&& o) noexcept : budget_(o.budget_) { o.budget_ = nullptr; }
    Slot& operator=(Slot&& o) noexcept {
      reset();
      budget_ = o.budget_;
      o.budget_ = nullptr;
      return *this;
    }
    ~Slot() { reset(); }
    void reset() {
      if (budget_) budget_->active_.fetch_sub(1, std::memory_order_relaxed);
      budget_ = nullptr;
    }
    explicit operator bool() const { return budget_ != nullptr; }

   private:
    ConnectionBudget* budget_ = nullptr;
  };
  Slot try_acquire() {
    size_t now = active_.fetch_add(1, std::memory_order_relaxed);
    if (now >= limit_) {
      active_.fetch_sub(1, std::memory_order_relaxed);
      refused_.fetch_add(1, std::memory_order_relaxed);
      return Slot();
    }
    return Slot(this);
  }
  size_t active() const { return active_.load(std::memory_order_relaxed); }
  size_t refused() const { return refused_.load(std::memory_order_relaxed); }
  size_t limit() const { return limit_; }

 private:
  size_t limit_;
  std::atomic<size_t> active_{0};
  std::atomic<size_t> refused_{0};
};

struct Counters {
  std::atomic<uint64_t> service_connections{0};
  std::atomic<uint64_t> pod_connections{0};
  std::atomic<uint64_t> denied{0};
  std::atomic<uint64_t> no_endpoint{0};
  std::atomic<uint64_t> upstream_failures{0};
  std::atomic<uint64_t> udp_datagrams{0};
};

class Runtime {
 public:
  Runtime(Options options, std::shared_ptr<Model> model)
      : options_(std::move(options)),
        budget_(options_.max_connections),
        model_(std::move(model)),
        start_(std::chrono::steady_clock::now()) {}

  const Options& options() const { return options_; }
  ConnectionBudget& budget() { return budget_; }
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
