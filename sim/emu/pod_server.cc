#include "sim/emu/pod_server.h"

#include <fmt/core.h>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>

#include "sim/emu/netexec.h"

namespace knetsim::emu {

namespace asio = boost::asio;
using asio::ip::tcp;
using asio::ip::udp;

std::string bind_error_message(const std::string& what, const std::string& address, int port,
                               int requested_port, const boost::system::error_code& ec) {
  std::string base = fmt::format("cannot bind {} on {}:{}: {}", what, address, port, ec.message());
  if (ec == asio::error::access_denied) {
    return base + fmt::format(
                      "\n  port {} is below 1024: run as root (or grant CAP_NET_BIND_SERVICE), or "
                      "pass --port-offset N to move every port up by N (e.g. --port-offset 10000)",
                      port, requested_port);
  }
  if (ec == boost::system::errc::address_not_available) {
    return base +
           "\n  this kernel does not route all of 127.0.0.0/8 to the loopback interface. Linux "
           "does by default (lo has 127.0.0.1/8); restore it with `ip addr add 127.0.0.1/8 dev "
           "lo`. On macOS add each address: `sudo ifconfig lo0 alias " +
           address + " up`";
  }
  if (ec == asio::error::address_in_use) {
    return base + "\n  another process (or another emulator) holds it; pass --port-offset N to "
                  "run a second emulator of the same scenario";
  }
  return base;
}

void reset_socket(tcp::socket& s) {
  boost::system::error_code ec;
  if (!s.is_open()) return;
  s.set_option(asio::socket_base::linger(true, 0), ec);
  s.close(ec);
}

struct PodServer::TcpPort {
  TcpPort(asio::io_context& io) : acceptor(io) {}
  tcp::acceptor acceptor;
  int port = 0;  // as declared
};

struct PodServer::UdpPort {
  UdpPort(asio::io_context& io) : socket(io) {}
  udp::socket socket;
  int port = 0;
  std::vector<char> buf;
  udp::endpoint from;
};

namespace {

// One accepted connection to a pod port.
class PodSession : public std::enable_shared_from_this<PodSession> {
 public:
  PodSession(tcp::socket s, Runtime& rt, Admission admission, std::string pod_key, int port)
      : socket_(std::move(s)),
        timer_(socket_.get_executor()),
        watchdog_(socket_.get_executor()),
        deadlines_(rt.timeouts(), Deadlines::Clock::now()),
        rt_(rt),
        admission_(std::move(admission)),
        pod_key_(std::move(pod_key)),
        port_(port),
        buf_(rt.options().buffer_bytes) {}

  Deadlines& deadlines() { return deadlines_; }
  asio::steady_timer& watchdog() { return watchdog_; }
  // A deadline passed: idle connections are closed, a slow request head gets 408 and is closed,
  // a peer that does not read is reset.
  void expired(Deadlines::Expired e) {
    rt_.count_expired(e);
    boost::system::error_code ignored;
    timer_.cancel();
    if (e == Deadlines::Expired::Write) {
      reset_socket(socket_);
      return;
    }
    if (e == Deadlines::Expired::Header && socket_.is_open()) {
      // 408, our FIN, then discard what still comes until the client's FIN (closing with unread
      // bytes would send an RST that can overtake the 408), reset after connect_timeout_ms.
      static constexpr std::string_view k408 =
          "HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
      socket_.non_blocking(true, ignored);
      socket_.write_some(asio::buffer(k408.data(), k408.size()), ignored);
      socket_.shutdown(tcp::socket::shutdown_send, ignored);
      mode_ = Mode::Closing;
      deadlines_.header_done();
      auto self = shared_from_this();
      timer_.expires_after(std::chrono::milliseconds(rt_.options().connect_timeout_ms));
      timer_.async_wait([self](boost::system::error_code ec) {
        if (!ec) reset_socket(self->socket_);
      });
      return;
    }
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  void start() {
    watch_deadlines(shared_from_this());
    auto model = rt_.model();
    boost::system::error_code ec;
    auto remote = socket_.remote_endpoint(ec);
    if (ec) return;
    client_text_ = fmt::format("{}:{}", remote.address().to_string(), remote.port());
    auto pod = model->cluster().find_pod(pod_key_);
    if (!pod) {  // deleted by an event: nothing listens there any more
      reset_socket(socket_);
      return;
    }
    const auto& p = model->cluster().pods[*pod];
    identity_.hostname = p.spec.hostname.empty() ? p.name : p.spec.hostname;
    Source src = model->identify(core_address(remote.address().to_v4()));
    auto verdict = model->check_pod(src, *pod, port_, core::Protocol::TCP);
    rt_.counters().pod_connections.fetch_add(1, std::memory_order_relaxed);
    if (rt_.events().enabled()) {
      rt_.events().emit({{"t_ns", rt_.now_ns()},
                         {"kind", "pod"},
                         {"proto", "TCP"},
                         {"src", src.name},
                         {"src_ip", src.simulated.str()},
                         {"dst", pod_key_},
                         {"dst_ip", p.ip.str()},
                         {"port", port_},
                         {"verdict", verdict.allowed ? "allowed" : "denied"},
                         {"reason", verdict.reason}});
    }
    if (!verdict.allowed) {
      rt_.counters().denied.fetch_add(1, std::memory_order_relaxed);
      deny();
      return;
    }
    read();
  }

 private:
  void deny() {
    if (rt_.options().deny == DenyAction::Reset) {
      reset_socket(socket_);
      return;
    }
    // Drop: the client hears nothing; whatever it sends is discarded until it gives up or the
    // hold time ends.
    auto self = shared_from_this();
    timer_.expires_after(std::chrono::milliseconds(rt_.options().drop_hold_ms));
    timer_.async_wait([self](boost::system::error_code ec) {
      if (!ec) reset_socket(self->socket_);
    });
    discard();
  }
  void discard() {
    auto self = shared_from_this();
    socket_.async_read_some(asio::buffer(buf_), [self](boost::system::error_code ec, size_t) {
      if (ec) {
        self->timer_.cancel();
        boost::system::error_code ignored;
        self->socket_.close(ignored);
        return;
      }
      self->discard();
    });
  }

  void read() {
    auto self = shared_from_this();
    socket_.async_read_some(asio::buffer(buf_), [self](boost::system::error_code ec, size_t n) {
      if (ec) {
        boost::system::error_code ignored;
        self->timer_.cancel();
        self->socket_.close(ignored);
        return;
      }
      self->deadlines_.active(Deadlines::Clock::now());
      self->on_data(n);
    });
  }

  void on_data(size_t n) {
    if (mode_ == Mode::Closing) {  // after a 408: discard until the client's FIN
      read();
      return;
    }
    if (mode_ == Mode::Unknown) {
      mode_ = may_be_http(std::string_view(buf_.data(), n)) ? Mode::Http : Mode::Echo;
    }
    if (mode_ == Mode::Echo) {
      auto self = shared_from_this();
      begin_write();
      asio::async_write(socket_, asio::buffer(buf_.data(), n),
                        [self](boost::system::error_code ec, size_t) {
                          self->end_write();
                          if (!ec) self->read();
                        });
      return;
    }
    in_.append(buf_.data(), n);
    out_.clear();
    bool close_after = false;
    for (;;) {
      HttpRequest req;
      auto st = parse_http_request(in_, rt_.options().max_header_bytes, req);
      if (st == ParseStatus::Incomplete) break;
      if (st != ParseStatus::Complete) {
        rt_.counters().bad_requests.fetch_add(1, std::memory_order_relaxed);
        out_ += st == ParseStatus::TooLarge
                    ? "HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\n"
                      "Connection: close\r\n\r\n"
                    : "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        close_after = true;
        in_.clear();
        break;
      }
      out_ += netexec_http_response(req, identity_, client_text_);
      in_.erase(0, req.length);
      deadlines_.header_done();
      if (!req.keep_alive) {
        close_after = true;
        break;
      }
    }
    if (!in_.empty() && deadlines_.header_started(Deadlines::Clock::now())) {
      watch_deadlines(shared_from_this());
    }
    if (out_.empty()) {
      read();
      return;
    }
    auto self = shared_from_this();
    begin_write();
    asio::async_write(socket_, asio::buffer(out_),
                      [self, close_after](boost::system::error_code ec, size_t) {
                        self->end_write();
                        if (ec) return;
                        if (close_after) {
                          boost::system::error_code ignored;
                          self->socket_.shutdown(tcp::socket::shutdown_send, ignored);
                          self->drain();
                          return;
                        }
                        self->read();
                      });
  }
  // After "Connection: close": wait for the client's FIN so the client, not us, holds TIME_WAIT.
  void drain() {
    auto self = shared_from_this();
    timer_.expires_after(std::chrono::milliseconds(rt_.options().connect_timeout_ms));
    timer_.async_wait([self](boost::system::error_code ec) {
      if (!ec) reset_socket(self->socket_);
    });
    socket_.async_read_some(asio::buffer(buf_), [self](boost::system::error_code ec, size_t) {
      if (ec) {
        self->timer_.cancel();
        boost::system::error_code ignored;
        self->socket_.close(ignored);
        return;
      }
      self->drain();
    });
  }

  void begin_write() {
    if (deadlines_.write_started(0, Deadlines::Clock::now())) watch_deadlines(shared_from_this());
  }
  void end_write() {
    deadlines_.write_done(0);
    deadlines_.active(Deadlines::Clock::now());
  }

  enum class Mode { Unknown, Http, Echo, Closing };
  tcp::socket socket_;
  asio::steady_timer timer_;
  asio::steady_timer watchdog_;
  Deadlines deadlines_;
  Runtime& rt_;
  Admission admission_;
  std::string pod_key_;
  int port_;
  std::vector<char> buf_;
  std::string in_;
  std::string out_;
  std::string client_text_;
  PodIdentity identity_;
  Mode mode_ = Mode::Unknown;
};

}  // namespace

PodServer::PodServer(asio::io_context& io, Runtime& rt, core::PodId, const core::Pod& spec,
                     core::Ipv4 bind_sim_ip, std::vector<BindError>& errors)
    : io_(io), rt_(rt), key_(spec.key()) {
  auto address = mapped_address(bind_sim_ip);
  for (const auto& c : spec.spec.containers) {
    for (const auto& cp : c.ports) {
      auto bound = rt.options().ports.map(cp.container_port);
      std::string what = fmt::format("pod {} port {}/{}", key_, cp.container_port,
                                     core::protocol_name(cp.protocol));
      if (!bound) {
        errors.push_back({fmt::format("cannot bind {}: port {} + offset {} leaves 1..65535", what,
                                      cp.container_port, rt.options().ports.offset)});
        continue;
      }
      boost::system::error_code ec;
      if (cp.protocol == core::Protocol::TCP) {
        auto p = std::make_shared<TcpPort>(io);
        p->port = cp.container_port;
        tcp::endpoint ep(address, static_cast<unsigned short>(*bound));
        p->acceptor.open(ep.protocol(), ec);
        if (!ec) p->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
        if (!ec) p->acceptor.bind(ep, ec);
        if (!ec) p->acceptor.listen(asio::socket_base::max_listen_connections, ec);
        if (ec) {
          errors.push_back({bind_error_message(what, address.to_string(), *bound,
                                               cp.container_port, ec)});
          continue;
        }
        tcp_.push_back(p);
        accept(p);
      } else if (cp.protocol == core::Protocol::UDP) {
        auto p = std::make_shared<UdpPort>(io);
        p->port = cp.container_port;
        p->buf.resize(65536);
        udp::endpoint ep(address, static_cast<unsigned short>(*bound));
        p->socket.open(ep.protocol(), ec);
        if (!ec) p->socket.bind(ep, ec);
        if (ec) {
          errors.push_back({bind_error_message(what, address.to_string(), *bound,
                                               cp.container_port, ec)});
          continue;
        }
        udp_.push_back(p);
        receive(p);
      }
      // SCTP: not emulated (loopback SCTP needs a kernel module); documented in docs/CLI.md.
    }
  }
}

PodServer::~PodServer() { close(); }

void PodServer::close() {
  boost::system::error_code ec;
  for (auto& p : tcp_) p->acceptor.close(ec);
  for (auto& p : udp_) p->socket.close(ec);
}

void PodServer::accept(const std::shared_ptr<TcpPort>& p) {
  p->acceptor.async_accept(asio::any_io_executor(asio::make_strand(io_)),
                           [this, p](boost::system::error_code ec, tcp::socket s) {
    if (ec == asio::error::operation_aborted || !p->acceptor.is_open()) return;
    if (!ec) {
      if (auto admitted = admit(rt_, s)) {
        s.set_option(tcp::no_delay(true), ec);
        std::make_shared<PodSession>(std::move(s), rt_, std::move(*admitted), key_, p->port)
            ->start();
      }
    }
    accept(p);
  });
}

void PodServer::receive(const std::shared_ptr<UdpPort>& p) {
  p->socket.async_receive_from(
      asio::buffer(p->buf), p->from, [this, p](boost::system::error_code ec, size_t n) {
        if (ec == asio::error::operation_aborted || !p->socket.is_open()) return;
        if (!ec) {
          rt_.counters().udp_datagrams.fetch_add(1, std::memory_order_relaxed);
          auto model = rt_.model();
          auto pod = model->cluster().find_pod(key_);
          if (pod) {
            Source src = model->identify(core_address(p->from.address().to_v4()));
            auto verdict = model->check_pod(src, *pod, p->port, core::Protocol::UDP);
            if (rt_.events().enabled()) {
              rt_.events().emit({{"t_ns", rt_.now_ns()},
                                 {"kind", "pod"},
                                 {"proto", "UDP"},
                                 {"src", src.name},
                                 {"src_ip", src.simulated.str()},
                                 {"dst", key_},
                                 {"port", p->port},
                                 {"verdict", verdict.allowed ? "allowed" : "denied"},
                                 {"reason", verdict.reason}});
            }
            if (verdict.allowed) {
              const auto& spec = model->cluster().pods[*pod];
              PodIdentity id{spec.spec.hostname.empty() ? spec.name : spec.spec.hostname};
              std::string client =
                  fmt::format("{}:{}", p->from.address().to_string(), p->from.port());
              std::string reply =
                  netexec_udp_reply(std::string_view(p->buf.data(), n), id, client);
              boost::system::error_code ignored;
              p->socket.send_to(asio::buffer(reply), p->from, 0, ignored);
            } else {
              rt_.counters().denied.fetch_add(1, std::memory_order_relaxed);
            }
          }
        }
        receive(p);
      });
}

}  // namespace knetsim::emu
