// The policy reachability target: 10,000 pods and 1,000 policies must give the full matrix in
// under 5 s and 2 GiB on 2 cores. The cluster is synthetic (sim/models/policy/synthetic.h):
// 100 namespaces, 1,000 workloads of 10 replicas, 950 NetworkPolicies and 50 cluster-scoped
// policies (CNP/ANP/BANP), ipBlocks as operators write them; and a worst case where every pod is
// its own workload, so classes barely compress. Timed: equivalence classes, the
// class matrices for every declared port, and the pod-level bit matrix (10,000 x 10,000 bits)
// for each port. Counters: classes, ports, allowed pairs, peak RSS.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstring>
#include <map>
#include <tuple>
#include <fstream>
#include <string>

#include "sim/models/policy/reachability.h"
#include "sim/models/policy/synthetic.h"

namespace {

using namespace knetsim;

double peak_rss_mib() {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  return 0;
}

const core::Cluster& cluster_for(int pods, int policies, int replicas) {
  static std::map<std::tuple<int, int, int>, core::Cluster> cache;
  auto key = std::make_tuple(pods, policies, replicas);
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  models::policy::SyntheticSpec spec;
  spec.pods = pods;
  spec.namespaces = std::max(4, pods / 100);
  spec.apps = 30;
  spec.teams = 10;
  spec.pods_per_workload = replicas;
  spec.network_policies = policies - policies / 20;
  spec.cluster_policies = policies / 20;
  spec.realistic_ip_blocks = true;
  spec.host_network_fraction = 0.01;
  core::Diagnostics diags;
  return cache.emplace(key, core::build_cluster(models::policy::synthetic_scenario(spec, 42), diags))
      .first->second;
}

void BM_ReachFullMatrix(benchmark::State& state) {
  const core::Cluster& c = cluster_for(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)),
                                       static_cast<int>(state.range(2)));
  size_t classes = 0, ports = 0, allowed = 0;
  for (auto _ : state) {
    auto r = models::policy::Reachability::compute(c);
    allowed = 0;
    for (size_t q = 0; q < r.ports().size(); ++q) {
      auto rows = r.pod_matrix(q, false);
      benchmark::DoNotOptimize(rows.data());
      // Count one row in a hundred so the matrix is read, not only built.
      for (size_t i = 0; i < rows.size(); i += 100) {
        for (size_t j = 0; j < rows[i].size(); ++j) allowed += rows[i].test(j);
      }
    }
    classes = r.classes().count();
    ports = r.ports().size();
  }
  state.counters["pods"] = static_cast<double>(c.pods.size());
  state.counters["policies"] = static_cast<double>(c.network_policies.size() + c.cluster_network_policies.size());
  state.counters["classes"] = static_cast<double>(classes);
  state.counters["ports"] = static_cast<double>(ports);
  state.counters["sampled_allowed"] = static_cast<double>(allowed);
  state.counters["peak_rss_MiB"] = peak_rss_mib();
}

BENCHMARK(BM_ReachFullMatrix)
    ->ArgNames({"pods", "policies", "replicas"})
    ->Args({1000, 100, 10})
    ->Args({10000, 1000, 10})
    // Worst case for the compression: every pod its own workload (labels drawn per pod).
    ->Args({10000, 1000, 1})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
