// NetworkPolicy (networking.k8s.io/v1), kept faithfully so the policy engine can apply the
// exact API semantics. Empty vectors carry the API meaning: no `ports` = all ports, no peers in
// a rule = all peers; an absent `ingress`/`egress` list = no rules (deny when isolated).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/core/ip.h"
#include "sim/core/labels.h"
#include "sim/core/protocol.h"
#include "sim/core/source_ref.h"

namespace knetsim::core {

struct NetworkPolicyPort {
  Protocol protocol = Protocol::TCP;  // defaults to TCP, as in the API
  std::optional<PortRef> port;        // absent: every port of the protocol
  std::optional<int> end_port;        // only with a numeric port
};

struct IpBlock {
  Cidr cidr;
  std::vector<Cidr> except;
  bool contains(Ipv4 ip) const;
};

// One entry of `from`/`to`. Exactly one of {pod/namespace selectors, ipBlock} is set.
struct NetworkPolicyPeer {
  std::optional<LabelSelector> pod_selector;
  std::optional<LabelSelector> namespace_selector;
  std::optional<IpBlock> ip_block;
};

struct NetworkPolicyRule {
  std::vector<NetworkPolicyPort> ports;  // empty: all ports
  std::vector<NetworkPolicyPeer> peers;  // empty: all sources/destinations
  SourceRef source;
};

struct NetworkPolicy {
  std::string ns;
  std::string name;
  Labels labels;
  LabelSelector pod_selector;  // empty selects every pod in ns
  std::vector<NetworkPolicyRule> ingress;
  std::vector<NetworkPolicyRule> egress;
  // policyTypes, resolved: when not written, Ingress is always set and Egress only if the
  // policy has egress rules (the API server's defaulting).
  bool affects_ingress = true;
  bool affects_egress = false;
  bool policy_types_given = false;
  SourceRef source;

  std::string key() const { return ns + "/" + name; }
};

}  // namespace knetsim::core
