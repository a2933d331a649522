#include "gui/charts/chart_export.h"

#include <QtCharts/QChartView>
#include <QImage>
#include <QPainter>
#include <memory>

#include "gui/charts/chart_factory.h"
#ifdef KNETSIM_HAVE_QTSVG
#include <QSvgGenerator>
#endif

namespace knetsim::gui {
namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Renders the chart's scene into a painter sized width x height.
void paint(QChart* chart, QPainter& painter, int width, int height) {
  QGraphicsScene scene;
  QGraphicsItem* parent = chart->parentItem();
  QGraphicsScene* old_scene = chart->scene();
  if (old_scene) old_scene->removeItem(chart);
  QSizeF old_size = chart->size();
  scene.addItem(chart);
  chart->resize(width, height);
  scene.setSceneRect(0, 0, width, height);
  painter.setRenderHint(QPainter::Antialiasing);
  scene.render(&painter, QRectF(0, 0, width, height), QRectF(0, 0, width, height));
  scene.removeItem(chart);
  chart->resize(old_size);
  if (old_scene) {
    old_scene->addItem(chart);
    if (parent) chart->setParentItem(parent);
  }
}

}  // namespace

bool svg_export_available() {
#ifdef KNETSIM_HAVE_QTSVG
  return true;
#else
  return false;
#endif
}

std::string export_chart(QChart* chart, const std::string& path, int width, int height) {
  QString qpath = QString::fromStdString(path);
  if (ends_with(path, ".svg")) {
#ifdef KNETSIM_HAVE_QTSVG
    QSvgGenerator gen;
    gen.setFileName(qpath);
    gen.setSize(QSize(width, height));
    gen.setViewBox(QRect(0, 0, width, height));
    gen.setTitle(chart->title());
    QPainter painter(&gen);
    paint(chart, painter, width, height);
    painter.end();
    return {};
#else
    return "SVG export needs Qt SVG (qt6-svg-dev); this build has PNG only";
#endif
  }
  QImage image(width, height, QImage::Format_ARGB32);
  image.fill(Qt::white);
  QPainter painter(&image);
  paint(chart, painter, width, height);
  painter.end();
  if (!image.save(qpath, "PNG")) return "cannot write " + path;
  return {};
}

std::string export_chart(const ChartSpec& spec, const std::string& path, int width, int height) {
  std::unique_ptr<QChart> chart(build_chart(spec));
  return export_chart(chart.get(), path, width, height);
}

}  // namespace knetsim::gui
