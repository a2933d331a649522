// Charts from a results folder: the latency CDF ends at 1 and follows the histogram's counts,
// CPU and sync series per node, and a folder without summary.json is refused; the charts view
// refuses a run that did not finish.
#include <gtest/gtest.h>

#include "gui/app/charts_view.h"
#include "gui/charts/results_data.h"
#include "gui_test_util.h"
#include "sim/core/run_folder.h"

namespace knetsim::gui {
namespace {

TEST(ResultsCharts, ReadsRunOutputIntoCdfHistogramCpuAndSyncCharts) {
  QTemporaryDir dir;
  test::write_file(dir, "summary.json",
                   R"({"schema": "knetsim.run/v1", "scenario": "q", "cni": "calico/vxlan", "kubeProxyMode": "iptables"})");
  test::write_file(dir, "histogram.csv",
                   "traffic,kind,low_ms,high_ms,count\n"
                   "web,all,0.1,0.2,10\nweb,all,0.2,0.4,30\nweb,all,0.4,0.8,60\n"
                   "web,new_connection,0.1,0.2,5\n");
  test::write_file(dir, "timeseries.csv",
                   "second,traffic,ok,errors,mean_latency_ms\n0,web,100,2,0.5\n1,web,90,0,0.6\n");
  test::write_file(dir, "cpu.csv",
                   "second,node,network_cpu_cores,application_cpu_cores\n"
                   "0,node-1,0.1,0.2\n1,node-1,0.2,0.2\n0,node-2,0.05,0.1\n1,node-2,0.07,0.1\n");
  test::write_file(dir, "syncs.csv",
                   "start_s,node,duration_ms,rules,changed_endpoints,reason\n"
                   "0.0,node-1,12.5,40,3,initial, full\n10.0,node-1,3.0,40,1,endpoints\n");
  ResultsCharts rc = results_charts(dir.path().toStdString());
  ASSERT_EQ(rc.error, "");
  std::map<std::string, const ChartSpec*> by_id;
  for (const auto& c : rc.charts) by_id[c.id] = &c;
  ASSERT_TRUE(by_id.count("latency_cdf"));
  const auto* web = by_id["latency_cdf"]->find_series("web");
  ASSERT_NE(web, nullptr);
  ASSERT_EQ(web->points.size(), 3u);
  EXPECT_DOUBLE_EQ(web->points[0].second, 0.1);
  EXPECT_DOUBLE_EQ(web->points[1].second, 0.4);
  EXPECT_DOUBLE_EQ(web->points[2].second, 1.0);
  EXPECT_NE(by_id["latency_cdf"]->find_series("web (new connections)"), nullptr);
  ASSERT_TRUE(by_id.count("latency_histogram"));
  EXPECT_DOUBLE_EQ(by_id["latency_histogram"]->find_series("web")->points[2].second, 60);
  ASSERT_TRUE(by_id.count("throughput"));
  EXPECT_DOUBLE_EQ(by_id["throughput"]->find_series("web errors")->points[0].second, 2);
  ASSERT_TRUE(by_id.count("network_cpu_per_node"));
  EXPECT_EQ(by_id["network_cpu_per_node"]->series.size(), 2u);
  EXPECT_EQ(by_id["network_cpu_per_node"]->series[0].name, "node-1");  // busiest first
  ASSERT_TRUE(by_id.count("sync_duration"));
  EXPECT_DOUBLE_EQ(by_id["sync_duration"]->series[0].points[0].second, 12.5);
  EXPECT_NE(by_id["latency_cdf"]->title.find("iptables"), std::string::npos);
}

TEST(ResultsCharts, FolderWithoutSummaryIsRefused) {
  QTemporaryDir dir;
  EXPECT_NE(results_charts(dir.path().toStdString()).error, "");
}

TEST(ChartsView, RefusesARunThatDidNotFinishAndOpensItOnceComplete) {
  test::app();
  QTemporaryDir dir;
  std::string path = dir.path().toStdString();
  core::RunFolderWriter out(path);  // the marker is written: the run is in progress
  out.write("summary.json", R"({"schema": "knetsim.run/v1", "scenario": "q"})");
  out.write("timeseries.csv", "second,traffic,ok,errors,mean_latency_ms\n0,web,100,2,0.5\n");
  ChartsView view;
  std::string err = view.open_results(path);
  EXPECT_NE(err.find("has not finished yet"), std::string::npos) << err;  // this process holds it
  EXPECT_TRUE(view.charts().empty());
  out.finish();
  EXPECT_EQ(view.open_results(path), "");
  EXPECT_FALSE(view.charts().empty());
}

}  // namespace
}  // namespace knetsim::gui
