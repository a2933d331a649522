// Small clusters for path-model and simulator tests: one client pod and web pods pinned to
// chosen nodes behind a ClusterIP service, plus optional generated services.
#pragma once

#include <string>

#include "sim/core/cluster.h"
#include "sim/core/scenario_loader.h"
#include "sim/models/profiles/profiles.h"

namespace knetsim::testing {

struct PathCase {
  std::string cni = "{plugin: calico, mode: vxlan}";
  std::string proxy = "iptables";
  int generated_services = 0;
  std::string web_node = "node-2";  // where the one web pod runs; the client is on node-1
  std::string extra;                // more YAML documents/objects (inline, under objects:)
  std::string top;                  // more top-level scenario keys
};

inline std::string path_case_yaml(const PathCase& c) {
  std::string y = "apiVersion: knetsim/v1\nkind: Scenario\nmetadata: {name: path}\nseed: 7\n"
                  "duration: 2s\n"
                  "cluster:\n  nodes: {count: 3}\n  podCIDR: 10.0.0.0/8\n  nodeCIDRMaskSize: 16\n"
                  "cni: " + c.cni + "\nkubeProxy: {mode: " + c.proxy + "}\n" + c.top;
  if (c.generated_services > 0) {
    y += "generate:\n  - services: {count: " + std::to_string(c.generated_services) +
         ", endpointsPerService: 2}\n";
  }
  y += "objects:\n"
       "  - {apiVersion: v1, kind: Pod, metadata: {name: client, namespace: default, labels: {app: client}},\n"
       "     spec: {nodeName: node-1, containers: [{name: c, image: curl}]}}\n"
       "  - {apiVersion: v1, kind: Pod, metadata: {name: web, namespace: default, labels: {app: web}},\n"
       "     spec: {nodeName: " + c.web_node + ", containers: [{name: w, image: nginx, ports: [{containerPort: 8080}]}]}}\n"
       "  - {apiVersion: v1, kind: Service, metadata: {name: web, namespace: default},\n"
       "     spec: {selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}}\n" + c.extra;
  return y;
}

struct LoadedCase {
  core::Scenario scenario;
  core::Cluster cluster;
  core::Profile profile;
};

inline LoadedCase load_case(const PathCase& c) {
  LoadedCase l;
  core::Diagnostics d;
  l.scenario = core::load_scenario_text(path_case_yaml(c), "test.yaml", ".", d);
  l.cluster = core::build_cluster(l.scenario, d);
  l.profile = models::profile_for(l.scenario);
  return l;
}

}  // namespace knetsim::testing
