#include "gui/charts/chart_factory.h"

#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QBarSeries>
#include <QtCharts/QBarSet>
#include <QtCharts/QLineSeries>
#include <QtCharts/QLogValueAxis>
#include <QtCharts/QValueAxis>
#include <algorithm>

namespace knetsim::gui {
namespace {

QAbstractAxis* value_axis(bool log, const std::string& label, double lo, double hi) {
  if (log) {
    auto* a = new QLogValueAxis;
    a->setBase(10);
    a->setLabelFormat("%g");
    a->setMinorTickCount(-1);
    a->setTitleText(QString::fromStdString(label));
    if (lo > 0 && hi > lo) a->setRange(lo, hi);
    return a;
  }
  auto* a = new QValueAxis;
  a->setTitleText(QString::fromStdString(label));
  a->setLabelFormat("%g");
  if (hi > lo) a->setRange(std::min(0.0, lo), hi * 1.05);
  a->applyNiceNumbers();
  return a;
}

void build_lines(QChart* chart, const ChartSpec& spec) {
  double xlo = 1e300, xhi = -1e300, ylo = 1e300, yhi = -1e300;
  std::vector<QLineSeries*> all;
  for (const auto& s : spec.series) {
    auto* ls = new QLineSeries;
    ls->setName(QString::fromStdString(s.name));
    ls->setPointsVisible(s.points.size() < 40);
    for (auto [x, y] : s.points) {
      if (spec.log_x && x <= 0) continue;
      if (spec.log_y && y <= 0) continue;
      ls->append(x, y);
      xlo = std::min(xlo, x), xhi = std::max(xhi, x);
      ylo = std::min(ylo, y), yhi = std::max(yhi, y);
    }
    chart->addSeries(ls);
    all.push_back(ls);
  }
  if (xlo > xhi) xlo = 0, xhi = 1, ylo = 0, yhi = 1;
  auto* ax = value_axis(spec.log_x, spec.x_label, xlo, xhi);
  auto* ay = value_axis(spec.log_y, spec.y_label, spec.log_y ? ylo / 2 : ylo,
                        spec.log_y ? yhi * 2 : yhi);
  if (!spec.log_x) static_cast<QValueAxis*>(ax)->setRange(xlo, xhi);
  if (spec.y_max > 0 && !spec.log_y) {
    auto* v = static_cast<QValueAxis*>(ay);
    v->setRange(std::min(0.0, ylo), spec.y_max);
    v->setTickCount(5);
  }
  chart->addAxis(ax, Qt::AlignBottom);
  chart->addAxis(ay, Qt::AlignLeft);
  for (auto* s : all) {
    s->attachAxis(ax);
    s->attachAxis(ay);
  }
}

void build_bars(QChart* chart, const ChartSpec& spec) {
  auto* bars = new QBarSeries;
  double yhi = 0;
  for (const auto& s : spec.series) {
    auto* set = new QBarSet(QString::fromStdString(s.name));
    std::vector<double> values(spec.categories.size(), 0.0);
    for (auto [x, y] : s.points) {
      auto i = static_cast<size_t>(x);
      if (i < values.size()) values[i] = y;
      yhi = std::max(yhi, y);
    }
    for (double v : values) *set << v;
    bars->append(set);
  }
  chart->addSeries(bars);
  auto* ax = new QBarCategoryAxis;
  for (const auto& c : spec.categories) ax->append(QString::fromStdString(c));
  ax->setTitleText(QString::fromStdString(spec.x_label));
  auto* ay = value_axis(spec.log_y, spec.y_label, spec.log_y ? 0.5 : 0, yhi * (spec.log_y ? 2 : 1));
  chart->addAxis(ax, Qt::AlignBottom);
  chart->addAxis(ay, Qt::AlignLeft);
  bars->attachAxis(ax);
  bars->attachAxis(ay);
}

}  // namespace

QChart* build_chart(const ChartSpec& spec) {
  auto* chart = new QChart;
  chart->setTitle(QString::fromStdString(spec.title));
  chart->setAnimationOptions(QChart::NoAnimation);
  chart->legend()->setAlignment(Qt::AlignBottom);
  if (spec.kind == ChartKind::Bar)
    build_bars(chart, spec);
  else
    build_lines(chart, spec);
  return chart;
}

}  // namespace knetsim::gui
