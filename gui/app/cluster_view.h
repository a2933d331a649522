// The cluster view: the ClusterScene in a zoomable, pannable QGraphicsView (wheel zooms around
// the cursor, drag pans) beside a details panel describing the selected object.
#pragma once

#include <QGraphicsView>
#include <QSplitter>
#include <QTextBrowser>
#include <memory>

#include "gui/app/cluster_scene.h"
#include "gui/app/scenario_document.h"

namespace knetsim::gui {

class ZoomView : public QGraphicsView {
  Q_OBJECT
 public:
  using QGraphicsView::QGraphicsView;
  void fit();

 protected:
  void wheelEvent(QWheelEvent* e) override;
};

class ClusterView : public QSplitter {
  Q_OBJECT
 public:
  explicit ClusterView(QWidget* parent = nullptr);
  ~ClusterView() override;
  void set_document(std::shared_ptr<const ScenarioDocument> doc);
  ClusterScene* scene() { return scene_; }
  ZoomView* view() { return view_; }
  QTextBrowser* details() { return details_; }
  // Selects the item drawn for (kind, id) and shows its details; false when not drawn.
  bool select(ObjectKind kind, uint32_t id);

 private:
  void on_selection();

  std::shared_ptr<const ScenarioDocument> doc_;
  ClusterScene* scene_;
  ZoomView* view_;
  QTextBrowser* details_;
};

}  // namespace knetsim::gui
