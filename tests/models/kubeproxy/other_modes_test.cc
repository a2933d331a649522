// IPVS, eBPF socket LB and userspace compilers: what kube-proxy (or Cilium) programs for the
// services of kube-proxy's TestOverallIPTablesRules, and how it scales.
#include <gtest/gtest.h>

#include "sim/models/kubeproxy/ebpf_compiler.h"
#include "sim/models/kubeproxy/ipvs_compiler.h"
#include "sim/models/kubeproxy/userspace_compiler.h"
#include "tests/models/kubeproxy/golden.h"
#include "tests/models/kubeproxy/kube_proxy_fixtures.h"
#include "tests/models/kubeproxy/test_clusters.h"

namespace knetsim::models::kubeproxy {
namespace {

using namespace testing;

TEST(IpvsRules, VirtualServersRealServersAndSets) {
  core::Cluster c = overall_rules_cluster();
  IpvsState st = compile_ipvs(build_node_view(c, 0), fake_proxier_options(c));
  // 6 cluster IPs + 2 external IPs + 2 LB IPs + 3 NodePorts on the node address.
  EXPECT_EQ(st.virtual_servers.size(), 13u);
  EXPECT_EQ(st.find_set("KUBE-CLUSTER-IP")->entries.size(), 6u);
  EXPECT_EQ(st.find_set("KUBE-EXTERNAL-IP")->entries.size(), 1u);        // svc4
  EXPECT_EQ(st.find_set("KUBE-EXTERNAL-IP-LOCAL")->entries.size(), 1u);  // svc2
  EXPECT_EQ(st.find_set("KUBE-LOAD-BALANCER")->entries.size(), 2u);
  EXPECT_EQ(st.find_set("KUBE-LOAD-BALANCER-LOCAL")->entries.size(), 1u);
  EXPECT_EQ(st.find_set("KUBE-LOAD-BALANCER-FW")->entries.size(), 1u);
  EXPECT_EQ(st.find_set("KUBE-LOAD-BALANCER-SOURCE-CIDR")->entries,
            std::vector<std::string>{"5.6.7.8,tcp:80,203.0.113.0/25"});
  EXPECT_EQ(st.find_set("KUBE-NODE-PORT-TCP")->entries.size(), 3u);
  EXPECT_EQ(st.find_set("KUBE-NODE-PORT-LOCAL-TCP")->entries, std::vector<std::string>{"3001"});
  EXPECT_EQ(st.find_set("KUBE-HEALTH-CHECK-NODE-PORT")->entries, std::vector<std::string>{"30000"});
  EXPECT_EQ(st.find_set("KUBE-LOOP-BACK")->entries,
            std::vector<std::string>{"10.180.0.5,tcp:80,10.180.0.5"});  // svc4's local endpoint
  // kube-ipvs0 holds the 6 cluster IPs, 2 external IPs and 2 LB IPs.
  EXPECT_EQ(st.bound_addresses.size(), 10u);
  // svc5 has ClientIP affinity: persistent virtual servers with its timeout.
  int persistent = 0;
  for (const auto& vs : st.virtual_servers) persistent += vs.persistent && vs.timeout_s == 10800;
  EXPECT_EQ(persistent, 3);  // cluster IP, LB IP, NodePort
  // svc6 has no endpoints: a virtual server with no real servers.
  EXPECT_EQ(st.virtual_servers[st.virtual_servers.size() - 1].real_servers.size(), 0u);
  expect_golden("overall_ipvsadm.txt", st.ipvsadm_dump());
  expect_golden("overall_ipset.txt", st.ipset_dump());
  expect_golden("overall_ipvs_iptables.txt", st.iptables.dump());
}

TEST(IpvsRules, IptablesRuleCountDoesNotGrowWithServices) {
  size_t first = 0;
  for (int n : {10, 100, 1000}) {
    core::Cluster c = generated_cluster(n, 3, "ipvs", 3);
    IpvsState st = compile_ipvs(c, 0);
    size_t rules = st.iptables.nat.rule_count() + st.iptables.filter.rule_count();
    if (first == 0) first = rules;
    EXPECT_EQ(rules, first) << n << " services";
    EXPECT_EQ(st.virtual_servers.size(), static_cast<size_t>(n));
    EXPECT_EQ(st.real_server_count(), static_cast<size_t>(3 * n));
  }
}

TEST(IpvsRules, SchedulerOptionReachesVirtualServers) {
  core::Cluster c = generated_cluster(2, 2, "ipvs", 2);
  ProxyOptions o = ProxyOptions::for_cluster(c);
  o.ipvs_scheduler = "mh";
  IpvsState st = compile_ipvs(build_node_view(c, 0), o);
  for (const auto& vs : st.virtual_servers) {
    EXPECT_EQ(vs.scheduler, "mh");
    EXPECT_TRUE(vs.source_hash);
  }
  EXPECT_NE(st.ipvsadm_dump().find("-s mh -b sh-port"), std::string::npos);
}

TEST(EbpfMaps, ServiceAndBackendEntries) {
  core::Cluster c = overall_rules_cluster();
  BpfState st = compile_ebpf(build_node_view(c, 0), fake_proxier_options(c));
  // Frontends: 6 cluster IPs; svc2 (Local): external IP, LB IP, 2 NodePorts, two scopes each;
  // svc3: 2 NodePorts; svc4: external IP; svc5: LB IP + 2 NodePorts.
  EXPECT_EQ(st.rev_nat_entries(), 6u + 4u + 2u + 1u + 3u);
  // Distinct backends: 10.180.0.1..5 on port 80.
  EXPECT_EQ(st.backend_map_entries(), 5u);
  size_t expected_slots = 0;
  for (const auto& f : st.frontends) expected_slots += 1 + f.backend_ids.size();
  EXPECT_EQ(st.service_map_entries(), expected_slots);
  expect_golden("overall_ebpf.txt", st.dump());
}

TEST(UserspaceRules, OneProxySocketAndRedirectPerServicePort) {
  core::Cluster c = overall_rules_cluster();
  UserspaceState st = compile_userspace(build_node_view(c, 0), fake_proxier_options(c));
  EXPECT_EQ(st.sockets.size(), 6u);
  auto nat = st.iptables.nat.rules_by_chain();
  EXPECT_EQ(nat["KUBE-PORTALS-CONTAINER"], 10u);  // 6 cluster IPs, 2 external IPs, 2 LB IPs
  EXPECT_EQ(nat["KUBE-PORTALS-HOST"], 10u);
  EXPECT_EQ(nat["KUBE-NODEPORT-CONTAINER"], 3u);
  expect_golden("overall_userspace_iptables.txt", st.iptables.dump());
}

}  // namespace
}  // namespace knetsim::models::kubeproxy
