// Synthetic objects for scale studies (scenario `generate:`).
//  - services: S selector-less services with E endpoints each. The endpoints are addresses in
//    the nodes' pod CIDRs, spread round-robin over nodes, without Pod objects: kube-proxy only
//    sees addresses, so rule studies at 30,000 x 10 need not schedule 300,000 pods.
//  - deployments: D Deployments of R replicas (real pods), optionally each behind a Service.
#include "sim/core/build_steps.h"
#include "sim/core/names.h"

namespace knetsim::core {

namespace {

void check_prefix(const std::string& prefix, const SourceRef& where, bool rfc1035) {
  std::string sample = prefix + "1";
  std::string e = rfc1035 ? check_dns1035_label(sample) : check_dns1123_label(sample);
  if (!e.empty()) fail(where, "namePrefix", "generated name \"" + sample + "\" " + e);
}

}  // namespace

void generate_objects(BuildContext& ctx) {
  Cluster& cl = ctx.cluster;
  size_t node_rr = 0;
  for (const ServiceGenerator& g : ctx.scenario.generate.services) {
    check_prefix(g.name_prefix, g.source, true);
    if (g.endpoints_per_service > 0 && cl.nodes.empty()) {
      fail(g.source, "", "generated endpoints need at least one node");
    }
    for (int i = 0; i < g.count; ++i) {
      Service s;
      s.ns = g.ns;
      s.name = g.name_prefix + std::to_string(i + 1);
      s.type = g.type;
      s.labels = {{"knetsim.io/generated", "true"}};
      s.ports.push_back(ServicePort{"p" + std::to_string(g.port), g.protocol, g.port,
                                    PortRef{g.target_port, ""}, 0, ""});
      s.source = g.source;
      EndpointSlice es;
      es.ns = g.ns;
      es.name = s.name + "-gen";
      es.service_name = s.name;
      es.managed = false;
      es.source = g.source;
      es.ports.push_back(EndpointPort{s.ports[0].name, g.protocol, g.target_port});
      auto slice_index = static_cast<uint32_t>(cl.endpoint_slices.size());
      for (int e = 0; e < g.endpoints_per_service; ++e) {
        auto node_id = static_cast<NodeId>(node_rr++ % cl.nodes.size());
        const Node& n = cl.nodes[node_id];
        Endpoint ep;
        ep.node_name = n.name;
        ep.zone = n.zone;
        ctx.synthetic_endpoints.push_back(
            {slice_index, static_cast<uint32_t>(es.endpoints.size()), node_id});
        es.endpoints.push_back(std::move(ep));
      }
      cl.services.push_back(std::move(s));
      cl.endpoint_slices.push_back(std::move(es));
    }
  }
  for (const DeploymentGenerator& g : ctx.scenario.generate.deployments) {
    check_prefix(g.name_prefix, g.source, true);
    for (int i = 0; i < g.count; ++i) {
      Workload w;
      w.kind = WorkloadKind::Deployment;
      w.ns = g.ns;
      w.name = g.name_prefix + std::to_string(i + 1);
      w.replicas = g.replicas;
      w.selector.match_labels = {{"app", w.name}};
      w.template_.labels = {{"app", w.name}};
      Container c;
      c.name = "app";
      c.image = "registry.k8s.io/e2e-test-images/agnhost:2.47";
      c.ports.push_back(ContainerPort{"http", g.target_port, Protocol::TCP, 0});
      w.template_.spec.containers.push_back(std::move(c));
      w.source = g.source;
      if (g.with_service) {
        Service s;
        s.ns = g.ns;
        s.name = w.name;
        s.selector = Labels{{"app", w.name}};
        s.ports.push_back(ServicePort{"http", Protocol::TCP, g.port, PortRef{0, "http"}, 0, ""});
        s.source = g.source;
        cl.services.push_back(std::move(s));
      }
      cl.workloads.push_back(std::move(w));
    }
  }
}

}  // namespace knetsim::core
