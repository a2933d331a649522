#include "sim/core/network_policy.h"

namespace knetsim::core {

bool IpBlock::contains(Ipv4 ip) const {
  if (!cidr.contains(ip)) return false;
  for (const auto& ex : except) {
    if (ex.contains(ip)) return false;
  }
  return true;
}

}  // namespace knetsim::core
