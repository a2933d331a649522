// The cluster view draws exactly the cluster: one item per node, pod and service, one line per
// (service, endpoint pod); above 500 nodes it aggregates and still accounts for every pod.
#include <gtest/gtest.h>

#include <QGraphicsItem>
#include <set>

#include "gui/app/cluster_scene.h"
#include "gui/app/cluster_view.h"
#include "gui/app/details.h"
#include "gui_test_util.h"

namespace knetsim::gui {
namespace {

int expected_edges(const core::Cluster& c) {
  int n = 0;
  for (core::ServiceId s = 0; s < c.services.size(); ++s) {
    std::set<core::PodId> pods;
    for (uint32_t si : c.slices_of(s))
      for (const auto& ep : c.endpoint_slices[si].endpoints)
        if (ep.pod) pods.insert(*ep.pod);
    n += static_cast<int>(pods.size());
  }
  return n;
}

TEST(ClusterScene, EveryBundledScenarioDrawsEachNodePodAndServiceOnce) {
  test::app();
  auto files = test::bundled_scenarios();
  ASSERT_GE(files.size(), 2u);
  for (const auto& f : files) {
    SCOPED_TRACE(f);
    auto doc = test::load_ok(f);
    const auto& c = doc->cluster;
    ClusterScene scene;
    scene.set_cluster(&c);
    EXPECT_FALSE(scene.aggregated());
    EXPECT_EQ(scene.counts().nodes, static_cast<int>(c.nodes.size()));
    EXPECT_EQ(scene.counts().pods, static_cast<int>(c.pods.size()));
    EXPECT_EQ(scene.counts().services, static_cast<int>(c.services.size()));
    EXPECT_EQ(scene.counts().ingresses, static_cast<int>(c.ingresses.size()));
    EXPECT_EQ(scene.counts().endpoint_edges,
              c.services.size() > kMaxServicesWithEdges ? 0 : expected_edges(c));
    // Items carry their object: counting tagged items gives the same numbers.
    int nodes = 0, pods = 0;
    for (QGraphicsItem* it : scene.items()) {
      ObjectRef r = ClusterScene::ref_of(it);
      nodes += r.kind == ObjectKind::Node;
      pods += r.kind == ObjectKind::Pod;
    }
    EXPECT_EQ(nodes, static_cast<int>(c.nodes.size()));
    EXPECT_EQ(pods, static_cast<int>(c.pods.size()));
    // Each pod item sits inside its node's box.
    for (core::PodId p = 0; p < c.pods.size(); ++p) {
      if (c.pods[p].node >= c.nodes.size()) continue;
      QGraphicsItem* pod = scene.item_for(ObjectKind::Pod, p);
      ASSERT_NE(pod, nullptr);
      EXPECT_EQ(pod->parentItem(), scene.item_for(ObjectKind::Node, c.pods[p].node));
    }
    ClusterView view;
    view.set_document(doc);
    EXPECT_GT(test::drawn_pixels(test::render(view)), 1000);
  }
}

TEST(ClusterScene, AboveFiveHundredNodesAggregatesByZoneAndNamespace) {
  test::app();
  QTemporaryDir dir;
  std::string path = test::write_file(dir, "big.yaml", R"(apiVersion: knetsim/v1
kind: Scenario
metadata: {name: big}
cluster:
  nodes: {count: 600, zones: [a, b, c]}
  podCIDR: 10.128.0.0/9
generate:
  - deployments: {count: 40, replicas: 30, namespace: shop}
  - services: {count: 50, endpointsPerService: 4, namespace: bulk}
)");
  auto doc = test::load_ok(path);
  const auto& c = doc->cluster;
  ASSERT_EQ(c.nodes.size(), 600u);
  ClusterScene scene;
  scene.set_cluster(&c);
  EXPECT_TRUE(scene.aggregated());
  EXPECT_EQ(scene.counts().pods, 0);  // no pod drawn one by one
  EXPECT_EQ(scene.counts().zones, 3);
  EXPECT_EQ(scene.counts().aggregated_pods, static_cast<int>(c.pods.size()));
  std::set<std::pair<std::string, std::string>> zone_ns;
  for (const auto& p : c.pods) zone_ns.insert({c.nodes[p.node].zone, p.ns});
  EXPECT_EQ(scene.counts().namespace_bars, static_cast<int>(zone_ns.size()));
  EXPECT_LT(scene.items().size(), 200);
}

TEST(ClusterView, SelectingAnObjectShowsItsDetails) {
  test::app();
  auto doc = test::load_ok(test::source_path("scenarios/quickstart.yaml"));
  const auto& c = doc->cluster;
  ClusterView view;
  view.set_document(doc);
  auto web = c.find_service("default/web");
  ASSERT_TRUE(web);
  ASSERT_TRUE(view.select(ObjectKind::Service, *web));
  QString text = view.details()->toPlainText();
  EXPECT_TRUE(text.contains("default/web"));
  EXPECT_TRUE(text.contains(QString::fromStdString(c.services[*web].cluster_ip->str())));
  ASSERT_TRUE(view.select(ObjectKind::Pod, 0));
  EXPECT_TRUE(view.details()->toPlainText().contains(QString::fromStdString(c.pods[0].ip.str())));
  ASSERT_TRUE(view.select(ObjectKind::Node, 0));
  EXPECT_TRUE(view.details()->toPlainText().contains("kube-proxy rules"));
}

}  // namespace
}  // namespace knetsim::gui
