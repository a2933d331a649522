#include "gui/charts/chart_spec.h"

namespace knetsim::gui {

const ChartSeries* ChartSpec::find_series(const std::string& name) const {
  for (const auto& s : series)
    if (s.name == name) return &s;
  return nullptr;
}

}  // namespace knetsim::gui
