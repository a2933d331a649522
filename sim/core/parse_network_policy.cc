// NetworkPolicy (networking.k8s.io/v1), validated as the API server validates it and with
// policyTypes defaulted as the API server defaults them.
#include "sim/core/manifest_kinds.h"
#include "sim/core/parse_common.h"

namespace knetsim::core {

namespace {

NetworkPolicyPort parse_policy_port(const Field& p) {
  p.expect_map();
  p.check_keys({"protocol", "port", "endPort"});
  NetworkPolicyPort out;
  out.protocol = parse_protocol_field(p["protocol"]);
  Field port = p["port"];
  if (port.defined()) out.port = parse_port_ref(port);
  Field end = p["endPort"];
  if (end.defined()) {
    if (!out.port || out.port->is_named()) {
      end.error("endPort needs a numeric port to start the range");
    }
    int e = parse_port_number(end);
    if (e < out.port->number) {
      end.error("endPort " + std::to_string(e) + " must not be below port " +
                std::to_string(out.port->number));
    }
    out.end_port = e;
  }
  return out;
}

NetworkPolicyPeer parse_peer(const Field& p) {
  p.expect_map();
  p.check_keys({"podSelector", "namespaceSelector", "ipBlock"});
  NetworkPolicyPeer peer;
  if (p["podSelector"].defined()) peer.pod_selector = parse_label_selector(p["podSelector"]);
  if (p["namespaceSelector"].defined()) {
    peer.namespace_selector = parse_label_selector(p["namespaceSelector"]);
  }
  Field block = p["ipBlock"];
  if (block.defined()) {
    if (peer.pod_selector || peer.namespace_selector) {
      block.error("ipBlock may not be combined with podSelector or namespaceSelector in one peer");
    }
    block.expect_map();
    block.check_keys({"cidr", "except"});
    IpBlock ib;
    ib.cidr = parse_cidr_field(block.require("cidr"));
    for (const Field& ex : block["except"].items()) {
      Cidr c = parse_cidr_field(ex);
      if (!ib.cidr.contains(c) || c.prefix <= ib.cidr.prefix) {
        ex.error("except " + c.str() + " must lie strictly inside cidr " + ib.cidr.str());
      }
      ib.except.push_back(c);
    }
    peer.ip_block = ib;
  }
  if (!peer.pod_selector && !peer.namespace_selector && !peer.ip_block) {
    p.error("a peer needs podSelector, namespaceSelector or ipBlock");
  }
  return peer;
}

std::vector<NetworkPolicyRule> parse_rules(const Field& list, const char* peers_key) {
  std::vector<NetworkPolicyRule> out;
  for (const Field& r : list.items()) {
    if (r.defined()) {
      r.expect_map();
      r.check_keys({"ports", peers_key});
    }
    NetworkPolicyRule rule;
    rule.source = r.where();
    for (const Field& p : r["ports"].items()) rule.ports.push_back(parse_policy_port(p));
    for (const Field& p : r[peers_key].items()) rule.peers.push_back(parse_peer(p));
    out.push_back(std::move(rule));
  }
  return out;
}

}  // namespace

void parse_network_policy(const Field& doc, ManifestSet& out) {
  ObjectMeta meta = parse_metadata(doc, true, NameRule::Subdomain);
  NetworkPolicy np;
  np.ns = meta.ns;
  np.name = meta.name;
  np.labels = meta.labels;
  np.source = meta.source;
  Field spec = doc.require("spec");
  spec.expect_map();
  spec.check_keys({"podSelector", "ingress", "egress", "policyTypes"});
  if (!spec["podSelector"].defined()) {
    spec.warn("spec.podSelector is absent: it selects every pod in the namespace, as {} does");
  }
  np.pod_selector = parse_label_selector(spec["podSelector"]);
  np.ingress = parse_rules(spec["ingress"], "from");
  np.egress = parse_rules(spec["egress"], "to");
  Field types = spec["policyTypes"];
  if (types.defined() && !types.items().empty()) {
    np.policy_types_given = true;
    np.affects_ingress = false;
    for (const Field& t : types.items()) {
      if (t.one_of({"Ingress", "Egress"}) == "Ingress") np.affects_ingress = true;
      else np.affects_egress = true;
    }
  } else {
    np.affects_ingress = true;
    np.affects_egress = !np.egress.empty();
  }
  out.network_policies.push_back(std::move(np));
}

}  // namespace knetsim::core
