// knetsim-gui [FILE] [--screenshot DIR]: the Qt front end. With --screenshot it renders every view
// of FILE to DIR/*.png and exits (use QT_QPA_PLATFORM=offscreen without a display).
#include <QApplication>
#include <QCommandLineParser>
#include <cstdio>

#include "gui/app/live_view.h"
#include "gui/app/main_window.h"
#include "gui/app/screenshots.h"
#include "sim/cli/version.h"

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setApplicationName("knetsim-gui");
  QApplication::setApplicationVersion(knetsim::cli::kVersion);
  QCommandLineParser parser;
  parser.setApplicationDescription("knetsim: Kubernetes cluster network simulator — GUI");
  parser.addHelpOption();
  parser.addVersionOption();
  QCommandLineOption shots("screenshot", "Render every view of FILE into DIR as PNG and exit.",
                           "DIR");
  parser.addOption(shots);
  QCommandLineOption events("events", "Replay/follow a `knetsim emulate --events` FILE in the Live view.",
                            "FILE");
  QCommandLineOption attach("attach", "Attach the Live view to `knetsim emulate --events-socket` PATH.",
                            "PATH");
  parser.addOption(events);
  parser.addOption(attach);
  parser.addPositionalArgument("FILE", "scenario or Kubernetes manifests to open");
  parser.process(app);
  const QStringList files = parser.positionalArguments();

  knetsim::gui::MainWindow window;
  bool loaded = files.isEmpty() ? false : window.open_file(files.front());
  if (parser.isSet(shots)) {
    if (files.isEmpty()) {
      std::fprintf(stderr, "knetsim-gui: --screenshot needs a FILE\n");
      return 2;
    }
    QString error;
    QStringList written = knetsim::gui::take_screenshots(window, parser.value(shots), &error,
                                                                parser.value(events));
    for (const QString& f : written) std::printf("%s\n", qPrintable(f));
    if (!error.isEmpty()) std::fprintf(stderr, "knetsim-gui: %s\n", qPrintable(error));
    return written.isEmpty() ? 1 : (loaded ? 0 : 2);
  }
  window.resize(1400, 900);
  window.show();
  if (parser.isSet(events) || parser.isSet(attach)) {
    window.tabs()->setCurrentWidget(window.live_view());
    if (parser.isSet(events)) window.live_view()->follow_file(parser.value(events));
    else window.live_view()->connect_socket(parser.value(attach));
  }
  return app.exec();
}
