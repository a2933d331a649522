#include "sim/models/policy/pod_classes.h"

#include <algorithm>
#include <tuple>
#include <unordered_map>

namespace knetsim::models::policy {

std::vector<core::Cidr> policy_cidrs(const core::Cluster& cluster) {
  std::vector<core::Cidr> out;
  for (const auto& p : cluster.network_policies) {
    for (const auto* rules : {&p.ingress, &p.egress}) {
      for (const auto& r : *rules) {
        for (const auto& peer : r.peers) {
          if (!peer.ip_block) continue;
          out.push_back(peer.ip_block->cidr);
          for (const auto& e : peer.ip_block->except) out.push_back(e);
        }
      }
    }
  }
  for (const auto& p : cluster.cluster_network_policies) {
    for (const auto& r : p.egress) {
      for (const auto& peer : r.peers) {
        for (const auto& c : peer.networks) out.push_back(c);
      }
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

namespace {

void append(std::string& key, const std::string& s) {
  key += s;
  key.push_back('\0');
}

std::string class_key(const core::Pod& pod, const std::vector<core::Cidr>& cidrs) {
  std::string key;
  append(key, pod.ns);
  for (const auto& [k, v] : pod.labels) {
    append(key, k);
    append(key, v);
  }
  key.push_back('\1');
  if (pod.spec.host_network) append(key, "host:" + std::to_string(pod.node));
  std::vector<std::tuple<std::string, int, int>> ports;
  for (const auto& c : pod.spec.containers) {
    for (const auto& p : c.ports) {
      ports.emplace_back(p.name, p.container_port, static_cast<int>(p.protocol));
    }
  }
  std::sort(ports.begin(), ports.end());
  for (const auto& [name, port, proto] : ports) {
    append(key, name + ":" + std::to_string(port) + "/" + std::to_string(proto));
  }
  key.push_back('\1');
  for (const auto& c : cidrs) key.push_back(c.contains(pod.ip) ? '1' : '0');
  return key;
}

}  // namespace

PodClasses compute_pod_classes(const core::Cluster& cluster, const std::vector<core::PodId>& pods) {
  PodClasses out;
  out.class_of.assign(cluster.pods.size(), PodClasses::kNoClass);
  std::vector<core::Cidr> cidrs = policy_cidrs(cluster);
  std::unordered_map<std::string, uint32_t> index;
  index.reserve(pods.size());
  for (core::PodId id : pods) {
    std::string key = class_key(cluster.pods[id], cidrs);
    auto [it, inserted] = index.try_emplace(std::move(key), static_cast<uint32_t>(out.count()));
    if (inserted) {
      out.representative.push_back(id);
      out.members.push_back(0);
    }
    out.class_of[id] = it->second;
    ++out.members[it->second];
  }
  return out;
}

}  // namespace knetsim::models::policy
