// The matching primitives of both policy families, shared by the direct (pair-by-pair) evaluator
// and the class-compressed matrix engine so the two agree by construction on what a selector,
// peer or port means; they differ only in how they combine the results.
#pragma once

#include "sim/core/cluster_network_policy.h"
#include "sim/core/network_policy.h"
#include "sim/models/policy/endpoint.h"

namespace knetsim::models::policy {

// NetworkPolicy: does `policy` select this pod? (same namespace, podSelector; never hostNetwork)
bool np_selects(const core::NetworkPolicy& policy, const Endpoint& e);
// Does one `from`/`to` entry of `policy` match this endpoint? A peer without namespaceSelector
// means the policy's own namespace; podSelector AND namespaceSelector when both are set; ipBlock
// matches any endpoint's address (pod IPs included), minus its `except` blocks.
bool np_peer_matches(const core::NetworkPolicy& policy, const core::NetworkPolicyPeer& peer,
                     const Endpoint& e);
// Do a rule's ports admit (port, protocol) on the destination `server`? No ports: every port.
// A named port is resolved against the destination pod's container ports (name and protocol).
bool np_port_matches(const core::NetworkPolicyPort& p, const Endpoint& server, int port,
                     core::Protocol protocol);
bool np_ports_match(const std::vector<core::NetworkPolicyPort>& ports, const Endpoint& server,
                    int port, core::Protocol protocol);

// Cluster-scoped policies.
bool cnp_selector_matches(const core::NamespacedPodSelector& sel, const Endpoint& e);
bool cnp_selects(const core::ClusterNetworkPolicy& policy, const Endpoint& e);
bool cnp_peer_matches(const core::ClusterPolicyPeer& peer, const Endpoint& e);
bool cnp_ports_match(const std::vector<core::ClusterPolicyPort>& ports, const Endpoint& server,
                     int port, core::Protocol protocol);

}  // namespace knetsim::models::policy
