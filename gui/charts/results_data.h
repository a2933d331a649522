// Charts from a `knetsim run` results folder (schema knetsim.run/v1: summary.json, histogram.csv,
// timeseries.csv, cpu.csv, syncs.csv): latency CDF and histogram per traffic class, throughput
// and errors over time, network CPU per node, kube-proxy sync durations. Only reads and arranges
// the numbers the simulator wrote.
#pragma once

#include <string>
#include <vector>

#include "gui/charts/chart_spec.h"

namespace knetsim::gui {

inline constexpr size_t kMaxNodeSeries = 8;  // busiest nodes drawn one by one, plus the mean

struct ResultsCharts {
  std::string title;  // from summary.json: scenario, mode, CNI
  std::vector<ChartSpec> charts;
  std::string error;  // why the folder could not be read (empty on success)
};

ResultsCharts results_charts(const std::string& dir);

}  // namespace knetsim::gui
