// Turns a ChartSpec into a Qt Charts QChart: line series on value (or log) axes, or grouped bars
// on a category axis. The same function serves the GUI's chart view and the offscreen
// `knetsim plot`, so both draw identical charts.
#pragma once

#include <QtCharts/QChart>

#include "gui/charts/chart_spec.h"

namespace knetsim::gui {

// The caller owns the returned chart (or hands it to a QChartView, which takes ownership).
QChart* build_chart(const ChartSpec& spec);

}  // namespace knetsim::gui
