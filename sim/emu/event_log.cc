#include "sim/emu/event_log.h"

#include <boost/asio/write.hpp>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <unistd.h>

namespace knetsim::emu {

namespace {
constexpr size_t kMaxQueuedLines = 4096;  // per socket reader
}

struct EventLog::Reader {
  explicit Reader(boost::asio::local::stream_protocol::socket s) : socket(std::move(s)) {}
  boost::asio::local::stream_protocol::socket socket;
  std::deque<std::string> queue;
  bool writing = false;
  uint64_t dropped = 0;
  bool dead = false;
};

EventLog::~EventLog() { close(); }

void EventLog::open_file(const std::string& path) {
  std::lock_guard lock(mutex_);
  if (path == "-") {
    file_ = stdout;
    file_is_stdout_ = true;
  } else {
    file_ = std::fopen(path.c_str(), "a");
    if (!file_) {
      throw std::runtime_error("cannot open event file " + path + ": " + std::strerror(errno));
    }
  }
  enabled_ = true;
}

void EventLog::open_socket(boost::asio::io_context& io, const std::string& path) {
  namespace local = boost::asio::local;
  ::unlink(path.c_str());  // a stale socket from an earlier run
  boost::system::error_code ec;
  auto acc = std::make_unique<local::stream_protocol::acceptor>(io);
  acc->open(local::stream_protocol(), ec);
  if (!ec) acc->bind(local::stream_protocol::endpoint(path), ec);
  if (!ec) acc->listen(16, ec);
  if (ec) throw std::runtime_error("cannot listen on event socket " + path + ": " + ec.message());
  std::lock_guard lock(mutex_);
  acceptor_ = std::move(acc);
  socket_path_ = path;
  enabled_ = true;
  accept();
}

void EventLog::accept() {
  acceptor_->async_accept([this](boost::system::error_code ec,
                                 boost::asio::local::stream_protocol::socket s) {
    if (ec) return;  // closed
    std::lock_guard lock(mutex_);
    readers_.push_back(std::make_shared<Reader>(std::move(s)));
    if (acceptor_) accept();
  });
}

void EventLog::write_next(const std::shared_ptr<Reader>& r) {
  // mutex_ held by the caller
  if (r->queue.empty() || r->dead) {
    r->writing = false;
    return;
  }
  r->writing = true;
  boost::asio::async_write(r->socket, boost::asio::buffer(r->queue.front()),
                           [this, r](boost::system::error_code ec, size_t) {
                             std::lock_guard lock(mutex_);
                             if (ec) {
                               r->dead = true;
                               r->queue.clear();
                               readers_.remove(r);
                               return;
                             }
                             r->queue.pop_front();
                             write_next(r);
                           });
}

void EventLog::emit(const nlohmann::json& event) {
  if (!enabled_) return;
  std::string line = event.dump() + "\n";
  std::lock_guard lock(mutex_);
  if (file_) {
    std::fwrite(line.data(), 1, line.size(), file_);
    std::fflush(file_);
  }
  for (auto& r : readers_) {
    if (r->queue.size() >= kMaxQueuedLines) {
      ++r->dropped;
      continue;
    }
    if (r->dropped) {
      r->queue.push_back(nlohmann::json{{"kind", "dropped"}, {"lines", r->dropped}}.dump() + "\n");
      r->dropped = 0;
    }
    r->queue.push_back(line);
    if (!r->writing) write_next(r);
  }
}

void EventLog::close() {
  std::lock_guard lock(mutex_);
  if (file_ && !file_is_stdout_) std::fclose(file_);
  if (file_is_stdout_) std::fflush(stdout);
  file_ = nullptr;
  if (acceptor_) {
    boost::system::error_code ec;
    acceptor_->close(ec);
    acceptor_.reset();
    ::unlink(socket_path_.c_str());
  }
  for (auto& r : readers_) {
    boost::system::error_code ec;
    r->socket.close(ec);
  }
  readers_.clear();
  enabled_ = false;
}

}  // namespace knetsim::emu
