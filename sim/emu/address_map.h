// How simulated addresses become real ones: every IPv4 address of the model (pod, service,
// node) maps to a loopback address by replacing its first octet with 127, so 10.244.1.5 becomes
// 127.244.1.5, 10.96.0.10 becomes 127.96.0.10 and 192.168.0.2 becomes 127.168.0.2. Linux routes
// all of 127.0.0.0/8 to `lo`, so every mapped address is local and bindable without setup.
// The map is not injective across first octets (10.1.2.3 and 192.1.2.3 collide); the emulator
// checks for collisions at start. Ports move by a fixed offset (--port-offset) so unprivileged
// users and parallel tests can run the same scenario.
#pragma once

#include <boost/asio/ip/address_v4.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "sim/core/ip.h"

namespace knetsim::emu {

inline constexpr uint32_t kLoopbackFirstOctet = 127;

inline core::Ipv4 loopback_of(core::Ipv4 ip) {
  return core::Ipv4{(kLoopbackFirstOctet << 24) | (ip.value & 0x00FFFFFFu)};
}
inline boost::asio::ip::address_v4 asio_address(core::Ipv4 ip) {
  return boost::asio::ip::address_v4(ip.value);
}
inline boost::asio::ip::address_v4 mapped_address(core::Ipv4 simulated) {
  return asio_address(loopback_of(simulated));
}
inline core::Ipv4 core_address(const boost::asio::ip::address_v4& a) {
  return core::Ipv4{a.to_uint()};
}

// Ports as bound: port + offset. Returns nullopt when the result leaves 1..65535.
struct PortMap {
  int offset = 0;
  std::optional<int> map(int port) const {
    int p = port + offset;
    if (p < 1 || p > 65535) return std::nullopt;
    return p;
  }
  int unmap(int bound) const { return bound - offset; }
};

}  // namespace knetsim::emu
