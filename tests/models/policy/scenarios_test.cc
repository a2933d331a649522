// The bundled scenarios/policy-*.yaml examples: whole outputs against golden files
// (tests/golden/policy/, regenerate deliberately with KNETSIM_UPDATE_GOLDEN=1), --diff results,
// and Service reachability after DNAT with each masquerade case.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "sim/core/scenario_loader.h"
#include "sim/models/policy/reach_diff.h"
#include "sim/models/policy/reach_output.h"
#include "sim/models/policy/service_reach.h"

namespace knetsim::models::policy {
namespace {

core::Cluster load(const std::string& rel) {
  core::Diagnostics diags;
  auto s = core::load_scenario(std::string(KNETSIM_SOURCE_DIR) + "/" + rel, diags);
  return core::build_cluster(s, diags);
}

void expect_golden(const std::string& name, const std::string& got) {
  std::string path = std::string(KNETSIM_SOURCE_DIR) + "/tests/golden/policy/" + name;
  if (std::getenv("KNETSIM_UPDATE_GOLDEN")) {
    std::ofstream(path) << got;
    return;
  }
  std::ifstream in(path);
  ASSERT_TRUE(in) << "missing golden file " << path << " (run with KNETSIM_UPDATE_GOLDEN=1)";
  std::stringstream want;
  want << in.rdbuf();
  EXPECT_EQ(got, want.str()) << "golden " << name;
}

ReachOptions ports(std::vector<PortProto> p) {
  ReachOptions o;
  o.ports = std::move(p);
  return o;
}

TEST(PolicyScenarios, E2eModelJsonAndTable) {
  auto c = load("scenarios/policy-e2e-model.yaml");
  auto r = Reachability::compute(c, ports({{80, core::Protocol::TCP}, {81, core::Protocol::UDP}}));
  expect_golden("e2e-model.json", render_json(c, r));
  expect_golden("e2e-model.txt", render_table(c, r));
}

TEST(PolicyScenarios, FlannelReportsBothMatricesWithTheWarning) {
  auto c = load("scenarios/policy-flannel.yaml");
  auto r = Reachability::compute(c, ports({{80, core::Protocol::TCP}}));
  std::string json = render_json(c, r);
  EXPECT_NE(json.find("\"warning\""), std::string::npos);
  EXPECT_NE(json.find("\"matrixAsWritten\""), std::string::npos);
  for (const std::string& out : {render_table(c, r), render_markdown(c, r), render_dot(c, r)}) {
    EXPECT_NE(out.find("does not enforce network policies"), std::string::npos) << out;
  }
  expect_golden("flannel.txt", render_table(c, r));
}

TEST(PolicyScenarios, AdminTiersMatrixAndFormats) {
  auto c = load("scenarios/policy-admin-tiers.yaml");
  auto r = Reachability::compute(c, ports({{80, core::Protocol::TCP}, {53, core::Protocol::UDP}}));
  expect_golden("admin-tiers.txt", render_table(c, r));
  expect_golden("admin-tiers.csv", render_csv(c, r));
  expect_golden("admin-tiers.md", render_markdown(c, r));
  expect_golden("admin-tiers.dot", render_dot(c, r));
}

TEST(PolicyScenarios, ShopDiffGainsFrontendToDbAndLosesScraping) {
  auto a = load("scenarios/policy-shop-v1.yaml");
  auto b = load("scenarios/policy-shop-v2.yaml");
  ReachDiff d = diff_reachability(a, b, false);
  size_t gained = 0, lost = 0;
  for (const auto& ch : d.changes) {
    if (ch.gained) {
      ++gained;
      EXPECT_EQ(ch.to, "shop/db-0");
      EXPECT_EQ(ch.port.key(), "TCP/5432");
      EXPECT_EQ(ch.from.rfind("shop/frontend-", 0), 0u) << ch.from;
    } else {
      ++lost;
      EXPECT_EQ(ch.from.rfind("monitoring/prometheus-", 0), 0u) << ch.from;
      EXPECT_EQ(ch.port.key(), "TCP/9100");
    }
  }
  EXPECT_EQ(gained, 2u);  // two frontend replicas
  EXPECT_EQ(lost, 5u);    // every shop pod's metrics port
  EXPECT_TRUE(d.only_in_a.empty());
  EXPECT_FALSE(d.enforcement_differs);
}

TEST(ServiceReach, JudgedOnBackendsAfterDnatWithEachMasqueradeCase) {
  auto c = load("scenarios/policy-shop-v1.yaml");
  PolicyEngine engine(c);
  auto svc = *c.find_service("shop/backend");
  const auto& port = c.services[svc].ports[0];
  core::PodId frontend = 0, db = *c.find_pod("shop/db-0");
  for (core::PodId i = 0; i < c.pods.size(); ++i) {
    if (c.pods[i].labels.count("app") && c.pods[i].labels.at("app") == "frontend") frontend = i;
  }
  // Pod -> ClusterIP: no SNAT; frontend may call the backend on its api port after DNAT.
  auto v = check_service(engine, frontend, {}, svc, port, ServiceEntry::ClusterIp);
  ASSERT_EQ(v.size(), 2u);
  for (const auto& b : v) {
    EXPECT_FALSE(b.masqueraded);
    EXPECT_EQ(b.target_port, 9090);
    EXPECT_EQ(b.seen_source, c.pods[frontend].ip);
    EXPECT_TRUE(b.verdict.allowed) << b.verdict.reason;
  }
  // The db may not (its egress allows only... nothing toward the backend).
  for (const auto& b : check_service(engine, db, {}, svc, port, ServiceEntry::ClusterIp)) {
    EXPECT_FALSE(b.verdict.allowed) << b.verdict.reason;
  }
  // External client through the frontend NodePort: SNAT to the entry node; the frontend admits
  // any source on http, so allowed, and the source seen is the node.
  auto fsvc = *c.find_service("shop/frontend");
  auto ext = *core::Ipv4::parse("198.51.100.7");
  for (const auto& b : check_service(engine, std::nullopt, ext, fsvc, c.services[fsvc].ports[0],
                                     ServiceEntry::NodePort, 1)) {
    EXPECT_TRUE(b.masqueraded);
    EXPECT_EQ(b.seen_source, c.nodes[1].ip);
    EXPECT_TRUE(b.verdict.allowed) << b.verdict.reason;
  }
  // Through the backend service's port from outside: SNATed, and the node is no frontend pod.
  core::Cluster local = c;
  local.services[svc].external_traffic_policy = core::TrafficPolicy::Local;
  PolicyEngine local_engine(local);
  core::NodeId entry = local.pods[v.front().backend].node;  // a node with a backend
  auto local_verdicts = check_service(local_engine, std::nullopt, ext, svc, port,
                                      ServiceEntry::NodePort, entry);
  ASSERT_FALSE(local_verdicts.empty());
  for (const auto& b : local_verdicts) {
    EXPECT_EQ(local.pods[b.backend].node, entry);  // only local backends
    EXPECT_FALSE(b.masqueraded);  // externalTrafficPolicy Local keeps the client address
    EXPECT_EQ(b.seen_source, ext);
    EXPECT_FALSE(b.verdict.allowed) << b.verdict.reason;  // backend admits only the frontend
  }
  // masqueradeAll: even pod -> ClusterIP is SNATed, so the backend sees the frontend's node and
  // its frontend-only policy denies it.
  core::Cluster masq = c;
  masq.kube_proxy.masquerade_all = true;
  PolicyEngine masq_engine(masq);
  for (const auto& b : check_service(masq_engine, frontend, {}, svc, port, ServiceEntry::ClusterIp)) {
    EXPECT_TRUE(b.masqueraded);
    EXPECT_EQ(b.seen_source, masq.nodes[masq.pods[frontend].node].ip);
    EXPECT_FALSE(b.verdict.allowed) << b.verdict.reason;
  }
}

}  // namespace
}  // namespace knetsim::models::policy
