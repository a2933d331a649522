// Transport protocols and the IntOrString port references used across the Kubernetes API.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace knetsim::core {

enum class Protocol { TCP, UDP, SCTP };

inline const char* protocol_name(Protocol p) {
  switch (p) {
    case Protocol::TCP:
      return "TCP";
    case Protocol::UDP:
      return "UDP";
    case Protocol::SCTP:
      return "SCTP";
  }
  return "?";
}

// Kubernetes protocol names are case-sensitive upper case.
inline std::optional<Protocol> parse_protocol(std::string_view s) {
  if (s == "TCP") return Protocol::TCP;
  if (s == "UDP") return Protocol::UDP;
  if (s == "SCTP") return Protocol::SCTP;
  return std::nullopt;
}

// A port given by number or by name (targetPort, NetworkPolicy port, Ingress backend port).
struct PortRef {
  int number = 0;    // valid when name is empty
  std::string name;  // an IANA_SVC_NAME referring to a container port

  bool is_named() const { return !name.empty(); }
  std::string str() const { return is_named() ? name : std::to_string(number); }
  bool operator==(const PortRef&) const = default;
};

}  // namespace knetsim::core
