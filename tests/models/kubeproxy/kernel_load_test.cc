// Loads generated dumps into the real tools inside a network namespace the test creates:
// iptables-restore for the iptables mode, nft -f for the nftables mode, ipset restore for the
// IPVS mode's sets. Skips with the reason when not root or a tool is missing.
#include <gtest/gtest.h>
#include <unistd.h>

#include <iostream>

#include "sim/models/kubeproxy/iptables_compiler.h"
#include "sim/models/kubeproxy/ipvs_compiler.h"
#include "sim/models/kubeproxy/userspace_compiler.h"
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

// Both traffic policies Local on a NodePort: KUBE-EXT's pod-traffic short circuit jumps to the
// cluster chain, so KUBE-SVC must exist (kube-proxy's UsesClusterEndpoints; a fuzz_rules finding).
core::Cluster both_policies_local_cluster() {
  return cluster_from_text(R"(apiVersion: knetsim/v1
kind: Scenario
cluster: {nodes: {count: 2}, apiServerService: false}
objects:
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: web}
  spec:
    replicas: 2
    selector: {matchLabels: {app: web}}
    template:
      metadata: {labels: {app: web}}
      spec: {containers: [{name: web, image: nginx, ports: [{containerPort: 8080}]}]}
- apiVersion: v1
  kind: Service
  metadata: {name: web}
  spec:
    type: NodePort
    externalTrafficPolicy: Local
    internalTrafficPolicy: Local
    selector: {app: web}
    ports: [{port: 80, targetPort: 8080}]
)");
}

TEST(KernelLoad, IptablesBothTrafficPoliciesLocalLoads) { load_iptables(both_policies_local_cluster()); }

TEST(KernelLoad, NftablesBothTrafficPoliciesLocalLoads) {
  load_nftables(both_policies_local_cluster());
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

// IPVS itself is not in this kernel (the IPVS state is modelled only), but its ipsets and the
// fixed iptables rules that match them load into the real ipset and iptables-restore.
void load_ipvs_sets_and_rules(const core::Cluster& c) {
  std::string blocker = kernel_test_blocker({"ip", "ipset", "iptables-restore"});
  if (!blocker.empty()) GTEST_SKIP() << "kernel test skipped: " << blocker;
  Netns ns;
  ASSERT_TRUE(ns.ok()) << "could not create network namespace " << ns.name();
  IpvsState st = compile_ipvs(build_node_view(c, 0), ProxyOptions::for_cluster(c));
  CommandResult r = ns.exec("ipset restore", st.ipset_dump());
  ASSERT_EQ(r.status, 0) << "ipset restore rejected the dump:\n" << r.output;
  CommandResult saved = ns.exec("ipset save");
  size_t entries = 0;
  for (const auto& s : st.ipsets) entries += s.entries.size();
  EXPECT_EQ(count_lines_starting(saved.output, "add "), entries);
  std::string rules = st.iptables.dump();
  if (rules.find("-m ipvs") != std::string::npos && access("/proc/net/ip_vs", F_OK) != 0) {
    // The xt_ipvs match (KUBE-IPVS-OUT-FILTER) needs IPVS in the kernel; this one has none.
    std::cout << "note: not loading the iptables part: it uses -m ipvs and this kernel has no "
                 "IPVS\n";
    return;
  }
  CommandResult ipt = ns.exec("iptables-restore --noflush", rules);
  ASSERT_EQ(ipt.status, 0) << "iptables-restore rejected the IPVS-mode rules:\n" << ipt.output;
}

TEST(KernelLoad, IpvsSetsAndRulesLoad) { load_ipvs_sets_and_rules(overall_rules_cluster()); }

TEST(KernelLoad, Ipvs1000ServicesSetsLoad) {
  load_ipvs_sets_and_rules(generated_cluster(1000, 3, "ipvs", 3));
}

TEST(KernelLoad, UserspaceRulesLoad) {
  std::string blocker = kernel_test_blocker({"ip", "iptables-restore"});
  if (!blocker.empty()) GTEST_SKIP() << "kernel test skipped: " << blocker;
  Netns ns;
  ASSERT_TRUE(ns.ok());
  core::Cluster c = overall_rules_cluster();
  UserspaceState st = compile_userspace(build_node_view(c, 0), ProxyOptions::for_cluster(c));
  CommandResult r = ns.exec("iptables-restore --noflush", st.iptables.dump());
  ASSERT_EQ(r.status, 0) << r.output;
}

}  // namespace
}  // namespace knetsim::models::kubeproxy
