// CNI models: default pod MTUs per plugin/mode, overheads, policy support.
#include <gtest/gtest.h>

#include "sim/models/cni/cni_model.h"
#include "sim/models/profiles/profiles.h"

namespace knetsim::models::cni {
namespace {

CniModel model(core::CniPlugin plugin, const std::string& mode, const std::string& enc = "none",
               std::optional<int> mtu = std::nullopt, int underlay = 1500) {
  core::CniSpec s;
  s.plugin = plugin;
  s.mode = mode;
  s.encryption = enc;
  s.mtu = mtu;
  static core::Profile p = load_profile("default", "");
  return cni_model(s, underlay, p);
}

TEST(CniModel, CalicoDefaultMtusMatchTheCalicoDocs) {
  EXPECT_EQ(model(core::CniPlugin::Calico, "bgp").pod_mtu, 1500);
  EXPECT_EQ(model(core::CniPlugin::Calico, "ipip").pod_mtu, 1480);
  EXPECT_EQ(model(core::CniPlugin::Calico, "vxlan").pod_mtu, 1450);
  EXPECT_EQ(model(core::CniPlugin::Calico, "vxlan", "wireguard").pod_mtu, 1440);
  EXPECT_EQ(model(core::CniPlugin::Calico, "vxlan", "none", std::nullopt, 9000).pod_mtu, 8950);
  EXPECT_EQ(model(core::CniPlugin::Calico, "ipip", "none", std::nullopt, 9000).pod_mtu, 8980);
}

TEST(CniModel, FlannelWeaveCiliumDefaults) {
  EXPECT_EQ(model(core::CniPlugin::Flannel, "vxlan").pod_mtu, 1450);
  EXPECT_EQ(model(core::CniPlugin::Flannel, "host-gw").pod_mtu, 1500);
  EXPECT_EQ(model(core::CniPlugin::Weave, "fastdp").pod_mtu, 1376);
  EXPECT_EQ(model(core::CniPlugin::Cilium, "native").pod_mtu, 1500);
  EXPECT_EQ(model(core::CniPlugin::Cilium, "vxlan").pod_mtu, 1450);
  EXPECT_EQ(model(core::CniPlugin::Cilium, "geneve").pod_mtu, 1450);
  // Cilium encrypts the tunnelled packet: both overheads.
  EXPECT_EQ(model(core::CniPlugin::Cilium, "vxlan", "wireguard").overhead_bytes, 110);
}

TEST(CniModel, OnlyFlannelLeavesPolicyUnenforced) {
  EXPECT_FALSE(model(core::CniPlugin::Flannel, "vxlan").enforces_policy);
  EXPECT_TRUE(model(core::CniPlugin::Calico, "bgp").enforces_policy);
  EXPECT_TRUE(model(core::CniPlugin::Weave, "fastdp").enforces_policy);
  EXPECT_TRUE(model(core::CniPlugin::Cilium, "native").enforces_policy);
}

TEST(CniModel, NativeRoutingHasNoEncapCost) {
  CniModel bgp = model(core::CniPlugin::Calico, "bgp");
  CniModel vx = model(core::CniPlugin::Calico, "vxlan");
  EXPECT_EQ(bgp.overhead_bytes, 0);
  EXPECT_EQ(bgp.encap_ns, 0);
  EXPECT_GT(vx.encap_ns, 0);
  EXPECT_GT(vx.decap_ns, 0);
  EXPECT_GT(model(core::CniPlugin::Weave, "sleeve").encap_ns, vx.encap_ns);
}

TEST(CniModel, AnMtuIgnoringTheTunnelIsABlackHole) {
  EXPECT_TRUE(model(core::CniPlugin::Calico, "vxlan", "none", 1500).mtu_black_hole);
  EXPECT_FALSE(model(core::CniPlugin::Calico, "vxlan", "none", 1450).mtu_black_hole);
  EXPECT_FALSE(model(core::CniPlugin::Calico, "bgp", "none", 1500).mtu_black_hole);
}

TEST(CniModel, EbpfDataplanesRedirectBetweenPods) {
  CniModel cil = model(core::CniPlugin::Cilium, "native");
  CniModel cal = model(core::CniPlugin::Calico, "bgp");
  EXPECT_EQ(cil.same_node, SameNode::EbpfRedirect);
  EXPECT_LT(cil.same_node_ns, cal.same_node_ns);
  EXPECT_LT(cil.policy_check_ns, cal.policy_check_ns);
}

}  // namespace
}  // namespace knetsim::models::cni
