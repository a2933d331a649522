#include "sim/models/policy/direct_evaluator.h"

#include <algorithm>

#include "sim/models/policy/matching.h"

namespace knetsim::models::policy {

const char* direction_name(Direction d) { return d == Direction::Ingress ? "ingress" : "egress"; }

std::string np_label(const core::NetworkPolicy& p) { return "NetworkPolicy " + p.key(); }

std::string port_label(int port, core::Protocol protocol) {
  return std::to_string(port) + "/" + core::protocol_name(protocol);
}

namespace {

std::string cnp_label(const core::ClusterNetworkPolicy& p) {
  std::string s = p.key();
  if (p.kind != core::ClusterPolicyKind::BaselineAdminNetworkPolicy) {
    s += " (" + std::string(core::policy_tier_name(p.tier)) + " tier, priority " +
         std::to_string(p.priority) + ")";
  }
  return s;
}

std::string rule_label(const std::vector<core::ClusterPolicyRule>& rules, size_t i) {
  std::string s = "rule " + std::to_string(i);
  if (!rules[i].name.empty()) s += " \"" + rules[i].name + "\"";
  return s;
}

}  // namespace

DirectEvaluator::DirectEvaluator(const core::Cluster& cluster, bool include_cluster_policies)
    : cluster_(cluster) {
  for (size_t i = 0; i < cluster.network_policies.size(); ++i) {
    np_by_ns_[cluster.network_policies[i].ns].push_back(i);
  }
  if (!include_cluster_policies) return;
  for (size_t i = 0; i < cluster.cluster_network_policies.size(); ++i) {
    const auto& p = cluster.cluster_network_policies[i];
    (p.tier == core::PolicyTier::Admin ? admin_order_ : baseline_order_).push_back(i);
  }
  // Lower priority values first; equal priorities are ambiguous in the API (an implementation
  // may pick either), knetsim orders them by kind then name so results are reproducible.
  auto by_priority = [&](size_t a, size_t b) {
    const auto& pa = cluster.cluster_network_policies[a];
    const auto& pb = cluster.cluster_network_policies[b];
    if (pa.priority != pb.priority) return pa.priority < pb.priority;
    return pa.key() < pb.key();
  };
  std::stable_sort(admin_order_.begin(), admin_order_.end(), by_priority);
  std::stable_sort(baseline_order_.begin(), baseline_order_.end(), by_priority);
}

DirectEvaluator::TierOutcome DirectEvaluator::walk_tier(const std::vector<size_t>& order,
                                                        Direction dir, const Endpoint& subject,
                                                        const Endpoint& peer,
                                                        const Endpoint& server, int port,
                                                        core::Protocol protocol, Decision& d,
                                                        bool want_trace) const {
  for (size_t idx : order) {
    const auto& p = cluster_.cluster_network_policies[idx];
    const auto& rules = dir == Direction::Ingress ? p.ingress : p.egress;
    if (rules.empty() || !cnp_selects(p, subject)) continue;
    for (size_t r = 0; r < rules.size(); ++r) {
      const auto& rule = rules[r];
      if (!cnp_ports_match(rule.ports, server, port, protocol)) continue;
      bool hit = std::any_of(rule.peers.begin(), rule.peers.end(),
                             [&](const auto& peer_sel) { return cnp_peer_matches(peer_sel, peer); });
      if (!hit) continue;
      std::string line = cnp_label(p) + " " + direction_name(dir) + " " + rule_label(rules, r) +
                         ": " + core::policy_action_name(rule.action, p.kind);
      switch (rule.action) {
        case core::PolicyAction::Accept:
          d.decided_by = line;
          if (want_trace) d.trace.push_back(line + " (final)");
          return TierOutcome::Accept;
        case core::PolicyAction::Deny:
          d.decided_by = line;
          if (want_trace) d.trace.push_back(line + " (final)");
          return TierOutcome::Deny;
        case core::PolicyAction::Pass:
          if (want_trace) {
            d.trace.push_back(line + (p.tier == core::PolicyTier::Admin
                                          ? " -> hand-off to the NetworkPolicy tier"
                                          : " -> hand-off to the default (allow)"));
          }
          return TierOutcome::Pass;
      }
    }
    if (want_trace) {
      d.trace.push_back(cnp_label(p) + " selects " + subject.str() + " but no " +
                        direction_name(dir) + " rule matches");
    }
  }
  return TierOutcome::NoMatch;
}

std::optional<bool> DirectEvaluator::network_policies(Direction dir, const Endpoint& subject,
                                                      const Endpoint& peer,
                                                      const Endpoint& server, int port,
                                                      core::Protocol protocol, Decision& d,
                                                      bool want_trace) const {
  auto it = np_by_ns_.find(subject.pod->ns);
  if (it == np_by_ns_.end()) return std::nullopt;
  bool isolated = false;
  bool allowed = false;
  for (size_t idx : it->second) {
    const auto& p = cluster_.network_policies[idx];
    bool affects = dir == Direction::Ingress ? p.affects_ingress : p.affects_egress;
    if (!affects || !np_selects(p, subject)) continue;
    isolated = true;
    const auto& rules = dir == Direction::Ingress ? p.ingress : p.egress;
    std::string hit;
    for (size_t r = 0; r < rules.size() && hit.empty(); ++r) {
      const auto& rule = rules[r];
      if (!np_ports_match(rule.ports, server, port, protocol)) continue;
      if (rule.peers.empty()) {
        hit = np_label(p) + " " + direction_name(dir) + " rule " + std::to_string(r) +
              " allows (any peer)";
        break;
      }
      for (size_t k = 0; k < rule.peers.size(); ++k) {
        if (np_peer_matches(p, rule.peers[k], peer)) {
          hit = np_label(p) + " " + direction_name(dir) + " rule " + std::to_string(r) +
                " allows (" + (dir == Direction::Ingress ? "from" : "to") + "[" +
                std::to_string(k) + "] matches " + peer.str() + ")";
          break;
        }
      }
    }
    if (!hit.empty()) {
      if (!allowed) d.decided_by = hit;
      allowed = true;
      if (want_trace) d.trace.push_back(hit);
      else break;  // additive: one allowing policy is enough
    } else if (want_trace) {
      d.trace.push_back(np_label(p) + " selects " + subject.str() + " for " +
                        direction_name(dir) + "; none of its " + std::to_string(rules.size()) +
                        " rule(s) matches " + peer.str() + " on " + port_label(port, protocol));
    }
  }
  if (!isolated) return std::nullopt;
  if (!allowed) {
    d.decided_by = subject.str() + " is isolated for " + direction_name(dir) +
                   " by NetworkPolicy and no rule allows " + peer.str() + " on " +
                   port_label(port, protocol);
  }
  return allowed;
}

Decision DirectEvaluator::evaluate(Direction dir, const Endpoint& subject, const Endpoint& peer,
                                   const Endpoint& server, int port, core::Protocol protocol,
                                   bool want_trace) const {
  Decision d;
  if (!subject.is_pod_peer()) {
    d.allowed = true;
    d.decided_by = subject.str() + (subject.pod ? " uses the host network" : " is not a pod") +
                   ": no policy applies to its " + direction_name(dir);
    if (want_trace) d.trace.push_back(d.decided_by);
    return d;
  }
  switch (walk_tier(admin_order_, dir, subject, peer, server, port, protocol, d, want_trace)) {
    case TierOutcome::Accept:
      d.allowed = true;
      return d;
    case TierOutcome::Deny:
      d.allowed = false;
      return d;
    case TierOutcome::Pass:
    case TierOutcome::NoMatch:
      break;
  }
  if (auto np = network_policies(dir, subject, peer, server, port, protocol, d, want_trace)) {
    d.allowed = *np;
    if (want_trace && !*np) d.trace.push_back(d.decided_by);
    return d;
  }
  if (want_trace) {
    d.trace.push_back("no NetworkPolicy selects " + subject.str() + " for " +
                      direction_name(dir));
  }
  switch (walk_tier(baseline_order_, dir, subject, peer, server, port, protocol, d, want_trace)) {
    case TierOutcome::Accept:
      d.allowed = true;
      return d;
    case TierOutcome::Deny:
      d.allowed = false;
      return d;
    case TierOutcome::Pass:
    case TierOutcome::NoMatch:
      break;
  }
  d.allowed = true;
  d.decided_by = "no policy decides " + std::string(direction_name(dir)) + " of " +
                 subject.str() + ": allowed by default";
  if (want_trace) d.trace.push_back(d.decided_by);
  return d;
}

}  // namespace knetsim::models::policy
