// The control-plane timeline (see control_plane.h).
#include "sim/engine/control_plane.h"

#include <algorithm>
#include <tuple>

#include <fmt/core.h>

namespace knetsim::sim {

namespace {

// Above this many nodes every node's kube-proxy walk is priced with the first node's compiled
// rules (compiling 10,000 services per node for thousands of nodes would dominate run time;
// ClusterIP walks are the same on every node). An engine knob, not a cost.
constexpr size_t kPerNodeRulesMaxNodes = 200;

// An endpoint change as the API watchers see it, at its visible time.
struct Change {
  int64_t at_ns = 0;
  size_t seq = 0;
  size_t event = 0;
  enum class Kind { Replicas, DeletePod, NodeEndpointsDown, NodeEndpointsUp } kind;
  std::string target;
  int count = 0;
  int64_t event_ns = 0;
};

std::set<std::pair<std::string, uint32_t>> ready_backends(const core::Cluster& c) {
  std::set<std::pair<std::string, uint32_t>> out;
  for (core::ServiceId s = 0; s < c.services.size(); ++s) {
    for (const auto& p : c.services[s].ports) {
      for (const auto& b : c.backends_of(s, p)) {
        if (!b.endpoint || b.endpoint->ready) {
          out.emplace(c.services[s].key() + ":" + std::to_string(p.port), b.ip.value);
        }
      }
    }
  }
  return out;
}

size_t count_service_ports(const core::Cluster& c) {
  size_t n = 0;
  for (const auto& s : c.services) n += s.cluster_ip ? s.ports.size() : 0;
  return n;
}

}  // namespace

ControlPlane::ControlPlane(const core::Scenario& scenario, const core::Cluster& initial,
                           const core::Profile& profile, int64_t end_ns)
    : scenario_(scenario), profile_(profile), seed_(scenario.seed) {
  for (const auto& w : scenario.objects.workloads) {
    if (w.kind == core::WorkloadKind::Deployment) replicas_[w.key()] = w.replicas;
  }
  add_version(std::make_unique<core::Cluster>(initial), 0, SIZE_MAX);

  const int64_t propagation = static_cast<int64_t>(profile.get("endpoint_propagation_ns"));
  const int64_t grace = static_cast<int64_t>(profile.get("node_monitor_grace_period_ns"));
  const int64_t startup = static_cast<int64_t>(profile.get("pod_startup_ns"));
  const int64_t termination = static_cast<int64_t>(profile.get("pod_termination_ns"));

  std::vector<Change> changes;
  for (size_t i = 0; i < scenario.events.size(); ++i) {
    const core::EventSpec& ev = scenario.events[i];
    events_.push_back({ev.at_ns, core::event_kind_name(ev.kind), ev.target, -1, -1});
    Change ch;
    ch.seq = i;
    ch.event = i;
    ch.target = ev.target;
    ch.event_ns = ev.at_ns;
    auto node = initial.find_node(ev.target);
    switch (ev.kind) {
      case core::EventKind::Scale: {
        auto it = replicas_.find(ev.target);
        if (it == replicas_.end()) {
          warnings_.push_back(fmt::format("event at {} s: no deployment {}; ignored",
                                          ev.at_ns / 1e9, ev.target));
          continue;
        }
        ch.kind = Change::Kind::Replicas;
        ch.count = ev.count;
        // New pods count once Ready; removed pods leave the endpoints at once.
        ch.at_ns = ev.at_ns + propagation + (ev.count > it->second ? startup : 0);
        it->second = ev.count;  // order of scale events on one deployment is kept by seq
        changes.push_back(ch);
        break;
      }
      case core::EventKind::DeletePod:
        if (!initial.find_pod(ev.target)) {
          warnings_.push_back(fmt::format("event at {} s: no pod {}; ignored", ev.at_ns / 1e9,
                                          ev.target));
          continue;
        }
        ch.kind = Change::Kind::DeletePod;
        ch.at_ns = ev.at_ns + propagation;
        truth_.push_back({ev.at_ns + termination, TruthChange::Kind::PodDown, ev.target, 0});
        changes.push_back(ch);
        break;
      case core::EventKind::FailNode:
      case core::EventKind::DrainNode:
      case core::EventKind::RecoverNode:
        if (!node) {
          warnings_.push_back(fmt::format("event at {} s: no node {}; ignored", ev.at_ns / 1e9,
                                          ev.target));
          continue;
        }
        if (ev.kind == core::EventKind::FailNode) {
          truth_.push_back({ev.at_ns, TruthChange::Kind::NodeDown, "", *node});
          ch.kind = Change::Kind::NodeEndpointsDown;
          ch.at_ns = ev.at_ns + grace + propagation;
        } else if (ev.kind == core::EventKind::DrainNode) {
          for (core::PodId p : initial.pods_on(*node)) {
            truth_.push_back({ev.at_ns + termination, TruthChange::Kind::PodDown,
                              initial.pods[p].key(), 0});
          }
          ch.kind = Change::Kind::NodeEndpointsDown;
          ch.at_ns = ev.at_ns + propagation;
        } else {
          truth_.push_back({ev.at_ns, TruthChange::Kind::NodeUp, "", *node});
          ch.kind = Change::Kind::NodeEndpointsUp;
          ch.at_ns = ev.at_ns + startup + propagation;
        }
        changes.push_back(ch);
        break;
      case core::EventKind::AddServices:
      case core::EventKind::RemoveServices:
        warnings_.push_back(fmt::format(
            "event at {} s: {} is not simulated yet (use generate: services for static counts)",
            ev.at_ns / 1e9, core::event_kind_name(ev.kind)));
        continue;
    }
  }
  // Back to the initial replica counts: changes re-apply them in visible-time order.
  for (const auto& w : scenario.objects.workloads) {
    if (w.kind == core::WorkloadKind::Deployment) replicas_[w.key()] = w.replicas;
  }
  std::stable_sort(changes.begin(), changes.end(), [](const Change& a, const Change& b) {
    return std::tie(a.at_ns, a.seq) < std::tie(b.at_ns, b.seq);
  });
  for (const Change& ch : changes) {
    if (ch.at_ns >= end_ns) continue;
    const core::Cluster& prev = *versions_.back().cluster;
    std::unique_ptr<core::Cluster> c;
    if (ch.kind == Change::Kind::Replicas) {
      c = scale(prev, ch.target, ch.count, ch.event_ns, termination);
    } else {
      c = std::make_unique<core::Cluster>(prev);
      if (ch.kind == Change::Kind::DeletePod) {
        if (auto id = c->find_pod(ch.target)) {
          c->pods[*id].terminating = true;
          for (auto& slice : c->endpoint_slices) {
            std::erase_if(slice.endpoints, [&](const core::Endpoint& e) { return e.pod == id; });
          }
        }
      } else if (ch.kind == Change::Kind::NodeEndpointsDown) {
        auto& stash = stashed_[ch.target];
        for (size_t si = 0; si < c->endpoint_slices.size(); ++si) {
          auto& eps = c->endpoint_slices[si].endpoints;
          for (const auto& e : eps) {
            if (e.node_name == ch.target) stash.emplace_back(si, e);
          }
          std::erase_if(eps, [&](const core::Endpoint& e) { return e.node_name == ch.target; });
        }
      } else {
        for (auto& [si, e] : stashed_[ch.target]) {
          if (si < c->endpoint_slices.size()) c->endpoint_slices[si].endpoints.push_back(e);
        }
        stashed_.erase(ch.target);
      }
      c->reindex();
    }
    add_version(std::move(c), ch.at_ns, ch.event);
    EventRecord& er = events_[ch.event];
    if (er.endpoints_visible_ns < 0) er.endpoints_visible_ns = ch.at_ns;
  }
  std::stable_sort(truth_.begin(), truth_.end(),
                   [](const TruthChange& a, const TruthChange& b) { return a.at_ns < b.at_ns; });
  plan_syncs(end_ns);
}

void ControlPlane::add_pod_endpoints(core::Cluster& c, core::PodId id) const {
  const core::Pod& pod = c.pods[id];
  for (core::ServiceId s = 0; s < c.services.size(); ++s) {
    const core::Service& svc = c.services[s];
    if (!svc.selector || svc.ns != pod.ns) continue;
    bool match = true;
    for (const auto& [k, v] : *svc.selector) {
      auto it = pod.labels.find(k);
      match = match && it != pod.labels.end() && it->second == v;
    }
    if (!match || c.slices_of(s).empty()) continue;
    core::Endpoint e;
    e.address = pod.ip;
    e.node_name = c.nodes[pod.node].name;
    e.zone = c.nodes[pod.node].zone;
    e.pod = id;
    c.endpoint_slices[c.slices_of(s).front()].endpoints.push_back(e);
  }
}

std::unique_ptr<core::Cluster> ControlPlane::scale(const core::Cluster& prev,
                                                   const std::string& deployment, int replicas,
                                                   int64_t event_ns, int64_t termination_ns) {
  auto c = std::make_unique<core::Cluster>(prev);
  std::string name = deployment.substr(deployment.find('/') + 1);
  std::string ns = deployment.substr(0, deployment.find('/'));
  std::vector<core::PodId> live;
  for (core::PodId i = 0; i < c->pods.size(); ++i) {
    const core::Pod& p = c->pods[i];
    if (p.ns == ns && p.owner_kind == "ReplicaSet" && p.owner_name.rfind(name + "-", 0) == 0 &&
        !p.terminating && p.node != core::kNoNode) {
      live.push_back(i);
    }
  }
  if (static_cast<int>(live.size()) > replicas) {
    // The ReplicaSet controller deletes the newest pods first.
    std::set<core::PodId> gone(live.begin() + replicas, live.end());
    for (core::PodId id : gone) {
      c->pods[id].terminating = true;
      truth_.push_back({event_ns + termination_ns, TruthChange::Kind::PodDown, c->pods[id].key(), 0});
    }
    for (auto& slice : c->endpoint_slices) {
      std::erase_if(slice.endpoints, [&](const core::Endpoint& e) { return e.pod && gone.count(*e.pod); });
    }
  } else if (!live.empty()) {
    core::Rng rng(seed_, "scale:" + deployment + ":" + std::to_string(versions_.size()));
    const char* alphabet = "bcdfghjklmnpqrstvwxz2456789";
    std::vector<size_t> load(c->nodes.size(), 0);
    std::set<uint32_t> used;
    for (const auto& p : c->pods) {
      if (p.node != core::kNoNode && !p.terminating) ++load[p.node];
      used.insert(p.ip.value);
    }
    for (int k = static_cast<int>(live.size()); k < replicas; ++k) {
      core::Pod pod = c->pods[live.front()];
      std::string suffix;
      for (int i = 0; i < 5; ++i) suffix += alphabet[rng.below(27)];
      pod.name = pod.owner_name + "-" + suffix;
      // Least-loaded live, schedulable node.
      core::NodeId best = core::kNoNode;
      for (core::NodeId n = 0; n < c->nodes.size(); ++n) {
        if (stashed_.count(c->nodes[n].name) || !c->nodes[n].schedulable) continue;
        if (best == core::kNoNode || load[n] < load[best]) best = n;
      }
      if (best == core::kNoNode) break;
      pod.node = best;
      const core::Cidr& cidr = c->nodes[best].pod_cidr;
      for (uint64_t off = 2; off + 1 < cidr.size(); ++off) {
        if (!used.count(cidr.at(off).value)) {
          pod.ip = cidr.at(off);
          break;
        }
      }
      used.insert(pod.ip.value);
      ++load[best];
      c->pods.push_back(pod);
      c->reindex();
      add_pod_endpoints(*c, static_cast<core::PodId>(c->pods.size() - 1));
    }
  }
  c->reindex();
  return c;
}

void ControlPlane::add_version(std::unique_ptr<core::Cluster> c, int64_t visible_ns, size_t event) {
  ClusterVersion v;
  size_t changed = 0;
  auto now = ready_backends(*c);
  if (!versions_.empty()) {
    auto before = ready_backends(*versions_.back().cluster);
    for (const auto& b : now) changed += before.count(b) ? 0 : 1;
    for (const auto& b : before) changed += now.count(b) ? 0 : 1;
  }
  v.cluster = std::move(c);
  v.path = std::make_unique<models::path::PathModel>(*v.cluster, profile_);
  v.path->share_datapath_across_nodes(v.cluster->nodes.size() > kPerNodeRulesMaxNodes);
  v.selector = std::make_unique<models::kubeproxy::BackendSelector>(
      v.path->cluster(), v.path->proxy_mode(), seed_ ^ (0x9E3779B97F4A7C15ull * (versions_.size() + 1)));
  v.visible_ns = visible_ns;
  v.event = event;
  v.changed_endpoints = changed;
  v.service_ports = count_service_ports(*v.cluster);
  v.rules = v.cluster->nodes.empty() ? 0 : v.path->datapath(0).total_rules();
  versions_.push_back(std::move(v));
}

int64_t ControlPlane::sync_duration_ns(const ClusterVersion& v, size_t changed, bool initial) const {
  double base = profile_.get("sync_base_ns");
  double d = base;
  switch (v.path->proxy_mode()) {
    case core::KubeProxyMode::Iptables:
      // Partial syncs rewrite KUBE-SERVICES (one rule per service port) and the changed chains.
      d += profile_.get("iptables_restore_per_rule_ns") *
           static_cast<double>(initial ? v.rules : v.service_ports + 3 * changed);
      break;
    case core::KubeProxyMode::Nftables:
      d += profile_.get("nft_update_element_ns") * static_cast<double>(initial ? v.rules : 2 * changed);
      break;
    case core::KubeProxyMode::Ipvs:
      d += profile_.get("ipvs_service_update_ns") *
           static_cast<double>(initial ? v.service_ports : changed);
      break;
    case core::KubeProxyMode::Ebpf:
      d += profile_.get("bpf_map_update_ns") * static_cast<double>(initial ? v.rules : changed);
      break;
    case core::KubeProxyMode::Userspace:
      break;
  }
  return static_cast<int64_t>(d);
}

void ControlPlane::plan_syncs(int64_t end_ns) {
  const core::KubeProxySpec& kp = scenario_.kube_proxy;
  int64_t min_sync = std::max<int64_t>(0, kp.min_sync_period_ns);
  int64_t period = std::max<int64_t>(1'000'000, kp.sync_period_ns);
  size_t n_nodes = versions_.front().cluster->nodes.size();
  for (core::NodeId n = 0; n < n_nodes; ++n) {
    int64_t d0 = sync_duration_ns(versions_[0], 0, true);
    syncs_.push_back({0, d0, n, 0, versions_[0].rules, 0, "initial"});
    int64_t last_start = 0;
    size_t cur = 0;
    // Spread the periodic timers over the period so nodes do not sync in lockstep.
    int64_t next_periodic = period + static_cast<int64_t>((period / std::max<size_t>(1, n_nodes)) * n);
    while (true) {
      int64_t t_change = INT64_MAX;
      if (cur + 1 < versions_.size()) {
        t_change = std::max(versions_[cur + 1].visible_ns, last_start + min_sync);
      }
      int64_t t = std::min(t_change, next_periodic);
      if (t >= end_ns) break;
      size_t v = cur;
      size_t changed = 0;
      while (v + 1 < versions_.size() && versions_[v + 1].visible_ns <= t) {
        ++v;
        changed += versions_[v].changed_endpoints;
      }
      int64_t dur = sync_duration_ns(versions_[v], changed, false);
      syncs_.push_back({t, t + dur, n, v, versions_[v].rules, changed,
                        v != cur ? "endpoints" : "periodic"});
      for (size_t k = cur + 1; k <= v; ++k) {
        if (versions_[k].event != SIZE_MAX) {
          EventRecord& er = events_[versions_[k].event];
          er.converged_ns = std::max(er.converged_ns, t + dur);
        }
      }
      cur = v;
      last_start = t;
      next_periodic = t + period;
    }
  }
  std::stable_sort(syncs_.begin(), syncs_.end(), [](const SyncRecord& a, const SyncRecord& b) {
    return std::tie(a.start_ns, a.node) < std::tie(b.start_ns, b.node);
  });
}

}  // namespace knetsim::sim
