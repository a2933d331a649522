#include "sim/calib/socket_probe.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <exception>

#include "sim/calib/calibration_error.h"

namespace knetsim::calib {

namespace {

void enter_netns(const std::string& netns) {
  int fd = open(("/run/netns/" + netns).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 || setns(fd, CLONE_NEWNET) != 0) {
    std::string e = std::strerror(errno);
    if (fd >= 0) close(fd);
    throw CalibrationError("cannot enter network namespace " + netns + ": " + e);
  }
  close(fd);
}

sockaddr_in address(const ProbeTarget& t) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(t.port));
  if (inet_pton(AF_INET, t.ip.c_str(), &a.sin_addr) != 1) {
    throw CalibrationError("not an IPv4 address: " + t.ip);
  }
  return a;
}

double now_ns() {
  return static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                 std::chrono::steady_clock::now().time_since_epoch())
                                 .count());
}

// A connected socket with a 2 s connect/send/receive timeout, or an error naming the target.
int connect_to(const ProbeTarget& t, double* elapsed_ns) {
  int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (s < 0) throw CalibrationError(std::string("socket: ") + std::strerror(errno));
  timeval tv{2, 0};
  setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in a = address(t);
  double t0 = now_ns();
  int rc = connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  double t1 = now_ns();
  if (rc != 0) {
    std::string e = std::strerror(errno);
    close(s);
    throw CalibrationError("connect to " + t.ip + ":" + std::to_string(t.port) +
                           " failed (" + e + "): the loaded rules do not reach the backend");
  }
  if (elapsed_ns) *elapsed_ns = t1 - t0;
  return s;
}

void close_with_reset(int s) {
  linger l{1, 0};
  setsockopt(s, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  close(s);
}

}  // namespace

void run_in_netns(const std::string& netns, const std::function<void()>& fn) {
  std::exception_ptr error;
  std::thread t([&] {
    try {
      enter_netns(netns);
      fn();
    } catch (...) {
      error = std::current_exception();
    }
  });
  t.join();
  if (error) std::rethrow_exception(error);
}

EchoServer::EchoServer(const std::string& netns, const std::vector<int>& ports) {
  std::vector<int> listeners;
  run_in_netns(netns, [&] {
    for (int port : ports) {
      int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      int one = 1;
      setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
      sockaddr_in a{};
      a.sin_family = AF_INET;
      a.sin_port = htons(static_cast<uint16_t>(port));
      a.sin_addr.s_addr = htonl(INADDR_ANY);
      if (bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || listen(s, 4096) != 0) {
        std::string e = std::strerror(errno);
        close(s);
        for (int l : listeners) close(l);
        throw CalibrationError("cannot listen on port " + std::to_string(port) + " in " + netns +
                               ": " + e);
      }
      listeners.push_back(s);
    }
  });
  stop_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  thread_ = std::thread([this, listeners] { loop(listeners); });
}

EchoServer::~EchoServer() {
  uint64_t one = 1;
  [[maybe_unused]] ssize_t n = write(stop_fd_, &one, sizeof one);
  if (thread_.joinable()) thread_.join();
  close(stop_fd_);
}

void EchoServer::loop(std::vector<int> listeners) {
  int ep = epoll_create1(EPOLL_CLOEXEC);
  auto watch = [ep](int fd) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = fd;
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
  };
  watch(stop_fd_);
  for (int l : listeners) watch(l);
  auto is_listener = [&](int fd) {
    for (int l : listeners) {
      if (l == fd) return true;
    }
    return false;
  };
  epoll_event events[64];
  char buf[4096];
  bool running = true;
  while (running) {
    int n = epoll_wait(ep, events, 64, -1);
    for (int i = 0; i < n; ++i) {
      int fd = events[i].data.fd;
      if (fd == stop_fd_) {
        running = false;
      } else if (is_listener(fd)) {
        int c;
        while ((c = accept4(fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
          int one = 1;
          setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          watch(c);
        }
      } else {
        ssize_t r = read(fd, buf, sizeof buf);
        if (r > 0) {
          [[maybe_unused]] ssize_t w = write(fd, buf, static_cast<size_t>(r));
        } else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
          close(fd);  // also removes it from the epoll set
        }
      }
    }
  }
  close(ep);
  for (int l : listeners) close(l);
}

std::vector<std::vector<double>> time_connects(const std::string& netns,
                                               const std::vector<ProbeTarget>& targets, int rounds,
                                               int warmup) {
  std::vector<std::vector<double>> out(targets.size());
  run_in_netns(netns, [&] {
    for (int r = -warmup; r < rounds; ++r) {
      for (size_t i = 0; i < targets.size(); ++i) {
        double ns = 0;
        int s = connect_to(targets[i], &ns);
        close_with_reset(s);
        if (r >= 0) out[i].push_back(ns);
      }
    }
  });
  return out;
}

std::vector<std::vector<double>> time_round_trips(const std::string& netns,
                                                  const std::vector<ProbeTarget>& targets,
                                                  int rounds, int warmup) {
  std::vector<std::vector<double>> out(targets.size());
  run_in_netns(netns, [&] {
    std::vector<int> socks;
    try {
      for (const auto& t : targets) {
        int s = connect_to(t, nullptr);
        int one = 1;
        setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        socks.push_back(s);
      }
      for (int r = -warmup; r < rounds; ++r) {
        for (size_t i = 0; i < socks.size(); ++i) {
          char b = 'x';
          double t0 = now_ns();
          if (write(socks[i], &b, 1) != 1 || read(socks[i], &b, 1) != 1) {
            throw CalibrationError("round trip to " + targets[i].ip + ":" +
                                   std::to_string(targets[i].port) + " failed: " +
                                   std::strerror(errno));
          }
          double t1 = now_ns();
          if (r >= 0) out[i].push_back(t1 - t0);
        }
      }
    } catch (...) {
      for (int s : socks) close(s);
      throw;
    }
    for (int s : socks) close(s);
  });
  return out;
}

}  // namespace knetsim::calib
