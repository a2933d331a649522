// The kube-proxy half of the emulator: a listener on a Service's mapped cluster IP:port (and
// its node ports on every mapped node IP) that, per new connection, asks the model for a
// backend (the configured mode's choice, session affinity included), the policy verdict for the
// source pod and the modelled latency; then waits that latency (x --time-scale), connects to the
// endpoint's mapped address *from the client's own address* (so the pod sees the real source,
// as it would without SNAT) and relays bytes both ways. No endpoint: reset, as kube-proxy's
// REJECT rule answers. Denied: dropped or reset (Options::deny). UDP keeps one upstream socket
// per client address and port (a budget slot each), at most Options::max_udp_sessions per
// listener, expired after Options::udp_idle_ms; a session holds no buffer of its own.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/emu/pod_server.h"
#include "sim/emu/runtime.h"

namespace knetsim::emu {

struct ListenerSpec {
  core::ServiceId service = 0;
  size_t port_index = 0;
  std::string service_key;  // "ns/name": resolved again in each new model snapshot
  std::string port_name;
  int service_port = 0;  // the port as written (port or nodePort)
  core::Protocol protocol = core::Protocol::TCP;
  core::Ipv4 sim_ip;     // cluster IP or node IP
  std::optional<core::NodeId> node;  // set for node ports
};

class ServiceListener {
 public:
  // Binds at once; on failure `error` is set and the listener is inert.
  ServiceListener(boost::asio::io_context& io, Runtime& rt, ListenerSpec spec,
                  std::optional<BindError>& error);
  ~ServiceListener();
  void close();
  const ListenerSpec& spec() const { return spec_; }

 private:
  struct UdpSession;
  void accept();
  void receive();
  void sweep();
  void forward_udp(const std::shared_ptr<UdpSession>& s, std::string datagram);
  void read_upstream(const std::shared_ptr<UdpSession>& s);

  boost::asio::io_context& io_;
  Runtime& rt_;
  ListenerSpec spec_;
  std::optional<boost::asio::strand<boost::asio::io_context::executor_type>> strand_;
  std::optional<boost::asio::ip::tcp::acceptor> acceptor_;
  std::optional<boost::asio::ip::udp::socket> udp_;
  std::vector<char> udp_buf_;
  std::vector<char> reply_buf_;  // replies from every session's upstream, read one at a time
  boost::asio::ip::udp::endpoint udp_from_;
  std::map<boost::asio::ip::udp::endpoint, std::shared_ptr<UdpSession>> udp_sessions_;
  std::optional<boost::asio::steady_timer> sweep_timer_;
  bool udp_limit_reported_ = false;
};

// Where a service port of `model` is now (indices change when events rebuild the cluster).
std::optional<std::pair<core::ServiceId, size_t>> locate_service_port(
    const Model& model, const std::string& service_key, const std::string& port_name,
    int port, core::Protocol protocol);

}  // namespace knetsim::emu
