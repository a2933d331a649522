#include "gui/app/charts_view.h"

#include <QApplication>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QMessageBox>
#include <QProgressDialog>
#include <QVBoxLayout>

#include "gui/charts/chart_export.h"
#include "gui/charts/chart_factory.h"
#include "gui/charts/results_data.h"
#include "gui/charts/scaling_data.h"
#include "sim/core/run_folder.h"

namespace knetsim::gui {

ChartsView::ChartsView(QWidget* parent) : QWidget(parent) {
  auto* layout = new QHBoxLayout(this);
  auto* left = new QVBoxLayout;
  list_ = new QListWidget(this);
  list_->setFixedWidth(360);
  list_->setWordWrap(true);
  scaling_ = new QPushButton("Compute scaling study…", this);
  scaling_->setToolTip("Compile clusters of 10 to 10,000 services in every kube-proxy mode");
  results_ = new QPushButton("Open results folder…", this);
  results_->setToolTip("The folder `knetsim run FILE --out DIR` wrote");
  export_png_ = new QPushButton("Export PNG…", this);
  export_svg_ = new QPushButton("Export SVG…", this);
  export_svg_->setEnabled(svg_export_available());
  if (!svg_export_available()) export_svg_->setToolTip("this build has no Qt SVG");
  left->addWidget(list_, 1);
  left->addWidget(scaling_);
  left->addWidget(results_);
  left->addWidget(export_png_);
  left->addWidget(export_svg_);
  layout->addLayout(left);
  view_ = new QChartView(this);
  view_->setRenderHint(QPainter::Antialiasing);
  layout->addWidget(view_, 1);
  connect(list_, &QListWidget::currentRowChanged, this, [this](int i) { show_index(i); });
  connect(scaling_, &QPushButton::clicked, this,
          [this] { compute_scaling({10, 100, 1000, 3000, 10000}, true); });
  connect(results_, &QPushButton::clicked, this, [this] {
    QString dir = QFileDialog::getExistingDirectory(this, "Open results folder");
    if (dir.isEmpty()) return;
    std::string err = open_results(dir.toStdString());
    if (!err.empty()) QMessageBox::warning(this, "Cannot read results", QString::fromStdString(err));
  });
  auto exporter = [this](const char* filter, const char* ext) {
    if (list_->currentRow() < 0) return;
    QString path = QFileDialog::getSaveFileName(
        this, "Export chart", QString::fromStdString(charts_[list_->currentRow()].id) + ext, filter);
    if (path.isEmpty()) return;
    std::string err = export_current(path.toStdString());
    if (!err.empty()) QMessageBox::warning(this, "Export failed", QString::fromStdString(err));
  };
  connect(export_png_, &QPushButton::clicked, this, [=] { exporter("PNG image (*.png)", ".png"); });
  connect(export_svg_, &QPushButton::clicked, this, [=] { exporter("SVG image (*.svg)", ".svg"); });
}

void ChartsView::set_document(std::shared_ptr<const ScenarioDocument> doc) {
  doc_ = std::move(doc);
  scenario_charts_.clear();
  if (doc_) scenario_charts_ = cluster_mode_charts(doc_->cluster, doc_->profile, all_modes());
  rebuild_list();
}

bool ChartsView::compute_scaling(const std::vector<int>& counts, bool interactive) {
  std::unique_ptr<QProgressDialog> progress;
  if (interactive) {
    progress = std::make_unique<QProgressDialog>("Compiling kube-proxy rule sets…", "Cancel", 0,
                                                 static_cast<int>(counts.size()), this);
    progress->setWindowModality(Qt::WindowModal);
    progress->setMinimumDuration(0);
  }
  std::vector<ScalingPoint> points;
  for (size_t i = 0; i < counts.size(); ++i) {
    if (progress) {
      progress->setValue(static_cast<int>(i));
      progress->setLabelText(QString("Compiling %1 services in %2 modes…")
                                 .arg(counts[i])
                                 .arg(all_modes().size()));
      QApplication::processEvents();
      if (progress->wasCanceled()) return false;
    }
    auto more = compute_rule_scaling({counts[i]}, all_modes());
    points.insert(points.end(), more.begin(), more.end());
  }
  if (progress) progress->setValue(static_cast<int>(counts.size()));
  scaling_charts_ = scaling_charts(points);
  rebuild_list();
  show_chart(scaling_charts_.front().id);
  return true;
}

std::string ChartsView::open_results(const std::string& dir) {
  // A run that did not finish is refused, as `knetsim plot` refuses it without --partial.
  auto check = core::check_run_folder(dir);
  if (!check.complete() && check.state != core::RunFolderState::NotAFolder) {
    return check.message(dir) + "\n(`knetsim plot --partial` charts it anyway)";
  }
  ResultsCharts rc = results_charts(dir);
  if (!rc.error.empty()) return rc.error;
  results_charts_ = rc.charts;
  rebuild_list();
  if (!results_charts_.empty()) show_chart(results_charts_.front().id);
  return {};
}

void ChartsView::rebuild_list() {
  charts_ = results_charts_;
  charts_.insert(charts_.end(), scenario_charts_.begin(), scenario_charts_.end());
  charts_.insert(charts_.end(), scaling_charts_.begin(), scaling_charts_.end());
  QSignalBlocker block(list_);
  list_->clear();
  for (const auto& c : charts_) list_->addItem(QString::fromStdString(c.title));
  if (!charts_.empty()) {
    list_->setCurrentRow(0);
    show_index(0);
  } else {
    view_->setChart(new QChart);
  }
}

bool ChartsView::show_chart(const std::string& id) {
  for (size_t i = 0; i < charts_.size(); ++i)
    if (charts_[i].id == id) {
      list_->setCurrentRow(static_cast<int>(i));
      show_index(static_cast<int>(i));
      return true;
    }
  return false;
}

void ChartsView::show_index(int i) {
  if (i < 0 || i >= static_cast<int>(charts_.size())) return;
  QChart* old = view_->chart();
  view_->setChart(build_chart(charts_[i]));
  delete old;
}

std::string ChartsView::export_current(const std::string& path) {
  int i = list_->currentRow();
  if (i < 0) return "no chart shown";
  return export_chart(charts_[i], path);
}

}  // namespace knetsim::gui
