#include "sim/models/policy/reach_diff.h"

#include <nlohmann/json.hpp>

#include <set>

#include "sim/models/policy/reachability.h"

namespace knetsim::models::policy {

ReachDiff diff_reachability(const core::Cluster& a, const core::Cluster& b, bool evaluate_self) {
  ReachDiff out;
  std::vector<core::PodId> pods_a, pods_b;  // the common pods, parallel
  for (core::PodId id : addressable_pods(a)) {
    auto other = b.find_pod(a.pods[id].key());
    if (other && b.pods[*other].ip.value != 0) {
      pods_a.push_back(id);
      pods_b.push_back(*other);
    } else {
      out.only_in_a.push_back(a.pods[id].key());
    }
  }
  for (core::PodId id : addressable_pods(b)) {
    auto other = a.find_pod(b.pods[id].key());
    if (!other || a.pods[*other].ip.value == 0) out.only_in_b.push_back(b.pods[id].key());
  }
  std::set<PortProto> ports;
  for (const auto& p : declared_ports(a, pods_a)) ports.insert(p);
  for (const auto& p : declared_ports(b, pods_b)) ports.insert(p);
  out.ports.assign(ports.begin(), ports.end());
  ReachOptions oa, ob;
  oa.evaluate_self = ob.evaluate_self = evaluate_self;
  oa.ports = ob.ports = out.ports;
  oa.from = oa.to = pods_a;
  ob.from = ob.to = pods_b;
  if (pods_a.empty()) return out;
  Reachability ra = Reachability::compute(a, oa);
  Reachability rb = Reachability::compute(b, ob);
  for (const auto* r : {&ra, &rb}) {
    if (!r->enforcement().warning.empty()) out.warnings.push_back(r->enforcement().warning);
  }
  out.enforcement_differs = ra.enforcement_differs() || rb.enforcement_differs();
  for (size_t q = 0; q < out.ports.size(); ++q) {
    for (size_t i = 0; i < pods_a.size(); ++i) {
      for (size_t j = 0; j < pods_a.size(); ++j) {
        ++out.pairs_compared;
        bool before = ra.allowed_as_written(q, pods_a[i], pods_a[j]);
        bool after = rb.allowed_as_written(q, pods_b[i], pods_b[j]);
        if (before != after) {
          out.changes.push_back(ReachChange{a.pods[pods_a[i]].key(), a.pods[pods_a[j]].key(),
                                            out.ports[q], after});
        }
        if (!out.enforcement_differs) continue;
        before = ra.allowed(q, pods_a[i], pods_a[j]);
        after = rb.allowed(q, pods_b[i], pods_b[j]);
        if (before != after) {
          out.enforced_changes.push_back(ReachChange{a.pods[pods_a[i]].key(),
                                                     a.pods[pods_a[j]].key(), out.ports[q], after});
        }
      }
    }
  }
  return out;
}

namespace {

std::string change_lines(const std::vector<ReachChange>& changes, size_t compared,
                         const char* title) {
  size_t gained = 0, lost = 0;
  for (const auto& c : changes) (c.gained ? gained : lost)++;
  std::string out = std::string(title) + std::to_string(gained) + " connection(s) gained, " +
                    std::to_string(lost) + " lost, of " + std::to_string(compared) +
                    " (pod pair, port) compared\n";
  for (const auto& c : changes) {
    out += std::string(c.gained ? "+ " : "- ") + c.from + " -> " + c.to + " " + c.port.key() + "\n";
  }
  return out;
}

}  // namespace

std::string render_diff_text(const ReachDiff& d) {
  std::string out;
  for (const auto& w : d.warnings) out += w + "\n";
  out += change_lines(d.changes, d.pairs_compared, d.enforcement_differs ? "As written: " : "");
  if (d.enforcement_differs) {
    out += change_lines(d.enforced_changes, d.pairs_compared, "As enforced: ");
  }
  for (const auto& p : d.only_in_a) out += "only in A (not compared): " + p + "\n";
  for (const auto& p : d.only_in_b) out += "only in B (not compared): " + p + "\n";
  return out;
}

std::string render_diff_json(const ReachDiff& d) {
  using Json = nlohmann::ordered_json;
  auto list = [&](bool gained, bool enforced = false) {
    Json arr = Json::array();
    for (const auto& c : enforced ? d.enforced_changes : d.changes) {
      if (c.gained != gained) continue;
      arr.push_back({{"from", c.from}, {"to", c.to}, {"port", c.port.port},
                     {"protocol", core::protocol_name(c.port.protocol)}});
    }
    return arr;
  };
  Json root;
  root["gained"] = list(true);
  root["lost"] = list(false);
  if (d.enforcement_differs) {
    root["gainedAsEnforced"] = list(true, true);
    root["lostAsEnforced"] = list(false, true);
  }
  root["onlyInA"] = d.only_in_a;
  root["onlyInB"] = d.only_in_b;
  if (!d.warnings.empty()) root["warnings"] = d.warnings;
  return root.dump(2) + "\n";
}

}  // namespace knetsim::models::policy
