#include "gui/charts/scaling_data.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "sim/core/scenario_loader.h"
#include "sim/models/kubeproxy/datapath_cost.h"
#include "sim/models/profiles/profiles.h"

namespace knetsim::gui {

namespace kp = models::kubeproxy;

std::vector<core::KubeProxyMode> all_modes() {
  return {core::KubeProxyMode::Iptables, core::KubeProxyMode::Ipvs,
          core::KubeProxyMode::Nftables, core::KubeProxyMode::Ebpf};
}

ScalingPoint measure_cluster(const core::Cluster& cluster, const core::Profile& profile) {
  ScalingPoint p;
  p.mode = cluster.kube_proxy.mode;
  p.services = static_cast<int>(cluster.services.size());
  if (cluster.nodes.empty()) return p;
  kp::DatapathCost cost(cluster, 0, profile);
  p.rules = cost.total_rules();
  size_t n = 0;
  for (core::ServiceId s = 0; s < cluster.services.size(); ++s) {
    const auto& svc = cluster.services[s];
    if (!svc.cluster_ip || svc.ports.empty()) continue;
    if (cluster.backends_of(s, svc.ports[0]).empty()) continue;
    kp::PacketCost c = cost.first_packet(s, 0, 0);
    p.first_packet_rules += c.rules_evaluated;
    p.first_packet_lookups += c.lookups;
    p.first_packet_ns += c.cpu_ns;
    ++n;
  }
  if (n > 0) {
    p.first_packet_rules /= n;
    p.first_packet_lookups /= n;
    p.first_packet_ns /= n;
  }
  return p;
}

std::vector<ScalingPoint> compute_rule_scaling(const std::vector<int>& service_counts,
                                               const std::vector<core::KubeProxyMode>& modes,
                                               int endpoints_per_service) {
  std::vector<ScalingPoint> out;
  for (int count : service_counts) {
    // Room for every generated endpoint pod: /18 per node (16,382 pods) out of a /9.
    constexpr int kPodsPerNode = 16000;
    int pods = count * endpoints_per_service;
    int nodes = std::max(3, (pods + kPodsPerNode - 1) / kPodsPerNode);
    std::string text = fmt::format(
        "apiVersion: knetsim/v1\nkind: Scenario\nmetadata: {{name: scaling-{}}}\n"
        "cluster:\n  nodes: {{count: {}}}\n  podCIDR: 10.128.0.0/9\n  nodeCIDRMaskSize: 18\n"
        "generate:\n  - services: {{count: {}, endpointsPerService: {}, namespace: bulk}}\n",
        count, nodes, count, endpoints_per_service);
    core::Diagnostics diags;
    core::Scenario scenario = core::load_scenario_text(text, "<scaling>", ".", diags);
    core::Cluster cluster = core::build_cluster(scenario, diags);
    core::Profile profile = models::profile_for(scenario);
    for (auto mode : modes) {
      cluster.kube_proxy.mode = mode;
      ScalingPoint p = measure_cluster(cluster, profile);
      p.services = count;
      out.push_back(p);
    }
  }
  return out;
}

std::vector<ChartSpec> scaling_charts(const std::vector<ScalingPoint>& points) {
  ChartSpec rules{.id = "rules_vs_services",
                  .title = "kube-proxy rules per node vs services",
                  .x_label = "services",
                  .y_label = "rules on one node",
                  .log_x = true,
                  .log_y = true};
  ChartSpec walked{.id = "first_packet_rules_vs_services",
                   .title = "Rules evaluated by a connection's first packet (mean over services)",
                   .x_label = "services",
                   .y_label = "rules evaluated",
                   .log_x = true,
                   .log_y = false};
  ChartSpec cpu{.id = "first_packet_cpu_vs_services",
                .title = "First-packet CPU cost vs services (calibration profile)",
                .x_label = "services",
                .y_label = "CPU ns per first packet",
                .log_x = true,
                .log_y = true};
  std::map<core::KubeProxyMode, size_t> index;
  for (const auto& p : points) {
    if (!index.count(p.mode)) {
      index[p.mode] = rules.series.size();
      std::string name = core::kube_proxy_mode_name(p.mode);
      rules.series.push_back({name, {}});
      walked.series.push_back({name, {}});
      cpu.series.push_back({name, {}});
    }
    size_t i = index[p.mode];
    rules.series[i].points.emplace_back(p.services, static_cast<double>(p.rules));
    walked.series[i].points.emplace_back(p.services, p.first_packet_rules);
    cpu.series[i].points.emplace_back(p.services, p.first_packet_ns);
  }
  return {rules, walked, cpu};
}

std::vector<ChartSpec> cluster_mode_charts(const core::Cluster& cluster,
                                           const core::Profile& profile,
                                           const std::vector<core::KubeProxyMode>& modes) {
  ChartSpec rules{.id = "scenario_rules_per_mode",
                  .title = fmt::format("{}: rules on {} per kube-proxy mode", cluster.name,
                                       cluster.nodes.empty() ? "" : cluster.nodes[0].name),
                  .x_label = "kube-proxy mode",
                  .y_label = "rules",
                  .kind = ChartKind::Bar};
  ChartSpec first{.id = "scenario_first_packet_per_mode",
                  .title = fmt::format("{}: first-packet cost per mode (mean over services)",
                                       cluster.name),
                  .x_label = "kube-proxy mode",
                  .y_label = "value",
                  .kind = ChartKind::Bar};
  rules.series.push_back({"rules per node", {}});
  first.series.push_back({"rules evaluated", {}});
  first.series.push_back({"hash lookups", {}});
  first.series.push_back({"CPU ns / 10", {}});
  core::Cluster copy = cluster;
  copy.reindex();
  for (size_t i = 0; i < modes.size(); ++i) {
    copy.kube_proxy.mode = modes[i];
    ScalingPoint p = measure_cluster(copy, profile);
    std::string name = core::kube_proxy_mode_name(modes[i]);
    rules.categories.push_back(name);
    first.categories.push_back(name);
    double x = static_cast<double>(i);
    rules.series[0].points.emplace_back(x, static_cast<double>(p.rules));
    first.series[0].points.emplace_back(x, p.first_packet_rules);
    first.series[1].points.emplace_back(x, p.first_packet_lookups);
    first.series[2].points.emplace_back(x, p.first_packet_ns / 10.0);
  }
  return {rules, first};
}

}  // namespace knetsim::gui
