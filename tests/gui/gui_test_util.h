// Shared set-up for the GUI tests: one QApplication for the process (Qt Charts needs one), the
// bundled scenarios, and helpers to load and render.
#pragma once

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QImage>
#include <QPainter>
#include <QTemporaryDir>
#include <QWidget>
#include <fstream>
#include <string>
#include <vector>

#include "gui/app/scenario_document.h"

namespace knetsim::gui::test {

inline QApplication& app() {
  static int argc = 1;
  static char name[] = "gui_tests";
  static char* argv[] = {name, nullptr};
  static QApplication* a = [] {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    return new QApplication(argc, argv);
  }();
  return *a;
}

inline std::string source_path(const std::string& rel) {
  return std::string(KNETSIM_SOURCE_DIR) + "/" + rel;
}

// Every scenario bundled in scenarios/ (top level).
inline std::vector<std::string> bundled_scenarios() {
  std::vector<std::string> out;
  QDir dir(QString::fromStdString(source_path("scenarios")));
  for (const QString& f : dir.entryList({"*.yaml"}, QDir::Files, QDir::Name))
    out.push_back(dir.filePath(f).toStdString());
  return out;
}

inline std::shared_ptr<const ScenarioDocument> load_ok(const std::string& path) {
  LoadOutcome out = load_document(path);
  if (!out.doc) throw std::runtime_error(out.error ? out.error->str() : "load failed");
  return out.doc;
}

// Writes `text` to a file in `dir` and returns its path.
inline std::string write_file(const QTemporaryDir& dir, const std::string& name,
                              const std::string& text) {
  std::string path = dir.filePath(QString::fromStdString(name)).toStdString();
  std::ofstream(path) << text;
  return path;
}

// Number of pixels that differ from the top-left pixel: > 0 means something was drawn.
inline int drawn_pixels(const QImage& img) {
  if (img.isNull()) return 0;
  QRgb bg = img.pixel(0, 0);
  int n = 0;
  for (int y = 0; y < img.height(); y += 2)
    for (int x = 0; x < img.width(); x += 2) n += img.pixel(x, y) != bg;
  return n;
}

inline QImage render(QWidget& w, int width = 1200, int height = 800) {
  w.resize(width, height);
  w.show();
  QApplication::processEvents();
  return w.grab().toImage();
}

}  // namespace knetsim::gui::test
