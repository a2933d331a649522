// The nftables compiler: kube-proxy's chain naming, the shape of its table, and the property
// that service dispatch is one verdict-map rule whatever the number of services.
#include <gtest/gtest.h>

#include "sim/models/kubeproxy/nftables_compiler.h"
#include "tests/models/kubeproxy/golden.h"
#include "tests/models/kubeproxy/kube_proxy_fixtures.h"
#include "tests/models/kubeproxy/test_clusters.h"

namespace knetsim::models::kubeproxy {
namespace {

using namespace testing;

TEST(NftablesRules, ChainNamesLikeKubeProxy) {
  // Examples given in pkg/proxy/nftables/proxier.go's comments.
  EXPECT_EQ(nft_chain_base("ns1/svc1/tcp/p80"), "ULMVA6XW-ns1/svc1/tcp/p80");
  EXPECT_EQ(nft_chain_base("ns1/svc1/tcp/p80__10.180.0.1/80"),
            "5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80");
}

TEST(NftablesRules, DispatchIsOneVmapRuleAtAnyServiceCount) {
  for (int n : {1, 10, 100, 1000, 5000}) {
    core::Cluster c = generated_cluster(n, 2, "nftables", 2);
    NftRuleSet rs = compile_nftables(c, 0);
    SCOPED_TRACE(n);
    // services: the @service-ips vmap rule and the @service-nodeports vmap rule, nothing else.
    EXPECT_EQ(rs.rules_in("services"), 2u);
    ASSERT_NE(rs.find_set("service-ips"), nullptr);
    EXPECT_EQ(rs.find_set("service-ips")->elements.size(), static_cast<size_t>(n));
    EXPECT_EQ(rs.find_set("cluster-ips")->elements.size(), static_cast<size_t>(n));
  }
}

TEST(NftablesRules, OverallRulesetGolden) {
  core::Cluster c = overall_rules_cluster();
  ProxyOptions o = fake_proxier_options(c);
  o.service_cidrs = {cidr("172.30.0.0/16")};
  NftRuleSet rs = compile_nftables(build_node_view(c, 0), o);
  expect_golden("overall_nftables.nft", rs.dump());
  // What kube-proxy's TestOverallNFTablesRules expects for these services.
  const NftSet* no_ep = rs.find_set("no-endpoint-services");
  ASSERT_NE(no_ep, nullptr);
  EXPECT_EQ(no_ep->elements.size(), 3u);  // svc6 cluster IP; svc2 external IP and LB IP (drop)
  EXPECT_EQ(rs.find_set("no-endpoint-nodeports")->elements.size(), 1u);  // svc2's node port
  EXPECT_EQ(rs.find_set("firewall-ips")->elements.size(), 1u);            // svc5's LB IP
  EXPECT_EQ(rs.find_set("service-nodeports")->elements.size(), 3u);       // svc2, svc3, svc5
  EXPECT_EQ(rs.rules_in("service-ULMVA6XW-ns1/svc1/tcp/p80"), 2u);
}

TEST(NftablesRules, DumpCountsEqualTheScript) {
  core::Cluster c = generated_rules_cluster(10, 3, true);
  NftRuleSet rs = compile_nftables(build_node_view(c, 0), fake_proxier_options(c));
  std::string d = rs.dump();
  EXPECT_EQ(count_lines(d, "add rule "), rs.rule_count());
  EXPECT_EQ(count_lines(d, "add chain "), rs.chains().size());
  EXPECT_EQ(count_lines(d, "add element "), rs.element_count());
}

}  // namespace
}  // namespace knetsim::models::kubeproxy
