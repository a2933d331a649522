// Simulated requests per wall-second of the SimGrid simulation. SimGrid allows one engine per
// process, so each process runs one case: `sim_bench [scenario.yaml]` (default: a generated
// 50-node, 1,000-service cluster with 20,000 requests/s of new connections for 10 s).
// Counters: requests, requests_per_wall_s, activities, peak_rss_MiB.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <chrono>
#include <string>

#include "sim/core/scenario_loader.h"
#include "sim/engine/simulation.h"
#include "sim/models/profiles/profiles.h"

namespace {

std::string g_file;

const char* kDefault = R"(apiVersion: knetsim/v1
kind: Scenario
metadata: {name: bench}
seed: 1
duration: 10s
cluster:
  nodes: {count: 50, cpu: {cores: 16}}
  podCIDR: 10.0.0.0/8
  nodeCIDRMaskSize: 16
cni: {plugin: calico, mode: vxlan}
kubeProxy: {mode: iptables}
generate:
  - services: {count: 1000, endpointsPerService: 10}
  - deployments: {count: 10, replicas: 10, namespace: clients}
traffic:
  - name: load
    from: {namespace: clients, selector: {}}
    to: {service: bulk/svc-500, port: 80}
    rate: {perSecond: 20000, arrival: poisson}
    connection: new
    response: {bytes: 1KiB, serviceTime: {dist: constant, value: 100us}}
)";

void BM_Simulate(benchmark::State& state) {
  knetsim::core::Diagnostics d;
  knetsim::core::Scenario s = g_file.empty()
                                  ? knetsim::core::load_scenario_text(kDefault, "bench.yaml", ".", d)
                                  : knetsim::core::load_scenario(g_file, d);
  knetsim::core::Cluster c = knetsim::core::build_cluster(s, d);
  knetsim::core::Profile p = knetsim::models::profile_for(s);
  knetsim::sim::RunOptions o;
  o.seed = s.seed;
  for (auto _ : state) {
    auto t0 = std::chrono::steady_clock::now();
    auto r = knetsim::sim::run_simulation(s, c, p, o);
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    state.counters["requests"] = static_cast<double>(r.requests_simulated);
    state.counters["requests_per_wall_s"] = r.requests_simulated / wall;
    state.counters["activities"] = static_cast<double>(r.activities);
  }
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  state.counters["peak_rss_MiB"] = ru.ru_maxrss / 1024.0;
}
BENCHMARK(BM_Simulate)->Iterations(1)->Unit(benchmark::kSecond);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (argc > 1) g_file = argv[1];
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}
