// A chart as plain data: title, axes and named series of (x, y) points. Every chart knetsim
// draws is first computed as a ChartSpec (from the models or from a results folder), then turned
// into a QChart by chart_factory.h. Keeping the data separate lets tests check what a chart shows
// without reading pixels, and lets `knetsim plot` and the GUI draw exactly the same charts.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace knetsim::gui {

enum class ChartKind { Line, Bar };

struct ChartSeries {
  std::string name;
  std::vector<std::pair<double, double>> points;  // Line: (x, y); Bar: (category index, value)
};

struct ChartSpec {
  std::string id;  // file stem when exported, e.g. "rules_vs_services"
  std::string title;
  std::string x_label;
  std::string y_label;
  ChartKind kind = ChartKind::Line;
  bool log_x = false;
  bool log_y = false;
  double y_max = 0;  // > 0: a fixed upper bound (a CDF ends at 1), instead of "nice" rounding
  std::vector<std::string> categories;  // Bar charts: one label per category index
  std::vector<ChartSeries> series;

  const ChartSeries* find_series(const std::string& name) const;
};

}  // namespace knetsim::gui
