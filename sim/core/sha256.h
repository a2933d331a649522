// SHA-256 (FIPS 180-4): names iptables/nftables chains the way kube-proxy does and checksums
// the files of a results folder (run_folder.h). Kept here rather than pulling in a crypto
// library: kube-proxy hashes a few hundred thousand short strings per sync and so do we, so a
// small allocation-free implementation is all that is needed.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace knetsim::core {

std::array<uint8_t, 32> sha256(std::string_view data);
// Lower-case hex of sha256(data), as `sha256sum` prints it.
std::string sha256_hex(std::string_view data);

}  // namespace knetsim::core
