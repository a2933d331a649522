// Fuzzes the policy engine: the input bytes choose a small cluster (namespaces, labelled pods,
// host-network pods, named ports) and NetworkPolicies plus cluster-scoped policies (Admin and
// Baseline tiers, Accept/Deny/Pass). Two checks per (source, destination, port):
//  - the class-compressed Reachability matrix equals the engine's pair-by-pair verdict, as
//    written and as the CNI enforces it;
//  - the verdict as written equals the reference written below, straight from the API texts
//    (NetworkPolicy: isolation and additive allow rules; cluster policies: tiers by priority,
//    first matching rule decides, Pass hands over). The engine's two evaluators share
//    matching.cc, so only this second check can catch a mistake in what a selector or port means.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/cluster.h"
#include "sim/models/policy/policy_engine.h"
#include "sim/models/policy/reachability.h"
#include "tests/fuzz/fuzz_input.h"

namespace {

using namespace knetsim;
using core::Protocol;

const core::SourceRef kFuzz{"<fuzz>", 0, 0};
const char* const kKeys[] = {"app", "tier", "team", core::kNamespaceNameLabel};
const char* const kValues[] = {"a", "b", "web", "ns-0", "ns-1"};

struct Gen {
  fuzz::FuzzInput& in;
  int namespaces = 1;

  template <typename T, size_t N>
  T pick(const T (&arr)[N]) {
    return in.pick(arr);
  }
  int upto(int n) { return in.upto(n); }
  Protocol protocol() {
    int p = upto(5);
    return p <= 3 ? Protocol::TCP : p == 4 ? Protocol::UDP : Protocol::SCTP;
  }

  core::LabelSelector selector() {
    core::LabelSelector s;
    for (int i = upto(2); i > 0; --i) s.match_labels[pick(kKeys)] = pick(kValues);
    for (int i = upto(2); i > 0; --i) {
      core::SelectorRequirement r;
      r.key = pick(kKeys);
      r.op = static_cast<core::SelectorOp>(upto(3));
      if (r.op == core::SelectorOp::In || r.op == core::SelectorOp::NotIn) {
        for (int k = 1 + upto(1); k > 0; --k) r.values.push_back(pick(kValues));
      }
      s.match_expressions.push_back(r);
    }
    return s;
  }

  core::Cidr cidr() {
    const uint32_t bases[] = {0x0AF40000u /*10.244/16*/, 0xC0A80000u /*192.168/16*/, 0,
                              0xCB007100u /*203.0.113/24*/};
    uint32_t base = upto(4) == 4 ? in.u32() : pick(bases);
    int prefix = upto(32);
    core::Cidr c{core::Ipv4{base}, prefix};
    c.base.value &= c.mask();
    return c;
  }

  core::IpBlock ip_block() {
    core::IpBlock b;
    b.cidr = cidr();
    for (int i = upto(2); i > 0 && b.cidr.prefix < 32; --i) {
      int prefix = in.between(b.cidr.prefix + 1, 32);
      core::Cidr ex{core::Ipv4{b.cidr.base.value | (in.u32() & ~b.cidr.mask())},
                    prefix};
      ex.base.value &= ex.mask();
      b.except.push_back(ex);
    }
    return b;
  }

  core::NetworkPolicyPort np_port() {
    core::NetworkPolicyPort p;
    p.protocol = protocol();
    switch (upto(3)) {
      case 0:
        break;
      case 1:
        p.port = core::PortRef{in.flag() ? 80 : 53, ""};
        break;
      case 2:
        p.port = core::PortRef{0, in.flag() ? "http" : "dns"};
        break;
      default:
        p.port = core::PortRef{in.between(1, 9000), ""};
        p.end_port = in.between(p.port->number, 9000);
        break;
    }
    return p;
  }

  core::NetworkPolicyRule np_rule() {
    core::NetworkPolicyRule r;
    r.source = kFuzz;
    for (int i = upto(2); i > 0; --i) r.ports.push_back(np_port());
    for (int i = upto(2); i > 0; --i) {
      core::NetworkPolicyPeer peer;
      switch (upto(3)) {
        case 0:
          peer.ip_block = ip_block();
          break;
        case 1:
          peer.pod_selector = selector();
          break;
        case 2:
          peer.namespace_selector = selector();
          break;
        default:
          peer.pod_selector = selector();
          peer.namespace_selector = selector();
          break;
      }
      r.peers.push_back(peer);
    }
    return r;
  }

  core::NetworkPolicy network_policy(int i) {
    core::NetworkPolicy p;
    p.ns = "ns-" + std::to_string(upto(namespaces - 1));
    p.name = "np-" + std::to_string(i);
    p.source = kFuzz;
    p.pod_selector = selector();
    for (int k = upto(2); k > 0; --k) p.ingress.push_back(np_rule());
    for (int k = upto(2); k > 0; --k) p.egress.push_back(np_rule());
    if (in.flag()) {
      p.affects_ingress = true;  // policyTypes defaulted as the API server does
      p.affects_egress = !p.egress.empty();
    } else {
      p.policy_types_given = true;
      p.affects_ingress = in.flag();
      p.affects_egress = in.flag();
    }
    return p;
  }

  core::NamespacedPodSelector ns_pod_selector() {
    core::NamespacedPodSelector s;
    s.namespace_selector = selector();
    if (in.flag()) s.pod_selector = selector();
    return s;
  }

  core::ClusterPolicyRule cnp_rule(bool egress, bool allow_pass) {
    core::ClusterPolicyRule r;
    r.source = kFuzz;
    int a = upto(allow_pass ? 2 : 1);
    r.action = a == 0 ? core::PolicyAction::Accept
               : a == 1 ? core::PolicyAction::Deny
                        : core::PolicyAction::Pass;
    for (int i = upto(2); i > 0; --i) {
      core::ClusterPolicyPort p;
      p.protocol = protocol();
      switch (upto(2)) {
        case 0:
          break;
        case 1:
          p.named = in.flag() ? "http" : "dns";
          break;
        default:
          p.start = in.between(1, 9000);
          p.end = in.between(p.start, 9000);
          break;
      }
      r.ports.push_back(p);
    }
    for (int i = 1 + upto(1); i > 0; --i) {
      core::ClusterPolicyPeer peer;
      int form = egress ? upto(3) : 0;
      if (form == 0) {
        peer.pods = ns_pod_selector();
      } else if (form == 1) {
        peer.nodes = selector();
      } else if (form == 2) {
        peer.networks.push_back(cidr());
      } else {
        peer.domain_names.push_back("example.com");
      }
      r.peers.push_back(peer);
    }
    return r;
  }

  core::ClusterNetworkPolicy cluster_policy(int i, bool& have_banp) {
    core::ClusterNetworkPolicy p;
    p.source = kFuzz;
    int kind = upto(2);
    if (kind == 2 && have_banp) kind = 0;
    p.kind = kind == 0   ? core::ClusterPolicyKind::ClusterNetworkPolicy
             : kind == 1 ? core::ClusterPolicyKind::AdminNetworkPolicy
                         : core::ClusterPolicyKind::BaselineAdminNetworkPolicy;
    p.name = kind == 2 ? "default" : "cp-" + std::to_string(i);
    have_banp = have_banp || kind == 2;
    p.tier = kind == 1   ? core::PolicyTier::Admin
             : kind == 2 ? core::PolicyTier::Baseline
                         : (in.flag() ? core::PolicyTier::Admin : core::PolicyTier::Baseline);
    p.priority = kind == 2 ? 0 : upto(3);  // few values: equal priorities happen
    p.subject = ns_pod_selector();
    for (int k = upto(2); k > 0; --k) p.ingress.push_back(cnp_rule(false, kind != 2));
    for (int k = upto(2); k > 0; --k) p.egress.push_back(cnp_rule(true, kind != 2));
    return p;
  }

  core::Scenario scenario() {
    core::Scenario s;
    s.name = "fuzz-policy";
    s.file = "<fuzz>";
    s.cluster.nodes.count = 1 + upto(2);
    s.cluster.api_server_service = false;
    s.cni.plugin = static_cast<core::CniPlugin>(upto(3));
    namespaces = 1 + upto(2);
    for (int i = 0; i < namespaces; ++i) {
      core::Namespace ns;
      ns.name = "ns-" + std::to_string(i);
      ns.labels[core::kNamespaceNameLabel] = ns.name;
      if (in.flag()) ns.labels["team"] = pick(kValues);
      ns.source = kFuzz;
      s.objects.namespaces.push_back(ns);
    }
    int pods = 1 + upto(9);
    for (int i = 0; i < pods; ++i) {
      core::Pod p;
      p.ns = "ns-" + std::to_string(upto(namespaces - 1));
      p.name = "pod-" + std::to_string(i);
      p.source = kFuzz;
      for (int k = upto(2); k > 0; --k) p.labels[pick(kKeys)] = pick(kValues);
      p.spec.host_network = upto(7) == 0;
      core::Container c;
      c.name = "main";
      for (int k = upto(2); k > 0; --k) {
        core::ContainerPort cp;
        const char* names[] = {"http", "dns", ""};
        cp.name = pick(names);
        cp.container_port = in.flag() ? (in.flag() ? 80 : 53) : 8080;
        cp.protocol = protocol();
        bool clash = false;  // container port names are unique within a pod
        for (const auto& other : c.ports) clash = clash || (!cp.name.empty() && other.name == cp.name);
        if (!clash) c.ports.push_back(cp);
      }
      p.spec.containers.push_back(c);
      s.objects.pods.push_back(p);
      s.objects.pod_ip_given.push_back(false);
    }
    for (int i = upto(4); i > 0; --i) s.objects.network_policies.push_back(network_policy(i));
    bool have_banp = false;
    for (int i = upto(3); i > 0; --i) {
      s.objects.cluster_network_policies.push_back(cluster_policy(i, have_banp));
    }
    return s;
  }
};

// ---- The reference: the API texts, evaluated directly on the cluster ----

struct Side {
  const core::Pod* pod = nullptr;  // null: an address outside the pod network
  core::Ipv4 ip;
  const core::Node* node = nullptr;  // the node owning ip (host-network pods, node addresses)
};

struct Reference {
  const core::Cluster& c;

  const core::Labels& ns_labels(const std::string& ns) const {
    static const core::Labels none;
    for (const auto& n : c.namespaces) {
      if (n.name == ns) return n.labels;
    }
    return none;
  }
  static bool policy_pod(const Side& s) { return s.pod && !s.pod->spec.host_network; }
  static bool in_block(const core::IpBlock& b, core::Ipv4 ip) {
    if (!b.cidr.contains(ip)) return false;
    for (const auto& e : b.except) {
      if (e.contains(ip)) return false;
    }
    return true;
  }
  // The destination pod declares `port` under this name for this protocol.
  static bool named_port(const Side& server, const std::string& name, int port, Protocol proto) {
    if (!server.pod) return false;
    for (const auto& ctr : server.pod->spec.containers) {
      for (const auto& cp : ctr.ports) {
        if (cp.name == name && cp.protocol == proto) return cp.container_port == port;
      }
    }
    return false;
  }

  bool np_peer(const core::NetworkPolicy& p, const core::NetworkPolicyPeer& peer,
               const Side& s) const {
    if (peer.ip_block) return in_block(*peer.ip_block, s.ip);
    if (!policy_pod(s)) return false;
    if (peer.namespace_selector) {
      if (!peer.namespace_selector->matches(ns_labels(s.pod->ns))) return false;
    } else if (s.pod->ns != p.ns) {
      return false;
    }
    return !peer.pod_selector || peer.pod_selector->matches(s.pod->labels);
  }
  static bool np_port(const core::NetworkPolicyPort& p, const Side& server, int port,
                      Protocol proto) {
    if (p.protocol != proto) return false;
    if (!p.port) return true;
    if (p.port->is_named()) return named_port(server, p.port->name, port, proto);
    if (p.end_port) return port >= p.port->number && port <= *p.end_port;
    return port == p.port->number;
  }

  // nullopt: no NetworkPolicy isolates the subject in this direction.
  std::optional<bool> network_policies(bool ingress, const Side& subject, const Side& peer,
                                       const Side& server, int port, Protocol proto) const {
    bool isolated = false;
    for (const auto& p : c.network_policies) {
      if (p.ns != subject.pod->ns || !p.pod_selector.matches(subject.pod->labels)) continue;
      if (!(ingress ? p.affects_ingress : p.affects_egress)) continue;
      isolated = true;
      for (const auto& r : ingress ? p.ingress : p.egress) {
        bool port_ok = r.ports.empty();
        for (const auto& pp : r.ports) port_ok = port_ok || np_port(pp, server, port, proto);
        bool peer_ok = r.peers.empty();
        for (const auto& pe : r.peers) peer_ok = peer_ok || np_peer(p, pe, peer);
        if (port_ok && peer_ok) return true;
      }
    }
    if (isolated) return false;
    return std::nullopt;
  }

  bool cnp_selects(const core::NamespacedPodSelector& sel, const Side& s) const {
    return policy_pod(s) && sel.namespace_selector.matches(ns_labels(s.pod->ns)) &&
           (!sel.pod_selector || sel.pod_selector->matches(s.pod->labels));
  }
  bool cnp_peer(const core::ClusterPolicyPeer& peer, const Side& s) const {
    if (peer.pods) return cnp_selects(*peer.pods, s);
    if (peer.nodes) return s.node && peer.nodes->matches(s.node->labels);
    for (const auto& n : peer.networks) {
      if (n.contains(s.ip)) return true;
    }
    return false;
  }
  static bool cnp_port(const core::ClusterPolicyPort& p, const Side& server, int port,
                       Protocol proto) {
    if (!p.named.empty()) return named_port(server, p.named, port, proto);
    return p.protocol == proto && (p.start == 0 || (port >= p.start && port <= p.end));
  }

  enum class Outcome { Accept, Deny, Pass, None };
  Outcome tier(core::PolicyTier t, bool ingress, const Side& subject, const Side& peer,
               const Side& server, int port, Protocol proto) const {
    std::vector<const core::ClusterNetworkPolicy*> order;
    for (const auto& p : c.cluster_network_policies) {
      if (p.tier == t) order.push_back(&p);
    }
    std::stable_sort(order.begin(), order.end(), [](const auto* a, const auto* b) {
      return a->priority != b->priority ? a->priority < b->priority : a->key() < b->key();
    });
    for (const auto* p : order) {
      if (!cnp_selects(p->subject, subject)) continue;
      for (const auto& r : ingress ? p->ingress : p->egress) {
        bool port_ok = r.ports.empty();
        for (const auto& pp : r.ports) port_ok = port_ok || cnp_port(pp, server, port, proto);
        bool peer_ok = false;
        for (const auto& pe : r.peers) peer_ok = peer_ok || cnp_peer(pe, peer);
        if (!port_ok || !peer_ok) continue;
        return r.action == core::PolicyAction::Accept ? Outcome::Accept
               : r.action == core::PolicyAction::Deny ? Outcome::Deny
                                                      : Outcome::Pass;
      }
    }
    return Outcome::None;
  }

  bool direction(bool ingress, const Side& subject, const Side& peer, const Side& server,
                 int port, Protocol proto) const {
    if (!policy_pod(subject)) return true;  // only pod-network pods are policy subjects
    Outcome admin = tier(core::PolicyTier::Admin, ingress, subject, peer, server, port, proto);
    if (admin == Outcome::Accept) return true;
    if (admin == Outcome::Deny) return false;
    if (auto np = network_policies(ingress, subject, peer, server, port, proto)) return *np;
    Outcome base = tier(core::PolicyTier::Baseline, ingress, subject, peer, server, port, proto);
    return base != Outcome::Deny;
  }

  Side pod(core::PodId id) const {
    Side s;
    s.pod = &c.pods[id];
    s.ip = s.pod->ip;
    if (s.pod->spec.host_network) s.node = &c.nodes[s.pod->node];
    return s;
  }
  Side address(core::Ipv4 ip) const {
    Side s;
    s.ip = ip;
    for (const auto& n : c.nodes) {
      if (n.ip == ip) s.node = &n;
    }
    return s;
  }
};

[[noreturn]] void fail(const char* what, const core::Cluster& c, const std::string& src,
                       core::PodId dst, const models::policy::PortProto& pp, bool want,
                       const std::string& reason) {
  std::fprintf(stderr, "fuzz_policy: %s: %s -> %s %s: reference %d, engine says %s\n", what,
               src.c_str(), c.pods[dst].key().c_str(), pp.key().c_str(), want, reason.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace models::policy;
  fuzz::FuzzInput in(data, size);
  Gen gen{in};
  core::Scenario sc = gen.scenario();
  bool evaluate_self = in.flag();
  core::Ipv4 outside{in.u32()};
  core::Diagnostics diags;
  core::Cluster cluster;
  try {
    cluster = core::build_cluster(sc, diags);
  } catch (const core::ScenarioError&) {
    return 0;  // e.g. a host-network port clash: the builder refuses it with a message
  }
  std::vector<core::PodId> pods = addressable_pods(cluster);
  std::vector<PortProto> ports = declared_ports(cluster, pods);
  ports.push_back({53, Protocol::TCP});
  ports.push_back({8080, Protocol::UDP});
  ReachOptions opts;
  opts.evaluate_self = evaluate_self;
  opts.ports = ports;
  Reachability r = Reachability::compute(cluster, opts);
  PolicyEngine engine(cluster, PolicyEngine::Options{evaluate_self});
  Reference ref{cluster};
  for (size_t q = 0; q < ports.size(); ++q) {
    const PortProto& pp = ports[q];
    for (core::PodId d : pods) {
      core::PodId srcs_end = static_cast<core::PodId>(pods.size());
      for (core::PodId si = 0; si < srcs_end; ++si) {
        core::PodId s = pods[si];
        Verdict v = engine.check(s, d, pp.port, pp.protocol);
        if (v.allowed_as_written != r.allowed_as_written(q, s, d) ||
            v.allowed != r.allowed(q, s, d)) {
          fail("matrix differs from the pair-by-pair engine", cluster, cluster.pods[s].key(), d,
               pp, v.allowed_as_written, v.reason);
        }
        bool want = true;
        if (s != d || evaluate_self) {
          auto src = ref.pod(s), dst = ref.pod(d);
          want = ref.direction(false, src, dst, dst, pp.port, pp.protocol) &&
                 ref.direction(true, dst, src, dst, pp.port, pp.protocol);
        }
        if (v.allowed_as_written != want) {
          fail("engine differs from the reference", cluster, cluster.pods[s].key(), d, pp, want,
               v.reason);
        }
      }
      // From addresses outside the pod network: a node address and an arbitrary one.
      std::vector<core::Ipv4> from = {outside};
      if (!cluster.nodes.empty()) from.push_back(cluster.nodes[0].ip);
      for (core::Ipv4 ip : from) {
        Verdict v = engine.check_from_ip(ip, d, pp.port, pp.protocol);
        auto dst = ref.pod(d);
        bool want = ref.direction(true, dst, ref.address(ip), dst, pp.port, pp.protocol);
        if (v.allowed_as_written != want) {
          fail("engine differs from the reference", cluster, ip.str(), d, pp, want, v.reason);
        }
      }
    }
  }
  return 0;
}
