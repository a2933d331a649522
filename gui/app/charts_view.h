// The charts view: every chart that can be drawn for the open scenario (rules and first-packet
// cost per kube-proxy mode) and the scaling study (rules and first-packet cost vs number of
// services, computed with a progress bar and a Cancel button), each exportable as PNG or SVG.
// The charts come from gui/charts (shared with `knetsim plot`).
#pragma once

#include <QListWidget>
#include <QPushButton>
#include <QtCharts/QChartView>
#include <QWidget>
#include <memory>
#include <vector>

#include "gui/app/scenario_document.h"
#include "gui/charts/chart_spec.h"

namespace knetsim::gui {

class ChartsView : public QWidget {
  Q_OBJECT
 public:
  explicit ChartsView(QWidget* parent = nullptr);
  void set_document(std::shared_ptr<const ScenarioDocument> doc);
  // Computes the scaling charts for these service counts; with `interactive` a progress dialog
  // with Cancel is shown. Returns false when cancelled.
  bool compute_scaling(const std::vector<int>& counts, bool interactive);
  // Adds the charts of a `knetsim run` results folder; returns the error, empty on success.
  std::string open_results(const std::string& dir);
  bool show_chart(const std::string& id);
  // Writes the shown chart (format from the extension); returns an error message or "".
  std::string export_current(const std::string& path);

  const std::vector<ChartSpec>& charts() const { return charts_; }
  QChartView* chart_view() { return view_; }

 private:
  void rebuild_list();
  void show_index(int i);

  std::shared_ptr<const ScenarioDocument> doc_;
  std::vector<ChartSpec> scenario_charts_;
  std::vector<ChartSpec> scaling_charts_;
  std::vector<ChartSpec> results_charts_;
  std::vector<ChartSpec> charts_;
  QListWidget* list_;
  QChartView* view_;
  QPushButton* scaling_;
  QPushButton* results_;
  QPushButton* export_png_;
  QPushButton* export_svg_;
};

}  // namespace knetsim::gui
