// Fuzzes the small parsers (IPv4, CIDR, durations, sizes, rates, Kubernetes names) and checks
// round trips: whatever parses prints back to text that parses to the same value.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "sim/core/ip.h"
#include "sim/core/names.h"
#include "sim/core/quantity.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace knetsim::core;
  std::string s(reinterpret_cast<const char*>(data), size);
  if (auto ip = Ipv4::parse(s)) {
    if (ip->str() != s) std::abort();  // canonical dotted quads only
  }
  if (auto c = Cidr::parse(s)) {
    auto again = Cidr::parse(c->str(), true);
    if (!again || *again != *c) std::abort();
    if (!c->contains(c->base) || !c->contains(c->last())) std::abort();
  }
  if (auto d = parse_duration_ns(s)) {
    if (*d < 0) std::abort();
  }
  if (auto b = parse_bytes(s)) {
    if (*b < 0) std::abort();
  }
  (void)parse_bits_per_second(s);
  // A valid label is a valid label value; a valid DNS-1035 label is a valid DNS-1123 label.
  if (check_dns1035_label(s).empty() && !check_dns1123_label(s).empty()) std::abort();
  if (check_dns1123_label(s).empty() && !check_dns1123_subdomain(s).empty()) std::abort();
  (void)check_label_key(s);
  (void)check_port_name(s);
  return 0;
}
