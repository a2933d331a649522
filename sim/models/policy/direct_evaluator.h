// The pair-by-pair evaluator: one direction of one connection, walked exactly as the APIs define
// it — Admin tier (cluster-scoped policies by priority, rules in order, first match decides;
// Pass hands over to the next tier), then NetworkPolicies (a pod is isolated for a direction only
// when some policy selects it for that direction; policies are additive), then the Baseline tier,
// then the default (allowed). It records every step it takes so `reach --explain` can show why.
// It is the reference the class-compressed engine is property-tested against.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "sim/core/cluster.h"
#include "sim/models/policy/endpoint.h"

namespace knetsim::models::policy {

enum class Direction { Ingress, Egress };
const char* direction_name(Direction d);

struct Decision {
  bool allowed = true;
  std::string decided_by;          // one line: the rule or default that decided
  std::vector<std::string> trace;  // every policy consulted, in evaluation order (when asked)
};

class DirectEvaluator {
 public:
  // include_cluster_policies = false evaluates NetworkPolicies only (a CNI without ANP support).
  DirectEvaluator(const core::Cluster& cluster, bool include_cluster_policies = true);

  // `subject` owns the direction (the destination for Ingress, the source for Egress); `peer` is
  // the other end; `server` is the destination, against which named ports are resolved.
  Decision evaluate(Direction dir, const Endpoint& subject, const Endpoint& peer,
                    const Endpoint& server, int port, core::Protocol protocol,
                    bool want_trace) const;

  const core::Cluster& cluster() const { return cluster_; }
  const std::vector<size_t>& admin_order() const { return admin_order_; }
  const std::vector<size_t>& baseline_order() const { return baseline_order_; }

 private:
  enum class TierOutcome { Accept, Deny, Pass, NoMatch };
  TierOutcome walk_tier(const std::vector<size_t>& order, Direction dir, const Endpoint& subject,
                        const Endpoint& peer, const Endpoint& server, int port,
                        core::Protocol protocol, Decision& d, bool want_trace) const;
  // NetworkPolicy tier: nullopt when no policy isolates the subject for this direction.
  std::optional<bool> network_policies(Direction dir, const Endpoint& subject, const Endpoint& peer,
                                       const Endpoint& server, int port, core::Protocol protocol,
                                       Decision& d, bool want_trace) const;

  const core::Cluster& cluster_;
  std::map<std::string, std::vector<size_t>> np_by_ns_;
  std::vector<size_t> admin_order_;     // cluster policies of the Admin tier, by priority, name
  std::vector<size_t> baseline_order_;  // Baseline tier
};

// Policy identity for messages: "NetworkPolicy x/allow-a".
std::string np_label(const core::NetworkPolicy& p);
std::string port_label(int port, core::Protocol protocol);

}  // namespace knetsim::models::policy
