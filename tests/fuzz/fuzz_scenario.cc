// Fuzzes the whole load: YAML text -> Scenario (or plain manifests) -> resolved Cluster.
// Any input must either load or fail with a located ScenarioError; and a loaded cluster must be
// consistent (every scheduled pod on an existing node, every endpoint port in range).
#include <cstdint>
#include <cstdlib>
#include <string>

#include "sim/core/cluster.h"
#include "sim/core/load_limits.h"
#include "tests/fuzz/cluster_invariants.h"
#include "sim/core/scenario_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace knetsim::core;
  static bool init = [] {
    // Keep each input cheap: a fuzzer finds nothing new in 10^6-pod clusters.
    load_limits().max_objects = 20'000;
    load_limits().max_yaml_nodes = 200'000;
    return true;
  }();
  (void)init;
  std::string text(reinterpret_cast<const char*>(data), size);
  Diagnostics diags;
  try {
    Scenario sc = load_scenario_text(text, "fuzz.yaml", "/nonexistent-fuzz-dir", diags);
    knetsim::fuzz::check_cluster_invariants(build_cluster(sc, diags));
  } catch (const ScenarioError& e) {
    if (e.diagnostic().where.file != "fuzz.yaml" &&
        e.diagnostic().where.file.rfind("/nonexistent-fuzz-dir", 0) != 0) {
      std::abort();  // every error must name the input
    }
  }
  return 0;
}
