#include "sim/models/kubeproxy/scaling.h"

#include <algorithm>

#include "sim/core/cluster.h"
#include "sim/core/diagnostics.h"
#include "sim/models/kubeproxy/datapath_cost.h"
#include "sim/models/kubeproxy/node_rules.h"
#include "sim/models/kubeproxy/sync_model.h"

namespace knetsim::models::kubeproxy {

namespace {

template <typename T>
T percentile(std::vector<T> v, double q) {
  if (v.empty()) return T{};
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(q * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

}  // namespace

std::vector<int> default_service_counts(const core::Scenario& scenario) {
  int max = scenario.generate.services.empty() ? 0 : scenario.generate.services[0].count;
  std::vector<int> out;
  for (int n : {100, 1000, 5000, 10000, 30000}) {
    if (n < max) out.push_back(n);
  }
  if (max > 0) out.push_back(max);
  return out;
}

std::vector<ScalingRow> scaling_table(const core::Scenario& scenario,
                                      const std::vector<int>& service_counts,
                                      const std::vector<core::KubeProxyMode>& modes,
                                      const core::Profile& profile) {
  if (scenario.generate.services.empty()) {
    core::fail(scenario.kube_proxy.source, "generate",
               "--scaling needs a `generate: - services: {count, endpointsPerService}` entry to "
               "resize");
  }
  std::vector<ScalingRow> rows;
  for (int n : service_counts) {
    core::Scenario s = scenario;
    s.generate.services[0].count = n;
    core::Diagnostics diags;
    core::Cluster cluster = core::build_cluster(s, diags);
    for (core::KubeProxyMode mode : modes) {
      cluster.kube_proxy.mode = mode;
      ProxyOptions opt = ProxyOptions::for_cluster(cluster);
      ScalingRow row;
      row.services = n;
      row.mode = mode;
      SyncEstimate se;
      NodeRules nr = summarize_node(cluster, 0, mode, opt, &profile, &se);
      row.rules = nr.total_rules();
      row.entries = nr.total_set_entries() + nr.virtual_servers + nr.real_servers;
      DatapathCost cost(cluster, 0, profile);
      std::vector<double> ns;
      std::vector<int> rules;
      for (core::ServiceId id = 0; id < cluster.services.size(); ++id) {
        const core::Service& svc = cluster.services[id];
        if (svc.ports.empty() || !svc.cluster_ip || svc.headless) continue;
        size_t backends = cluster.backends_of(id, svc.ports[0]).size();
        if (backends == 0) continue;
        double sum_ns = 0;
        long sum_rules = 0;
        for (size_t j = 0; j < backends; ++j) {
          PacketCost pc = cost.first_packet(id, 0, j);
          sum_ns += pc.cpu_ns;
          sum_rules += pc.rules_evaluated;
        }
        ns.push_back(sum_ns / static_cast<double>(backends));
        rules.push_back(static_cast<int>(sum_rules / static_cast<long>(backends)));
      }
      row.first_ns_p50 = percentile(ns, 0.50);
      row.first_ns_p99 = percentile(ns, 0.99);
      row.first_ns_p01 = percentile(ns, 0.01);
      row.first_rules_p50 = percentile(rules, 0.50);
      row.first_rules_p99 = percentile(rules, 0.99);
      row.established_ns = cost.established_packet().cpu_ns;
      row.full_sync_ns = se.full_sync_ns;
      row.partial_sync_ns = se.partial_sync_ns;
      rows.push_back(row);
    }
  }
  return rows;
}

}  // namespace knetsim::models::kubeproxy
