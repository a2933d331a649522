// Live mode: each routed connection of the emulator's JSON-line stream is animated between the
// pods it names and counted by verdict; unreadable lines are counted, not fatal.
#include <gtest/gtest.h>

#include "gui/app/live_view.h"
#include "gui_test_util.h"

namespace knetsim::gui {
namespace {

TEST(LiveView, AnimatesEachRoutedConnectionBetweenItsPods) {
  test::app();
  auto doc = test::load_ok(test::source_path("scenarios/quickstart.yaml"));
  const auto& c = doc->cluster;
  std::string client, web;
  for (const auto& p : c.pods) {
    if (p.labels.count("app") && p.labels.at("app") == "client" && client.empty()) client = p.key();
    if (p.labels.count("app") && p.labels.at("app") == "web" && web.empty()) web = p.key();
  }
  ASSERT_FALSE(client.empty());
  ASSERT_FALSE(web.empty());
  LiveView view;
  view.set_document(doc);
  auto svc = QString(R"({"t_ns":1,"kind":"service","proto":"TCP","src":"%1","service":"default/web","vip":"10.96.0.10","port":80,"verdict":"%3","reason":"r","latency_ns":%4,"rules":7,"mode":"iptables","endpoint":"10.244.1.2:8080","endpoint_index":0,"endpoint_pod":"%2"})")
                 .arg(QString::fromStdString(client), QString::fromStdString(web));
  view.ingest(svc.arg("allowed").arg(40000).toUtf8());
  view.ingest(svc.arg("denied").arg(20000).toUtf8());
  view.ingest(R"({"kind":"model","event":"scale","target":"default/web","note":"6 replicas"})");
  view.ingest("not json");
  view.ingest(R"({"kind":"service","src":"nowhere/x","service":"nowhere/y","verdict":"no-endpoint"})");
  const auto& s = view.stats();
  EXPECT_EQ(s.lines, 5);
  EXPECT_EQ(s.bad_lines, 1);
  EXPECT_EQ(s.connections, 3);
  EXPECT_EQ(s.allowed, 1);
  EXPECT_EQ(s.denied, 1);
  EXPECT_EQ(s.no_endpoint, 1);
  EXPECT_EQ(s.model_events, 1);
  EXPECT_EQ(s.animated, 2);  // the unknown pods/service are listed but not drawn
  EXPECT_EQ(view.active_animations(), 2);
  EXPECT_DOUBLE_EQ(s.latency_ns_sum / s.latency_count, 30000.0);
  EXPECT_EQ(view.events()->count(), 4);
  EXPECT_TRUE(view.events()->item(3)->text().contains("default/web"));
  EXPECT_TRUE(view.status()->text().contains("30.0 µs"));
}

TEST(LiveView, FollowsAnEventsFileAsItGrows) {
  test::app();
  auto doc = test::load_ok(test::source_path("scenarios/quickstart.yaml"));
  QTemporaryDir dir;
  std::string path = test::write_file(dir, "events.jsonl",
                                      R"({"kind":"pod","src":"a","dst":"b","port":1,"verdict":"allowed"})"
                                      "\n");
  LiveView view;
  view.set_document(doc);
  ASSERT_TRUE(view.follow_file(QString::fromStdString(path)));
  EXPECT_EQ(view.stats().connections, 1);
  {
    std::ofstream out(path, std::ios::app);
    out << R"({"kind":"pod","src":"a","dst":"b","port":1,"verdict":"denied"})" << "\n";
  }
  QElapsedTimer t;
  t.start();
  while (view.stats().connections < 2 && t.elapsed() < 3000) QApplication::processEvents();
  EXPECT_EQ(view.stats().connections, 2);
  EXPECT_FALSE(view.follow_file(dir.filePath("missing.jsonl")));
}

}  // namespace
}  // namespace knetsim::gui
