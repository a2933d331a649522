#include "sim/models/policy/reachability.h"

#include <algorithm>
#include <set>

namespace knetsim::models::policy {

std::vector<PortProto> declared_ports(const core::Cluster& cluster,
                                      const std::vector<core::PodId>& pods) {
  std::set<PortProto> seen;
  for (core::PodId id : pods) {
    for (const auto& c : cluster.pods[id].spec.containers) {
      for (const auto& p : c.ports) seen.insert(PortProto{p.container_port, p.protocol});
    }
  }
  std::vector<PortProto> out(seen.begin(), seen.end());
  std::stable_sort(out.begin(), out.end(), [](const PortProto& a, const PortProto& b) {
    if (a.protocol != b.protocol) return a.protocol < b.protocol;
    return a.port < b.port;
  });
  return out;
}

std::vector<core::PodId> addressable_pods(const core::Cluster& cluster) {
  std::vector<core::PodId> out;
  for (core::PodId i = 0; i < cluster.pods.size(); ++i) {
    if (cluster.pods[i].ip.value != 0) out.push_back(i);
  }
  return out;
}

Reachability Reachability::compute(const core::Cluster& cluster, const ReachOptions& options) {
  Reachability r;
  std::vector<core::PodId> all = addressable_pods(cluster);
  r.from_ = options.from.empty() ? all : options.from;
  r.to_ = options.to.empty() ? all : options.to;
  std::vector<core::PodId> pods = r.pods();
  r.ports_ = options.ports ? *options.ports : declared_ports(cluster, pods);
  r.evaluate_self_ = options.evaluate_self;
  r.classes_ = compute_pod_classes(cluster, pods);
  r.enforcement_ = enforcement_of(cluster.cni, !cluster.network_policies.empty(),
                                  !cluster.cluster_network_policies.empty());
  r.written_ = compute_class_matrices(cluster, r.classes_, r.ports_, true);
  if (!r.enforcement_.network_policies) {
    r.nothing_enforced_ = true;
  } else if (!r.enforcement_.cluster_policies && !cluster.cluster_network_policies.empty()) {
    r.enforced_ = compute_class_matrices(cluster, r.classes_, r.ports_, false);
  }
  return r;
}

std::vector<core::PodId> Reachability::pods() const {
  std::vector<core::PodId> out = from_;
  out.insert(out.end(), to_.begin(), to_.end());
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool Reachability::lookup(const std::vector<ClassMatrix>& m, size_t port_index, core::PodId src,
                          core::PodId dst) const {
  if (src == dst && !evaluate_self_) return true;
  return m[port_index].allowed(classes_.class_of[src], classes_.class_of[dst]);
}

bool Reachability::allowed_as_written(size_t port_index, core::PodId src, core::PodId dst) const {
  return lookup(written_, port_index, src, dst);
}

bool Reachability::allowed(size_t port_index, core::PodId src, core::PodId dst) const {
  if (nothing_enforced_) return true;
  return lookup(enforced_.empty() ? written_ : enforced_, port_index, src, dst);
}

size_t Reachability::count_allowed(size_t port_index, bool as_written) const {
  size_t n = 0;
  for (core::PodId s : from_) {
    for (core::PodId d : to_) {
      n += as_written ? allowed_as_written(port_index, s, d) : allowed(port_index, s, d);
    }
  }
  return n;
}

}  // namespace knetsim::models::policy
