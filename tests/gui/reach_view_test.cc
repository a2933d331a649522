// The heatmap shows models::policy's reachability cell for cell, and a click explains it.
#include <gtest/gtest.h>

#include "gui/app/reach_view.h"
#include "gui_test_util.h"

namespace knetsim::gui {
namespace {

void expect_cells_match(ReachView& view) {
  const auto* reach = view.reach();
  ASSERT_NE(reach, nullptr);
  auto* m = view.model();
  for (int r = 0; r < m->rowCount(); ++r)
    for (int c = 0; c < m->columnCount(); ++c) {
      bool ok = reach->allowed(view.port_index(), m->row_pod(r), m->col_pod(c));
      EXPECT_EQ(m->allowed(r, c), ok);
      EXPECT_EQ(m->data(m->index(r, c), Qt::DisplayRole).toString(), ok ? "." : "X");
    }
}

TEST(ReachView, HeatmapCellsEqualTheReachabilityMatrixForEveryPort) {
  test::app();
  for (const auto& f : test::bundled_scenarios()) {
    SCOPED_TRACE(f);
    auto doc = test::load_ok(f);
    ReachView view;
    view.set_document(doc);
    ASSERT_NE(view.reach(), nullptr);
    EXPECT_EQ(static_cast<size_t>(view.model()->rowCount()), view.reach()->from().size());
    for (size_t p = 0; p < view.reach()->ports().size(); ++p) {
      view.set_port_index(static_cast<int>(p));
      expect_cells_match(view);
    }
    EXPECT_GT(test::drawn_pixels(test::render(view)), 500);
  }
}

TEST(ReachView, DenyPolicyShowsDeniedCellsAndTheExplanationNamesThePolicy) {
  test::app();
  QTemporaryDir dir;
  std::string path = test::write_file(dir, "deny.yaml", R"(apiVersion: knetsim/v1
kind: Scenario
metadata: {name: deny}
cluster:
  nodes: {count: 2}
cni: {plugin: calico, mode: vxlan}
objects:
  - {apiVersion: v1, kind: Namespace, metadata: {name: a}}
  - {apiVersion: v1, kind: Namespace, metadata: {name: b}}
  - apiVersion: v1
    kind: Pod
    metadata: {name: server, namespace: a, labels: {app: server}}
    spec: {containers: [{name: s, image: x, ports: [{containerPort: 80}]}]}
  - apiVersion: v1
    kind: Pod
    metadata: {name: client, namespace: b, labels: {app: client}}
    spec: {containers: [{name: c, image: x, ports: [{containerPort: 81}]}]}
  - apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: deny-all-ingress, namespace: a}
    spec: {podSelector: {}, policyTypes: [Ingress]}
)");
  auto doc = test::load_ok(path);
  ReachView view;
  view.set_document(doc);
  const auto& c = doc->cluster;
  auto server = *c.find_pod("a/server");
  auto client = *c.find_pod("b/client");
  ASSERT_EQ(view.reach()->ports().size(), 2u);  // TCP/80, TCP/81
  view.set_port_index(0);
  expect_cells_match(view);
  int row = -1, col = -1;
  for (int r = 0; r < view.model()->rowCount(); ++r)
    if (view.model()->row_pod(r) == client) row = r;
  for (int k = 0; k < view.model()->columnCount(); ++k)
    if (view.model()->col_pod(k) == server) col = k;
  ASSERT_GE(row, 0);
  ASSERT_GE(col, 0);
  EXPECT_FALSE(view.model()->allowed(row, col));
  view.explain(row, col);
  QString text = view.explanation()->toPlainText();
  EXPECT_TRUE(text.contains("denied"));
  EXPECT_TRUE(text.contains("deny-all-ingress"));
  // Namespace filter narrows both axes.
  view.set_namespace("a");
  EXPECT_EQ(view.model()->rowCount(), 1);
  EXPECT_EQ(view.model()->row_pod(0), server);
}

}  // namespace
}  // namespace knetsim::gui
