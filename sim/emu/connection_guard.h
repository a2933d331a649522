// Admission and deadlines for the emulator's TCP connections, in one place so the service proxy
// and the pod servers refuse and time out alike. A connection is admitted only while the global
// budget (--max-connections) and its source address's share (--max-connections-per-source) have
// room, so one client cannot take every descriptor. Once admitted it is closed when idle
// (--idle-timeout), when an HTTP request head dribbles in too slowly (--header-timeout, the
// "slowloris" attack) or when the peer does not drain what is written to it (--write-timeout).
// Every structure here is bounded: per-source entries vanish when their count returns to zero.
#pragma once

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>

namespace knetsim::emu {

class Runtime;

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

// Open connections per source IPv4 address, capped. Thread-safe; an address with no open
// connection has no entry, so the table holds at most one entry per open connection.
class SourceCounts {
 public:
  explicit SourceCounts(size_t limit) : limit_(limit) {}
  bool try_add(uint32_t source);
  void remove(uint32_t source);
  size_t sources() const;  // addresses with at least one open connection
  size_t refused() const { return refused_.load(std::memory_order_relaxed); }
  size_t limit() const { return limit_; }
  // True at most once a second: whether a refusal should be reported on stderr now.
  bool should_report(int64_t now_ns);

 private:
  size_t limit_;
  mutable std::mutex mutex_;
  std::unordered_map<uint32_t, size_t> open_;
  std::atomic<size_t> refused_{0};
  std::atomic<int64_t> last_report_ns_{-1'000'000'000'000};
};

// One admitted connection's place in the global budget and in its source's share; both are
// given back when it is destroyed.
class Admission {
 public:
  Admission() = default;
  Admission(ConnectionBudget::Slot slot, SourceCounts* counts, uint32_t source)
      : slot_(std::move(slot)), counts_(counts), source_(source) {}
  Admission(Admission&& o) noexcept
      : slot_(std::move(o.slot_)), counts_(o.counts_), source_(o.source_) {
    o.counts_ = nullptr;
  }
  Admission& operator=(Admission&& o) noexcept {
    release();
    slot_ = std::move(o.slot_);
    counts_ = o.counts_;
    source_ = o.source_;
    o.counts_ = nullptr;
    return *this;
  }
  ~Admission() { release(); }

 private:
  void release() {
    if (counts_) counts_->remove(source_);
    counts_ = nullptr;
    slot_.reset();
  }
  ConnectionBudget::Slot slot_;
  SourceCounts* counts_ = nullptr;
  uint32_t source_ = 0;
};

// Admits a just-accepted connection, or resets it (RST) and reports the limit on stderr (rate
// limited). The one place both the service listeners and the pod servers decide this.
std::optional<Admission> admit(Runtime& rt, boost::asio::ip::tcp::socket& socket);

// The timeouts of one connection, from Options (zero: off).
struct ConnectionTimeouts {
  std::chrono::milliseconds idle{0};
  std::chrono::milliseconds header{0};
  std::chrono::milliseconds write{0};
};

// The deadlines of one connection: idle (no byte read or written), header (an HTTP request head
// still incomplete since its first byte), write (a send, per direction, that the peer has not
// drained). Not thread-safe: used from the connection's strand only.
class Deadlines {
 public:
  using Clock = std::chrono::steady_clock;
  enum class Expired { None, Idle, Header, Write };

  Deadlines(ConnectionTimeouts t, Clock::time_point now) : t_(t), last_active_(now) {}
  void active(Clock::time_point now) { last_active_ = now; }
  // The next three return true when the new deadline is earlier than the armed one (the
  // watchdog must be re-armed).
  bool header_started(Clock::time_point now);
  void header_done() { header_since_.reset(); }
  bool write_started(int direction, Clock::time_point now);
  void write_done(int direction) { write_since_[direction].reset(); }
  // Which deadline has passed at `now`; when none, `next` is the earliest one to come (and
  // becomes the armed deadline).
  Expired check(Clock::time_point now, Clock::time_point& next);

 private:
  ConnectionTimeouts t_;
  Clock::time_point last_active_;
  std::optional<Clock::time_point> header_since_;
  std::optional<Clock::time_point> write_since_[2];
  Clock::time_point armed_ = Clock::time_point::max();
};

// Keeps `session->deadlines()` armed on `session->watchdog()` and calls
// `session->expired(kind)` when one passes. Holds the session weakly: an ended session is not
// kept alive by its watchdog.
template <class Session>
void watch_deadlines(const std::shared_ptr<Session>& session) {
  Deadlines::Clock::time_point next;
  auto e = session->deadlines().check(Deadlines::Clock::now(), next);
  if (e != Deadlines::Expired::None) {
    session->expired(e);
    return;
  }
  if (next == Deadlines::Clock::time_point::max()) return;
  session->watchdog().expires_at(next);
  std::weak_ptr<Session> weak = session;
  session->watchdog().async_wait([weak](boost::system::error_code ec) {
    if (ec) return;
    if (auto s = weak.lock()) watch_deadlines(s);
  });
}

}  // namespace knetsim::emu
