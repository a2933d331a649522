// build_cluster(): runs the build steps in order and indexes the result.
#include <set>

#include "sim/core/build_steps.h"
#include "sim/core/cluster.h"
#include "sim/core/load_limits.h"

namespace knetsim::core {

void build_namespaces(BuildContext& ctx) {
  Cluster& cl = ctx.cluster;
  std::set<std::string> have;
  for (const auto& ns : ctx.scenario.objects.namespaces) {
    if (!have.insert(ns.name).second) fail(ns.source, "metadata.name", "namespace \"" + ns.name + "\" is defined twice");
    cl.namespaces.push_back(ns);
  }
  // Namespaces that objects live in but no manifest defines are created as `kubectl create ns`
  // would: labelled with their name only. default and kube-system always exist.
  std::set<std::string> used = {"default", "kube-system"};
  const ManifestSet& m = ctx.scenario.objects;
  for (const auto& p : m.pods) used.insert(p.ns);
  for (const auto& w : m.workloads) used.insert(w.ns);
  for (const auto& s : m.services) used.insert(s.ns);
  for (const auto& s : m.endpoint_slices) used.insert(s.ns);
  for (const auto& p : m.network_policies) used.insert(p.ns);
  for (const auto& i : m.ingresses) used.insert(i.ns);
  for (const auto& g : ctx.scenario.generate.services) used.insert(g.ns);
  for (const auto& g : ctx.scenario.generate.deployments) used.insert(g.ns);
  for (const auto& name : used) {
    if (have.count(name)) continue;
    Namespace ns;
    ns.name = name;
    ns.labels[kNamespaceNameLabel] = name;
    ns.source = SourceRef{"<implicit>", 0, 0};
    cl.namespaces.push_back(std::move(ns));
  }
}

namespace {

template <typename T>
void check_unique(const std::vector<T>& items, const char* kind) {
  std::set<std::string> seen;
  for (const auto& it : items) {
    if (!seen.insert(it.key()).second) {
      fail(it.source, "metadata.name", std::string(kind) + " \"" + it.key() + "\" is defined twice");
    }
  }
}

}  // namespace

void check_unique_names(BuildContext& ctx) {
  const Cluster& cl = ctx.cluster;
  check_unique(cl.pods, "pod");
  check_unique(cl.workloads, "workload");
  check_unique(cl.services, "service");
  check_unique(cl.network_policies, "NetworkPolicy");
  check_unique(cl.cluster_network_policies, "cluster-scoped policy");
  check_unique(cl.ingresses, "Ingress");
}

// Refuses, before allocating anything, a scenario whose objects would not fit the limits.
void check_object_budget(const BuildContext& ctx) {
  const Scenario& sc = ctx.scenario;
  int64_t limit = load_limits().max_objects;
  int64_t nodes = sc.cluster.nodes_listed ? static_cast<int64_t>(sc.cluster.explicit_nodes.size())
                                          : sc.cluster.nodes.count;
  int64_t total = static_cast<int64_t>(sc.objects.pods.size() + sc.objects.services.size());
  auto add = [&](int64_t n, const SourceRef& where, const std::string& what) {
    total += n;
    if (total > limit) {
      fail(where, "", what + " brings the cluster to more than " + std::to_string(limit) +
                          " objects (pods, services and endpoints); raise --max-objects if the "
                          "machine can hold them");
    }
  };
  for (const auto& w : sc.objects.workloads) {
    int64_t n = w.kind == WorkloadKind::DaemonSet ? nodes : w.replicas;
    add(n, w.source, std::string(workload_kind_name(w.kind)) + " " + w.key());
  }
  for (const auto& g : sc.generate.services) {
    add(int64_t{g.count} * (1 + g.endpoints_per_service), g.source, "this services generator");
  }
  for (const auto& g : sc.generate.deployments) {
    add(int64_t{g.count} * (g.replicas + (g.with_service ? 1 : 0)), g.source,
        "this deployments generator");
  }
}

Cluster build_cluster(const Scenario& scenario, Diagnostics& diags) {
  Cluster cl;
  cl.name = scenario.name;
  cl.seed = scenario.seed;
  cl.spec = scenario.cluster;
  cl.cni = scenario.cni;
  cl.kube_proxy = scenario.kube_proxy;
  if (!cl.kube_proxy.cluster_cidr) cl.kube_proxy.cluster_cidr = cl.spec.pod_cidr;
  cl.unmodelled_kinds = scenario.objects.ignored_kinds;
  BuildContext ctx{scenario, cl, diags, {}, {}};
  check_object_budget(ctx);
  build_nodes(ctx);
  build_namespaces(ctx);
  for (size_t i = 0; i < scenario.objects.pods.size(); ++i) {
    cl.pods.push_back(scenario.objects.pods[i]);
    ctx.pod_ip_given.push_back(scenario.objects.pod_ip_given[i]);
  }
  cl.workloads = scenario.objects.workloads;
  cl.services = scenario.objects.services;
  cl.endpoint_slices = scenario.objects.endpoint_slices;
  cl.network_policies = scenario.objects.network_policies;
  cl.cluster_network_policies = scenario.objects.cluster_network_policies;
  cl.ingresses = scenario.objects.ingresses;
  generate_objects(ctx);
  check_unique_names(ctx);
  expand_workloads(ctx);
  place_pods(ctx);
  check_unique(cl.pods, "pod");
  assign_pod_ips(ctx);
  allocate_service_addresses(ctx);
  cl.reindex();
  build_endpoint_slices(ctx);
  cl.reindex();
  check_references(ctx);
  return cl;
}

}  // namespace knetsim::core
