// Nodes: listed in the scenario, given as kind: Node manifests, or generated from a count.
// Node IPs come from cluster.nodeCIDR and pod CIDRs are carved from cluster.podCIDR in node
// order, as kube-controller-manager's range allocator hands them out.
#include <set>
#include <unordered_set>

#include "sim/core/build_steps.h"

namespace knetsim::core {

void build_nodes(BuildContext& ctx) {
  const ClusterSpec& spec = ctx.scenario.cluster;
  Cluster& cl = ctx.cluster;
  std::vector<ExplicitNode> listed = spec.explicit_nodes;
  if (listed.empty() && !ctx.scenario.objects.nodes.empty()) listed = ctx.scenario.objects.nodes;
  else if (!listed.empty() && !ctx.scenario.objects.nodes.empty()) {
    ctx.diags.warn(ctx.scenario.objects.nodes.front().node.source, "",
                   "kind: Node manifests are ignored because the scenario lists cluster.nodes");
  }
  if (listed.empty()) {
    const NodeGroupSpec& g = spec.nodes;
    for (int i = 0; i < g.count; ++i) {
      ExplicitNode en;
      Node& n = en.node;
      n.name = g.name_prefix + std::to_string(i + 1);
      n.cpu_cores = g.cpu_cores;
      n.cpu_ghz = g.cpu_ghz;
      n.nic_bps = g.nic_bps;
      n.labels = g.labels;
      if (!g.zones.empty()) n.zone = g.zones[static_cast<size_t>(i) % g.zones.size()];
      n.source = SourceRef{ctx.scenario.file, 0, 0};
      listed.push_back(std::move(en));
    }
  }

  uint64_t per_node_subnets = uint64_t{1} << (spec.node_cidr_mask - spec.pod_cidr.prefix);
  if (listed.size() > per_node_subnets) {
    fail(spec.source, "cluster.podCIDR",
         "pod CIDR " + spec.pod_cidr.str() + " split into /" + std::to_string(spec.node_cidr_mask) +
             " per node has room for " + std::to_string(per_node_subnets) + " nodes, but the "
             "cluster has " + std::to_string(listed.size()) +
             " (widen cluster.podCIDR or raise cluster.nodeCIDRMaskSize)");
  }
  if (listed.size() + 10 > spec.node_cidr.size()) {
    fail(spec.source, "cluster.nodeCIDR",
         "node CIDR " + spec.node_cidr.str() + " is too small for " +
             std::to_string(listed.size()) + " nodes");
  }

  std::set<std::string> names;
  std::unordered_set<uint32_t> used_ips;
  std::set<uint32_t> used_cidrs;
  for (const auto& en : listed) {
    if (!names.insert(en.node.name).second) {
      fail(en.node.source, "name", "node \"" + en.node.name + "\" is defined twice");
    }
    if (en.ip_given && !used_ips.insert(en.node.ip.value).second) {
      fail(en.node.source, "ip", "node IP " + en.node.ip.str() + " is used twice");
    }
    if (en.pod_cidr_given) {
      if (!spec.pod_cidr.contains(en.node.pod_cidr)) {
        ctx.diags.warn(en.node.source, "podCIDR",
                       "node pod CIDR " + en.node.pod_cidr.str() + " lies outside the cluster pod CIDR " +
                           spec.pod_cidr.str());
      }
      if (!used_cidrs.insert(en.node.pod_cidr.base.value).second) {
        fail(en.node.source, "podCIDR", "pod CIDR " + en.node.pod_cidr.str() + " is used twice");
      }
    }
  }
  uint64_t next_ip = 10;  // node addresses start at .10 of the node CIDR
  uint64_t next_cidr = 0;
  for (auto& en : listed) {
    Node n = en.node;
    if (!en.ip_given) {
      while (used_ips.count(spec.node_cidr.at(next_ip).value)) ++next_ip;
      n.ip = spec.node_cidr.at(next_ip++);
      used_ips.insert(n.ip.value);
    }
    if (!en.pod_cidr_given) {
      Cidr c;
      do {
        c = Cidr{Ipv4{spec.pod_cidr.base.value +
                      static_cast<uint32_t>(next_cidr++ << (32 - spec.node_cidr_mask))},
                 spec.node_cidr_mask};
      } while (used_cidrs.count(c.base.value));
      n.pod_cidr = c;
      used_cidrs.insert(c.base.value);
    }
    n.labels["kubernetes.io/hostname"] = n.name;
    n.labels["kubernetes.io/os"] = "linux";
    if (!n.zone.empty()) n.labels["topology.kubernetes.io/zone"] = n.zone;
    cl.nodes.push_back(std::move(n));
  }
}

}  // namespace knetsim::core
