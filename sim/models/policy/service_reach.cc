#include "sim/models/policy/service_reach.h"

namespace knetsim::models::policy {

std::vector<BackendVerdict> check_service(const PolicyEngine& engine,
                                          std::optional<core::PodId> client_pod,
                                          core::Ipv4 client_ip, core::ServiceId service,
                                          const core::ServicePort& port, ServiceEntry entry,
                                          core::NodeId entry_node) {
  const core::Cluster& c = engine.cluster();
  const core::Service& svc = c.services.at(service);
  std::vector<BackendVerdict> out;
  bool from_pod_network = client_pod && !c.pods[*client_pod].spec.host_network;
  if (client_pod) client_ip = c.pods[*client_pod].ip;
  bool local_only = entry == ServiceEntry::NodePort &&
                    svc.external_traffic_policy == core::TrafficPolicy::Local;
  for (const auto& b : c.backends_of(service, port)) {
    auto backend = c.pod_by_ip(b.ip);
    if (!backend || !b.endpoint->ready) continue;  // not a pod we can judge, or not serving
    const core::Pod& bp = c.pods[*backend];
    if (local_only && bp.node != entry_node) continue;
    BackendVerdict v;
    v.backend = *backend;
    v.target_port = b.port;
    // The node whose address SNAT uses: the receiving node for NodePorts, else the client's.
    core::NodeId snat_node = bp.node;
    if (entry == ServiceEntry::NodePort) {
      snat_node = entry_node;
    } else if (client_pod) {
      snat_node = c.pods[*client_pod].node;
    } else {
      for (core::NodeId n = 0; n < c.nodes.size(); ++n) {
        if (c.nodes[n].ip == client_ip) snat_node = n;  // a node reaching the ClusterIP
      }
    }
    if (entry == ServiceEntry::NodePort && !local_only) {
      v.masqueraded = true;
      v.masquerade_reason = "NodePort with externalTrafficPolicy Cluster";
    } else if (entry == ServiceEntry::ClusterIp && c.kube_proxy.masquerade_all) {
      v.masqueraded = true;
      v.masquerade_reason = "kube-proxy masqueradeAll";
    } else if (entry == ServiceEntry::ClusterIp && client_pod && *client_pod == *backend) {
      v.masqueraded = true;
      v.masquerade_reason = "hairpin (the client is the backend)";
    } else if (entry == ServiceEntry::ClusterIp && !from_pod_network && c.kube_proxy.cluster_cidr &&
               !c.kube_proxy.cluster_cidr->contains(client_ip)) {
      v.masqueraded = true;
      v.masquerade_reason = "client outside kube-proxy's clusterCIDR";
    }
    if (v.masqueraded && snat_node < c.nodes.size()) {
      v.seen_source = c.nodes[snat_node].ip;
    } else {
      v.seen_source = client_ip;
    }
    if (client_pod && !v.masqueraded) {
      v.verdict = engine.check(*client_pod, *backend, b.port, port.protocol);
    } else if (client_pod) {
      // Egress of the client pod toward the backend, ingress of the backend from the node.
      core::PodId cp = *client_pod;
      bool egress_written = engine.egress_allowed(cp, *backend, b.port, port.protocol, true);
      bool egress_enforced = engine.egress_allowed(cp, *backend, b.port, port.protocol, false);
      Verdict ingress = engine.check_from_ip(v.seen_source, *backend, b.port, port.protocol);
      v.verdict.allowed_as_written = egress_written && ingress.allowed_as_written;
      v.verdict.allowed = egress_enforced && ingress.allowed;
      v.verdict.reason = !egress_written
                             ? "egress of " + c.pods[cp].key() + " denied toward " + bp.key()
                             : ingress.reason;
      v.verdict.reason += " (source SNATed to " + v.seen_source.str() + ": " + v.masquerade_reason + ")";
    } else {
      v.verdict = engine.check_from_ip(v.seen_source, *backend, b.port, port.protocol);
      if (v.masqueraded) {
        v.verdict.reason += " (source SNATed to " + v.seen_source.str() + ": " + v.masquerade_reason + ")";
      }
    }
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace knetsim::models::policy
