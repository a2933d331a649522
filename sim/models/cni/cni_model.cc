// CNI plugin/mode -> encapsulation, MTU, per-packet CPU and policy support (see cni_model.h).
#include "sim/models/cni/cni_model.h"

namespace knetsim::models::cni {

const char* encap_name(Encap e) {
  switch (e) {
    case Encap::None:
      return "native";
    case Encap::Vxlan:
      return "vxlan";
    case Encap::Ipip:
      return "ipip";
    case Encap::Geneve:
      return "geneve";
    case Encap::Sleeve:
      return "sleeve";
  }
  return "?";
}

const char* crypto_name(Crypto c) {
  switch (c) {
    case Crypto::None:
      return "none";
    case Crypto::WireGuard:
      return "wireguard";
    case Crypto::Ipsec:
      return "ipsec";
    case Crypto::Nacl:
      return "nacl";
  }
  return "?";
}

std::string CniModel::label() const {
  std::string s = plugin + "/" + mode;
  if (ebpf && plugin == "calico") s += "+ebpf";
  if (crypto != Crypto::None && mode != crypto_name(crypto)) s += std::string("+") + crypto_name(crypto);
  return s;
}

namespace {

// Which tunnel and which crypto a plugin/mode/encryption combination means.
void choose_encap(const core::CniSpec& spec, CniModel& m) {
  const std::string& mode = spec.mode;
  switch (spec.plugin) {
    case core::CniPlugin::Calico:
      // Calico sends WireGuard traffic over its wireguard.cali device instead of the
      // IPIP/VXLAN tunnel, so encryption replaces the encapsulation.
      if (spec.encryption == "wireguard") {
        m.crypto = Crypto::WireGuard;
      } else {
        m.encap = mode == "vxlan" ? Encap::Vxlan : mode == "ipip" ? Encap::Ipip : Encap::None;
        if (spec.encryption == "ipsec") m.crypto = Crypto::Ipsec;
      }
      m.same_node = m.ebpf ? SameNode::EbpfRedirect : SameNode::RoutedVeth;
      break;
    case core::CniPlugin::Flannel:
      if (mode == "wireguard" || spec.encryption == "wireguard") {
        m.crypto = Crypto::WireGuard;  // the wireguard backend: no VXLAN underneath
      } else {
        m.encap = mode == "vxlan" ? Encap::Vxlan : Encap::None;
        if (spec.encryption == "ipsec") m.crypto = Crypto::Ipsec;
      }
      m.same_node = SameNode::Bridge;
      break;
    case core::CniPlugin::Weave:
      // fastdp: kernel VXLAN through the OVS datapath, encrypted with IPsec ESP;
      // sleeve: userspace UDP encapsulation, encrypted with NaCl.
      if (mode == "sleeve") {
        m.encap = Encap::Sleeve;
        if (spec.encryption != "none") m.crypto = Crypto::Nacl;
      } else {
        m.encap = Encap::Vxlan;
        if (spec.encryption != "none") m.crypto = Crypto::Ipsec;
      }
      m.same_node = SameNode::Bridge;
      break;
    case core::CniPlugin::Cilium:
      // Cilium keeps its tunnel and encrypts the tunnelled packet (overheads add up).
      m.encap = mode == "vxlan" ? Encap::Vxlan : mode == "geneve" ? Encap::Geneve : Encap::None;
      if (spec.encryption == "wireguard") m.crypto = Crypto::WireGuard;
      if (spec.encryption == "ipsec") m.crypto = Crypto::Ipsec;
      m.same_node = SameNode::EbpfRedirect;
      break;
  }
}

}  // namespace

CniModel cni_model(const core::CniSpec& spec, int underlay_mtu, const core::Profile& p) {
  CniModel m;
  m.plugin = core::cni_plugin_name(spec.plugin);
  m.mode = spec.mode;
  m.ebpf = spec.ebpf || spec.plugin == core::CniPlugin::Cilium;
  m.replaces_kube_proxy = spec.kube_proxy_replacement;
  m.enforces_policy = spec.plugin != core::CniPlugin::Flannel;
  m.underlay_mtu = underlay_mtu;
  choose_encap(spec, m);

  switch (m.encap) {
    case Encap::None:
      break;
    case Encap::Vxlan:
      m.overhead_bytes += static_cast<int>(p.get("vxlan_header_bytes"));
      m.encap_ns += p.get("vxlan_encap_ns");
      m.decap_ns += p.get("vxlan_decap_ns");
      break;
    case Encap::Geneve:
      m.overhead_bytes += static_cast<int>(p.get("geneve_header_bytes"));
      m.encap_ns += p.get("geneve_encap_ns");
      m.decap_ns += p.get("geneve_decap_ns");
      break;
    case Encap::Ipip:
      m.overhead_bytes += static_cast<int>(p.get("ipip_header_bytes"));
      m.encap_ns += p.get("ipip_encap_ns");
      m.decap_ns += p.get("ipip_decap_ns");
      break;
    case Encap::Sleeve:
      m.overhead_bytes += static_cast<int>(p.get("weave_sleeve_header_bytes"));
      m.encap_ns += p.get("weave_sleeve_packet_ns");
      m.decap_ns += p.get("weave_sleeve_packet_ns");
      break;
  }
  switch (m.crypto) {
    case Crypto::None:
      break;
    case Crypto::WireGuard:
      m.overhead_bytes += static_cast<int>(p.get("wireguard_header_bytes"));
      m.encap_ns += p.get("wireguard_packet_ns");
      m.decap_ns += p.get("wireguard_packet_ns");
      m.crypto_byte_ns = p.get("wireguard_byte_ns");
      break;
    case Crypto::Ipsec:
      m.overhead_bytes += static_cast<int>(p.get("ipsec_header_bytes"));
      m.encap_ns += p.get("ipsec_packet_ns");
      m.decap_ns += p.get("ipsec_packet_ns");
      m.crypto_byte_ns = p.get("ipsec_byte_ns");
      break;
    case Crypto::Nacl:
      m.crypto_byte_ns = p.get("weave_nacl_byte_ns");
      break;
  }

  // Pod MTU: written, or the plugin's automatic choice.
  int auto_mtu = underlay_mtu - m.overhead_bytes;
  if (spec.plugin == core::CniPlugin::Weave) {
    auto_mtu = std::min(auto_mtu, static_cast<int>(p.get("weave_default_mtu")));
  }
  m.mtu_configured = spec.mtu.has_value();
  m.pod_mtu = spec.mtu.value_or(auto_mtu);
  m.mtu_black_hole = m.overhead_bytes > 0 && m.pod_mtu + m.overhead_bytes > underlay_mtu;

  double veth = p.get("veth_hop_ns");
  double route = p.get("host_route_ns");
  double bridge = p.get("bridge_forward_ns");
  double redirect = p.get("ebpf_redirect_ns");
  switch (m.same_node) {
    case SameNode::Bridge:
      m.same_node_ns = 2 * veth + bridge;
      m.to_wire_ns = veth + bridge + route;
      m.from_wire_ns = route + bridge + veth;
      break;
    case SameNode::RoutedVeth:
      m.same_node_ns = 2 * veth + route;
      m.to_wire_ns = veth + route;
      m.from_wire_ns = route + veth;
      break;
    case SameNode::EbpfRedirect:
      m.same_node_ns = redirect;
      m.to_wire_ns = redirect;
      m.from_wire_ns = redirect;
      break;
  }
  if (m.enforces_policy) {
    m.policy_check_ns = p.get(m.ebpf ? "ebpf_policy_check_ns" : "iptables_policy_check_ns");
  }
  return m;
}

}  // namespace knetsim::models::cni
