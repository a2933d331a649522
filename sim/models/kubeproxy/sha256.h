// SHA-256 (FIPS 180-4), just enough to name chains the way kube-proxy does. Kept here rather than
// pulling in a crypto library: kube-proxy hashes a few hundred thousand short strings per sync and
// so do we, so a small allocation-free implementation is all that is needed.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace knetsim::models::kubeproxy {

std::array<uint8_t, 32> sha256(std::string_view data);

}  // namespace knetsim::models::kubeproxy
