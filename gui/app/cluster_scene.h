// The cluster drawn as a QGraphicsScene: nodes as boxes holding their pods (coloured by app, or
// namespace when a pod has no app label), services with lines to their endpoints, ingresses and
// the external clients. Above kAggregateAboveNodes nodes it draws zones holding one bar per
// namespace instead of every pod, so a 5,000-node cluster stays readable and fast.
// Every item carries its ObjectRef (ref_of) for the details panel; the counters let tests check
// that what is drawn matches the cluster.
#pragma once

#include <QColor>
#include <QGraphicsScene>
#include <map>

#include "gui/app/object_ref.h"
#include "sim/core/cluster.h"

namespace knetsim::gui {

inline constexpr size_t kAggregateAboveNodes = 500;
// Above this many services the endpoint lines would hide the drawing: services are listed
// without them (selecting one still shows its endpoints).
inline constexpr size_t kMaxServicesWithEdges = 200;

struct SceneCounts {
  int nodes = 0;
  int pods = 0;
  int services = 0;
  int endpoint_edges = 0;  // service -> pod lines
  int ingresses = 0;
  int zones = 0;            // aggregated view only
  int namespace_bars = 0;   // aggregated view only
  int aggregated_pods = 0;  // pods represented by the bars
};

class ClusterScene : public QGraphicsScene {
  Q_OBJECT
 public:
  explicit ClusterScene(QObject* parent = nullptr);

  // Redraws everything; `cluster` must outlive the scene's use of it (or the next call).
  void set_cluster(const core::Cluster* cluster);
  bool aggregated() const { return aggregated_; }
  const SceneCounts& counts() const { return counts_; }

  static ObjectRef ref_of(const QGraphicsItem* item);
  QGraphicsItem* item_for(ObjectKind kind, uint32_t id) const;
  // A colour per key (FNV hash of the name): stable across runs and scenarios.
  static QColor colour_for(const std::string& key);
  // The colour of a pod in this scene: apps get well-separated hues in order of appearance.
  QColor pod_colour(const core::Pod& pod) const;

 private:
  void draw_detailed(const core::Cluster& c);
  void draw_aggregated(const core::Cluster& c);
  QGraphicsItem* tag(QGraphicsItem* item, ObjectKind kind, uint32_t id, const std::string& name);

  const core::Cluster* cluster_ = nullptr;
  bool aggregated_ = false;
  SceneCounts counts_;
  std::map<std::pair<int, uint32_t>, QGraphicsItem*> items_;
  std::map<std::string, QColor> palette_;
};

}  // namespace knetsim::gui
