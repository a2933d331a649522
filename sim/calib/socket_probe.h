// Real-socket timing for `knetsim calibrate`: a TCP echo server in one namespace, and clients in
// another that time connect() (a new connection: the SYN walks the NAT rules, a conntrack entry
// is created) or a 1-byte round trip on an open connection (conntrack hit, no rule walk).
// Samples of several targets are taken interleaved, so a burst of noise on a shared machine
// touches every target alike rather than biasing one.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace knetsim::calib {

// Runs `fn` on a thread that has joined network namespace `netns`; rethrows what it throws.
void run_in_netns(const std::string& netns, const std::function<void()>& fn);

// Listens on 0.0.0.0:<port> for every port in `ports` inside `netns`, echoes what it reads and
// closes on end of stream or reset. Stops and joins in the destructor.
class EchoServer {
 public:
  EchoServer(const std::string& netns, const std::vector<int>& ports);
  ~EchoServer();
  EchoServer(const EchoServer&) = delete;
  EchoServer& operator=(const EchoServer&) = delete;

 private:
  void loop(std::vector<int> listeners);
  int stop_fd_ = -1;
  std::thread thread_;
};

struct ProbeTarget {
  std::string ip;  // dotted quad
  int port = 0;
};

// connect() latency in ns per target: `rounds` rounds, one connection per target each, closed
// with a reset (SO_LINGER 0) so no TIME_WAIT state is left. `warmup` untimed rounds first.
// Throws CalibrationError when a connection fails (the rules do not forward).
std::vector<std::vector<double>> time_connects(const std::string& netns,
                                               const std::vector<ProbeTarget>& targets, int rounds,
                                               int warmup);

// Round-trip time in ns of 1 byte on one open connection per target, `rounds` rounds.
std::vector<std::vector<double>> time_round_trips(const std::string& netns,
                                                  const std::vector<ProbeTarget>& targets,
                                                  int rounds, int warmup);

}  // namespace knetsim::calib
