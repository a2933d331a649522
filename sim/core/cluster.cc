#include "sim/core/cluster.h"

namespace knetsim::core {

namespace {

std::string join_key(std::string_view ns, std::string_view name) {
  std::string k;
  k.reserve(ns.size() + name.size() + 1);
  k.append(ns).push_back('/');
  k.append(name);
  return k;
}

template <typename Map>
auto lookup(const Map& m, const typename Map::key_type& key) -> std::optional<typename Map::mapped_type> {
  auto it = m.find(key);
  if (it == m.end()) return std::nullopt;
  return it->second;
}

}  // namespace

void Cluster::reindex() {
  node_index_.clear();
  pod_index_.clear();
  service_index_.clear();
  namespace_index_.clear();
  pod_ip_index_.clear();
  node_index_.reserve(nodes.size());
  for (NodeId i = 0; i < nodes.size(); ++i) node_index_[nodes[i].name] = i;
  pod_index_.reserve(pods.size());
  pod_ip_index_.reserve(pods.size());
  for (PodId i = 0; i < pods.size(); ++i) {
    pod_index_[pods[i].key()] = i;
    if (!pods[i].spec.host_network && pods[i].ip.value != 0) pod_ip_index_[pods[i].ip.value] = i;
  }
  for (ServiceId i = 0; i < services.size(); ++i) service_index_[services[i].key()] = i;
  for (size_t i = 0; i < namespaces.size(); ++i) namespace_index_[namespaces[i].name] = i;
  service_slices_.assign(services.size(), {});
  for (uint32_t i = 0; i < endpoint_slices.size(); ++i) {
    const auto& s = endpoint_slices[i];
    if (auto id = find_service(s.ns, s.service_name)) service_slices_[*id].push_back(i);
  }
}

std::optional<NodeId> Cluster::find_node(std::string_view name) const {
  return lookup(node_index_, std::string(name));
}

std::optional<PodId> Cluster::find_pod(std::string_view ns, std::string_view name) const {
  return lookup(pod_index_, join_key(ns, name));
}

std::optional<PodId> Cluster::find_pod(std::string_view key) const {
  return lookup(pod_index_, std::string(key));
}

std::optional<ServiceId> Cluster::find_service(std::string_view ns, std::string_view name) const {
  return lookup(service_index_, join_key(ns, name));
}

std::optional<ServiceId> Cluster::find_service(std::string_view key) const {
  return lookup(service_index_, std::string(key));
}

const Namespace* Cluster::find_namespace(std::string_view name) const {
  auto i = lookup(namespace_index_, std::string(name));
  return i ? &namespaces[*i] : nullptr;
}

std::optional<PodId> Cluster::pod_by_ip(Ipv4 ip) const { return lookup(pod_ip_index_, ip.value); }

const std::vector<uint32_t>& Cluster::slices_of(ServiceId id) const {
  static const std::vector<uint32_t> kNone;
  return id < service_slices_.size() ? service_slices_[id] : kNone;
}

std::vector<Cluster::Backend> Cluster::backends_of(ServiceId id, const ServicePort& port) const {
  std::vector<Backend> out;
  for (uint32_t si : slices_of(id)) {
    const EndpointSlice& slice = endpoint_slices[si];
    for (const auto& p : slice.ports) {
      if (p.name != port.name || p.protocol != port.protocol) continue;
      for (const auto& ep : slice.endpoints) out.push_back(Backend{ep.address, p.port, &ep});
    }
  }
  return out;
}

std::vector<PodId> Cluster::pods_on(NodeId node) const {
  std::vector<PodId> out;
  for (PodId i = 0; i < pods.size(); ++i) {
    if (pods[i].node == node) out.push_back(i);
  }
  return out;
}

}  // namespace knetsim::core
