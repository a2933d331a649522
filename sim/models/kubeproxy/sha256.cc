#include "sim/models/kubeproxy/sha256.h"

#include <openssl/evp.h>

#include <stdexcept>

namespace knetsim::models::kubeproxy {

std::array<uint8_t, 32> sha256(std::string_view data) {
  std::array<uint8_t, 32> out{};
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha256(), nullptr) != 1 ||
      len != out.size()) {
    throw std::runtime_error("OpenSSL EVP_Digest(sha256) failed");
  }
  return out;
}

}  // namespace knetsim::models::kubeproxy
