#include "sim/core/ip.h"

#include <charconv>

namespace knetsim::core {

std::optional<Ipv4> Ipv4::parse(std::string_view text) {
  uint32_t value = 0;
  int parts = 0;
  size_t pos = 0;
  while (parts < 4) {
    size_t end = text.find('.', pos);
    if (parts == 3) end = text.size();
    if (end == std::string_view::npos) return std::nullopt;
    std::string_view part = text.substr(pos, end - pos);
    // Leading zeros are rejected, as Go's net.ParseIP (and so Kubernetes) rejects them.
    if (part.empty() || part.size() > 3 || (part.size() > 1 && part[0] == '0')) return std::nullopt;
    unsigned octet = 0;
    auto [ptr, ec] = std::from_chars(part.data(), part.data() + part.size(), octet);
    if (ec != std::errc{} || ptr != part.data() + part.size() || octet > 255) return std::nullopt;
    value = (value << 8) | octet;
    ++parts;
    pos = end + 1;
  }
  return Ipv4{value};
}

std::string Ipv4::str() const {
  return std::to_string(value >> 24) + "." + std::to_string((value >> 16) & 255) + "." +
         std::to_string((value >> 8) & 255) + "." + std::to_string(value & 255);
}

std::optional<Cidr> Cidr::parse(std::string_view text, bool strict) {
  size_t slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  auto ip = Ipv4::parse(text.substr(0, slash));
  if (!ip) return std::nullopt;
  std::string_view len = text.substr(slash + 1);
  if (len.empty() || len.size() > 2) return std::nullopt;
  int prefix = 0;
  auto [ptr, ec] = std::from_chars(len.data(), len.data() + len.size(), prefix);
  if (ec != std::errc{} || ptr != len.data() + len.size() || prefix < 0 || prefix > 32) {
    return std::nullopt;
  }
  Cidr c{*ip, prefix};
  if ((ip->value & c.mask()) != ip->value) {
    if (strict) return std::nullopt;
    c.base.value = ip->value & c.mask();
  }
  return c;
}

std::string Cidr::str() const { return base.str() + "/" + std::to_string(prefix); }

}  // namespace knetsim::core
