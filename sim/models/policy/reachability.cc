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

std::vector<Bits> Reachability::pod_matrix(size_t port_index, bool as_written) const {
  std::vector<Bits> rows(from_.size(), Bits(to_.size(), true));
  if (!as_written && nothing_enforced_) return rows;
  const ClassMatrix& m = (as_written || enforced_.empty() ? written_ : enforced_)[port_index];
  const size_t n = classes_.count();
  // Class level first: allowed[s] = egress_to[s] AND (ingress_from transposed)[s].
  std::vector<Bits> allowed(n, Bits(n));
  for (size_t d = 0; d < n; ++d) {
    const Bits& in = m.ingress_from[d];
    for (size_t s = 0; s < n; ++s) {
      if (in.test(s)) allowed[s].set(d);
    }
  }
  for (size_t s = 0; s < n; ++s) allowed[s] &= m.egress_to[s];
  // Then one pod row per source class, assembled 64 destination pods at a time, and copied to
  // the class's other members.
  std::vector<uint32_t> to_class(to_.size());
  for (size_t j = 0; j < to_.size(); ++j) to_class[j] = classes_.class_of[to_[j]];
  std::vector<int> built(n, -1);
  for (size_t i = 0; i < from_.size(); ++i) {
    uint32_t sc = classes_.class_of[from_[i]];
    if (built[sc] >= 0) {
      rows[i] = rows[built[sc]];
      continue;
    }
    const Bits& crow = allowed[sc];
    Bits& row = rows[i];
    for (size_t w = 0; w < row.words(); ++w) {
      uint64_t word = 0;
      size_t end = std::min(to_.size(), (w + 1) * 64);
      for (size_t j = w * 64; j < end; ++j) {
        word |= static_cast<uint64_t>(crow.test(to_class[j])) << (j & 63);
      }
      row.set_word(w, word);
    }
    built[sc] = static_cast<int>(i);
  }
  if (!evaluate_self_) {  // self traffic is allowed by convention: fix the diagonal up
    std::vector<int> col(classes_.class_of.size(), -1);
    for (size_t j = 0; j < to_.size(); ++j) col[to_[j]] = static_cast<int>(j);
    for (size_t i = 0; i < from_.size(); ++i) {
      if (col[from_[i]] >= 0) rows[i].set(static_cast<size_t>(col[from_[i]]));
    }
  }
  return rows;
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
