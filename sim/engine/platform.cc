// Builds the SimGrid platform (see platform.h).
#include "sim/engine/platform.h"

#include <fmt/core.h>

namespace knetsim::sim {

namespace sg4 = simgrid::s4u;

Platform build_platform(const core::Cluster& cluster, const models::path::Fabric& fabric,
                        const core::Profile& profile) {
  Platform pf;
  auto* zone = sg4::create_star_zone("fabric");
  double ref_ghz = profile.get("reference_cpu_ghz");
  auto add = [&](const std::string& name, int32_t id, double speed_flops, int cores) {
    sg4::Host* h = zone->create_host(name, speed_flops)->set_core_count(cores)->seal();
    double lat_s = (fabric.edge_latency_ns(id) +
                    (fabric.leaf_spine() && id >= 0 ? cluster.spec.network.spine_latency_ns : 0)) *
                   1e-9;
    sg4::Link* l = zone->create_split_duplex_link(name + "-nic", fabric.edge_bps(id) / 8.0)
                       ->set_latency(lat_s)
                       ->seal();
    zone->add_route(h->get_netpoint(), nullptr, nullptr, nullptr,
                    {{l, sg4::LinkInRoute::Direction::UP}}, true);
    return h;
  };
  for (size_t i = 0; i < cluster.nodes.size(); ++i) {
    const core::Node& n = cluster.nodes[i];
    double scale = n.cpu_ghz / ref_ghz;
    pf.nodes.push_back(add(n.name, static_cast<int32_t>(i), 1e9 * scale, n.cpu_cores));
    pf.speed_scale.push_back(scale);
  }
  pf.client = add("external-client", models::path::kClientHost, 1e9, 1 << 16);
  pf.load_balancer = add("load-balancer", models::path::kLoadBalancerHost, 1e9, 1 << 16);
  pf.timer = zone->create_host("timer", 1e9)->set_core_count(1 << 24)->seal();
  zone->seal();
  return pf;
}

}  // namespace knetsim::sim
