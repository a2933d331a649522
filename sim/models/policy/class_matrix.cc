#include "sim/models/policy/class_matrix.h"

#include <map>
#include <string>

#include "sim/models/policy/direct_evaluator.h"
#include "sim/models/policy/matching.h"

namespace knetsim::models::policy {

namespace {

// Port-independent facts, computed once per class set.
struct Prepared {
  size_t n = 0;
  std::vector<Endpoint> reps;
  std::vector<bool> subject;  // class can be selected by policies (a non-host-network pod)
  // NetworkPolicy: per policy, per direction, per rule: peer classes.
  struct NpRules {
    std::vector<Bits> ingress_peers, egress_peers;
  };
  std::vector<NpRules> np;
  std::vector<std::vector<size_t>> np_ingress_of, np_egress_of;  // per class: selecting policies
  // Cluster-scoped: per policy subject classes and per rule peer classes.
  struct CnpRules {
    Bits subject;
    std::vector<Bits> ingress_peers, egress_peers;
  };
  std::vector<CnpRules> cnp;
  std::vector<size_t> admin, baseline;
  // Policies repeat the same selectors many times; each distinct one is matched once.
  std::map<std::string, Bits> memo;
};

template <typename Fn>
const Bits& memoized(Prepared& pr, const std::string& key, Fn match) {
  auto it = pr.memo.find(key);
  if (it != pr.memo.end()) return it->second;
  Bits b(pr.n);
  for (size_t c = 0; c < pr.n; ++c) {
    if (match(pr.reps[c])) b.set(c);
  }
  return pr.memo.emplace(key, std::move(b)).first->second;
}

std::string np_peer_key(const core::NetworkPolicy& p, const core::NetworkPolicyPeer& peer) {
  if (peer.ip_block) {
    std::string k = "ip:" + peer.ip_block->cidr.str();
    for (const auto& e : peer.ip_block->except) k += "-" + e.str();
    return k;
  }
  return "np:" + (peer.namespace_selector ? "ns=" + peer.namespace_selector->str() : "own=" + p.ns) +
         "|" + (peer.pod_selector ? peer.pod_selector->str() : "*");
}

std::string cnp_peer_key(const core::ClusterPolicyPeer& peer) {
  if (peer.pods) return "cnp:" + peer.pods->str();
  if (peer.nodes) return "nodes:" + peer.nodes->str();
  std::string k = "net:";
  for (const auto& c : peer.networks) k += c.str() + ",";
  return k;  // domainNames: "net:" with no networks matches nothing, as cnp_peer_matches says
}

Bits np_peer_bits(Prepared& pr, const core::NetworkPolicy& p, const core::NetworkPolicyRule& rule) {
  Bits b(pr.n, rule.peers.empty());
  for (const auto& peer : rule.peers) {
    b |= memoized(pr, np_peer_key(p, peer),
                  [&](const Endpoint& e) { return np_peer_matches(p, peer, e); });
  }
  return b;
}

Bits cnp_peer_bits(Prepared& pr, const core::ClusterPolicyRule& rule) {
  Bits b(pr.n);
  for (const auto& peer : rule.peers) {
    b |= memoized(pr, cnp_peer_key(peer), [&](const Endpoint& e) { return cnp_peer_matches(peer, e); });
  }
  return b;
}

Prepared prepare(const core::Cluster& cluster, const PodClasses& classes, bool include_cnp) {
  Prepared pr;
  pr.n = classes.count();
  for (core::PodId rep : classes.representative) pr.reps.push_back(pod_endpoint(cluster, rep));
  for (const auto& e : pr.reps) pr.subject.push_back(e.is_pod_peer());
  pr.np_ingress_of.resize(pr.n);
  pr.np_egress_of.resize(pr.n);
  for (size_t i = 0; i < cluster.network_policies.size(); ++i) {
    const auto& p = cluster.network_policies[i];
    Prepared::NpRules rules;
    bool selects_any = false;
    const Bits& selected = memoized(pr, "sel:" + p.ns + "|" + p.pod_selector.str(),
                                    [&](const Endpoint& e) { return np_selects(p, e); });
    for (size_t c = 0; c < pr.n; ++c) {
      if (!selected.test(c)) continue;
      selects_any = true;
      if (p.affects_ingress) pr.np_ingress_of[c].push_back(i);
      if (p.affects_egress) pr.np_egress_of[c].push_back(i);
    }
    if (selects_any) {
      if (p.affects_ingress) {
        for (const auto& r : p.ingress) rules.ingress_peers.push_back(np_peer_bits(pr, p, r));
      }
      if (p.affects_egress) {
        for (const auto& r : p.egress) rules.egress_peers.push_back(np_peer_bits(pr, p, r));
      }
    }
    pr.np.push_back(std::move(rules));
  }
  DirectEvaluator order(cluster, include_cnp);
  pr.admin = order.admin_order();
  pr.baseline = order.baseline_order();
  pr.cnp.resize(cluster.cluster_network_policies.size());
  for (const auto* tier : {&pr.admin, &pr.baseline}) {
    for (size_t i : *tier) {
      const auto& p = cluster.cluster_network_policies[i];
      auto& out = pr.cnp[i];
      out.subject = memoized(pr, "subject:" + p.subject.str(),
                             [&](const Endpoint& e) { return cnp_selects(p, e); });
      if (out.subject.none()) continue;
      for (const auto& r : p.ingress) out.ingress_peers.push_back(cnp_peer_bits(pr, r));
      for (const auto& r : p.egress) out.egress_peers.push_back(cnp_peer_bits(pr, r));
    }
  }
  return pr;
}

// Destination classes on which `ports` admit q (named ports resolve per destination class).
template <typename Ports, typename MatchFn>
Bits port_mask(const Prepared& pr, const Ports& ports, const PortProto& q, MatchFn match) {
  Bits b(pr.n);
  for (size_t c = 0; c < pr.n; ++c) {
    if (match(ports, pr.reps[c], q.port, q.protocol)) b.set(c);
  }
  return b;
}

bool has_named(const std::vector<core::NetworkPolicyPort>& ports) {
  for (const auto& p : ports) {
    if (p.port && p.port->is_named()) return true;
  }
  return false;
}
bool has_named(const std::vector<core::ClusterPolicyPort>& ports) {
  for (const auto& p : ports) {
    if (!p.named.empty()) return true;
  }
  return false;
}

// Per rule, the destination classes on which the rule's ports admit q. Rules without named ports
// give the same answer for every destination, so they are tested once.
std::string ports_key(const std::vector<core::NetworkPolicyPort>& ports) {
  std::string k = "np";
  for (const auto& p : ports) {
    k += std::string("|") + core::protocol_name(p.protocol) + ":" + (p.port ? p.port->str() : "*") +
         "-" + std::to_string(p.end_port.value_or(0));
  }
  return k;
}
std::string ports_key(const std::vector<core::ClusterPolicyPort>& ports) {
  std::string k = "cnp";
  for (const auto& p : ports) k += "|" + p.str() + "/" + core::protocol_name(p.protocol);
  return k;
}

// Masks of rules with named ports, per distinct port list (for one port q).
using MaskMemo = std::map<std::string, Bits>;

template <typename Rule, typename MatchFn>
std::vector<Bits> rule_port_masks(const Prepared& pr, const std::vector<Rule>& rules,
                                  const PortProto& q, MatchFn match, MaskMemo& memo) {
  std::vector<Bits> out;
  out.reserve(rules.size());
  for (const auto& r : rules) {
    if (has_named(r.ports)) {
      std::string key = ports_key(r.ports);
      auto it = memo.find(key);
      if (it == memo.end()) it = memo.emplace(key, port_mask(pr, r.ports, q, match)).first;
      out.push_back(it->second);
    } else {
      Endpoint none;
      out.emplace_back(pr.n, match(r.ports, none, q.port, q.protocol));
    }
  }
  return out;
}

struct TierResult {
  Bits accept, deny, pass, decided;
  explicit TierResult(size_t n) : accept(n), deny(n), pass(n), decided(n) {}
};

// Walks one tier for subject class `s`: rules in order; `peer_bits[r] & mask(r)` are the peers
// the rule matches; the first rule to match a peer decides it.
void walk_tier(const core::Cluster& cluster, const Prepared& pr, const std::vector<size_t>& order,
               bool ingress, size_t s, const std::vector<std::vector<Bits>>& masks,
               TierResult& t) {
  for (size_t i : order) {
    const auto& cp = pr.cnp[i];
    if (!cp.subject.test(s)) continue;
    const auto& p = cluster.cluster_network_policies[i];
    const auto& rules = ingress ? p.ingress : p.egress;
    const auto& peers = ingress ? cp.ingress_peers : cp.egress_peers;
    for (size_t r = 0; r < rules.size(); ++r) {
      const Bits& mask = masks[i][r];
      Bits m = peers[r];
      if (ingress) {
        if (!mask.test(s)) continue;  // ingress: the subject is the server
      } else {
        m &= mask;  // egress: the peer is the server
      }
      m.and_not(t.decided);
      if (m.none()) continue;
      switch (rules[r].action) {
        case core::PolicyAction::Accept:
          t.accept |= m;
          break;
        case core::PolicyAction::Deny:
          t.deny |= m;
          break;
        case core::PolicyAction::Pass:
          t.pass |= m;
          break;
      }
      t.decided |= m;
    }
  }
}

ClassMatrix compute_one(const core::Cluster& cluster, const Prepared& pr, const PortProto& q) {
  const size_t n = pr.n;
  ClassMatrix out;
  out.egress_to.assign(n, Bits(n, true));
  out.ingress_from.assign(n, Bits(n, true));
  // Port masks per rule for this port.
  MaskMemo memo;
  std::vector<std::vector<Bits>> np_in_masks(cluster.network_policies.size());
  std::vector<std::vector<Bits>> np_eg_masks(cluster.network_policies.size());
  for (size_t i = 0; i < cluster.network_policies.size(); ++i) {
    const auto& p = cluster.network_policies[i];
    if (!pr.np[i].ingress_peers.empty()) np_in_masks[i] = rule_port_masks(pr, p.ingress, q, np_ports_match, memo);
    if (!pr.np[i].egress_peers.empty()) np_eg_masks[i] = rule_port_masks(pr, p.egress, q, np_ports_match, memo);
  }
  std::vector<std::vector<Bits>> cnp_in_masks(cluster.cluster_network_policies.size());
  std::vector<std::vector<Bits>> cnp_eg_masks(cluster.cluster_network_policies.size());
  for (const auto* tier : {&pr.admin, &pr.baseline}) {
    for (size_t i : *tier) {
      if (pr.cnp[i].subject.none()) continue;
      const auto& p = cluster.cluster_network_policies[i];
      cnp_in_masks[i] = rule_port_masks(pr, p.ingress, q, cnp_ports_match, memo);
      cnp_eg_masks[i] = rule_port_masks(pr, p.egress, q, cnp_ports_match, memo);
    }
  }
  for (size_t s = 0; s < n; ++s) {
    if (!pr.subject[s]) continue;  // host-network pods: no policy applies to them
    for (bool ingress : {true, false}) {
      TierResult admin(n);
      walk_tier(cluster, pr, pr.admin, ingress, s, ingress ? cnp_in_masks : cnp_eg_masks, admin);
      Bits rest = ~admin.decided | admin.pass;
      const auto& isolating = ingress ? pr.np_ingress_of[s] : pr.np_egress_of[s];
      Bits lower(n);
      if (!isolating.empty()) {
        for (size_t i : isolating) {
          const auto& peers = ingress ? pr.np[i].ingress_peers : pr.np[i].egress_peers;
          const auto& masks = ingress ? np_in_masks[i] : np_eg_masks[i];
          for (size_t r = 0; r < peers.size(); ++r) {
            if (ingress) {
              if (masks[r].test(s)) lower |= peers[r];
            } else {
              lower |= peers[r] & masks[r];
            }
          }
        }
      } else {
        TierResult base(n);
        walk_tier(cluster, pr, pr.baseline, ingress, s, ingress ? cnp_in_masks : cnp_eg_masks, base);
        lower = ~base.deny;  // Accept, Pass (to the default) and no match are all allowed
      }
      Bits result = admin.accept | (rest & lower);
      (ingress ? out.ingress_from[s] : out.egress_to[s]) = std::move(result);
    }
  }
  return out;
}

}  // namespace

std::vector<ClassMatrix> compute_class_matrices(const core::Cluster& cluster,
                                                const PodClasses& classes,
                                                const std::vector<PortProto>& ports,
                                                bool include_cluster_policies) {
  Prepared pr = prepare(cluster, classes, include_cluster_policies);
  std::vector<ClassMatrix> out;
  out.reserve(ports.size());
  for (const auto& q : ports) out.push_back(compute_one(cluster, pr, q));
  return out;
}

}  // namespace knetsim::models::policy
