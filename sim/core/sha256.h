// SHA-256: names iptables/nftables chains the way kube-proxy does and checksums the files of a
// results folder (run_folder.h). A thin wrapper over OpenSSL's libcrypto (Debian's, not ours).
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
