// The iptables compiler against kube-proxy's own expectations: the rule counts of
// TestNumberIptablesRules and the whole ruleset of TestOverallIPTablesRules (kube-proxy 1.33),
// plus golden dumps of small cases (tests/golden/kubeproxy/).
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "sim/models/kubeproxy/iptables_compiler.h"
#include "tests/models/kubeproxy/golden.h"
#include "tests/models/kubeproxy/kube_proxy_fixtures.h"

namespace knetsim::models::kubeproxy {
namespace {

using namespace testing;

struct CountCase {
  int services;
  int endpoints;
  bool load_balancer;
  size_t filter_rules;
  size_t nat_rules;
};

// number_generated_rules_test.go, TestNumberIptablesRules (current master: KUBE-FIREWALL and the
// nfacct localhost NodePort rule included).
const CountCase kCountCases[] = {
    {0, 0, false, 4, 5},    {1, 0, false, 5, 5},    {1, 1, false, 4, 10},
    {1, 2, false, 4, 13},   {1, 10, false, 4, 37},  {10, 0, false, 14, 5},
    {10, 1, false, 4, 55},  {10, 2, false, 4, 85},  {10, 10, false, 4, 325},
    {0, 0, true, 4, 5},     {1, 0, true, 8, 5},     {1, 1, true, 5, 18},
    {1, 2, true, 5, 21},    {1, 10, true, 5, 45},   {10, 0, true, 44, 5},
    {10, 1, true, 14, 135}, {10, 2, true, 14, 165}, {10, 10, true, 14, 405},
};

TEST(IptablesRules, CountsMatchKubeProxyNumberOfRulesTest) {
  for (const auto& tc : kCountCases) {
    core::Cluster c = generated_rules_cluster(tc.services, tc.endpoints, tc.load_balancer);
    IptablesRuleSet rs = compile_iptables(build_node_view(c, 0), fake_proxier_options(c));
    SCOPED_TRACE(std::to_string(tc.services) + " services x " + std::to_string(tc.endpoints) +
                 (tc.load_balancer ? " LoadBalancer" : " ClusterIP"));
    EXPECT_EQ(rs.filter.rule_count(), tc.filter_rules);
    EXPECT_EQ(rs.nat.rule_count(), tc.nat_rules);
  }
}

TEST(IptablesRules, OverallRulesetMatchesKubeProxy) {
  core::Cluster c = overall_rules_cluster();
  IptablesRuleSet rs = compile_iptables(build_node_view(c, 0), fake_proxier_options(c));
  expect_golden("overall_iptables.txt", normalize_iptables(rs.dump()));
}

TEST(IptablesRules, SmallClusterIpDumpGolden) {
  core::Cluster c = generated_rules_cluster(2, 3, false);
  IptablesRuleSet rs = compile_iptables(build_node_view(c, 0), fake_proxier_options(c));
  expect_golden("clusterip_2x3_iptables.txt", rs.dump());
}

TEST(IptablesRules, SmallLoadBalancerDumpGolden) {
  core::Cluster c = generated_rules_cluster(1, 2, true);
  IptablesRuleSet rs = compile_iptables(build_node_view(c, 0), fake_proxier_options(c));
  expect_golden("loadbalancer_1x2_iptables.txt", rs.dump());
}

TEST(IptablesRules, CountsEqualWhatTheDumpContains) {
  core::Cluster c = overall_rules_cluster();
  IptablesRuleSet rs = compile_iptables(build_node_view(c, 0), fake_proxier_options(c));
  std::istringstream in(rs.dump());
  std::string line, table;
  std::map<std::string, size_t> rules, chains;
  while (std::getline(in, line)) {
    if (line[0] == '*') table = line.substr(1);
    if (line[0] == ':') ++chains[table];
    if (line.rfind("-A ", 0) == 0) ++rules[table];
  }
  EXPECT_EQ(rules["filter"], rs.filter.rule_count());
  EXPECT_EQ(rules["nat"], rs.nat.rule_count());
  EXPECT_EQ(chains["filter"], rs.filter.chain_count());
  EXPECT_EQ(chains["nat"], rs.nat.chain_count());
  size_t by_chain = 0;
  for (auto& [name, n] : rs.nat.rules_by_chain()) by_chain += n;
  EXPECT_EQ(by_chain, rs.nat.rule_count());
}

TEST(IptablesRules, LargeClusterModeDropsEndpointComments) {
  // 101 services x 10 endpoints = 1010 endpoints > 1000: kube-proxy drops per-endpoint comments.
  core::Cluster big = generated_rules_cluster(101, 10, false);
  std::string dump = compile_iptables(build_node_view(big, 0), fake_proxier_options(big)).dump();
  EXPECT_NE(dump.find("-A KUBE-SEP-"), std::string::npos);
  EXPECT_EQ(dump.find("--comment namespace/svc0:8080 -s"), std::string::npos);
  EXPECT_EQ(dump.find("-> 172.16.0.1:8080"), std::string::npos);
  EXPECT_NE(dump.find("\"namespace/svc0:8080 cluster IP\""), std::string::npos);
  core::Cluster small = generated_rules_cluster(100, 10, false);  // exactly 1000: not large
  std::string d2 = compile_iptables(build_node_view(small, 0), fake_proxier_options(small)).dump();
  EXPECT_NE(d2.find("-> 172.16.0.1:8080"), std::string::npos);
}

TEST(IptablesRules, ProbabilitiesPrintedAsKubeProxyPrintsThem) {
  EXPECT_EQ(iptables_probability(2), "0.5000000000");
  EXPECT_EQ(iptables_probability(3), "0.3333333333");
  EXPECT_EQ(iptables_probability(7), "0.1428571429");
}

TEST(IptablesRules, PrintedProbabilitiesGiveEveryEndpointOneNth) {
  // Property: walking the statistic rules with the printed (rounded) probabilities gives each
  // of n endpoints probability 1/n within the rounding of 10 decimals.
  for (int n : {1, 2, 3, 5, 7, 10, 33, 100, 1000}) {
    double remaining = 1.0;
    for (int i = 0; i < n; ++i) {
      double p = i + 1 < n ? std::stod(iptables_probability(n - i)) : 1.0;
      double chosen = remaining * p;
      EXPECT_NEAR(chosen, 1.0 / n, 1e-8) << "n=" << n << " i=" << i;
      remaining -= chosen;
    }
    EXPECT_NEAR(remaining, 0.0, 1e-12);
  }
}

TEST(IptablesRules, MasqueradeAllAndNodePortAddressesChangeOutput) {
  core::Cluster c = generated_rules_cluster(1, 1, true);
  ProxyOptions o = fake_proxier_options(c);
  o.masquerade_all = true;
  o.node_port_addresses = {"192.168.0.0/24"};
  std::string dump = compile_iptables(build_node_view(c, 0), o).dump();
  EXPECT_NE(dump.find("--dport 80 -j KUBE-MARK-MASQ"), std::string::npos);
  EXPECT_NE(dump.find("-d 192.168.0.2 -j KUBE-NODEPORTS"), std::string::npos);
  EXPECT_EQ(dump.find("--dst-type LOCAL -j KUBE-NODEPORTS"), std::string::npos);
  // 127.0.0.1 is not a NodePort address, so localhost NodePorts are off: no KUBE-FIREWALL.
  EXPECT_EQ(dump.find(":KUBE-FIREWALL"), std::string::npos);
  ProxyOptions o2 = fake_proxier_options(c);
  o2.localhost_node_ports = false;
  std::string d2 = compile_iptables(build_node_view(c, 0), o2).dump();
  EXPECT_NE(d2.find("--dst-type LOCAL ! -d 127.0.0.0/8 -j KUBE-NODEPORTS"), std::string::npos);
}

}  // namespace
}  // namespace knetsim::models::kubeproxy
