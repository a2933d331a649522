#include "sim/emu/service_proxy.h"

#include <fmt/core.h>
#include <netinet/in.h>

#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>

namespace knetsim::emu {

namespace asio = boost::asio;
using asio::ip::tcp;
using asio::ip::udp;

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

std::optional<std::pair<core::ServiceId, size_t>> locate_service_port(
    const Model& model, const std::string& service_key, const std::string& port_name, int port,
    core::Protocol protocol) {
  auto svc = model.cluster().find_service(service_key);
  if (!svc) return std::nullopt;
  const auto& ports = model.cluster().services[*svc].ports;
  for (size_t i = 0; i < ports.size(); ++i) {
    if (ports[i].name == port_name && ports[i].protocol == protocol &&
        (ports[i].port == port || ports[i].node_port == port)) {
      return std::make_pair(*svc, i);
    }
  }
  return std::nullopt;
}

namespace {

nlohmann::json route_event(Runtime& rt, const ListenerSpec& spec, const Source& src,
                           const Model& model, const Route& r, const char* proto) {
  nlohmann::json e{{"t_ns", rt.now_ns()},
                   {"kind", "service"},
                   {"proto", proto},
                   {"src", src.name},
                   {"src_ip", src.simulated.str()},
                   {"service", spec.service_key},
                   {"vip", spec.sim_ip.str()},
                   {"port", spec.service_port},
                   {"verdict", !r.has_backend ? "no-endpoint"
                               : r.verdict.allowed ? "allowed"
                                                   : "denied"},
                   {"reason", r.verdict.reason},
                   {"latency_ns", r.latency_ns},
                   {"rules", r.rules_evaluated},
                   {"mode", core::kube_proxy_mode_name(model.cluster().kube_proxy.mode)}};
  if (spec.node) e["node"] = model.cluster().nodes[*spec.node].name;
  if (r.seen_source.loopback != src.loopback) e["snat"] = r.seen_source.simulated.str();
  if (!r.hops.empty()) {
    auto hops = nlohmann::json::array();
    for (const auto& h : r.hops) {
      hops.push_back({{"name", h.name}, {"host", h.host_name}, {"ns", h.ns}});
    }
    e["hops"] = std::move(hops);
  }
  if (r.has_backend) {
    e["endpoint"] = fmt::format("{}:{}", r.backend_ip.str(), r.backend_port);
    e["endpoint_index"] = r.endpoint_index;
    if (r.backend_pod) e["endpoint_pod"] = model.cluster().pods[*r.backend_pod].key();
  }
  return e;
}

// One client connection through a service: decide, delay, connect upstream, relay.
class ProxySession : public std::enable_shared_from_this<ProxySession> {
 public:
  ProxySession(tcp::socket client, Runtime& rt, Admission admission, const ListenerSpec& spec)
      : client_(std::move(client)),
        upstream_(client_.get_executor()),
        timer_(client_.get_executor()),
        watchdog_(client_.get_executor()),
        deadlines_(rt.timeouts(), Deadlines::Clock::now()),
        rt_(rt),
        admission_(std::move(admission)),
        spec_(spec),
        down_(rt.options().buffer_bytes),
        up_(rt.options().buffer_bytes) {}

  ~ProxySession() {
    if (released_ && model_) model_->release(svc_, port_index_, route_.endpoint_index);
  }

  Deadlines& deadlines() { return deadlines_; }
  asio::steady_timer& watchdog() { return watchdog_; }
  // A deadline passed: an idle connection is closed on both sides, one whose reader does not
  // drain is reset on both. (Request heads are timed by the pod server behind.)
  void expired(Deadlines::Expired e) {
    rt_.count_expired(e);
    timer_.cancel();
    if (e == Deadlines::Expired::Write) {
      abort_both();
      return;
    }
    boost::system::error_code ignored;
    client_.shutdown(tcp::socket::shutdown_both, ignored);
    upstream_.shutdown(tcp::socket::shutdown_both, ignored);
    close_both();
  }

  void start() {
    watch_deadlines(shared_from_this());
    model_ = rt_.model();
    boost::system::error_code ec;
    auto remote = client_.remote_endpoint(ec);
    if (ec) return;
    source_ = model_->identify(core_address(remote.address().to_v4()));
    auto where = locate_service_port(*model_, spec_.service_key, spec_.port_name,
                                     spec_.service_port, core::Protocol::TCP);
    if (!where) {  // service removed by an event
      reset_socket(client_);
      return;
    }
    svc_ = where->first;
    port_index_ = where->second;
    route_ = model_->route(source_, svc_, port_index_, spec_.node, rt_.now_ns());
    released_ = route_.has_backend;
    rt_.counters().service_connections.fetch_add(1, std::memory_order_relaxed);
    if (rt_.events().enabled()) {
      rt_.events().emit(route_event(rt_, spec_, source_, *model_, route_, "TCP"));
    }
    if (!route_.has_backend) {
      rt_.counters().no_endpoint.fetch_add(1, std::memory_order_relaxed);
      reset_socket(client_);
      return;
    }
    if (!route_.verdict.allowed) {
      rt_.counters().denied.fetch_add(1, std::memory_order_relaxed);
      deny();
      return;
    }
    auto delay = rt_.real_delay(route_.latency_ns);
    if (delay.count() <= 0) {
      connect_upstream();
      return;
    }
    auto self = shared_from_this();
    timer_.expires_after(delay);
    timer_.async_wait([self](boost::system::error_code ec) {
      if (!ec) self->connect_upstream();
    });
  }

 private:
  void deny() {
    if (rt_.options().deny == DenyAction::Reset) {
      reset_socket(client_);
      return;
    }
    auto self = shared_from_this();
    timer_.expires_after(std::chrono::milliseconds(rt_.options().drop_hold_ms));
    timer_.async_wait([self](boost::system::error_code ec) {
      if (!ec) reset_socket(self->client_);
    });
    discard();
  }
  void discard() {
    auto self = shared_from_this();
    client_.async_read_some(asio::buffer(down_), [self](boost::system::error_code ec, size_t) {
      if (ec) {
        self->timer_.cancel();
        boost::system::error_code ignored;
        self->client_.close(ignored);
        return;
      }
      self->discard();
    });
  }

  void connect_upstream() {
    boost::system::error_code ec;
    auto bound = rt_.options().ports.map(route_.backend_port);
    if (!bound) {
      fail_upstream();
      return;
    }
    tcp::endpoint target(mapped_address(route_.backend_ip), static_cast<unsigned short>(*bound));
    upstream_.open(tcp::v4(), ec);
    if (ec) {
      fail_upstream();
      return;
    }
    // Connect from the client's own address so the endpoint sees the real source; the kernel
    // picks the port at connect time so ports are shared across destinations.
    int one = 1;
    ::setsockopt(upstream_.native_handle(), IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    upstream_.bind(tcp::endpoint(asio_address(route_.seen_source.loopback), 0), ec);
    if (ec) upstream_.bind(tcp::endpoint(asio::ip::address_v4::loopback(), 0), ec);
    upstream_.set_option(tcp::no_delay(true), ec);
    auto self = shared_from_this();
    timer_.expires_after(std::chrono::milliseconds(rt_.options().connect_timeout_ms));
    timer_.async_wait([self](boost::system::error_code ec) {
      if (!ec) {
        boost::system::error_code ignored;
        self->upstream_.close(ignored);
      }
    });
    upstream_.async_connect(target, [self](boost::system::error_code ec) {
      self->timer_.cancel();
      if (ec) {
        self->fail_upstream();
        return;
      }
      self->relay(self->client_, self->upstream_, self->down_, true);
      self->relay(self->upstream_, self->client_, self->up_, false);
    });
  }

  void fail_upstream() {
    rt_.counters().upstream_failures.fetch_add(1, std::memory_order_relaxed);
    boost::system::error_code ignored;
    upstream_.close(ignored);
    reset_socket(client_);
  }

  // Copies `from` -> `to` until EOF (then half-closes `to`) or an error (then resets both).
  void relay(tcp::socket& from, tcp::socket& to, std::vector<char>& buf, bool client_side) {
    auto self = shared_from_this();
    from.async_read_some(asio::buffer(buf), [self, &from, &to, &buf, client_side](
                                                boost::system::error_code ec, size_t n) {
      self->deadlines_.active(Deadlines::Clock::now());
      if (ec == asio::error::eof) {
        boost::system::error_code ignored;
        to.shutdown(tcp::socket::shutdown_send, ignored);
        if (++self->closed_directions_ == 2) self->close_both();
        return;
      }
      if (ec) {
        self->abort_both();
        return;
      }
      int direction = client_side ? 0 : 1;
      if (self->deadlines_.write_started(direction, Deadlines::Clock::now())) {
        watch_deadlines(self);
      }
      asio::async_write(to, asio::buffer(buf.data(), n),
                        [self, &from, &to, &buf, client_side](boost::system::error_code ec,
                                                              size_t) {
                          self->deadlines_.write_done(client_side ? 0 : 1);
                          self->deadlines_.active(Deadlines::Clock::now());
                          if (ec) {
                            self->abort_both();
                            return;
                          }
                          self->relay(from, to, buf, client_side);
                        });
    });
  }
  void close_both() {
    boost::system::error_code ignored;
    client_.close(ignored);
    upstream_.close(ignored);
  }
  void abort_both() {
    reset_socket(client_);
    reset_socket(upstream_);
  }

  tcp::socket client_;
  tcp::socket upstream_;
  asio::steady_timer timer_;
  asio::steady_timer watchdog_;
  Deadlines deadlines_;
  Runtime& rt_;
  Admission admission_;
  const ListenerSpec& spec_;
  std::shared_ptr<Model> model_;
  Source source_;
  core::ServiceId svc_ = 0;
  size_t port_index_ = 0;
  Route route_;
  bool released_ = false;
  std::atomic<int> closed_directions_{0};
  std::vector<char> down_;  // client -> endpoint
  std::vector<char> up_;    // endpoint -> client
};

}  // namespace

struct ServiceListener::UdpSession {
  explicit UdpSession(asio::strand<asio::io_context::executor_type>& strand)
      : upstream(strand), timer(strand) {}
  udp::socket upstream;
  asio::steady_timer timer;
  udp::endpoint client;
  std::shared_ptr<Model> model;
  Route route;
  bool denied = false;
  bool ready = false;  // the modelled setup delay has passed
  std::vector<std::string> pending;  // at most Options::buffer_bytes in all
  size_t pending_bytes = 0;
  std::chrono::steady_clock::time_point last_active;
  ConnectionBudget::Slot slot;  // its upstream socket counts against --max-connections
};

ServiceListener::ServiceListener(asio::io_context& io, Runtime& rt, ListenerSpec spec,
                                 std::optional<BindError>& error)
    : io_(io), rt_(rt), spec_(std::move(spec)) {
  auto address = mapped_address(spec_.sim_ip);
  std::string what = fmt::format("service {} port {}/{}{}", spec_.service_key, spec_.service_port,
                                 core::protocol_name(spec_.protocol),
                                 spec_.node ? " (node port)" : "");
  auto bound = rt.options().ports.map(spec_.service_port);
  if (!bound) {
    error = BindError{fmt::format("cannot bind {}: port {} + offset {} leaves 1..65535", what,
                                  spec_.service_port, rt.options().ports.offset)};
    return;
  }
  boost::system::error_code ec;
  if (spec_.protocol == core::Protocol::TCP) {
    tcp::endpoint ep(address, static_cast<unsigned short>(*bound));
    acceptor_.emplace(io);
    acceptor_->open(ep.protocol(), ec);
    if (!ec) acceptor_->set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor_->bind(ep, ec);
    if (!ec) acceptor_->listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      error = BindError{bind_error_message(what, address.to_string(), *bound, spec_.service_port, ec)};
      acceptor_.reset();
      return;
    }
    accept();
  } else if (spec_.protocol == core::Protocol::UDP) {
    strand_.emplace(asio::make_strand(io));
    udp::endpoint ep(address, static_cast<unsigned short>(*bound));
    udp_.emplace(*strand_);
    udp_->open(ep.protocol(), ec);
    if (!ec) udp_->bind(ep, ec);
    if (ec) {
      error = BindError{bind_error_message(what, address.to_string(), *bound, spec_.service_port, ec)};
      udp_.reset();
      return;
    }
    udp_buf_.resize(65536);
    reply_buf_.resize(65536);
    sweep_timer_.emplace(*strand_);
    receive();
    sweep();
  }
}

ServiceListener::~ServiceListener() { close(); }

void ServiceListener::close() {
  boost::system::error_code ec;
  if (acceptor_) acceptor_->close(ec);
  if (udp_) {
    asio::post(*strand_, [this] {
      boost::system::error_code ec;
      if (udp_) udp_->close(ec);
      if (sweep_timer_) sweep_timer_->cancel();
      for (auto& [ep, s] : udp_sessions_) {
        s->upstream.close(ec);
        s->timer.cancel();
      }
      udp_sessions_.clear();
    });
  }
}

void ServiceListener::accept() {
  acceptor_->async_accept(asio::any_io_executor(asio::make_strand(io_)),
                           [this](boost::system::error_code ec, tcp::socket s) {
    if (ec == asio::error::operation_aborted) return;
    if (!acceptor_->is_open()) return;
    if (!ec) {
      if (auto admitted = admit(rt_, s)) {
        s.set_option(tcp::no_delay(true), ec);
        std::make_shared<ProxySession>(std::move(s), rt_, std::move(*admitted), spec_)->start();
      }
    }
    accept();
  });
}

void ServiceListener::receive() {
  udp_->async_receive_from(asio::buffer(udp_buf_), udp_from_,
                           [this](boost::system::error_code ec, size_t n) {
    if (ec == asio::error::operation_aborted || !udp_ || !udp_->is_open()) return;
    if (!ec) {
      rt_.counters().udp_datagrams.fetch_add(1, std::memory_order_relaxed);
      std::string datagram(udp_buf_.data(), n);
      auto it = udp_sessions_.find(udp_from_);
      std::shared_ptr<UdpSession> s;
      if (it != udp_sessions_.end()) {
        s = it->second;
      } else if (udp_sessions_.size() >= rt_.options().max_udp_sessions) {
        rt_.counters().udp_dropped.fetch_add(1, std::memory_order_relaxed);
        if (!udp_limit_reported_ && !rt_.options().quiet) {
          fmt::print(stderr,
                     "knetsim emulate: UDP session limit {} reached on {} (--max-udp-sessions); "
                     "dropping datagrams from new clients\n",
                     rt_.options().max_udp_sessions, spec_.service_key);
          udp_limit_reported_ = true;
        }
      } else {
        s = std::make_shared<UdpSession>(*strand_);
        s->client = udp_from_;
        s->model = rt_.model();
        Source src = s->model->identify(core_address(udp_from_.address().to_v4()));
        auto where = locate_service_port(*s->model, spec_.service_key, spec_.port_name,
                                         spec_.service_port, core::Protocol::UDP);
        if (where) {
          s->route = s->model->route(src, where->first, where->second, spec_.node, rt_.now_ns());
        }
        rt_.counters().service_connections.fetch_add(1, std::memory_order_relaxed);
        if (rt_.events().enabled()) {
          rt_.events().emit(route_event(rt_, spec_, src, *s->model, s->route, "UDP"));
        }
        s->denied = !where || !s->route.has_backend || !s->route.verdict.allowed;
        if (s->denied) rt_.counters().denied.fetch_add(1, std::memory_order_relaxed);
        if (!s->denied) s->slot = rt_.budget().try_acquire();
        if (!s->denied && !s->slot) {  // no descriptor to spare: this datagram is dropped
          rt_.counters().udp_dropped.fetch_add(1, std::memory_order_relaxed);
          rt_.report_limit();
          s.reset();
        } else if (!s->denied) {
          boost::system::error_code e2;
          auto bound = rt_.options().ports.map(s->route.backend_port);
          s->upstream.open(udp::v4(), e2);
          if (!e2) s->upstream.bind(udp::endpoint(asio_address(s->route.seen_source.loopback), 0), e2);
          if (!e2 && bound) {
            s->upstream.connect(udp::endpoint(mapped_address(s->route.backend_ip),
                                              static_cast<unsigned short>(*bound)),
                                e2);
          }
          if (e2 || !bound) {
            s->denied = true;
            rt_.counters().upstream_failures.fetch_add(1, std::memory_order_relaxed);
          } else {
            s->upstream.non_blocking(true, e2);
            read_upstream(s);
            auto delay = rt_.real_delay(s->route.latency_ns);
            if (delay.count() <= 0) {
              s->ready = true;
            } else {
              s->timer.expires_after(delay);
              s->timer.async_wait([this, s](boost::system::error_code ec) {
                if (ec) return;
                s->ready = true;
                for (auto& d : s->pending) {
                  boost::system::error_code ignored;
                  s->upstream.send(asio::buffer(d), 0, ignored);
                }
                s->pending.clear();
                s->pending_bytes = 0;
              });
            }
          }
        }
        if (s) udp_sessions_[udp_from_] = s;
      }
      if (s) forward_udp(s, std::move(datagram));
    }
    receive();
  });
}

void ServiceListener::forward_udp(const std::shared_ptr<UdpSession>& s, std::string datagram) {
  s->last_active = std::chrono::steady_clock::now();
  if (s->denied) return;  // UDP has no reset: a denied datagram vanishes
  if (!s->ready) {  // bounded: what does not fit is dropped, as a full socket buffer would
    if (s->pending_bytes + datagram.size() <= rt_.options().buffer_bytes) {
      s->pending_bytes += datagram.size();
      s->pending.push_back(std::move(datagram));
    }
    return;
  }
  boost::system::error_code ignored;
  s->upstream.send(asio::buffer(datagram), 0, ignored);
}

void ServiceListener::read_upstream(const std::shared_ptr<UdpSession>& s) {
  // Waits for readability and then reads into the listener's one reply buffer (every session
  // runs on the listener's strand), so a session holds no buffer of its own.
  s->upstream.async_wait(udp::socket::wait_read, [this, s](boost::system::error_code ec) {
    if (ec || !s->upstream.is_open()) return;
    if (udp_ && udp_->is_open()) {
      boost::system::error_code rec;
      size_t n = s->upstream.receive(asio::buffer(reply_buf_), 0, rec);
      if (!rec) {
        s->last_active = std::chrono::steady_clock::now();
        boost::system::error_code ignored;
        udp_->send_to(asio::buffer(reply_buf_.data(), n), s->client, 0, ignored);
      }
    }
    read_upstream(s);
  });
}

void ServiceListener::sweep() {
  sweep_timer_->expires_after(std::chrono::seconds(1));
  sweep_timer_->async_wait([this](boost::system::error_code ec) {
    if (ec || !udp_ || !udp_->is_open()) return;
    auto cutoff = std::chrono::steady_clock::now() -
                  std::chrono::milliseconds(rt_.options().udp_idle_ms);
    for (auto it = udp_sessions_.begin(); it != udp_sessions_.end();) {
      if (it->second->last_active < cutoff) {
        boost::system::error_code ignored;
        it->second->upstream.close(ignored);
        it->second->timer.cancel();
        it = udp_sessions_.erase(it);
      } else {
        ++it;
      }
    }
    sweep();
  });
}

}  // namespace knetsim::emu
