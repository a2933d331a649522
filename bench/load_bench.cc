// Target (issue: foundation): loading a generated scenario of 5,000 nodes and 150,000 pods
// takes under 5 s and under 2 GiB. Measures load + resolve (expansion, placement, IPAM,
// EndpointSlices) and reports peak RSS.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <string>

#include "sim/core/cluster.h"
#include "sim/core/scenario_loader.h"
#include "sim/core/yaml_prescan.h"

namespace {

std::string scenario_text(int nodes, int deployments, int replicas) {
  return "apiVersion: knetsim/v1\nkind: Scenario\nseed: 1\n"
         "cluster:\n  nodes: {count: " + std::to_string(nodes) + ", zones: [a, b, c]}\n"
         "  podCIDR: 10.0.0.0/8\n  nodeCIDR: 172.16.0.0/12\n"
         "generate:\n  - deployments: {count: " + std::to_string(deployments) +
         ", replicas: " + std::to_string(replicas) + ", withService: true}\n";
}

void BM_LoadGeneratedCluster(benchmark::State& state) {
  int nodes = static_cast<int>(state.range(0));
  int pods = static_cast<int>(state.range(1));
  std::string text = scenario_text(nodes, pods / 10, 10);
  size_t built_pods = 0;
  for (auto _ : state) {
    knetsim::core::Diagnostics diags;
    auto sc = knetsim::core::load_scenario_text(text, "generated.yaml", ".", diags);
    auto cluster = knetsim::core::build_cluster(sc, diags);
    built_pods = cluster.pods.size();
    benchmark::DoNotOptimize(cluster);
  }
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  state.counters["pods"] = static_cast<double>(built_pods);
  state.counters["peak_rss_MiB"] = static_cast<double>(ru.ru_maxrss) / 1024.0;
}

BENCHMARK(BM_LoadGeneratedCluster)
    ->Args({100, 3000})
    ->Args({5000, 150000})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

// Plain manifests, as `kubectl get -o yaml` gives them: `services` documents, each a Service and
// a Pod it selects. Loading (YAML parse + object parse, no cluster build) against the share of
// it taken by the YAML pre-scan (yaml_prescan.h), which guards against yaml-cpp's endless loop.
std::string manifest_text(int services) {
  std::string out;
  for (int i = 0; i < services; ++i) {
    std::string n = std::to_string(i);
    out += "apiVersion: v1\nkind: Service\nmetadata: {name: svc-" + n +
           ", namespace: bulk, labels: {app: a" + n + "}}\nspec:\n  selector: {app: a" + n +
           "}\n  ports:\n  - {name: http, port: 80, targetPort: 8080, protocol: TCP}\n---\n"
           "apiVersion: v1\nkind: Pod\nmetadata:\n  name: pod-" + n +
           "\n  namespace: bulk\n  labels: {app: a" + n + "}\nspec:\n  containers:\n"
           "  - name: app\n    image: nginx\n    ports: [{name: http, containerPort: 8080}]\n---\n";
  }
  return out;
}

void BM_LoadManifestText(benchmark::State& state) {
  std::string text = manifest_text(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    knetsim::core::Diagnostics diags;
    auto sc = knetsim::core::load_scenario_text(text, "manifests.yaml", ".", diags);
    benchmark::DoNotOptimize(sc);
  }
  state.counters["MiB"] = static_cast<double>(text.size()) / (1 << 20);
}

void BM_YamlPrescan(benchmark::State& state) {
  std::string text = manifest_text(static_cast<int>(state.range(0)));
  for (auto _ : state) knetsim::core::prescan_yaml_stream(text, "manifests.yaml");
  state.counters["MiB"] = static_cast<double>(text.size()) / (1 << 20);
}

BENCHMARK(BM_LoadManifestText)->Arg(10000)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_YamlPrescan)->Arg(10000)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
