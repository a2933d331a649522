// Small clusters for the kube-proxy tests, built from scenario text so they go through the same
// loading and resolution as user input.
#pragma once

#include <string>

#include "sim/core/cluster.h"
#include "sim/core/scenario_loader.h"
#include "sim/models/profiles/profiles.h"

namespace knetsim::models::kubeproxy::testing {

inline core::Cluster cluster_from_text(const std::string& yaml) {
  core::Diagnostics diags;
  core::Scenario s = core::load_scenario_text(yaml, "test.yaml", ".", diags);
  return core::build_cluster(s, diags);
}

// `services` generated ClusterIP services with `endpoints` each on `nodes` nodes, in `mode`.
inline core::Cluster generated_cluster(int services, int endpoints, const std::string& mode,
                                       int nodes = 3, const std::string& extra_kube_proxy = "") {
  std::string y = "apiVersion: knetsim/v1\nkind: Scenario\nmetadata: {name: gen}\ncluster:\n"
                  "  nodes: {count: " + std::to_string(nodes) + "}\n  apiServerService: false\n"
                  "  podCIDR: 10.0.0.0/8\n  nodeCIDRMaskSize: 16\n"
                  "kubeProxy: {mode: " + mode + extra_kube_proxy + "}\n"
                  "generate:\n  - services: {count: " + std::to_string(services) +
                  ", endpointsPerService: " + std::to_string(endpoints) + "}\n";
  return cluster_from_text(y);
}

inline core::Profile default_profile() {
  return load_profile("default", "");
}

}  // namespace knetsim::models::kubeproxy::testing
