// The servers a pod runs: for each declared container port a TCP listener and/or a UDP socket
// on the pod's mapped address (hostNetwork pods: their node's). TCP speaks agnhost netexec's
// HTTP when the first bytes are an HTTP request and echoes otherwise; UDP answers netexec's
// datagram commands. Every connection first asks the policy engine whether the source (the
// loopback address the client bound to) may reach this pod port; a denied one is dropped or
// reset (Options::deny) as the CNI would.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/pod.h"
#include "sim/emu/runtime.h"

namespace knetsim::emu {

struct BindError {
  std::string what;  // the complete message for the user
};

class PodServer {
 public:
  // Binds every port at once; failures are returned in `errors` (the pod serves the rest).
  PodServer(boost::asio::io_context& io, Runtime& rt, core::PodId pod, const core::Pod& spec,
            core::Ipv4 bind_sim_ip, std::vector<BindError>& errors);
  ~PodServer();
  void close();
  const std::string& key() const { return key_; }
  size_t listeners() const { return tcp_.size() + udp_.size(); }

 private:
  struct TcpPort;
  struct UdpPort;
  void accept(const std::shared_ptr<TcpPort>& p);
  void receive(const std::shared_ptr<UdpPort>& p);

  boost::asio::io_context& io_;
  Runtime& rt_;
  std::string key_;
  std::vector<std::shared_ptr<TcpPort>> tcp_;
  std::vector<std::shared_ptr<UdpPort>> udp_;
};

// The message for a failed bind: EACCES (privileged port), EADDRNOTAVAIL (no 127/8 route),
// EADDRINUSE, each with what to do about it.
std::string bind_error_message(const std::string& what, const std::string& address, int port,
                               int requested_port, const boost::system::error_code& ec);

}  // namespace knetsim::emu
