#include "e2e_model.h"

#include <gtest/gtest.h>

#include "sim/core/scenario_loader.h"
#include "sim/models/policy/policy_engine.h"
#include "sim/models/policy/reach_output.h"
#include "sim/models/policy/reachability.h"

namespace knetsim::models::policy::e2e {

namespace {

std::string labels_yaml(std::map<std::string, std::string> labels) {
  std::string out = "{";
  for (const auto& [k, v] : labels) out += (out.size() > 1 ? ", " : "") + k + ": " + v;
  return out + "}";
}

}  // namespace

const std::vector<std::string>& all_pods() {
  static const std::vector<std::string> kPods = {"x/a", "x/b", "x/c", "y/a", "y/b",
                                                 "y/c", "z/a", "z/b", "z/c"};
  return kPods;
}

std::string model_yaml(const ModelOptions& o) {
  std::string y = "apiVersion: knetsim/v1\nkind: Scenario\nmetadata: {name: e2e-netpol}\n"
                  "cluster: {nodes: {count: 3}}\ncni: {plugin: " + o.cni + "}\n";
  for (const char* ns : {"x", "y", "z"}) {
    std::map<std::string, std::string> labels;
    if (auto it = o.namespace_labels.find(ns); it != o.namespace_labels.end()) labels = it->second;
    y += "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: " + std::string(ns) +
         ", labels: " + labels_yaml(labels) + "}\n";
  }
  for (const auto& key : all_pods()) {
    std::string ns = key.substr(0, 1), name = key.substr(2);
    std::map<std::string, std::string> labels = {{"pod", name}};
    if (auto it = o.pod_labels.find(key); it != o.pod_labels.end()) {
      for (const auto& [k, v] : it->second) labels[k] = v;
    }
    y += "---\napiVersion: v1\nkind: Pod\nmetadata: {name: " + name + ", namespace: " + ns +
         ", labels: " + labels_yaml(labels) + "}\nspec:\n  containers:\n";
    for (int port : {80, 81}) {
      for (const char* proto : {"TCP", "UDP", "SCTP"}) {
        std::string lower = proto;
        for (auto& ch : lower) ch = static_cast<char>(std::tolower(ch));
        std::string pn = "serve-" + std::to_string(port) + "-" + lower;
        y += "    - name: cont-" + std::to_string(port) + "-" + lower +
             "\n      image: agnhost\n      ports: [{containerPort: " + std::to_string(port) +
             ", protocol: " + proto + ", name: " + pn + "}]\n";
      }
    }
  }
  return y;
}

core::Cluster build(const std::string& policies, const ModelOptions& options) {
  core::Diagnostics diags;
  std::string text = model_yaml(options);
  if (!policies.empty()) text += "---\n" + policies;
  core::Scenario s = core::load_scenario_text(text, "e2e-model.yaml", ".", diags);
  return core::build_cluster(s, diags);
}

bool Peer::matches(const std::string& key) const {
  if (!ns.empty() && key.substr(0, key.find('/')) != ns) return false;
  if (!pod.empty() && key.substr(key.find('/') + 1) != pod) return false;
  return true;
}

Expected::Expected(bool all_allowed) {
  for (const auto& f : all_pods()) {
    for (const auto& t : all_pods()) m_[{f, t}] = all_allowed;
  }
}

Peer Expected::pod_peer(const std::string& key) {
  return Peer{key.substr(0, key.find('/')), key.substr(key.find('/') + 1)};
}

Expected& Expected::peer(const Peer& from, const Peer& to, bool allowed) {
  for (auto& [k, v] : m_) {
    if (from.matches(k.first) && to.matches(k.second)) v = allowed;
  }
  return *this;
}

Expected& Expected::one(const std::string& from, const std::string& to, bool allowed) {
  m_.at({from, to}) = allowed;
  return *this;
}

bool Expected::get(const std::string& from, const std::string& to) const {
  if (from == to) return true;  // ignoreLoopback: self traffic is allowed by convention
  return m_.at({from, to});
}

void expect_table(const core::Cluster& cluster, PortProto port, const Expected& expected) {
  ReachOptions opts;
  opts.ports = std::vector<PortProto>{port};
  Reachability r = Reachability::compute(cluster, opts);
  PolicyEngine engine(cluster);
  std::string want = "-";
  for (const auto& t : all_pods()) want += "\t" + t;
  want += "\n";
  std::string direct = want;
  for (const auto& f : all_pods()) {
    want += f;
    direct += f;
    for (const auto& t : all_pods()) {
      want += expected.get(f, t) ? "\t." : "\tX";
      bool ok = engine.check(*cluster.find_pod(f), *cluster.find_pod(t), port.port, port.protocol).allowed;
      direct += ok ? "\t." : "\tX";
    }
    want += "\n";
    direct += "\n";
  }
  std::string got = truth_table(cluster, r, 0, false);
  EXPECT_EQ(got, want) << port.key() << "\nexpected:\n" << want << "\nobserved:\n" << got;
  EXPECT_EQ(direct, want) << port.key() << " (pair-by-pair engine)\nexpected:\n" << want
                          << "\nobserved:\n" << direct;
}

}  // namespace knetsim::models::policy::e2e
