#include "sim/emu/client.h"

#include <netinet/in.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <memory>

namespace knetsim::emu {

namespace asio = boost::asio;
using asio::ip::tcp;
using asio::ip::udp;

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

const char* outcome_name(Outcome o) {
  switch (o) {
    case Outcome::Ok:
      return "ok";
    case Outcome::Refused:
      return "refused";
    case Outcome::Reset:
      return "reset";
    case Outcome::Timeout:
      return "timeout";
    case Outcome::Error:
      return "error";
  }
  return "?";
}

namespace {

Outcome classify(const boost::system::error_code& ec) {
  if (ec == asio::error::connection_refused) return Outcome::Refused;
  if (ec == asio::error::connection_reset || ec == asio::error::broken_pipe) return Outcome::Reset;
  return Outcome::Error;
}

class TcpExchange : public std::enable_shared_from_this<TcpExchange> {
 public:
  TcpExchange(asio::io_context& io, Exchange ex, std::function<void(ExchangeResult)> done)
      : socket_(io), timer_(io), ex_(std::move(ex)), done_(std::move(done)), buf_(16384) {}

  void start() {
    boost::system::error_code ec;
    socket_.open(tcp::v4(), ec);
    if (ex_.from && !ec) {
      int one = 1;
      ::setsockopt(socket_.native_handle(), IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
      socket_.bind(tcp::endpoint(*ex_.from, 0), ec);
    }
    if (ec) {
      finish(Outcome::Error, "bind: " + ec.message());
      return;
    }
    auto self = shared_from_this();
    timer_.expires_after(ex_.timeout);
    timer_.async_wait([self](boost::system::error_code ec) {
      if (!ec) self->finish(Outcome::Timeout, "no answer within the timeout");
    });
    socket_.async_connect(tcp::endpoint(ex_.to, static_cast<unsigned short>(ex_.port)),
                          [self](boost::system::error_code ec) {
                            if (ec) {
                              self->finish(classify(ec), ec.message());
                              return;
                            }
                            self->send();
                          });
  }

 private:
  void send() {
    auto self = shared_from_this();
    asio::async_write(socket_, asio::buffer(ex_.payload), [self](boost::system::error_code ec,
                                                                 size_t) {
      if (ec) {
        self->finish(classify(ec), ec.message());
        return;
      }
      self->read();
    });
  }
  void read() {
    auto self = shared_from_this();
    socket_.async_read_some(asio::buffer(buf_), [self](boost::system::error_code ec, size_t n) {
      if (ec == asio::error::eof) {
        self->finish(self->reply_.empty() ? Outcome::Reset : Outcome::Ok,
                     self->reply_.empty() ? "closed without an answer" : "");
        return;
      }
      if (ec) {
        self->finish(self->reply_.empty() ? classify(ec) : Outcome::Ok, ec.message());
        return;
      }
      self->reply_.append(self->buf_.data(), n);
      if (!self->ex_.read_to_eof && self->reply_.size() >= self->ex_.payload.size()) {
        self->finish(Outcome::Ok, "");
        return;
      }
      self->read();
    });
  }
  void finish(Outcome o, std::string detail) {
    if (finished_) return;
    finished_ = true;
    timer_.cancel();
    boost::system::error_code ignored;
    // Abortive close: no TIME_WAIT left behind by probes and load loops.
    socket_.set_option(asio::socket_base::linger(true, 0), ignored);
    socket_.close(ignored);
    done_(ExchangeResult{o, std::move(reply_), std::move(detail)});
  }

  tcp::socket socket_;
  asio::steady_timer timer_;
  Exchange ex_;
  std::function<void(ExchangeResult)> done_;
  std::vector<char> buf_;
  std::string reply_;
  bool finished_ = false;
};

class UdpExchange : public std::enable_shared_from_this<UdpExchange> {
 public:
  UdpExchange(asio::io_context& io, Exchange ex, std::function<void(ExchangeResult)> done)
      : socket_(io), timer_(io), ex_(std::move(ex)), done_(std::move(done)), buf_(65536) {}

  void start() {
    boost::system::error_code ec;
    socket_.open(udp::v4(), ec);
    if (!ec) socket_.bind(udp::endpoint(ex_.from.value_or(asio::ip::address_v4::any()), 0), ec);
    if (!ec) socket_.connect(udp::endpoint(ex_.to, static_cast<unsigned short>(ex_.port)), ec);
    if (!ec) socket_.send(asio::buffer(ex_.payload), 0, ec);
    if (ec) {
      finish(classify(ec), ec.message());
      return;
    }
    auto self = shared_from_this();
    timer_.expires_after(ex_.timeout);
    timer_.async_wait([self](boost::system::error_code ec) {
      if (!ec) self->finish(Outcome::Timeout, "no datagram within the timeout");
    });
    socket_.async_receive(asio::buffer(buf_), [self](boost::system::error_code ec, size_t n) {
      if (ec) {
        self->finish(classify(ec), ec.message());
        return;
      }
      self->finish(Outcome::Ok, "", std::string(self->buf_.data(), n));
    });
  }

 private:
  void finish(Outcome o, std::string detail, std::string reply = {}) {
    if (finished_) return;
    finished_ = true;
    timer_.cancel();
    boost::system::error_code ignored;
    socket_.close(ignored);
    done_(ExchangeResult{o, std::move(reply), std::move(detail)});
  }

  udp::socket socket_;
  asio::steady_timer timer_;
  Exchange ex_;
  std::function<void(ExchangeResult)> done_;
  std::vector<char> buf_;
  bool finished_ = false;
};

}  // namespace

void async_exchange(asio::io_context& io, const Exchange& ex,
                    std::function<void(ExchangeResult)> done) {
  if (ex.protocol == core::Protocol::UDP) {
    std::make_shared<UdpExchange>(io, ex, std::move(done))->start();
  } else {
    std::make_shared<TcpExchange>(io, ex, std::move(done))->start();
  }
}

std::string http_get(const std::string& host, const std::string& target) {
  return "GET " + target + " HTTP/1.1\r\nHost: " + host +
         "\r\nUser-Agent: knetsim\r\nAccept: */*\r\nConnection: close\r\n\r\n";
}

std::optional<HttpReply> parse_http_reply(const std::string& bytes) {
  if (bytes.compare(0, 5, "HTTP/") != 0) return std::nullopt;
  size_t sp = bytes.find(' ');
  size_t end = bytes.find("\r\n\r\n");
  if (sp == std::string::npos || end == std::string::npos) return std::nullopt;
  HttpReply r;
  r.status = std::atoi(bytes.c_str() + sp + 1);
  r.body = bytes.substr(end + 4);
  return r;
}

ExchangeResult exchange(const Exchange& ex) {
  asio::io_context io;
  ExchangeResult out;
  async_exchange(io, ex, [&out](ExchangeResult r) { out = std::move(r); });
  io.run();
  return out;
}

}  // namespace knetsim::emu
