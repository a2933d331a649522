// knetsim-gui [FILE] [--screenshot DIR]: the Qt front end. With --screenshot it renders every view
// of FILE to DIR/*.png and exits (use QT_QPA_PLATFORM=offscreen without a display).
#include <QApplication>
#include <QCommandLineParser>
#include <cstdio>

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
    QStringList written = knetsim::gui::take_screenshots(window, parser.value(shots), &error);
    for (const QString& f : written) std::printf("%s\n", qPrintable(f));
    if (!error.isEmpty()) std::fprintf(stderr, "knetsim-gui: %s\n", qPrintable(error));
    return written.isEmpty() ? 1 : (loaded ? 0 : 2);
  }
  window.resize(1400, 900);
  window.show();
  return app.exec();
}
