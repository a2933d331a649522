// The live event stream: one JSON object per line for every routed connection (source,
// service, chosen endpoint, verdict, modelled latency, rules traversed) and every model change.
// Sinks: a file (appended, flushed per line) and/or a unix stream socket that any number of
// readers (the GUI) may connect to; a reader that falls behind loses lines rather than slowing
// traffic (bounded queue per reader; drops are counted and reported in a later line).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <cstdio>
#include <deque>
#include <list>
#include <memory>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

namespace knetsim::emu {

class EventLog {
 public:
  EventLog() = default;
  ~EventLog();
  EventLog(const EventLog&) = delete;
  EventLog& operator=(const EventLog&) = delete;

  // Throws std::runtime_error with a clear message when the sink cannot be opened.
  void open_file(const std::string& path);
  void open_socket(boost::asio::io_context& io, const std::string& path);
  void close();

  bool enabled() const { return enabled_; }
  void emit(const nlohmann::json& event);

 private:
  struct Reader;
  void accept();
  void write_next(const std::shared_ptr<Reader>& r);

  bool enabled_ = false;
  std::mutex mutex_;
  FILE* file_ = nullptr;
  bool file_is_stdout_ = false;
  std::string socket_path_;
  std::unique_ptr<boost::asio::local::stream_protocol::acceptor> acceptor_;
  std::list<std::shared_ptr<Reader>> readers_;
};

}  // namespace knetsim::emu
