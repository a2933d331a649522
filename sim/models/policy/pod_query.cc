#include "sim/models/policy/pod_query.h"

#include <algorithm>
#include <cctype>

#include "sim/models/policy/class_matrix.h"
#include "sim/models/policy/reachability.h"

namespace knetsim::models::policy {

namespace {

// "k=v,k2=v2" -> labels; false when a term is not k=v.
bool parse_labels(const std::string& text, core::Labels& out) {
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t comma = text.find(',', pos);
    std::string term = text.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    size_t eq = term.find('=');
    if (eq == std::string::npos || eq == 0) return false;
    out[term.substr(0, eq)] = term.substr(eq + 1);
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return true;
}

}  // namespace

std::optional<std::vector<core::PodId>> select_pods(const core::Cluster& cluster,
                                                    const std::string& text, std::string& error) {
  std::vector<core::PodId> all = addressable_pods(cluster);
  std::vector<core::PodId> out;
  if (text == "*") return all;
  size_t slash = text.find('/');
  std::string ns = slash == std::string::npos ? "" : text.substr(0, slash);
  std::string rest = slash == std::string::npos ? text : text.substr(slash + 1);
  core::Labels labels;
  bool by_labels = rest.find('=') != std::string::npos;
  if (by_labels && !parse_labels(rest, labels)) {
    error = "\"" + text + "\" is not a pod selector (ns/name, ns/*, ns/k=v,... or k=v,...)";
    return std::nullopt;
  }
  if (!by_labels && slash == std::string::npos) {
    error = "\"" + text + "\" is not a pod selector (ns/name, ns/*, ns/k=v,... or k=v,...)";
    return std::nullopt;
  }
  for (core::PodId id : all) {
    const core::Pod& p = cluster.pods[id];
    if (!ns.empty() && p.ns != ns) continue;
    if (by_labels ? core::labels_contain(p.labels, labels) : (rest == "*" || rest == p.name)) {
      out.push_back(id);
    }
  }
  if (out.empty()) {
    error = "no pod with an address matches \"" + text + "\"";
    return std::nullopt;
  }
  return out;
}

std::optional<PortProto> parse_port_proto(const std::string& text) {
  std::string port = text, proto = "TCP";
  size_t slash = text.find('/');
  if (slash != std::string::npos) {
    std::string a = text.substr(0, slash), b = text.substr(slash + 1);
    bool a_digits = !a.empty() && std::all_of(a.begin(), a.end(), ::isdigit);
    port = a_digits ? a : b;
    proto = a_digits ? b : a;
  }
  std::transform(proto.begin(), proto.end(), proto.begin(), ::toupper);
  auto p = core::parse_protocol(proto);
  if (!p || port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), ::isdigit)) {
    return std::nullopt;
  }
  int n = std::stoi(port);
  if (n < 1 || n > 65535) return std::nullopt;
  return PortProto{n, *p};
}

}  // namespace knetsim::models::policy
