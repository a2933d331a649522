#include "sim/models/kubeproxy/chain_names.h"

#include "sim/core/sha256.h"

namespace knetsim::models::kubeproxy {

std::string hash16(std::string_view text) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  auto digest = core::sha256(text);
  // 16 base32 characters = 80 bits = the first 10 bytes; padding never reaches them.
  std::string out(16, 'A');
  uint64_t acc = 0;
  int bits = 0;
  size_t o = 0;
  for (int i = 0; i < 10; ++i) {
    acc = (acc << 8) | digest[i];
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out[o++] = kAlphabet[(acc >> bits) & 31];
    }
  }
  return out;
}

namespace {

std::string prefixed(const char* prefix, std::string_view a, std::string_view b) {
  std::string key;
  key.reserve(a.size() + b.size());
  key.append(a).append(b);
  return std::string(prefix) + hash16(key);
}

}  // namespace

std::string svc_chain(std::string_view n, std::string_view p) { return prefixed("KUBE-SVC-", n, p); }
std::string svl_chain(std::string_view n, std::string_view p) { return prefixed("KUBE-SVL-", n, p); }
std::string fw_chain(std::string_view n, std::string_view p) { return prefixed("KUBE-FW-", n, p); }
std::string ext_chain(std::string_view n, std::string_view p) { return prefixed("KUBE-EXT-", n, p); }

std::string sep_chain(std::string_view n, std::string_view p, std::string_view endpoint) {
  std::string key;
  key.reserve(n.size() + p.size() + endpoint.size());
  key.append(n).append(p).append(endpoint);
  return "KUBE-SEP-" + hash16(key);
}

}  // namespace knetsim::models::kubeproxy
