// kube-proxy compilation at the scale of scenarios/kube-proxy-scaling.yaml: 30,000 ClusterIP
// services x 10 endpoints on 8 nodes. Target (issue 3): one node's rules in < 2 s and < 2 GiB.
// Run: build/bench/bench_kubeproxy  (reports CPU time per node and peak RSS).
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include "sim/core/scenario_loader.h"
#include "sim/models/kubeproxy/datapath_cost.h"
#include "sim/models/kubeproxy/ebpf_compiler.h"
#include "sim/models/kubeproxy/iptables_compiler.h"
#include "sim/models/kubeproxy/ipvs_compiler.h"
#include "sim/models/kubeproxy/nftables_compiler.h"
#include "sim/models/profiles/profiles.h"

namespace kp = knetsim::models::kubeproxy;
namespace core = knetsim::core;

namespace {

const core::Cluster& cluster() {
  static core::Cluster c = [] {
    core::Diagnostics d;
    core::Scenario s = core::load_scenario(
        std::string(KNETSIM_SOURCE_DIR) + "/scenarios/kube-proxy-scaling.yaml", d);
    return core::build_cluster(s, d);
  }();
  return c;
}

double peak_rss_mib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

void BM_IptablesOneNode(benchmark::State& state) {
  const core::Cluster& c = cluster();
  kp::ProxyOptions o = kp::ProxyOptions::for_cluster(c);
  size_t rules = 0;
  for (auto _ : state) {
    kp::NodeView v = kp::build_node_view(c, 0);
    kp::IptablesRuleSet rs = kp::compile_iptables(v, o);
    rules = rs.nat.rule_count() + rs.filter.rule_count();
    benchmark::DoNotOptimize(rules);
  }
  state.counters["rules"] = static_cast<double>(rules);
  state.counters["peak_rss_MiB"] = peak_rss_mib();
}

void BM_IptablesDumpOneNode(benchmark::State& state) {
  const core::Cluster& c = cluster();
  kp::ProxyOptions o = kp::ProxyOptions::for_cluster(c);
  size_t bytes = 0;
  for (auto _ : state) {
    std::string d = kp::compile_iptables(kp::build_node_view(c, 0), o).dump();
    bytes = d.size();
    benchmark::DoNotOptimize(bytes);
  }
  state.counters["dump_MiB"] = static_cast<double>(bytes) / (1 << 20);
  state.counters["peak_rss_MiB"] = peak_rss_mib();
}

void BM_NftablesOneNode(benchmark::State& state) {
  const core::Cluster& c = cluster();
  kp::ProxyOptions o = kp::ProxyOptions::for_cluster(c);
  for (auto _ : state) {
    kp::NftRuleSet rs = kp::compile_nftables(kp::build_node_view(c, 0), o);
    benchmark::DoNotOptimize(rs.rule_count());
  }
  state.counters["peak_rss_MiB"] = peak_rss_mib();
}

void BM_IpvsOneNode(benchmark::State& state) {
  const core::Cluster& c = cluster();
  kp::ProxyOptions o = kp::ProxyOptions::for_cluster(c);
  for (auto _ : state) {
    kp::IpvsState st = kp::compile_ipvs(kp::build_node_view(c, 0), o);
    benchmark::DoNotOptimize(st.virtual_servers.size());
  }
  state.counters["peak_rss_MiB"] = peak_rss_mib();
}

void BM_EbpfOneNode(benchmark::State& state) {
  const core::Cluster& c = cluster();
  kp::ProxyOptions o = kp::ProxyOptions::for_cluster(c);
  for (auto _ : state) {
    kp::BpfState st = kp::compile_ebpf(kp::build_node_view(c, 0), o);
    benchmark::DoNotOptimize(st.frontends.size());
  }
}

// Every node's iptables rules, one after the other (time per iteration = all 8 nodes).
void BM_IptablesEveryNode(benchmark::State& state) {
  const core::Cluster& c = cluster();
  kp::ProxyOptions o = kp::ProxyOptions::for_cluster(c);
  for (auto _ : state) {
    for (core::NodeId n = 0; n < c.nodes.size(); ++n) {
      kp::IptablesRuleSet rs = kp::compile_iptables(kp::build_node_view(c, n), o);
      benchmark::DoNotOptimize(rs.nat.rule_count());
    }
  }
  state.counters["nodes"] = static_cast<double>(c.nodes.size());
  state.counters["peak_rss_MiB"] = peak_rss_mib();
}

void BM_DatapathCostIptables(benchmark::State& state) {
  const core::Cluster& c = cluster();
  core::Profile p = knetsim::models::load_profile("default", "");
  for (auto _ : state) {
    kp::DatapathCost cost(c, 0, p);
    benchmark::DoNotOptimize(cost.first_packet(29999, 0, 9).cpu_ns);
  }
}

}  // namespace

BENCHMARK(BM_IptablesOneNode)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_IptablesDumpOneNode)->Unit(benchmark::kMillisecond)->Iterations(2);
BENCHMARK(BM_NftablesOneNode)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_IpvsOneNode)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_EbpfOneNode)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_IptablesEveryNode)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_DatapathCostIptables)->Unit(benchmark::kMillisecond)->Iterations(2);
BENCHMARK_MAIN();
