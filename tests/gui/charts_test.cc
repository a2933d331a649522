// The chart code: scaling series per mode with the shapes the models predict (iptables grows
// with services, the hash-lookup modes stay flat), QCharts with the expected series, and files
// written offscreen.
#include <gtest/gtest.h>

#include <QFileInfo>
#include <QtCharts/QChart>
#include <memory>

#include "gui/charts/chart_export.h"
#include "gui/charts/chart_factory.h"
#include "gui/charts/scaling_data.h"
#include "gui_test_util.h"
#include "sim/models/kubeproxy/datapath_cost.h"

namespace knetsim::gui {
namespace {

TEST(ScalingCharts, IptablesGrowsWithServicesWhileLookupModesStayFlat) {
  test::app();
  auto points = compute_rule_scaling({10, 100, 1000}, all_modes(), 2);
  ASSERT_EQ(points.size(), 3 * all_modes().size());
  auto charts = scaling_charts(points);
  ASSERT_EQ(charts.size(), 3u);
  const ChartSpec& walked = charts[1];
  EXPECT_EQ(walked.id, "first_packet_rules_vs_services");
  ASSERT_EQ(walked.series.size(), all_modes().size());
  for (const auto& s : walked.series) ASSERT_EQ(s.points.size(), 3u) << s.name;
  const auto* ipt = walked.find_series("iptables");
  const auto* nft = walked.find_series("nftables");
  const auto* ipvs = walked.find_series("ipvs");
  ASSERT_TRUE(ipt && nft && ipvs);
  EXPECT_LT(ipt->points[0].second, ipt->points[1].second);
  EXPECT_LT(ipt->points[1].second, ipt->points[2].second);
  EXPECT_GT(ipt->points[2].second, 10 * nft->points[2].second);
  EXPECT_EQ(nft->points[0].second, nft->points[2].second);
  EXPECT_EQ(ipvs->points[0].second, ipvs->points[2].second);
  const auto* rules_ipt = charts[0].find_series("iptables");
  ASSERT_TRUE(rules_ipt);
  EXPECT_LT(rules_ipt->points[0].second, rules_ipt->points[2].second);
}

TEST(ScalingCharts, ScenarioChartsMatchDatapathCostForEachMode) {
  test::app();
  auto doc = test::load_ok(test::source_path("scenarios/quickstart.yaml"));
  auto charts = cluster_mode_charts(doc->cluster, doc->profile, all_modes());
  ASSERT_EQ(charts.size(), 2u);
  ASSERT_EQ(charts[0].categories.size(), all_modes().size());
  for (size_t i = 0; i < all_modes().size(); ++i) {
    core::Cluster c = doc->cluster;
    c.reindex();
    c.kube_proxy.mode = all_modes()[i];
    models::kubeproxy::DatapathCost cost(c, 0, doc->profile);
    EXPECT_EQ(charts[0].series[0].points[i].second, static_cast<double>(cost.total_rules()));
  }
}

TEST(ChartFactory, BuildsOneQtSeriesPerSpecSeriesAndExportsFiles) {
  test::app();
  auto charts = scaling_charts(compute_rule_scaling({10, 50}, all_modes(), 1));
  for (const auto& spec : charts) {
    std::unique_ptr<QChart> chart(build_chart(spec));
    EXPECT_EQ(chart->series().size(), static_cast<qsizetype>(spec.series.size()));
    EXPECT_EQ(chart->title().toStdString(), spec.title);
  }
  QTemporaryDir dir;
  std::string png = dir.filePath("c.png").toStdString();
  EXPECT_EQ(export_chart(charts[0], png), "");
  QImage img(QString::fromStdString(png));
  EXPECT_EQ(img.width(), kExportWidth);
  EXPECT_GT(test::drawn_pixels(img), 1000);
  std::string svg = dir.filePath("c.svg").toStdString();
  if (svg_export_available()) {
    EXPECT_EQ(export_chart(charts[0], svg), "");
    EXPECT_GT(QFileInfo(QString::fromStdString(svg)).size(), 1000);
  } else {
    EXPECT_NE(export_chart(charts[0], svg), "");
  }
}

}  // namespace
}  // namespace knetsim::gui
