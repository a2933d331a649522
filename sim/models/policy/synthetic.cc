#include "sim/models/policy/synthetic.h"

#include <algorithm>
#include <array>
#include <string>

#include "sim/core/rng.h"

namespace knetsim::models::policy {

namespace {

const core::SourceRef kGenerated{"<synthetic>", 0, 0};

struct Gen {
  core::Rng rng;
  const SyntheticSpec& spec;

  bool chance(double p) { return rng.uniform() < p; }
  int pick(int n) { return static_cast<int>(rng.below(static_cast<uint64_t>(n))); }

  std::string app() { return "app-" + std::to_string(pick(spec.apps)); }
  std::string tier() { return std::array<const char*, 3>{"web", "api", "db"}[pick(3)]; }
  std::string ns_name(int i) { return "ns-" + std::to_string(i); }

  core::LabelSelector pod_selector() {
    core::LabelSelector s;
    switch (pick(6)) {
      case 0:
        break;  // {}: every pod
      case 1:
      case 2:
        s.match_labels["app"] = app();
        break;
      case 3:
        s.match_labels["tier"] = tier();
        break;
      case 4:
        s.match_expressions.push_back({"tier", chance(0.5) ? core::SelectorOp::In : core::SelectorOp::NotIn, {tier(), tier()}});
        break;
      default:
        s.match_expressions.push_back({"canary", chance(0.5) ? core::SelectorOp::Exists : core::SelectorOp::DoesNotExist, {}});
        break;
    }
    return s;
  }

  core::LabelSelector ns_selector() {
    core::LabelSelector s;
    switch (pick(4)) {
      case 0:
        break;
      case 1:
        s.match_labels[core::kNamespaceNameLabel] = ns_name(pick(spec.namespaces));
        break;
      case 2:
        s.match_labels["team"] = "team-" + std::to_string(pick(spec.teams));
        break;
      default:
        s.match_expressions.push_back({core::kNamespaceNameLabel, core::SelectorOp::NotIn, {ns_name(pick(spec.namespaces))}});
        break;
    }
    return s;
  }

  core::Cidr cidr() {
    if (spec.realistic_ip_blocks) {
      switch (pick(4)) {
        case 0:
          return *core::Cidr::parse("0.0.0.0/0");
        case 1:
          return *core::Cidr::parse("203.0.113.0/24");
        case 2:
          return *core::Cidr::parse("169.254.169.254/32");
        default:
          return *core::Cidr::parse("198.51.100.0/24");
      }
    }
    switch (pick(3)) {
      case 0:
        return core::Cidr{core::Ipv4{0x0AF40000u + (static_cast<uint32_t>(pick(spec.pods / 100 + 2)) << 8)}, 24};
      case 1:
        return core::Cidr{core::Ipv4{0x0AF40000u}, 16 + pick(3)};
      default:
        return core::Cidr{core::Ipv4{0}, 0};
    }
  }

  core::IpBlock ip_block() {
    core::IpBlock b;
    b.cidr = cidr();
    if (spec.realistic_ip_blocks) {
      if (b.cidr.prefix == 0) {
        b.except.push_back(*core::Cidr::parse("10.0.0.0/8"));
        if (chance(0.5)) b.except.push_back(*core::Cidr::parse("169.254.169.254/32"));
      }
      return b;
    }
    if (chance(0.5) && b.cidr.prefix < 30) {
      int prefix = b.cidr.prefix + 1 + pick(std::min(8, 31 - b.cidr.prefix));
      uint32_t span = prefix - b.cidr.prefix >= 32 ? 0 : (1u << (prefix - b.cidr.prefix)) - 1;
      uint32_t offset = span ? static_cast<uint32_t>(rng.below(span + 1)) : 0;
      uint32_t base = b.cidr.base.value | (offset << (32 - prefix));
      b.except.push_back(core::Cidr{core::Ipv4{base}, prefix});
    }
    return b;
  }

  core::NetworkPolicyPort np_port() {
    core::NetworkPolicyPort p;
    p.protocol = chance(0.75) ? core::Protocol::TCP : core::Protocol::UDP;
    switch (pick(4)) {
      case 0:
        break;  // protocol only
      case 1:
        p.port = core::PortRef{chance(0.5) ? 80 : 8080, ""};
        break;
      case 2:
        p.port = core::PortRef{0, chance(0.5) ? "http" : "dns"};
        break;
      default:
        p.port = core::PortRef{53 + pick(30), ""};
        p.end_port = p.port->number + pick(8000);
        break;
    }
    return p;
  }

  core::NetworkPolicyRule np_rule() {
    core::NetworkPolicyRule r;
    r.source = kGenerated;
    for (int i = pick(3); i > 0; --i) r.ports.push_back(np_port());
    for (int i = pick(4); i > 0; --i) {
      core::NetworkPolicyPeer peer;
      if (chance(spec.ip_block_probability)) {
        peer.ip_block = ip_block();
      } else {
        int form = pick(3);
        if (form != 1) peer.pod_selector = pod_selector();
        if (form != 0) peer.namespace_selector = ns_selector();
      }
      r.peers.push_back(peer);
    }
    return r;
  }

  core::NetworkPolicy network_policy(int i) {
    core::NetworkPolicy p;
    p.ns = ns_name(pick(spec.namespaces));
    p.name = "np-" + std::to_string(i);
    p.source = kGenerated;
    p.pod_selector = pod_selector();
    for (int k = pick(3); k > 0; --k) p.ingress.push_back(np_rule());
    for (int k = pick(3); k > 0; --k) p.egress.push_back(np_rule());
    switch (pick(3)) {
      case 0:  // inferred, as the API server defaults policyTypes
        p.affects_ingress = true;
        p.affects_egress = !p.egress.empty();
        break;
      case 1:
        p.policy_types_given = true;
        p.affects_ingress = true;
        p.affects_egress = true;
        break;
      default:
        p.policy_types_given = true;
        p.affects_ingress = chance(0.5);
        p.affects_egress = !p.affects_ingress;
        break;
    }
    return p;
  }

  core::NamespacedPodSelector cnp_selector() {
    core::NamespacedPodSelector s;
    s.namespace_selector = ns_selector();
    if (chance(0.6)) s.pod_selector = pod_selector();
    return s;
  }

  core::ClusterPolicyPort cnp_port() {
    core::ClusterPolicyPort p;
    p.protocol = chance(0.75) ? core::Protocol::TCP : core::Protocol::UDP;
    switch (pick(4)) {
      case 0:
        break;
      case 1:
        p.start = p.end = chance(0.5) ? 80 : 53;
        break;
      case 2:
        p.named = chance(0.5) ? "http" : "dns";
        break;
      default:
        p.start = 53 + pick(30);
        p.end = p.start + 1 + pick(8000);
        break;
    }
    return p;
  }

  core::ClusterPolicyRule cnp_rule(bool egress, bool allow_pass) {
    core::ClusterPolicyRule r;
    r.source = kGenerated;
    int a = pick(allow_pass ? 3 : 2);
    r.action = a == 0 ? core::PolicyAction::Accept : a == 1 ? core::PolicyAction::Deny : core::PolicyAction::Pass;
    for (int i = pick(2); i > 0; --i) r.ports.push_back(cnp_port());
    for (int i = 1 + pick(2); i > 0; --i) {
      core::ClusterPolicyPeer peer;
      if (egress && chance(spec.ip_block_probability)) {
        peer.networks.push_back(cidr());
      } else {
        peer.pods = cnp_selector();
      }
      r.peers.push_back(peer);
    }
    return r;
  }

  core::ClusterNetworkPolicy cluster_policy(int i, bool& have_banp) {
    core::ClusterNetworkPolicy p;
    p.source = kGenerated;
    int kind = pick(3);
    if (kind == 2 && have_banp) kind = 0;
    p.kind = kind == 0 ? core::ClusterPolicyKind::ClusterNetworkPolicy
             : kind == 1 ? core::ClusterPolicyKind::AdminNetworkPolicy
                         : core::ClusterPolicyKind::BaselineAdminNetworkPolicy;
    p.name = kind == 2 ? "default" : "cp-" + std::to_string(i);
    if (kind == 2) have_banp = true;
    p.tier = kind == 1 ? core::PolicyTier::Admin
             : kind == 2 ? core::PolicyTier::Baseline
                         : (chance(0.5) ? core::PolicyTier::Admin : core::PolicyTier::Baseline);
    p.priority = kind == 2 ? 0 : pick(20);
    p.subject = cnp_selector();
    bool pass = kind != 2;
    for (int k = pick(3); k > 0; --k) p.ingress.push_back(cnp_rule(false, pass));
    for (int k = pick(3); k > 0; --k) p.egress.push_back(cnp_rule(true, pass));
    return p;
  }
};

core::ContainerPort port(const char* name, int number, core::Protocol p) {
  core::ContainerPort cp;
  cp.name = name;
  cp.container_port = number;
  cp.protocol = p;
  return cp;
}

}  // namespace

core::Scenario synthetic_scenario(const SyntheticSpec& spec, uint64_t seed) {
  Gen g{core::Rng(seed, "synthetic-policy"), spec};
  core::Scenario s;
  s.name = "synthetic-policy";
  s.file = "<synthetic>";
  s.seed = seed;
  s.cluster.nodes.count = spec.pods / 100 + 2;
  s.cluster.api_server_service = false;
  if (spec.flannel) s.cni.plugin = core::CniPlugin::Flannel;
  for (int i = 0; i < spec.namespaces; ++i) {
    core::Namespace ns;
    ns.name = g.ns_name(i);
    ns.labels[core::kNamespaceNameLabel] = ns.name;
    ns.labels["team"] = "team-" + std::to_string(g.pick(spec.teams));
    ns.source = kGenerated;
    s.objects.namespaces.push_back(ns);
  }
  core::Pod p;
  for (int i = 0; i < spec.pods; ++i) {
    if (i % std::max(1, spec.pods_per_workload) == 0) {  // a new workload: fresh template
      p = core::Pod{};
      p.ns = g.ns_name(g.pick(spec.namespaces));
      p.labels["app"] = g.app();
      p.labels["tier"] = g.tier();
      if (spec.pods_per_workload > 1) p.labels["workload"] = "w-" + std::to_string(i);
      if (g.chance(0.1)) p.labels["canary"] = "true";
      p.spec.host_network = g.chance(spec.host_network_fraction);
      core::Container c;
      c.name = "main";
      // Some apps serve http on 80, others on 8080: one name resolving to different numbers.
      c.ports.push_back(port("http", g.chance(0.5) ? 80 : 8080, core::Protocol::TCP));
      if (g.chance(0.3)) c.ports.push_back(port("dns", 53, core::Protocol::UDP));
      p.spec.containers.push_back(c);
      p.source = kGenerated;
    }
    p.name = "pod-" + std::to_string(i);
    s.objects.pods.push_back(p);
    s.objects.pod_ip_given.push_back(false);
  }
  for (int i = 0; i < spec.network_policies; ++i) s.objects.network_policies.push_back(g.network_policy(i));
  bool have_banp = false;
  for (int i = 0; i < spec.cluster_policies; ++i) {
    s.objects.cluster_network_policies.push_back(g.cluster_policy(i, have_banp));
  }
  return s;
}

}  // namespace knetsim::models::policy
