// Loads generated dumps into the real tools inside a network namespace the test creates:
// iptables-restore for the iptables mode, nft -f for the nftables mode, ipset restore for the
// IPVS mode's sets. Skips with the reason when not root or a tool is missing.
#include <gtest/gtest.h>

#include "sim/models/kubeproxy/iptables_compiler.h"
#include "sim/models/kubeproxy/nftables_compiler.h"
#include "tests/models/kubeproxy/kube_proxy_fixtures.h"
#include "tests/models/kubeproxy/netns.h"
#include "tests/models/kubeproxy/test_clusters.h"

namespace knetsim::models::kubeproxy {
namespace {

using namespace testing;

// kube-proxy leaves the nfacct matches out when it cannot create the counters; this kernel test
// does the same unless the nfacct tool can create them in the namespace.
ProxyOptions kernel_options(const core::Cluster& c, const Netns& ns) {
  ProxyOptions o = ProxyOptions::from(c.kube_proxy);
  o.nfacct = have_tool("nfacct") &&
             ns.exec("nfacct add ct_state_invalid_dropped_pkts").status == 0 &&
             ns.exec("nfacct add localhost_nps_accepted_pkts").status == 0;
  return o;
}

void load_iptables(const core::Cluster& c) {
  std::string blocker = kernel_test_blocker({"ip", "iptables-restore", "iptables-save"});
  if (!blocker.empty()) GTEST_SKIP() << "kernel test skipped: " << blocker;
  Netns ns;
  ASSERT_TRUE(ns.ok()) << "could not create network namespace " << ns.name();
  IptablesRuleSet rs = compile_iptables(build_node_view(c, 0), kernel_options(c, ns));
  CommandResult r = ns.exec("iptables-restore --noflush", rs.dump());
  ASSERT_EQ(r.status, 0) << "iptables-restore rejected the dump:\n" << r.output;
  CommandResult nat = ns.exec("iptables-save -t nat");
  ASSERT_EQ(nat.status, 0) << nat.output;
  EXPECT_EQ(count_lines_starting(nat.output, "-A KUBE-"), rs.nat.rule_count());
  CommandResult filter = ns.exec("iptables-save -t filter");
  EXPECT_EQ(count_lines_starting(filter.output, "-A KUBE-"), rs.filter.rule_count());
}

TEST(KernelLoad, IptablesOverallRulesetLoads) { load_iptables(overall_rules_cluster()); }

TEST(KernelLoad, Iptables1000ServicesLoad) {
  load_iptables(generated_cluster(1000, 3, "iptables", 3));
}

TEST(KernelLoad, IptablesLoadBalancerRulesetLoads) {
  load_iptables(generated_rules_cluster(10, 10, true));
}

void load_nftables(const core::Cluster& c) {
  std::string blocker = kernel_test_blocker({"ip", "nft"});
  if (!blocker.empty()) GTEST_SKIP() << "kernel test skipped: " << blocker;
  Netns ns;
  ASSERT_TRUE(ns.ok()) << "could not create network namespace " << ns.name();
  NftRuleSet rs = compile_nftables(build_node_view(c, 0), ProxyOptions::for_cluster(c));
  CommandResult r = ns.exec("nft -f -", rs.dump());
  ASSERT_EQ(r.status, 0) << "nft rejected the dump:\n" << r.output;
  CommandResult chains = ns.exec("nft list chains ip");
  ASSERT_EQ(chains.status, 0) << chains.output;
  EXPECT_EQ(count_lines_starting(chains.output, "\tchain "), rs.chains().size());
  CommandResult map = ns.exec("nft -j list map ip kube-proxy service-ips");
  EXPECT_EQ(map.status, 0) << map.output;
}

TEST(KernelLoad, NftablesOverallRulesetLoads) {
  core::Cluster c = overall_rules_cluster();
  c.spec.service_cidr = cidr("172.30.0.0/16");
  load_nftables(c);
}

TEST(KernelLoad, Nftables1000ServicesLoad) {
  load_nftables(generated_cluster(1000, 3, "nftables", 3));
}

TEST(KernelLoad, NftablesLoadBalancerAffinityLoads) {
  core::Cluster c = generated_rules_cluster(10, 10, true);
  for (auto& s : c.services) s.session_affinity = core::SessionAffinity::ClientIP;
  c.services[0].external_traffic_policy = core::TrafficPolicy::Local;
  load_nftables(c);
}

}  // namespace
}  // namespace knetsim::models::kubeproxy
