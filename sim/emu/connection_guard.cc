// Admission and deadlines of emulator connections (see connection_guard.h).
#include "sim/emu/connection_guard.h"

#include <fmt/core.h>

#include <algorithm>

#include "sim/emu/runtime.h"

namespace knetsim::emu {

bool SourceCounts::try_add(uint32_t source) {
  std::lock_guard lock(mutex_);
  auto it = open_.find(source);
  if (it != open_.end() && it->second >= limit_) {
    refused_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  if (it == open_.end()) {
    open_.emplace(source, 1);
  } else {
    ++it->second;
  }
  return true;
}

void SourceCounts::remove(uint32_t source) {
  std::lock_guard lock(mutex_);
  auto it = open_.find(source);
  if (it == open_.end()) return;
  if (--it->second == 0) open_.erase(it);
}

size_t SourceCounts::sources() const {
  std::lock_guard lock(mutex_);
  return open_.size();
}

bool SourceCounts::should_report(int64_t now_ns) {
  int64_t last = last_report_ns_.load(std::memory_order_relaxed);
  if (now_ns - last < 1'000'000'000) return false;
  return last_report_ns_.compare_exchange_strong(last, now_ns);
}

std::optional<Admission> admit(Runtime& rt, boost::asio::ip::tcp::socket& socket) {
  boost::system::error_code ec;
  auto remote = socket.remote_endpoint(ec);
  if (ec || !remote.address().is_v4()) {  // the peer is already gone
    reset_socket(socket);
    return std::nullopt;
  }
  uint32_t source = remote.address().to_v4().to_uint();
  if (!rt.sources().try_add(source)) {
    if (rt.sources().should_report(rt.now_ns()) && !rt.options().quiet) {
      fmt::print(stderr,
                 "knetsim emulate: {} already has {} open connections "
                 "(--max-connections-per-source); new ones are reset ({} refused so far)\n",
                 remote.address().to_string(), rt.sources().limit(), rt.sources().refused());
    }
    reset_socket(socket);
    return std::nullopt;
  }
  auto slot = rt.budget().try_acquire();
  if (!slot) {
    rt.sources().remove(source);
    rt.report_limit();
    reset_socket(socket);
    return std::nullopt;
  }
  return Admission(std::move(slot), &rt.sources(), source);
}

bool Deadlines::header_started(Clock::time_point now) {
  if (!header_since_) header_since_ = now;
  return t_.header.count() > 0 && *header_since_ + t_.header < armed_;
}

bool Deadlines::write_started(int direction, Clock::time_point now) {
  write_since_[direction] = now;
  return t_.write.count() > 0 && now + t_.write < armed_;
}

Deadlines::Expired Deadlines::check(Clock::time_point now, Clock::time_point& next) {
  next = Clock::time_point::max();
  if (t_.write.count() > 0) {
    for (const auto& since : write_since_) {
      if (!since) continue;
      if (now >= *since + t_.write) return Expired::Write;
      next = std::min(next, *since + t_.write);
    }
  }
  if (t_.header.count() > 0 && header_since_) {
    if (now >= *header_since_ + t_.header) return Expired::Header;
    next = std::min(next, *header_since_ + t_.header);
  }
  if (t_.idle.count() > 0) {
    if (now >= last_active_ + t_.idle) return Expired::Idle;
    next = std::min(next, last_active_ + t_.idle);
  }
  armed_ = next;
  return Expired::None;
}

}  // namespace knetsim::emu
