// IPv4 addresses and CIDR blocks as value types.
// Kubernetes clusters modelled here are IPv4 single-stack; an address is a host-order uint32 so
// that ranges, ordering and hashing are plain integer operations.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace knetsim::core {

struct Ipv4 {
  uint32_t value = 0;

  static std::optional<Ipv4> parse(std::string_view text);
  std::string str() const;
  auto operator<=>(const Ipv4&) const = default;
};

struct Cidr {
  Ipv4 base;       // network address (host bits are zero)
  int prefix = 0;  // 0..32

  // Accepts "a.b.c.d/n". With strict=true host bits must be zero (as Kubernetes requires for
  // podCIDR/serviceCIDR); otherwise they are masked off.
  static std::optional<Cidr> parse(std::string_view text, bool strict = false);
  uint32_t mask() const { return prefix == 0 ? 0u : ~uint32_t{0} << (32 - prefix); }
  bool contains(Ipv4 ip) const { return (ip.value & mask()) == base.value; }
  bool contains(const Cidr& other) const {
    return other.prefix >= prefix && contains(other.base);
  }
  uint64_t size() const { return uint64_t{1} << (32 - prefix); }
  Ipv4 at(uint64_t offset) const { return Ipv4{base.value + static_cast<uint32_t>(offset)}; }
  Ipv4 last() const { return Ipv4{base.value | ~mask()}; }
  std::string str() const;
  auto operator<=>(const Cidr&) const = default;
};

}  // namespace knetsim::core
