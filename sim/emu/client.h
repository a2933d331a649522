// A client that acts as a pod: it binds to the pod's mapped loopback address before connecting,
// so the emulator (and the policy engine behind it) sees the pod as the source, exactly as
// `curl --interface 127.244.1.5 ...` does. Used by `knetsim client`, by `knetsim probe` (many
// exchanges at once on one io_context) and by the tests.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address_v4.hpp>
#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "sim/core/protocol.h"

namespace knetsim::emu {

enum class Outcome { Ok, Refused, Reset, Timeout, Error };
const char* outcome_name(Outcome o);

struct Exchange {
  core::Protocol protocol = core::Protocol::TCP;
  std::optional<boost::asio::ip::address_v4> from;  // bind here first (a pod's mapped address)
  boost::asio::ip::address_v4 to;
  int port = 0;                   // as bound (offset already applied)
  std::string payload;            // bytes to send (a full HTTP request for HTTP)
  std::chrono::milliseconds timeout{2000};
  bool read_to_eof = true;        // TCP: read until the server closes (HTTP Connection: close)
};

struct ExchangeResult {
  Outcome outcome = Outcome::Error;
  std::string reply;   // bytes received
  std::string detail;  // error text
};

// Starts one exchange on `io`; `done` runs once, on an io thread.
void async_exchange(boost::asio::io_context& io, const Exchange& ex,
                    std::function<void(ExchangeResult)> done);

// A GET request as curl sends it, with Connection: close.
std::string http_get(const std::string& host, const std::string& target);

struct HttpReply {
  int status = 0;
  std::string body;
};
// Splits a complete HTTP/1.x response; nullopt when it is not one.
std::optional<HttpReply> parse_http_reply(const std::string& bytes);

// Blocking convenience for tests and the CLI.
ExchangeResult exchange(const Exchange& ex);

}  // namespace knetsim::emu
