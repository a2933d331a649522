#include "sim/models/policy/matching.h"

namespace knetsim::models::policy {

namespace {

const core::Labels& ns_labels(const Endpoint& e) {
  static const core::Labels kNone;
  return e.ns ? e.ns->labels : kNone;
}

bool port_in_range(int port, int start, int end) { return port >= start && port <= end; }

}  // namespace

bool np_selects(const core::NetworkPolicy& policy, const Endpoint& e) {
  return e.is_pod_peer() && e.pod->ns == policy.ns && policy.pod_selector.matches(e.pod->labels);
}

bool np_peer_matches(const core::NetworkPolicy& policy, const core::NetworkPolicyPeer& peer,
                     const Endpoint& e) {
  if (peer.ip_block) return peer.ip_block->contains(e.ip);
  if (!e.is_pod_peer()) return false;
  if (peer.namespace_selector) {
    if (!peer.namespace_selector->matches(ns_labels(e))) return false;
  } else if (e.pod->ns != policy.ns) {
    return false;
  }
  return !peer.pod_selector || peer.pod_selector->matches(e.pod->labels);
}

bool np_port_matches(const core::NetworkPolicyPort& p, const Endpoint& server, int port,
                     core::Protocol protocol) {
  if (p.protocol != protocol) return false;
  if (!p.port) return true;  // protocol-only rule
  if (p.port->is_named()) {
    if (!server.pod) return false;  // no container ports to resolve the name against
    const core::ContainerPort* cp = server.pod->find_port(p.port->name, protocol);
    return cp && cp->container_port == port;
  }
  int end = p.end_port.value_or(p.port->number);
  return port_in_range(port, p.port->number, end);
}

bool np_ports_match(const std::vector<core::NetworkPolicyPort>& ports, const Endpoint& server,
                    int port, core::Protocol protocol) {
  if (ports.empty()) return true;
  for (const auto& p : ports) {
    if (np_port_matches(p, server, port, protocol)) return true;
  }
  return false;
}

bool cnp_selector_matches(const core::NamespacedPodSelector& sel, const Endpoint& e) {
  if (!e.is_pod_peer()) return false;
  if (!sel.namespace_selector.matches(ns_labels(e))) return false;
  return !sel.pod_selector || sel.pod_selector->matches(e.pod->labels);
}

bool cnp_selects(const core::ClusterNetworkPolicy& policy, const Endpoint& e) {
  return cnp_selector_matches(policy.subject, e);
}

bool cnp_peer_matches(const core::ClusterPolicyPeer& peer, const Endpoint& e) {
  if (peer.pods) return cnp_selector_matches(*peer.pods, e);
  if (peer.nodes) return e.node != nullptr && peer.nodes->matches(e.node->labels);
  for (const auto& c : peer.networks) {
    if (c.contains(e.ip)) return true;
  }
  return false;  // domainNames: no DNS answers offline, so nothing matches
}

bool cnp_ports_match(const std::vector<core::ClusterPolicyPort>& ports, const Endpoint& server,
                     int port, core::Protocol protocol) {
  if (ports.empty()) return true;
  for (const auto& p : ports) {
    if (!p.named.empty()) {
      if (!server.pod) continue;
      const core::ContainerPort* cp = server.pod->find_port(p.named, protocol);
      if (cp && cp->container_port == port) return true;
      continue;
    }
    if (p.protocol != protocol) continue;
    if (p.start == 0 || port_in_range(port, p.start, p.end)) return true;
  }
  return false;
}

}  // namespace knetsim::models::policy
