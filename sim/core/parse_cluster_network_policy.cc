// The network-policy-api kinds (policy.networking.k8s.io): ClusterNetworkPolicy (v1alpha2) and
// AdminNetworkPolicy / BaselineAdminNetworkPolicy (v1alpha1), validated as their CRD schemas
// validate them (exactly one subject/peer form, action enums per kind, priority 0..1000,
// BaselineAdminNetworkPolicy named "default").
#include "sim/core/manifest_kinds.h"
#include "sim/core/parse_common.h"

namespace knetsim::core {

namespace {

constexpr int kMaxPriority = 1000;

NamespacedPodSelector parse_namespaced_pod(const Field& f) {
  f.expect_map();
  f.check_keys({"namespaceSelector", "podSelector"});
  NamespacedPodSelector s;
  s.namespace_selector = parse_label_selector(f.require("namespaceSelector"));
  s.pod_selector = parse_label_selector(f.require("podSelector"));
  return s;
}

// `namespaces` or `pods`: exactly one. An empty selector ({}) is legal and selects everything,
// so presence is tested with defined() on the raw node, not on the parsed selector.
std::optional<NamespacedPodSelector> parse_pod_forms(const Field& f) {
  bool has_ns = f.node()["namespaces"].IsDefined();
  bool has_pods = f.node()["pods"].IsDefined();
  if (has_ns && has_pods) f.error("set exactly one of namespaces or pods");
  if (has_ns) {
    NamespacedPodSelector s;
    Field ns = f["namespaces"];
    if (ns.defined()) s.namespace_selector = parse_label_selector(ns);
    return s;
  }
  if (has_pods) return parse_namespaced_pod(f["pods"]);
  return std::nullopt;
}

NamespacedPodSelector parse_subject(const Field& f) {
  f.expect_map();
  f.check_keys({"namespaces", "pods"});
  auto s = parse_pod_forms(f);
  if (!s) f.error("subject needs namespaces or pods");
  return *s;
}

ClusterPolicyPeer parse_peer(const Field& f, bool egress) {
  f.expect_map();
  if (egress)
    f.check_keys({"namespaces", "pods", "nodes", "networks", "domainNames"});
  else
    f.check_keys({"namespaces", "pods"});
  ClusterPolicyPeer peer;
  int forms = 0;
  if (auto s = parse_pod_forms(f)) {
    peer.pods = *s;
    ++forms;
  }
  if (egress && f.node()["nodes"].IsDefined()) {
    peer.nodes = parse_label_selector(f["nodes"]);
    ++forms;
  }
  if (egress && f["networks"].defined()) {
    for (const Field& c : f["networks"].items()) peer.networks.push_back(parse_cidr_field(c));
    if (peer.networks.empty()) f["networks"].error("networks needs at least one CIDR");
    ++forms;
  }
  if (egress && f["domainNames"].defined()) {
    for (const Field& d : f["domainNames"].items()) peer.domain_names.push_back(d.str());
    f["domainNames"].warn(
        "domainNames peers need DNS answers, which knetsim does not model: the peer matches no "
        "address");
    ++forms;
  }
  if (forms != 1) {
    f.error(forms == 0 ? "a peer needs one of namespaces, pods" +
                             std::string(egress ? ", nodes, networks, domainNames" : "")
                       : "a peer must set exactly one field");
  }
  return peer;
}

ClusterPolicyPort parse_port_number_range(const Field& f, bool range) {
  ClusterPolicyPort p;
  p.protocol = parse_protocol_field(f["protocol"]);
  if (range) {
    f.check_keys({"protocol", "start", "end"});
    p.start = parse_port_number(f.require("start"));
    p.end = parse_port_number(f.require("end"));
    if (p.end <= p.start) f.require("end").error("end must be greater than start");
  } else {
    f.check_keys({"protocol", "port"});
    p.start = p.end = parse_port_number(f.require("port"));
  }
  return p;
}

// v1alpha1 ports: [{portNumber: {protocol, port}} | {namedPort: name} | {portRange: {...}}]
ClusterPolicyPort parse_anp_port(const Field& f) {
  f.expect_map();
  f.check_keys({"portNumber", "namedPort", "portRange"});
  int forms = f["portNumber"].defined() + f["namedPort"].defined() + f["portRange"].defined();
  if (forms != 1) f.error("set exactly one of portNumber, namedPort, portRange");
  if (f["portNumber"].defined()) return parse_port_number_range(f["portNumber"], false);
  if (f["portRange"].defined()) return parse_port_number_range(f["portRange"], true);
  ClusterPolicyPort p;
  p.named = f["namedPort"].str();
  return p;
}

// v1alpha2 protocols: [{tcp|udp|sctp: {destinationPort: {number | range: {start, end}}}} |
//                      {destinationNamedPort: name}]
ClusterPolicyPort parse_cnp_protocol(const Field& f) {
  f.expect_map();
  f.check_keys({"tcp", "udp", "sctp", "destinationNamedPort"});
  int forms = f.node()["tcp"].IsDefined() + f.node()["udp"].IsDefined() +
              f.node()["sctp"].IsDefined() + f["destinationNamedPort"].defined();
  if (forms != 1) f.error("set exactly one of tcp, udp, sctp, destinationNamedPort");
  ClusterPolicyPort p;
  if (f["destinationNamedPort"].defined()) {
    p.named = f["destinationNamedPort"].str();
    return p;
  }
  const char* key = f.node()["tcp"].IsDefined()   ? "tcp"
                    : f.node()["udp"].IsDefined() ? "udp"
                                                  : "sctp";
  p.protocol = *parse_protocol(key[0] == 't' ? "TCP" : key[0] == 'u' ? "UDP" : "SCTP");
  Field proto = f[key];
  if (!proto.defined()) return p;  // every port of the protocol
  proto.expect_map();
  proto.check_keys({"destinationPort"});
  Field dp = proto["destinationPort"];
  if (!dp.defined()) return p;
  dp.expect_map();
  dp.check_keys({"number", "range"});
  if (dp["number"].defined() == dp["range"].defined())
    dp.error("set exactly one of number or range");
  if (dp["number"].defined()) {
    p.start = p.end = parse_port_number(dp["number"]);
  } else {
    Field r = dp["range"];
    r.expect_map();
    r.check_keys({"start", "end"});
    p.start = parse_port_number(r.require("start"));
    p.end = parse_port_number(r.require("end"));
    if (p.end <= p.start) r.require("end").error("end must be greater than start");
  }
  return p;
}

std::vector<ClusterPolicyRule> parse_rules(const Field& list, ClusterPolicyKind kind, bool egress) {
  std::vector<ClusterPolicyRule> out;
  bool cnp = kind == ClusterPolicyKind::ClusterNetworkPolicy;
  const char* peers_key = egress ? "to" : "from";
  const char* ports_key = cnp ? "protocols" : "ports";
  for (const Field& r : list.items()) {
    r.expect_map();
    r.check_keys({"name", "action", peers_key, ports_key});
    ClusterPolicyRule rule;
    rule.source = r.where();
    rule.name = r["name"].str_or("");
    std::string action;
    if (cnp)
      action = r.require("action").one_of({"Accept", "Deny", "Pass"});
    else if (kind == ClusterPolicyKind::AdminNetworkPolicy)
      action = r.require("action").one_of({"Allow", "Deny", "Pass"});
    else
      action = r.require("action").one_of({"Allow", "Deny"});
    rule.action = action == "Deny"   ? PolicyAction::Deny
                  : action == "Pass" ? PolicyAction::Pass
                                     : PolicyAction::Accept;
    Field peers = r.require(peers_key);
    for (const Field& p : peers.items()) rule.peers.push_back(parse_peer(p, egress));
    if (rule.peers.empty()) peers.error(std::string(peers_key) + " needs at least one peer");
    Field ports = r[ports_key];
    for (const Field& p : ports.items()) {
      rule.ports.push_back(cnp ? parse_cnp_protocol(p) : parse_anp_port(p));
    }
    if (ports.defined() && rule.ports.empty())
      ports.error(std::string(ports_key) + " must not be empty when set");
    out.push_back(std::move(rule));
  }
  return out;
}

void parse_cluster_policy(const Field& doc, ClusterPolicyKind kind, ManifestSet& out) {
  ObjectMeta meta = parse_metadata(doc, false, NameRule::Subdomain);
  ClusterNetworkPolicy p;
  p.kind = kind;
  p.name = meta.name;
  p.source = meta.source;
  Field spec = doc.require("spec");
  spec.expect_map();
  switch (kind) {
    case ClusterPolicyKind::ClusterNetworkPolicy: {
      spec.check_keys({"tier", "priority", "subject", "ingress", "egress"});
      p.tier = spec.require("tier").one_of({"Admin", "Baseline"}) == "Admin" ? PolicyTier::Admin
                                                                             : PolicyTier::Baseline;
      p.priority = static_cast<int>(spec.require("priority").integer(0, kMaxPriority));
      break;
    }
    case ClusterPolicyKind::AdminNetworkPolicy:
      spec.check_keys({"priority", "subject", "ingress", "egress"});
      p.tier = PolicyTier::Admin;
      p.priority = static_cast<int>(spec.require("priority").integer(0, kMaxPriority));
      break;
    case ClusterPolicyKind::BaselineAdminNetworkPolicy:
      spec.check_keys({"subject", "ingress", "egress"});
      if (meta.name != "default") {
        doc["metadata"]["name"].error(
            "only one BaselineAdminNetworkPolicy, named \"default\", may exist in a cluster");
      }
      p.tier = PolicyTier::Baseline;
      break;
  }
  p.subject = parse_subject(spec.require("subject"));
  p.ingress = parse_rules(spec["ingress"], kind, false);
  p.egress = parse_rules(spec["egress"], kind, true);
  out.cluster_network_policies.push_back(std::move(p));
}

}  // namespace

void parse_cluster_network_policy(const Field& doc, ManifestSet& out) {
  parse_cluster_policy(doc, ClusterPolicyKind::ClusterNetworkPolicy, out);
}
void parse_admin_network_policy(const Field& doc, ManifestSet& out) {
  parse_cluster_policy(doc, ClusterPolicyKind::AdminNetworkPolicy, out);
}
void parse_baseline_admin_network_policy(const Field& doc, ManifestSet& out) {
  parse_cluster_policy(doc, ClusterPolicyKind::BaselineAdminNetworkPolicy, out);
}

}  // namespace knetsim::core
