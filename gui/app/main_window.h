// The application shell: File menu (Open, Open Recent, Reload), drag and drop of a scenario file,
// and one tab per view. A file that fails to load opens the Source tab at the error's line.
#pragma once

#include <QMainWindow>
#include <QMenu>
#include <QTabWidget>
#include <memory>

#include "gui/app/scenario_document.h"

namespace knetsim::gui {

class ChartsView;
class ClusterView;
class LiveView;
class ReachView;
class RulesView;
class SourceView;
class WalkthroughView;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);
  // Loads `path`; on failure shows the located error and keeps no document. Returns success.
  bool open_file(const QString& path);

  std::shared_ptr<const ScenarioDocument> document() const { return doc_; }
  QTabWidget* tabs() { return tabs_; }
  ClusterView* cluster_view() { return cluster_; }
  RulesView* rules_view() { return rules_; }
  ReachView* reach_view() { return reach_; }
  ChartsView* charts_view() { return charts_; }
  SourceView* source_view() { return source_; }
  LiveView* live_view() { return live_; }
  WalkthroughView* walkthrough_view() { return walk_; }

 protected:
  void dragEnterEvent(QDragEnterEvent* e) override;
  void dropEvent(QDropEvent* e) override;

 private:
  void choose_file();
  void remember(const QString& path);
  void rebuild_recent();

  std::shared_ptr<const ScenarioDocument> doc_;
  QString path_;
  QTabWidget* tabs_;
  ClusterView* cluster_;
  RulesView* rules_;
  ReachView* reach_;
  ChartsView* charts_;
  SourceView* source_;
  LiveView* live_;
  WalkthroughView* walk_;
  QMenu* recent_;
};

}  // namespace knetsim::gui
