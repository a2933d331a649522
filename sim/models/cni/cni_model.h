// What a CNI plugin in a given mode does to pod traffic, as numbers the path model prices:
// the encapsulation (header bytes per packet, encap/decap CPU per packet, only across nodes),
// encryption, the pod MTU it configures, how a packet moves between pods of one node, and
// whether it enforces NetworkPolicy and at what cost. Every number comes from the profile.
// Invariant: overhead_bytes == encap header + encryption header; pod_mtu is what pods use
// (auto: underlay MTU minus overhead; Weave: its documented default).
#pragma once

#include <string>

#include "sim/core/profile.h"
#include "sim/core/scenario.h"

namespace knetsim::models::cni {

enum class Encap { None, Vxlan, Ipip, Geneve, Sleeve };
enum class Crypto { None, WireGuard, Ipsec, Nacl };
enum class SameNode { Bridge, RoutedVeth, EbpfRedirect };

const char* encap_name(Encap e);
const char* crypto_name(Crypto c);

struct CniModel {
  std::string plugin;  // calico, flannel, weave, cilium
  std::string mode;    // as written in the scenario
  Encap encap = Encap::None;
  Crypto crypto = Crypto::None;
  SameNode same_node = SameNode::RoutedVeth;
  bool ebpf = false;                  // eBPF dataplane (Cilium, Calico eBPF)
  bool replaces_kube_proxy = false;   // service lookup done by the CNI's eBPF
  bool enforces_policy = true;

  int underlay_mtu = 1500;
  int overhead_bytes = 0;  // added to every cross-node packet
  int pod_mtu = 1500;
  bool mtu_configured = false;  // the user wrote an MTU
  // A configured pod MTU larger than the underlay can carry: full-size packets across nodes
  // are dropped (path MTU discovery across the tunnel does not save TCP here).
  bool mtu_black_hole = false;

  // CPU per packet (ns).
  double encap_ns = 0;       // on the sending node, cross-node only
  double decap_ns = 0;       // on the receiving node, cross-node only
  double crypto_byte_ns = 0; // per payload byte, each side, cross-node only
  double same_node_ns = 0;   // pod -> pod on one node (bridge, routed veth or redirect)
  double to_wire_ns = 0;     // pod -> NIC on the sending node (routing/bridge before encap)
  double from_wire_ns = 0;   // NIC -> pod on the receiving node
  double policy_check_ns = 0;  // per new connection and direction, when enforcing

  // "calico/vxlan", "cilium/native+wireguard", ...
  std::string label() const;
};

// The model for the scenario's CNI on an underlay of `underlay_mtu` bytes.
CniModel cni_model(const core::CniSpec& spec, int underlay_mtu, const core::Profile& profile);

}  // namespace knetsim::models::cni
