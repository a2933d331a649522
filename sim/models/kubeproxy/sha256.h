// SHA-256, to name chains the way kube-proxy does (KUBE-SVC-<base32(sha256(...))[:16]>).
// A thin wrapper over OpenSSL's libcrypto so the hashing code is Debian's, not ours.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace knetsim::models::kubeproxy {

std::array<uint8_t, 32> sha256(std::string_view data);

}  // namespace knetsim::models::kubeproxy
