// Writing a chart to a file without a window (QT_QPA_PLATFORM=offscreen works): PNG through a
// QImage, SVG through QSvgGenerator when Qt SVG is available. Needs a QApplication.
#pragma once

#include <QtCharts/QChart>
#include <string>

#include "gui/charts/chart_spec.h"

namespace knetsim::gui {

inline constexpr int kExportWidth = 960;
inline constexpr int kExportHeight = 600;

// Returns an error message, empty on success. The format follows the extension (.png / .svg).
std::string export_chart(const ChartSpec& spec, const std::string& path, int width = kExportWidth,
                         int height = kExportHeight);
// Same for a chart already on screen (the GUI's "Export" button). Does not take ownership.
std::string export_chart(QChart* chart, const std::string& path, int width = kExportWidth,
                         int height = kExportHeight);
bool svg_export_available();

}  // namespace knetsim::gui
