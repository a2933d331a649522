#include "gui/app/main_window.h"

#include <QApplication>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenuBar>
#include <QMimeData>
#include <QSettings>
#include <QStatusBar>

#include "gui/app/charts_view.h"
#include "gui/app/cluster_view.h"
#include "gui/app/live_view.h"
#include "gui/app/reach_view.h"
#include "gui/app/rules_view.h"
#include "gui/app/source_view.h"
#include "gui/app/walkthrough_view.h"

namespace knetsim::gui {
namespace {
constexpr int kMaxRecent = 8;
}

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle("knetsim");
  setAcceptDrops(true);
  tabs_ = new QTabWidget(this);
  cluster_ = new ClusterView(tabs_);
  rules_ = new RulesView(tabs_);
  reach_ = new ReachView(tabs_);
  charts_ = new ChartsView(tabs_);
  source_ = new SourceView(tabs_);
  live_ = new LiveView(tabs_);
  walk_ = new WalkthroughView(tabs_);
  tabs_->addTab(cluster_, "Cluster");
  tabs_->addTab(walk_, "Walkthrough");
  tabs_->addTab(rules_, "Rules");
  tabs_->addTab(reach_, "Reachability");
  tabs_->addTab(charts_, "Charts");
  tabs_->addTab(live_, "Live");
  tabs_->addTab(source_, "Source");
  setCentralWidget(tabs_);

  QMenu* file = menuBar()->addMenu("&File");
  file->addAction("&Open…", QKeySequence::Open, this, [this] { choose_file(); });
  recent_ = file->addMenu("Open &Recent");
  file->addAction("Re&load", QKeySequence::Refresh, this, [this] {
    if (!path_.isEmpty()) open_file(path_);
  });
  file->addSeparator();
  file->addAction("&Quit", QKeySequence::Quit, qApp, &QApplication::quit);
  QMenu* view = menuBar()->addMenu("&View");
  view->addAction("Fit cluster", this, [this] { cluster_->view()->fit(); });
  rebuild_recent();
  statusBar()->showMessage("Open a scenario (File ▸ Open, or drop a file on this window)");
  cluster_->set_document(nullptr);
}

bool MainWindow::open_file(const QString& path) {
  LoadOutcome out = load_document(path.toStdString());
  path_ = path;
  remember(path);
  source_->show_file(path.toStdString(), out.error, out.warnings);
  if (!out.doc) {
    doc_.reset();
    cluster_->set_document(nullptr);
    rules_->set_document(nullptr);
    reach_->set_document(nullptr);
    charts_->set_document(nullptr);
    live_->set_document(nullptr);
    walk_->set_document(nullptr);
    tabs_->setCurrentWidget(source_);
    statusBar()->showMessage("error: " + QString::fromStdString(out.error->str()));
    setWindowTitle("knetsim — " + QFileInfo(path).fileName() + " (error)");
    return false;
  }
  doc_ = out.doc;
  cluster_->set_document(doc_);
  rules_->set_document(doc_);
  reach_->set_document(doc_);
  charts_->set_document(doc_);
  live_->set_document(doc_);
  walk_->set_document(doc_);
  tabs_->setCurrentWidget(cluster_);
  const auto& c = doc_->cluster;
  statusBar()->showMessage(QString("%1: %2 nodes, %3 pods, %4 services; %5 warnings")
                               .arg(QString::fromStdString(c.name))
                               .arg(c.nodes.size())
                               .arg(c.pods.size())
                               .arg(c.services.size())
                               .arg(out.warnings.size()));
  setWindowTitle("knetsim — " + QFileInfo(path).fileName());
  return true;
}

void MainWindow::choose_file() {
  QString path = QFileDialog::getOpenFileName(this, "Open scenario", QString(),
                                              "Scenarios and manifests (*.yaml *.yml);;All files (*)");
  if (!path.isEmpty()) open_file(path);
}

void MainWindow::remember(const QString& path) {
  QSettings settings("knetsim", "knetsim-gui");
  QStringList files = settings.value("recentFiles").toStringList();
  QString abs = QFileInfo(path).absoluteFilePath();
  files.removeAll(abs);
  files.prepend(abs);
  while (files.size() > kMaxRecent) files.removeLast();
  settings.setValue("recentFiles", files);
  rebuild_recent();
}

void MainWindow::rebuild_recent() {
  recent_->clear();
  QSettings settings("knetsim", "knetsim-gui");
  for (const QString& f : settings.value("recentFiles").toStringList())
    recent_->addAction(f, this, [this, f] { open_file(f); });
  recent_->setEnabled(!recent_->isEmpty());
}

void MainWindow::dragEnterEvent(QDragEnterEvent* e) {
  if (e->mimeData()->hasUrls()) e->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* e) {
  const auto urls = e->mimeData()->urls();
  if (!urls.isEmpty() && urls.front().isLocalFile()) open_file(urls.front().toLocalFile());
}

}  // namespace knetsim::gui
