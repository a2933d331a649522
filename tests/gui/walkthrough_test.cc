// The walkthrough shows the path model's hops exactly (names, hosts, times), and the rule walk
// it draws ends at the DNAT to the endpoint the model chose, in every mode.
#include <gtest/gtest.h>

#include "gui/app/walkthrough.h"
#include "gui/app/walkthrough_view.h"
#include "gui_test_util.h"

namespace knetsim::gui {
namespace {

struct Quickstart {
  std::shared_ptr<const ScenarioDocument> doc;
  core::PodId client = 0;
  core::ServiceId web = 0;
};

Quickstart quickstart() {
  Quickstart q;
  q.doc = test::load_ok(test::source_path("scenarios/quickstart.yaml"));
  const auto& c = q.doc->cluster;
  for (core::PodId p = 0; p < c.pods.size(); ++p)
    if (c.pods[p].labels.count("app") && c.pods[p].labels.at("app") == "client") {
      q.client = p;
      break;
    }
  q.web = *c.find_service("default/web");
  return q;
}

TEST(Walkthrough, HopListEqualsThePathModelsPrediction) {
  test::app();
  auto q = quickstart();
  WalkthroughView view;
  view.set_document(q.doc);
  ASSERT_TRUE(view.choose(q.client, q.web, 0));
  view.set_modes(core::KubeProxyMode::Iptables, core::KubeProxyMode::Nftables);
  const Walkthrough* w = view.left()->walkthrough();
  ASSERT_NE(w, nullptr);
  // The same request straight from the model.
  core::Cluster c = q.doc->cluster;
  c.reindex();
  auto expected = models::path::predict_request(c, q.doc->profile, w->spec);
  ASSERT_EQ(expected.outcome, models::path::Outcome::Ok);
  ASSERT_EQ(view.left()->hops()->topLevelItemCount(), static_cast<int>(expected.hops.size()));
  for (size_t i = 0; i < expected.hops.size(); ++i) {
    auto* item = view.left()->hops()->topLevelItem(static_cast<int>(i));
    EXPECT_EQ(item->text(1).toStdString(), expected.hops[i].name);
    EXPECT_EQ(item->text(2).toStdString(), expected.hops[i].host_name);
    EXPECT_EQ(w->prediction.hops[i].ns, expected.hops[i].ns);
  }
  EXPECT_EQ(w->prediction.total_ns, expected.total_ns);
  EXPECT_EQ(w->prediction.rules_evaluated, expected.rules_evaluated);
  // Stepping shows the hop; the rule walk is shown at the service lookup.
  ASSERT_TRUE(view.step_to_hop("service lookup"));
  QString detail = view.left()->detail()->toPlainText();
  EXPECT_TRUE(detail.contains("KUBE-SERVICES"));
  EXPECT_TRUE(detail.contains(QString::fromStdString("DNAT " + w->vip)));
  EXPECT_TRUE(view.right()->detail()->toPlainText().contains("service-ips"));
  EXPECT_GT(test::drawn_pixels(test::render(view)), 1000);
}

TEST(Walkthrough, RuleWalkEndsAtTheDnatToTheChosenEndpointInEveryMode) {
  test::app();
  auto q = quickstart();
  for (auto mode : {core::KubeProxyMode::Iptables, core::KubeProxyMode::Nftables,
                    core::KubeProxyMode::Ipvs, core::KubeProxyMode::Ebpf}) {
    SCOPED_TRACE(core::kube_proxy_mode_name(mode));
    WalkthroughRequest r{q.client, q.web, 0, mode, cni_choice_of(q.doc->cluster.cni)};
    Walkthrough w = run_walkthrough(*q.doc, r);
    ASSERT_EQ(w.prediction.outcome, models::path::Outcome::Ok);
    ASSERT_FALSE(w.endpoint.empty());
    ASSERT_TRUE(w.rules);
    EXPECT_EQ(w.rules->problem, "");
    ASSERT_FALSE(w.rules->steps.empty());
    const auto& last = w.rules->steps.back();
    ASSERT_GT(last.matched_position, 0);
    bool endpoint_in_match = false;
    for (const auto& l : last.lines)
      if (l.matched) endpoint_in_match = l.text.find(w.endpoint) != std::string::npos;
    EXPECT_TRUE(endpoint_in_match);
  }
  // iptables walks three chains (KUBE-SERVICES, KUBE-SVC-*, KUBE-SEP-*).
  Walkthrough ipt = run_walkthrough(
      *q.doc, {q.client, q.web, 0, core::KubeProxyMode::Iptables, cni_choice_of(q.doc->cluster.cni)});
  ASSERT_EQ(ipt.rules->steps.size(), 3u);
  EXPECT_EQ(ipt.rules->steps[0].chain, "KUBE-SERVICES");
  EXPECT_EQ(ipt.rules->steps[1].chain.rfind("KUBE-SVC-", 0), 0u);
  EXPECT_EQ(ipt.rules->steps[2].chain.rfind("KUBE-SEP-", 0), 0u);
}

TEST(Walkthrough, CrossNodeEncapsulationFollowsTheChosenCni) {
  test::app();
  auto q = quickstart();
  WalkthroughRequest r{q.client, q.web, 0, core::KubeProxyMode::Iptables,
                       CniChoice{core::CniPlugin::Calico, "vxlan", "none"}};
  Walkthrough vx = run_walkthrough(*q.doc, r);
  r.cni = CniChoice{core::CniPlugin::Calico, "bgp", "none"};
  Walkthrough bgp = run_walkthrough(*q.doc, r);
  EXPECT_EQ(vx.overhead_bytes, 50);
  EXPECT_EQ(bgp.overhead_bytes, 0);
  EXPECT_GT(vx.prediction.hops.size(), 0u);
}

}  // namespace
}  // namespace knetsim::gui
