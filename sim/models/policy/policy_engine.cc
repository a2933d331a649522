#include "sim/models/policy/policy_engine.h"

namespace knetsim::models::policy {

namespace {

Enforcement enforcement_for(const core::Cluster& c) {
  return enforcement_of(c.cni, !c.network_policies.empty(), !c.cluster_network_policies.empty());
}

}  // namespace

PolicyEngine::PolicyEngine(const core::Cluster& cluster) : PolicyEngine(cluster, Options{}) {}

PolicyEngine::PolicyEngine(const core::Cluster& cluster, Options options)
    : cluster_(cluster),
      options_(options),
      enforcement_(enforcement_for(cluster)),
      written_(cluster, true),
      enforced_(cluster, enforcement_.cluster_policies) {}

Explanation PolicyEngine::evaluate(const Endpoint& src, const Endpoint& dst, bool self, int port,
                                   core::Protocol protocol, bool want_trace) const {
  Explanation ex;
  ex.src = src;
  ex.dst = dst;
  ex.port = port;
  ex.protocol = protocol;
  ex.self = self;
  ex.enforcement_warning = enforcement_.warning;
  Verdict& v = ex.verdict;
  if (self && !options_.evaluate_self) {
    v.reason = "self traffic (" + src.str() + " to itself) is not subject to policy";
    ex.egress.decided_by = ex.ingress.decided_by = v.reason;
    return ex;
  }
  // Egress of the client: a source outside the pod network has no egress policy.
  if (src.pod) {
    ex.egress = written_.evaluate(Direction::Egress, src, dst, dst, port, protocol, want_trace);
  } else {
    ex.egress.decided_by = src.str() + " is outside the pod network: no egress policy applies";
  }
  ex.ingress = written_.evaluate(Direction::Ingress, dst, src, dst, port, protocol, want_trace);
  v.allowed_as_written = ex.egress.allowed && ex.ingress.allowed;
  if (!ex.egress.allowed) {
    v.reason = "egress of " + src.str() + " denied: " + ex.egress.decided_by;
  } else if (!ex.ingress.allowed) {
    v.reason = "ingress of " + dst.str() + " denied: " + ex.ingress.decided_by;
  } else {
    v.reason = "allowed: egress: " + ex.egress.decided_by + "; ingress: " + ex.ingress.decided_by;
  }
  if (!enforcement_.network_policies) {
    v.allowed = true;
    if (!v.allowed_as_written) v.reason += " (not enforced: " + enforcement_.warning + ")";
  } else if (!enforcement_.cluster_policies && !cluster_.cluster_network_policies.empty()) {
    bool e_ok = !src.pod ||
                enforced_.evaluate(Direction::Egress, src, dst, dst, port, protocol, false).allowed;
    bool i_ok = enforced_.evaluate(Direction::Ingress, dst, src, dst, port, protocol, false).allowed;
    v.allowed = e_ok && i_ok;
    if (v.allowed != v.allowed_as_written) v.reason += " (as enforced: cluster-scoped policies ignored)";
  } else {
    v.allowed = v.allowed_as_written;
  }
  return ex;
}

bool PolicyEngine::egress_allowed(core::PodId src, core::PodId dst, int port,
                                  core::Protocol protocol, bool as_written) const {
  if (src == dst && !options_.evaluate_self) return true;
  if (!as_written && !enforcement_.network_policies) return true;
  const DirectEvaluator& e = as_written ? written_ : enforced_;
  Endpoint s = pod_endpoint(cluster_, src), d = pod_endpoint(cluster_, dst);
  return e.evaluate(Direction::Egress, s, d, d, port, protocol, false).allowed;
}

Verdict PolicyEngine::check(core::PodId src, core::PodId dst, int port,
                            core::Protocol protocol) const {
  return evaluate(pod_endpoint(cluster_, src), pod_endpoint(cluster_, dst), src == dst, port,
                  protocol, false)
      .verdict;
}

Verdict PolicyEngine::check_from_ip(core::Ipv4 src, core::PodId dst, int port,
                                    core::Protocol protocol) const {
  if (auto pod = cluster_.pod_by_ip(src)) return check(*pod, dst, port, protocol);
  return evaluate(ip_endpoint(cluster_, src), pod_endpoint(cluster_, dst), false, port, protocol,
                  false)
      .verdict;
}

Explanation PolicyEngine::explain(core::PodId src, core::PodId dst, int port,
                                  core::Protocol protocol) const {
  return evaluate(pod_endpoint(cluster_, src), pod_endpoint(cluster_, dst), src == dst, port,
                  protocol, true);
}

Explanation PolicyEngine::explain_from_ip(core::Ipv4 src, core::PodId dst, int port,
                                          core::Protocol protocol) const {
  // An address that belongs to a pod is that pod (its policies and labels apply).
  if (auto pod = cluster_.pod_by_ip(src)) return explain(*pod, dst, port, protocol);
  return evaluate(ip_endpoint(cluster_, src), pod_endpoint(cluster_, dst), false, port, protocol,
                  true);
}

}  // namespace knetsim::models::policy
