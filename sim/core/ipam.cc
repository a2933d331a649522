// Address management: pod IPs from each node's pod CIDR (host-local style, from .2 upward),
// cluster IPs from the service CIDR (random, preferring the upper band as the API server's
// allocator does since Kubernetes 1.25), node ports from the node-port range, and LoadBalancer
// ingress IPs from cluster.loadBalancerCIDR. Explicit addresses are honoured and checked.
#include <algorithm>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "sim/core/build_steps.h"
#include "sim/core/rng.h"

namespace knetsim::core {

namespace {

// Next free address in one node's pod CIDR.
class NodePool {
 public:
  explicit NodePool(Cidr c) : cidr_(c), next_(2) {}
  std::optional<Ipv4> take(const std::unordered_set<uint32_t>& used) {
    while (next_ + 1 < cidr_.size()) {  // the last address is the broadcast address
      Ipv4 ip = cidr_.at(next_++);
      if (!used.count(ip.value)) return ip;
    }
    return std::nullopt;
  }

 private:
  Cidr cidr_;
  uint64_t next_;
};

// Random allocation in [lo, hi] with linear probing; `band` is the lower part left to static
// (user-chosen) values and used only once the upper part is full.
class RangeAllocator {
 public:
  RangeAllocator(uint64_t lo, uint64_t hi, uint64_t band, Rng rng)
      : lo_(lo), hi_(hi), band_(std::min(band, hi - lo)), rng_(rng) {}
  void reserve(uint64_t v) { used_.insert(v); }
  bool used(uint64_t v) const { return used_.count(v) != 0; }
  std::optional<uint64_t> take() {
    if (auto v = probe(lo_ + band_, hi_)) return v;
    return probe(lo_, hi_);
  }

 private:
  std::optional<uint64_t> probe(uint64_t lo, uint64_t hi) {
    uint64_t n = hi - lo + 1;
    uint64_t start = rng_.below(n);
    for (uint64_t i = 0; i < n; ++i) {
      uint64_t v = lo + (start + i) % n;
      if (used_.insert(v).second) return v;
    }
    return std::nullopt;
  }
  uint64_t lo_, hi_, band_;
  Rng rng_;
  std::unordered_set<uint64_t> used_;
};

}  // namespace

void assign_pod_ips(BuildContext& ctx) {
  Cluster& cl = ctx.cluster;
  const Cidr& pod_cidr = ctx.scenario.cluster.pod_cidr;
  std::unordered_set<uint32_t> used;
  std::unordered_map<uint32_t, PodId> owner;
  for (PodId i = 0; i < cl.pods.size(); ++i) {
    Pod& p = cl.pods[i];
    if (!ctx.pod_ip_given[i] || p.spec.host_network) continue;
    if (auto it = owner.find(p.ip.value); it != owner.end()) {
      fail(p.ip_source, "status.podIP", "pod IP " + p.ip.str() + " is already used by pod " +
                                         cl.pods[it->second].key());
    }
    owner[p.ip.value] = i;
    used.insert(p.ip.value);
    if (!pod_cidr.contains(p.ip)) {
      ctx.diags.warn(p.ip_source, "status.podIP",
                     "pod IP " + p.ip.str() + " lies outside the cluster pod CIDR " + pod_cidr.str() +
                         " (kept: exported clusters carry whatever their CNI assigned)");
    }
  }
  std::vector<NodePool> pools;
  pools.reserve(cl.nodes.size());
  for (const Node& n : cl.nodes) pools.emplace_back(n.pod_cidr);
  auto take = [&](NodeId node, const SourceRef& where) {
    auto ip = pools[node].take(used);
    if (!ip) {
      fail(where, "", "node " + cl.nodes[node].name + " has no free address left in its pod CIDR " +
                          cl.nodes[node].pod_cidr.str() + " (raise cluster.nodeCIDRMaskSize's room: "
                          "use a smaller mask number)");
    }
    used.insert(ip->value);
    return *ip;
  };
  for (PodId i = 0; i < cl.pods.size(); ++i) {
    Pod& p = cl.pods[i];
    if (p.node == kNoNode) {
      p.ip = Ipv4{};
      continue;
    }
    if (p.spec.host_network) {
      p.ip = cl.nodes[p.node].ip;
      continue;
    }
    if (!ctx.pod_ip_given[i]) p.ip = take(p.node, p.source);
  }
  for (const auto& s : ctx.synthetic_endpoints) {
    cl.endpoint_slices[s.slice].endpoints[s.endpoint].address =
        take(s.node, cl.endpoint_slices[s.slice].source);
  }
}

void allocate_service_addresses(BuildContext& ctx) {
  Cluster& cl = ctx.cluster;
  const ClusterSpec& spec = ctx.scenario.cluster;
  const Cidr& svc_cidr = spec.service_cidr;
  uint64_t size = svc_cidr.size();
  uint64_t band = std::min<uint64_t>(std::max<uint64_t>(16, size / 16), 256);
  RangeAllocator ips(1, size - 2, band, Rng(ctx.scenario.seed, "cluster-ips"));
  uint64_t port_band = std::min<uint64_t>(
      std::max<uint64_t>(16, (spec.node_port_max - spec.node_port_min + 1) / 32), 128);
  RangeAllocator ports(spec.node_port_min, spec.node_port_max, port_band,
                       Rng(ctx.scenario.seed, "node-ports"));

  bool has_kubernetes = false;
  for (const Service& s : cl.services) has_kubernetes = has_kubernetes || s.key() == "default/kubernetes";
  if (spec.api_server_service && !has_kubernetes && !cl.nodes.empty()) {
    Service k;
    k.ns = "default";
    k.name = "kubernetes";
    k.labels = {{"component", "apiserver"}, {"provider", "kubernetes"}};
    k.cluster_ip = svc_cidr.at(1);
    k.ports.push_back(ServicePort{"https", Protocol::TCP, 443, PortRef{6443, ""}, 0, ""});
    k.source = SourceRef{"<implicit>", 0, 0};
    cl.services.insert(cl.services.begin(), std::move(k));
    EndpointSlice es;
    es.ns = "default";
    es.name = "kubernetes";
    es.service_name = "kubernetes";
    es.managed = false;
    es.source = SourceRef{"<implicit>", 0, 0};
    es.endpoints.push_back(Endpoint{cl.nodes.front().ip, true, true, false, cl.nodes.front().name,
                                    cl.nodes.front().zone, "", std::nullopt});
    es.ports.push_back(EndpointPort{"https", Protocol::TCP, 6443});
    cl.endpoint_slices.insert(cl.endpoint_slices.begin(), std::move(es));
  }

  // Explicit values first, so random allocation never takes them.
  std::unordered_map<uint32_t, std::string> ip_owner;
  std::unordered_map<int, std::string> port_owner;
  for (const Service& s : cl.services) {
    if (s.cluster_ip) {
      if (!svc_cidr.contains(*s.cluster_ip)) {
        fail(s.cluster_ip_source, "spec.clusterIP", "cluster IP " + s.cluster_ip->str() +
                                             " is not in the service CIDR " + svc_cidr.str());
      }
      auto [it, fresh] = ip_owner.emplace(s.cluster_ip->value, s.key());
      if (!fresh) {
        fail(s.cluster_ip_source, "spec.clusterIP", "cluster IP " + s.cluster_ip->str() +
                                             " is already allocated to service " + it->second);
      }
      ips.reserve(s.cluster_ip->value - svc_cidr.base.value);
    }
    std::set<int> own;
    for (size_t i = 0; i < s.ports.size(); ++i) {
      int np = s.ports[i].node_port;
      if (np == 0) continue;
      std::string field = "spec.ports[" + std::to_string(i) + "].nodePort";
      if (np < spec.node_port_min || np > spec.node_port_max) {
        fail(s.ports[i].source, field, "node port " + std::to_string(np) + " is outside the node-port range " +
                                  std::to_string(spec.node_port_min) + "-" +
                                  std::to_string(spec.node_port_max));
      }
      auto [it, fresh] = port_owner.emplace(np, s.key());
      if (!fresh && it->second != s.key()) {
        fail(s.ports[i].source, field, "node port " + std::to_string(np) + " is already allocated to service " +
                                  it->second);
      }
      ports.reserve(static_cast<uint64_t>(np));
      own.insert(np);
    }
  }
  uint64_t next_lb = 1;
  for (Service& s : cl.services) {
    if (s.type != ServiceType::ExternalName && !s.headless && !s.cluster_ip) {
      auto off = ips.take();
      if (!off) fail(s.source, "spec.clusterIP", "the service CIDR " + svc_cidr.str() + " is exhausted");
      s.cluster_ip = svc_cidr.at(*off);
    }
    if (s.has_node_ports()) {
      for (auto& p : s.ports) {
        if (p.node_port != 0) continue;
        auto np = ports.take();
        if (!np) fail(s.source, "spec.ports", "the node-port range is exhausted");
        p.node_port = static_cast<int>(*np);
      }
    }
    if (s.type == ServiceType::LoadBalancer && s.external_traffic_policy == TrafficPolicy::Local &&
        s.health_check_node_port == 0) {
      auto np = ports.take();
      if (!np) fail(s.source, "spec.healthCheckNodePort", "the node-port range is exhausted");
      s.health_check_node_port = static_cast<int>(*np);
    }
    if (s.type == ServiceType::LoadBalancer && s.load_balancer_ingress.empty()) {
      if (s.load_balancer_ip) {
        s.load_balancer_ingress.push_back(*s.load_balancer_ip);
      } else {
        if (next_lb + 1 >= spec.load_balancer_cidr.size()) {
          fail(s.source, "status.loadBalancer", "cluster.loadBalancerCIDR " +
                                                    spec.load_balancer_cidr.str() + " is exhausted");
        }
        s.load_balancer_ingress.push_back(spec.load_balancer_cidr.at(next_lb++));
      }
    }
  }
}

}  // namespace knetsim::core
