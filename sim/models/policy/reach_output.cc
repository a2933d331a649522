#include "sim/models/policy/reach_output.h"

#include <nlohmann/json.hpp>

#include <map>

namespace knetsim::models::policy {

namespace {

std::string key_of(const core::Cluster& c, core::PodId id) { return c.pods[id].key(); }

std::string names(const core::Cluster& c, core::PodId id) { return c.pods[id].ns + "/" + c.pods[id].name; }

// The result sets a rendering shows: as enforced always; as written too when they may differ.
struct View {
  const char* title;
  bool as_written;
};

std::vector<View> views(const Reachability& r) {
  if (!r.enforcement_differs()) return {{"", false}};
  return {{"as written", true}, {"as enforced", false}};
}

bool get(const Reachability& r, size_t q, core::PodId s, core::PodId d, bool as_written) {
  return as_written ? r.allowed_as_written(q, s, d) : r.allowed(q, s, d);
}

}  // namespace

std::string truth_table(const core::Cluster& cluster, const Reachability& r, size_t q,
                        bool as_written) {
  std::string out = "-";
  for (core::PodId d : r.to()) out += "\t" + names(cluster, d);
  out += "\n";
  for (core::PodId s : r.from()) {
    out += names(cluster, s);
    for (core::PodId d : r.to()) out += get(r, q, s, d, as_written) ? "\t." : "\tX";
    out += "\n";
  }
  return out;
}

std::string render_table(const core::Cluster& cluster, const Reachability& r) {
  std::string out;
  if (!r.enforcement().warning.empty()) out += r.enforcement().warning + "\n\n";
  for (size_t q = 0; q < r.ports().size(); ++q) {
    for (const auto& v : views(r)) {
      size_t total = r.from().size() * r.to().size();
      out += r.ports()[q].key();
      if (*v.title) out += std::string(" (") + v.title + ")";
      out += ": " + std::to_string(r.count_allowed(q, v.as_written)) + "/" +
             std::to_string(total) + " allowed\n";
      out += truth_table(cluster, r, q, v.as_written) + "\n";
    }
  }
  return out;
}

std::string render_json(const core::Cluster& cluster, const Reachability& r) {
  using Json = nlohmann::ordered_json;
  Json root;
  Json ports = Json::array();
  for (const auto& p : r.ports()) ports.push_back({{"port", p.port}, {"protocol", core::protocol_name(p.protocol)}});
  root["ports"] = ports;
  Json pods = Json::array();
  for (core::PodId id : r.pods()) pods.push_back(key_of(cluster, id));
  root["pods"] = pods;
  auto matrix = [&](bool as_written) {
    Json m = Json::object();
    for (size_t q = 0; q < r.ports().size(); ++q) {
      Json per_port = Json::object();
      for (core::PodId s : r.from()) {
        Json row = Json::object();
        for (core::PodId d : r.to()) row[key_of(cluster, d)] = get(r, q, s, d, as_written);
        per_port[key_of(cluster, s)] = std::move(row);
      }
      m[r.ports()[q].key()] = std::move(per_port);
    }
    return m;
  };
  root["matrix"] = matrix(false);
  if (r.enforcement_differs()) {
    root["warning"] = r.enforcement().warning;
    root["matrixAsWritten"] = matrix(true);
  }
  return root.dump(2) + "\n";
}

std::string render_csv(const core::Cluster& cluster, const Reachability& r) {
  bool both = r.enforcement_differs();
  std::string out = both ? "protocol,port,from,to,allowed,allowed_as_written\n"
                         : "protocol,port,from,to,allowed\n";
  for (size_t q = 0; q < r.ports().size(); ++q) {
    const auto& p = r.ports()[q];
    for (core::PodId s : r.from()) {
      for (core::PodId d : r.to()) {
        out += std::string(core::protocol_name(p.protocol)) + "," + std::to_string(p.port) + "," +
               key_of(cluster, s) + "," + key_of(cluster, d) + "," +
               (r.allowed(q, s, d) ? "true" : "false");
        if (both) out += r.allowed_as_written(q, s, d) ? ",true" : ",false";
        out += "\n";
      }
    }
  }
  return out;
}

std::string render_markdown(const core::Cluster& cluster, const Reachability& r) {
  std::string out;
  if (!r.enforcement().warning.empty()) out += "> **" + r.enforcement().warning + "**\n\n";
  for (size_t q = 0; q < r.ports().size(); ++q) {
    for (const auto& v : views(r)) {
      out += "### " + r.ports()[q].key();
      if (*v.title) out += std::string(" (") + v.title + ")";
      out += "\n\n| from \\ to |";
      for (core::PodId d : r.to()) out += " " + key_of(cluster, d) + " |";
      out += "\n|---|";
      for (size_t i = 0; i < r.to().size(); ++i) out += ":-:|";
      out += "\n";
      for (core::PodId s : r.from()) {
        out += "| " + key_of(cluster, s) + " |";
        for (core::PodId d : r.to()) out += get(r, q, s, d, v.as_written) ? " . |" : " X |";
        out += "\n";
      }
      out += "\n";
    }
  }
  return out;
}

std::string render_dot(const core::Cluster& cluster, const Reachability& r) {
  // Nodes grouped by namespace; one edge per allowed (src, dst) pair, labelled with the ports it
  // is allowed on. Self edges are left out (they are allowed by convention).
  std::string out = "digraph reachability {\n  rankdir=LR;\n  node [shape=box];\n";
  if (!r.enforcement().warning.empty()) out += "  label=\"" + r.enforcement().warning + "\";\n";
  std::map<std::string, std::vector<core::PodId>> by_ns;
  for (core::PodId id : r.pods()) by_ns[cluster.pods[id].ns].push_back(id);
  size_t k = 0;
  for (const auto& [ns, ids] : by_ns) {
    out += "  subgraph cluster_" + std::to_string(k++) + " {\n    label=\"" + ns + "\";\n";
    for (core::PodId id : ids) out += "    \"" + key_of(cluster, id) + "\";\n";
    out += "  }\n";
  }
  for (core::PodId s : r.from()) {
    for (core::PodId d : r.to()) {
      if (s == d) continue;
      std::string label;
      bool all = true;
      for (size_t q = 0; q < r.ports().size(); ++q) {
        if (r.allowed(q, s, d)) label += (label.empty() ? "" : ",") + r.ports()[q].key();
        else all = false;
      }
      if (label.empty()) continue;
      out += "  \"" + key_of(cluster, s) + "\" -> \"" + key_of(cluster, d) + "\" [label=\"" +
             (all ? std::string("all") : label) + "\"];\n";
    }
  }
  out += "}\n";
  return out;
}

}  // namespace knetsim::models::policy
