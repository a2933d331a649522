#include "gui/app/cluster_view.h"

#include <QGraphicsItem>
#include <QWheelEvent>

#include "gui/app/details.h"

namespace knetsim::gui {

void ZoomView::wheelEvent(QWheelEvent* e) {
  double factor = e->angleDelta().y() > 0 ? 1.15 : 1 / 1.15;
  setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
  scale(factor, factor);
}

void ZoomView::fit() {
  if (scene()) fitInView(scene()->sceneRect(), Qt::KeepAspectRatio);
}

ClusterView::ClusterView(QWidget* parent) : QSplitter(Qt::Horizontal, parent) {
  scene_ = new ClusterScene(this);
  view_ = new ZoomView(scene_, this);
  view_->setRenderHint(QPainter::Antialiasing);
  view_->setDragMode(QGraphicsView::ScrollHandDrag);
  details_ = new QTextBrowser(this);
  details_->setMinimumWidth(280);
  addWidget(view_);
  addWidget(details_);
  setStretchFactor(0, 4);
  setStretchFactor(1, 1);
  setSizes({1000, 380});
  connect(scene_, &QGraphicsScene::selectionChanged, this, &ClusterView::on_selection);
}

ClusterView::~ClusterView() { scene_->disconnect(this); }

void ClusterView::set_document(std::shared_ptr<const ScenarioDocument> doc) {
  doc_ = std::move(doc);
  {
    QSignalBlocker block(scene_);
    scene_->set_cluster(doc_ ? &doc_->cluster : nullptr);
  }
  view_->resetTransform();
  view_->fit();
  on_selection();
}

bool ClusterView::select(ObjectKind kind, uint32_t id) {
  QGraphicsItem* item = scene_->item_for(kind, id);
  if (!item) return false;
  scene_->clearSelection();
  item->setSelected(true);
  return true;
}

void ClusterView::on_selection() {
  if (!doc_) {
    details_->setHtml("<p>Open a scenario (File ▸ Open, or drop a file here).</p>");
    return;
  }
  auto items = scene_->selectedItems();
  ObjectRef ref = items.isEmpty() ? ObjectRef{} : ClusterScene::ref_of(items.front());
  details_->setHtml(details_html(*doc_, ref));
}

}  // namespace knetsim::gui
