// Ingress (networking.k8s.io/v1): host/path rules that an ingress controller maps to services.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/core/labels.h"
#include "sim/core/protocol.h"
#include "sim/core/source_ref.h"

namespace knetsim::core {

enum class PathType { Exact, Prefix, ImplementationSpecific };

const char* path_type_name(PathType t);

struct IngressBackend {
  std::string service_name;
  PortRef port;  // service port by number or name
};

struct IngressPath {
  std::string path = "/";
  PathType type = PathType::Prefix;
  IngressBackend backend;
};

struct IngressRule {
  std::string host;  // empty matches every host; may start with "*."
  std::vector<IngressPath> paths;
};

struct IngressTls {
  std::vector<std::string> hosts;
  std::string secret_name;
};

struct Ingress {
  std::string ns;
  std::string name;
  Labels labels;
  std::string class_name;
  std::optional<IngressBackend> default_backend;
  std::vector<IngressRule> rules;
  std::vector<IngressTls> tls;
  SourceRef source;

  std::string key() const { return ns + "/" + name; }
};

}  // namespace knetsim::core
