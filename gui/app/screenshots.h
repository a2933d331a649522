// `knetsim-gui --screenshot DIR FILE`: opens FILE, puts every view into a representative state
// (a service selected, a rule search, a reachability cell explained, the charts) and writes one
// PNG per view into DIR. Works under QT_QPA_PLATFORM=offscreen; docs/screenshots come from it.
#pragma once

#include <QString>
#include <QStringList>

namespace knetsim::gui {

class MainWindow;

inline constexpr int kScreenshotWidth = 1400;
inline constexpr int kScreenshotHeight = 860;

// Returns the files written; an empty list with `error` set on failure.
// `live_events`: a `knetsim emulate --events` file replayed into the Live view (live.png);
// without it the Live view is shot unattached.
QStringList take_screenshots(MainWindow& window, const QString& dir, QString* error,
                             const QString& live_events = {});

}  // namespace knetsim::gui
